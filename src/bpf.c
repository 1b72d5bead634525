/*
 * bpf.c - classic BPF as seccomp sees it: the kernel's checker, an interpreter with the
 * kernel's run-time semantics, the constant-action cache emulation and byte-order export.
 *
 * Every rule here mirrors a specific piece of Linux (6.12): bpf_check_classic(),
 * chk_code_allowed() and check_load_and_stores() in net/core/filter.c, seccomp_check_filter()
 * and seccomp_is_const_allow() in kernel/seccomp.c, and the cBPF -> eBPF conversion
 * (bpf_convert_filter()) for run-time behaviour. The comments name the rule mirrored.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <errno.h>
#include <endian.h>
#include <stdio.h>
#include <string.h>

#include "bpf.h"

/* the kernel's BPF_MEMWORDS: scratch cells M[0..15] */
#define SG_BPF_MEMWORDS 16
/* sizeof(struct seccomp_data): what LEN loads give and the bound of ABS loads */
#define SG_DATA_SIZE 64

/*
 * The opcodes seccomp accepts: the intersection of chk_code_allowed() (what classic BPF knows)
 * and seccomp_check_filter()'s whitelist. Codes are compared whole, so any stray bit (an unused
 * size/mode bit, a code >= 0x100) makes an opcode unknown and the program is refused.
 */
static bool seccomp_code_allowed(uint16_t code)
{
	switch (code) {
	case BPF_LD | BPF_W | BPF_ABS:
	case BPF_LD | BPF_W | BPF_LEN:
	case BPF_LDX | BPF_W | BPF_LEN:
	case BPF_LD | BPF_IMM:
	case BPF_LDX | BPF_IMM:
	case BPF_LD | BPF_MEM:
	case BPF_LDX | BPF_MEM:
	case BPF_ST:
	case BPF_STX:
	case BPF_ALU | BPF_ADD | BPF_K:
	case BPF_ALU | BPF_ADD | BPF_X:
	case BPF_ALU | BPF_SUB | BPF_K:
	case BPF_ALU | BPF_SUB | BPF_X:
	case BPF_ALU | BPF_MUL | BPF_K:
	case BPF_ALU | BPF_MUL | BPF_X:
	case BPF_ALU | BPF_DIV | BPF_K:
	case BPF_ALU | BPF_DIV | BPF_X:
	case BPF_ALU | BPF_AND | BPF_K:
	case BPF_ALU | BPF_AND | BPF_X:
	case BPF_ALU | BPF_OR | BPF_K:
	case BPF_ALU | BPF_OR | BPF_X:
	case BPF_ALU | BPF_XOR | BPF_K:
	case BPF_ALU | BPF_XOR | BPF_X:
	case BPF_ALU | BPF_LSH | BPF_K:
	case BPF_ALU | BPF_LSH | BPF_X:
	case BPF_ALU | BPF_RSH | BPF_K:
	case BPF_ALU | BPF_RSH | BPF_X:
	case BPF_ALU | BPF_NEG:
	case BPF_MISC | BPF_TAX:
	case BPF_MISC | BPF_TXA:
	case BPF_JMP | BPF_JA:
	case BPF_JMP | BPF_JEQ | BPF_K:
	case BPF_JMP | BPF_JEQ | BPF_X:
	case BPF_JMP | BPF_JGE | BPF_K:
	case BPF_JMP | BPF_JGE | BPF_X:
	case BPF_JMP | BPF_JGT | BPF_K:
	case BPF_JMP | BPF_JGT | BPF_X:
	case BPF_JMP | BPF_JSET | BPF_K:
	case BPF_JMP | BPF_JSET | BPF_X:
	case BPF_RET | BPF_K:
	case BPF_RET | BPF_A:
		return true;
	default:
		/* includes MOD (socket filters only), H/B and IND loads, LDX MSH, RET X */
		return false;
	}
}

bool sg_bpf_insn_is_cond_jump(const struct sock_filter *insn)
{
	switch (insn->code) {
	case BPF_JMP | BPF_JEQ | BPF_K:
	case BPF_JMP | BPF_JEQ | BPF_X:
	case BPF_JMP | BPF_JGE | BPF_K:
	case BPF_JMP | BPF_JGE | BPF_X:
	case BPF_JMP | BPF_JGT | BPF_K:
	case BPF_JMP | BPF_JGT | BPF_X:
	case BPF_JMP | BPF_JSET | BPF_K:
	case BPF_JMP | BPF_JSET | BPF_X:
		return true;
	default:
		return false;
	}
}

bool sg_bpf_insn_is_ret(const struct sock_filter *insn)
{
	return insn->code < 0x100 && BPF_CLASS(insn->code) == BPF_RET;
}

/*
 * check_load_and_stores(): a scratch cell may be read only if every path to the read wrote it.
 * One forward pass suffices because jumps only go forward. masks[t] collects, for each jump
 * target t, the cells valid on every jump into t. Kernel quirks kept on purpose: after a jump
 * the fall-through state is "everything valid" (only recorded jump edges constrain the next
 * instruction), while RET does not reset the state, so code after a RET that no jump reaches
 * inherits the cells valid before the RET.
 */
static int check_mem_valid(const struct sock_filter *prog, size_t len)
{
	uint16_t masks[SG_BPF_MAXINSNS];
	uint16_t valid = 0;

	memset(masks, 0xff, len * sizeof(masks[0]));
	for (size_t pc = 0; pc < len; pc++) {
		const struct sock_filter *in = &prog[pc];

		valid &= masks[pc];
		switch (in->code) {
		case BPF_ST:
		case BPF_STX:
			valid |= (uint16_t)(1u << in->k);
			break;
		case BPF_LD | BPF_MEM:
		case BPF_LDX | BPF_MEM:
			if (!(valid & (1u << in->k)))
				return -EINVAL;
			break;
		case BPF_JMP | BPF_JA:
			masks[pc + 1 + in->k] &= valid;
			valid = 0xffff;
			break;
		default:
			if (sg_bpf_insn_is_cond_jump(in)) {
				masks[pc + 1 + in->jt] &= valid;
				masks[pc + 1 + in->jf] &= valid;
				valid = 0xffff;
			}
			break;
		}
	}
	return 0;
}

int sg_bpf_check(const struct sock_filter *prog, size_t len)
{
	/* seccomp_prepare_filter() / bpf_check_basics_ok(): 1..BPF_MAXINSNS instructions */
	if (prog == NULL || len == 0 || len > SG_BPF_MAXINSNS)
		return -EINVAL;

	for (size_t pc = 0; pc < len; pc++) {
		const struct sock_filter *in = &prog[pc];
		uint32_t k = in->k;

		if (!seccomp_code_allowed(in->code))
			return -EINVAL;
		switch (in->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			/* seccomp_check_filter(): 32-bit aligned and inside seccomp_data (this also
			 * refuses the socket ancillary offsets, k >= SKF_AD_OFF) */
			if (k >= SG_DATA_SIZE || (k & 3))
				return -EINVAL;
			break;
		case BPF_ALU | BPF_DIV | BPF_K:
			/* bpf_check_classic(): constant division by zero */
			if (k == 0)
				return -EINVAL;
			break;
		case BPF_ALU | BPF_LSH | BPF_K:
		case BPF_ALU | BPF_RSH | BPF_K:
			/* bpf_check_classic(): constant shifts must be < 32 */
			if (k >= 32)
				return -EINVAL;
			break;
		case BPF_LD | BPF_MEM:
		case BPF_LDX | BPF_MEM:
		case BPF_ST:
		case BPF_STX:
			/* bpf_check_classic(): scratch cell index < BPF_MEMWORDS */
			if (k >= SG_BPF_MEMWORDS)
				return -EINVAL;
			break;
		case BPF_JMP | BPF_JA:
			/* bpf_check_classic(): k >= flen - pc - 1 is out of range (k is 32 bits) */
			if (k >= len - pc - 1)
				return -EINVAL;
			break;
		default:
			/* bpf_check_classic(): both conditional targets must be inside */
			if (sg_bpf_insn_is_cond_jump(in) &&
			    (pc + in->jt + 1 >= len || pc + in->jf + 1 >= len))
				return -EINVAL;
			break;
		}
	}

	/* bpf_check_classic(): the last instruction must be RET K or RET A */
	if (prog[len - 1].code != (BPF_RET | BPF_K) && prog[len - 1].code != (BPF_RET | BPF_A))
		return -EINVAL;

	return check_mem_valid(prog, len);
}

/* the 32-bit word at `off` of seccomp_data laid out by an ABI of the given byte order */
static bool load_word(const struct seccomp_data *d, uint32_t off, bool big_endian, uint32_t *out)
{
	uint64_t v;

	if (off >= SG_DATA_SIZE || (off & 3))
		return false;
	if (off == SG_OFF_NR) {
		*out = (uint32_t)d->nr;
		return true;
	}
	if (off == SG_OFF_ARCH) {
		*out = d->arch;
		return true;
	}
	v = off < SG_OFF_ARGS ? d->instruction_pointer : d->args[(off - SG_OFF_ARGS) / 8];
	/* the first word of a 64-bit field is the low half on little-endian ABIs */
	if (((off & 4) == 0) != big_endian)
		*out = (uint32_t)v;
	else
		*out = (uint32_t)(v >> 32);
	return true;
}

uint32_t sg_bpf_run_trace(const struct sock_filter *prog, size_t len,
                          const struct seccomp_data *data, bool big_endian, size_t *executed,
                          sg_bpf_trace_fn trace, void *ctx)
{
	uint32_t a = 0, x = 0, mem[SG_BPF_MEMWORDS] = {0};
	uint32_t ret = SECCOMP_RET_KILL_THREAD;
	size_t count = 0, pc = 0;

	while (pc < len) {
		const struct sock_filter *in = &prog[pc];
		uint32_t k = in->k;
		size_t next = pc + 1;
		bool done = false;

		count++;
		switch (in->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			if (!load_word(data, k, big_endian, &a))
				goto out; /* refused by the checker */
			break;
		case BPF_LD | BPF_W | BPF_LEN:
			/* seccomp_check_filter() rewrites LEN loads to the constant 64 */
			a = SG_DATA_SIZE;
			break;
		case BPF_LDX | BPF_W | BPF_LEN:
			x = SG_DATA_SIZE;
			break;
		case BPF_LD | BPF_IMM:
			a = k;
			break;
		case BPF_LDX | BPF_IMM:
			x = k;
			break;
		case BPF_LD | BPF_MEM:
			if (k >= SG_BPF_MEMWORDS)
				goto out;
			a = mem[k];
			break;
		case BPF_LDX | BPF_MEM:
			if (k >= SG_BPF_MEMWORDS)
				goto out;
			x = mem[k];
			break;
		case BPF_ST:
			if (k >= SG_BPF_MEMWORDS)
				goto out;
			mem[k] = a;
			break;
		case BPF_STX:
			if (k >= SG_BPF_MEMWORDS)
				goto out;
			mem[k] = x;
			break;
		/* ALU: 32-bit arithmetic, wrapping (BPF_ALU32 after conversion) */
		case BPF_ALU | BPF_ADD | BPF_K:
			a += k;
			break;
		case BPF_ALU | BPF_ADD | BPF_X:
			a += x;
			break;
		case BPF_ALU | BPF_SUB | BPF_K:
			a -= k;
			break;
		case BPF_ALU | BPF_SUB | BPF_X:
			a -= x;
			break;
		case BPF_ALU | BPF_MUL | BPF_K:
			a *= k;
			break;
		case BPF_ALU | BPF_MUL | BPF_X:
			a *= x;
			break;
		case BPF_ALU | BPF_DIV | BPF_K:
			if (k == 0)
				goto out; /* refused by the checker */
			a /= k;
			break;
		case BPF_ALU | BPF_DIV | BPF_X:
			/* bpf_convert_filter() guards DIV X: a zero divisor makes the program
			 * return 0 (SECCOMP_RET_KILL_THREAD) */
			if (x == 0) {
				ret = 0;
				done = true;
				break;
			}
			a /= x;
			break;
		case BPF_ALU | BPF_AND | BPF_K:
			a &= k;
			break;
		case BPF_ALU | BPF_AND | BPF_X:
			a &= x;
			break;
		case BPF_ALU | BPF_OR | BPF_K:
			a |= k;
			break;
		case BPF_ALU | BPF_OR | BPF_X:
			a |= x;
			break;
		case BPF_ALU | BPF_XOR | BPF_K:
			a ^= k;
			break;
		case BPF_ALU | BPF_XOR | BPF_X:
			a ^= x;
			break;
		case BPF_ALU | BPF_LSH | BPF_K:
			if (k >= 32)
				goto out;
			a <<= k;
			break;
		case BPF_ALU | BPF_RSH | BPF_K:
			if (k >= 32)
				goto out;
			a >>= k;
			break;
		/* a 32-bit eBPF shift by a register uses the count modulo 32 (the interpreter masks
		 * with 31, the x86 and arm64 JITs use the hardware's 5-bit count) */
		case BPF_ALU | BPF_LSH | BPF_X:
			a <<= (x & 31);
			break;
		case BPF_ALU | BPF_RSH | BPF_X:
			a >>= (x & 31);
			break;
		case BPF_ALU | BPF_NEG:
			a = 0u - a;
			break;
		case BPF_MISC | BPF_TAX:
			x = a;
			break;
		case BPF_MISC | BPF_TXA:
			a = x;
			break;
		case BPF_JMP | BPF_JA:
			if (k >= len - pc - 1)
				goto out; /* refused by the checker */
			next = pc + 1 + (size_t)k;
			break;
		/* conditional jumps compare unsigned 32-bit values (the conversion moves negative
		 * immediates through a zero-extended register to keep this) */
		case BPF_JMP | BPF_JEQ | BPF_K:
			next = pc + 1 + (a == k ? in->jt : in->jf);
			break;
		case BPF_JMP | BPF_JEQ | BPF_X:
			next = pc + 1 + (a == x ? in->jt : in->jf);
			break;
		case BPF_JMP | BPF_JGE | BPF_K:
			next = pc + 1 + (a >= k ? in->jt : in->jf);
			break;
		case BPF_JMP | BPF_JGE | BPF_X:
			next = pc + 1 + (a >= x ? in->jt : in->jf);
			break;
		case BPF_JMP | BPF_JGT | BPF_K:
			next = pc + 1 + (a > k ? in->jt : in->jf);
			break;
		case BPF_JMP | BPF_JGT | BPF_X:
			next = pc + 1 + (a > x ? in->jt : in->jf);
			break;
		case BPF_JMP | BPF_JSET | BPF_K:
			next = pc + 1 + ((a & k) ? in->jt : in->jf);
			break;
		case BPF_JMP | BPF_JSET | BPF_X:
			next = pc + 1 + ((a & x) ? in->jt : in->jf);
			break;
		case BPF_RET | BPF_K:
			ret = k;
			done = true;
			break;
		case BPF_RET | BPF_A:
			ret = a;
			done = true;
			break;
		default:
			/* an opcode seccomp refuses: never reached for checked programs */
			goto out;
		}
		if (trace) {
			struct sg_bpf_step step = {pc, in, a, x, done ? len : next};
			trace(ctx, &step);
		}
		if (done)
			goto out;
		pc = next;
	}
	/* fell off the end: impossible for checked programs (the last instruction is RET) */
	ret = SECCOMP_RET_KILL_THREAD;
out:
	if (executed)
		*executed = count;
	return ret;
}

uint32_t sg_bpf_run(const struct sock_filter *prog, size_t len, const struct seccomp_data *data,
                    bool big_endian, size_t *executed)
{
	return sg_bpf_run_trace(prog, len, data, big_endian, executed, NULL, NULL);
}

/*
 * seccomp_is_const_allow(): the kernel walks the path taken for (arch, nr) in the original
 * (unconverted) program, understanding only the instructions below; anything else, including
 * RET A, a load of another field and X or scratch-memory use, means "not constant". The result
 * counts only when the path reaches RET K with exactly SECCOMP_RET_ALLOW (no data bits).
 * Not modelled: the kernel's unconditional exception for uretprobe/uprobe on its native ABI,
 * which does not depend on the program.
 */
bool sg_bpf_const_allow(const struct sock_filter *prog, size_t len, uint32_t arch, int32_t nr)
{
	uint32_t reg = 0;

	for (size_t pc = 0; pc < len; pc++) {
		const struct sock_filter *in = &prog[pc];
		uint32_t k = in->k;
		bool taken;

		switch (in->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			if (k == SG_OFF_NR)
				reg = (uint32_t)nr;
			else if (k == SG_OFF_ARCH)
				reg = arch;
			else
				return false; /* a non-constant load */
			break;
		case BPF_RET | BPF_K:
			return k == SECCOMP_RET_ALLOW;
		case BPF_JMP | BPF_JA:
			if (k >= len - pc - 1)
				return false; /* refused by the checker */
			pc += k;
			break;
		case BPF_JMP | BPF_JEQ | BPF_K:
		case BPF_JMP | BPF_JGE | BPF_K:
		case BPF_JMP | BPF_JGT | BPF_K:
		case BPF_JMP | BPF_JSET | BPF_K:
			switch (BPF_OP(in->code)) {
			case BPF_JEQ:
				taken = reg == k;
				break;
			case BPF_JGE:
				taken = reg >= k;
				break;
			case BPF_JGT:
				taken = reg > k;
				break;
			default:
				taken = (reg & k) != 0;
				break;
			}
			pc += taken ? in->jt : in->jf;
			break;
		case BPF_ALU | BPF_AND | BPF_K:
			reg &= k;
			break;
		default:
			return false; /* an instruction the emulator does not understand */
		}
	}
	/* ran off the end: the kernel warns and treats it as not constant */
	return false;
}

void sg_bpf_to_target(struct sock_filter *prog, size_t len, bool big_endian)
{
#if __BYTE_ORDER == __BIG_ENDIAN
	const bool host_big = true;
#else
	const bool host_big = false;
#endif

	if (big_endian == host_big)
		return;
	/* jt and jf are single bytes: only code and k change */
	for (size_t i = 0; i < len; i++) {
		prog[i].code = __builtin_bswap16(prog[i].code);
		prog[i].k = __builtin_bswap32(prog[i].k);
	}
}

int sg_action_format(uint32_t action, char *buf, size_t size)
{
	uint32_t data = action & SECCOMP_RET_DATA;

	switch (action & SECCOMP_RET_ACTION_FULL) {
	case SECCOMP_RET_KILL_PROCESS:
		if (data == 0)
			return snprintf(buf, size, "KILL_PROCESS");
		break;
	case SECCOMP_RET_KILL_THREAD:
		/* libseccomp's PFC calls the thread kill plain KILL */
		if (data == 0)
			return snprintf(buf, size, "KILL");
		break;
	case SECCOMP_RET_TRAP:
		if (data == 0)
			return snprintf(buf, size, "TRAP");
		return snprintf(buf, size, "TRAP(%u)", data);
	case SECCOMP_RET_ERRNO:
		return snprintf(buf, size, "ERRNO(%u)", data);
	case SECCOMP_RET_TRACE:
		return snprintf(buf, size, "TRACE(%u)", data);
	case SECCOMP_RET_LOG:
		if (data == 0)
			return snprintf(buf, size, "LOG");
		break;
	case SECCOMP_RET_ALLOW:
		if (data == 0)
			return snprintf(buf, size, "ALLOW");
		break;
	case SECCOMP_RET_USER_NOTIF:
		if (data == 0)
			return snprintf(buf, size, "NOTIFY");
		break;
	default:
		break;
	}
	return snprintf(buf, size, "0x%08x", action);
}

/* names of the 16 words of seccomp_data, per byte order ([0] little-, [1] big-endian) */
#define SG_ARG_NAMES(i, first, second) "args[" #i "]." first, "args[" #i "]." second
static const char *const data_names[2][SG_DATA_SIZE / 4] = {
    {"nr", "arch", "instruction_pointer.lo", "instruction_pointer.hi", SG_ARG_NAMES(0, "lo", "hi"),
     SG_ARG_NAMES(1, "lo", "hi"), SG_ARG_NAMES(2, "lo", "hi"), SG_ARG_NAMES(3, "lo", "hi"),
     SG_ARG_NAMES(4, "lo", "hi"), SG_ARG_NAMES(5, "lo", "hi")},
    {"nr", "arch", "instruction_pointer.hi", "instruction_pointer.lo", SG_ARG_NAMES(0, "hi", "lo"),
     SG_ARG_NAMES(1, "hi", "lo"), SG_ARG_NAMES(2, "hi", "lo"), SG_ARG_NAMES(3, "hi", "lo"),
     SG_ARG_NAMES(4, "hi", "lo"), SG_ARG_NAMES(5, "hi", "lo")},
};

const char *sg_bpf_data_name(uint32_t off, bool big_endian)
{
	if (off >= SG_DATA_SIZE || (off & 3))
		return NULL;
	return data_names[big_endian ? 1 : 0][off / 4];
}

static const char *alu_name(uint16_t op)
{
	switch (op) {
	case BPF_ADD:
		return "add";
	case BPF_SUB:
		return "sub";
	case BPF_MUL:
		return "mul";
	case BPF_DIV:
		return "div";
	case BPF_MOD:
		return "mod";
	case BPF_AND:
		return "and";
	case BPF_OR:
		return "or";
	case BPF_XOR:
		return "xor";
	case BPF_LSH:
		return "lsh";
	case BPF_RSH:
		return "rsh";
	case BPF_NEG:
		return "neg";
	default:
		return NULL;
	}
}

static const char *jmp_name(uint16_t op)
{
	switch (op) {
	case BPF_JEQ:
		return "jeq";
	case BPF_JGE:
		return "jge";
	case BPF_JGT:
		return "jgt";
	case BPF_JSET:
		return "jset";
	default:
		return NULL;
	}
}

int sg_bpf_insn_format(const struct sock_filter *insn, size_t pc, bool big_endian, char *buf,
                       size_t size)
{
	uint16_t code = insn->code;
	uint32_t k = insn->k;
	const char *name;
	char act[32];

	if (code >= 0x100)
		return snprintf(buf, size, ".insn 0x%04x", code);

	switch (code) {
	case BPF_LD | BPF_W | BPF_ABS:
		name = sg_bpf_data_name(k, big_endian);
		if (name)
			return snprintf(buf, size, "ld $data.%s", name);
		return snprintf(buf, size, "ld $data[%u]", k);
	case BPF_LD | BPF_H | BPF_ABS:
		return snprintf(buf, size, "ldh $data[%u]", k);
	case BPF_LD | BPF_B | BPF_ABS:
		return snprintf(buf, size, "ldb $data[%u]", k);
	case BPF_LD | BPF_W | BPF_IND:
		return snprintf(buf, size, "ld $data[x + %u]", k);
	case BPF_LD | BPF_H | BPF_IND:
		return snprintf(buf, size, "ldh $data[x + %u]", k);
	case BPF_LD | BPF_B | BPF_IND:
		return snprintf(buf, size, "ldb $data[x + %u]", k);
	case BPF_LD | BPF_W | BPF_LEN:
		return snprintf(buf, size, "ld len");
	case BPF_LDX | BPF_W | BPF_LEN:
		return snprintf(buf, size, "ldx len");
	case BPF_LDX | BPF_B | BPF_MSH:
		return snprintf(buf, size, "ldx 4*($data[%u]&0xf)", k);
	case BPF_LD | BPF_IMM:
		return snprintf(buf, size, "ld 0x%x", k);
	case BPF_LDX | BPF_IMM:
		return snprintf(buf, size, "ldx 0x%x", k);
	case BPF_LD | BPF_MEM:
		return snprintf(buf, size, "ld M[%u]", k);
	case BPF_LDX | BPF_MEM:
		return snprintf(buf, size, "ldx M[%u]", k);
	case BPF_ST:
		return snprintf(buf, size, "st M[%u]", k);
	case BPF_STX:
		return snprintf(buf, size, "stx M[%u]", k);
	case BPF_MISC | BPF_TAX:
		return snprintf(buf, size, "tax");
	case BPF_MISC | BPF_TXA:
		return snprintf(buf, size, "txa");
	case BPF_ALU | BPF_NEG:
		return snprintf(buf, size, "neg");
	case BPF_JMP | BPF_JA:
		return snprintf(buf, size, "ja %04zu", pc + 1 + (size_t)k);
	case BPF_RET | BPF_K:
		sg_action_format(k, act, sizeof(act));
		return snprintf(buf, size, "ret %s", act);
	case BPF_RET | BPF_A:
		return snprintf(buf, size, "ret a");
	case BPF_RET | BPF_X:
		return snprintf(buf, size, "ret x");
	default:
		break;
	}

	switch (BPF_CLASS(code)) {
	case BPF_ALU:
		name = alu_name(BPF_OP(code));
		if (!name || BPF_OP(code) == BPF_NEG)
			break;
		if (BPF_SRC(code) == BPF_X)
			return snprintf(buf, size, "%s x", name);
		if (BPF_OP(code) == BPF_LSH || BPF_OP(code) == BPF_RSH)
			return snprintf(buf, size, "%s %u", name, k);
		return snprintf(buf, size, "%s 0x%x", name, k);
	case BPF_JMP:
		name = jmp_name(BPF_OP(code));
		if (!name)
			break;
		if (BPF_SRC(code) == BPF_X)
			return snprintf(buf, size, "%s x true:%04zu false:%04zu", name,
			                pc + 1 + insn->jt, pc + 1 + insn->jf);
		return snprintf(buf, size, "%s 0x%x true:%04zu false:%04zu", name, k,
		                pc + 1 + insn->jt, pc + 1 + insn->jf);
	default:
		break;
	}
	return snprintf(buf, size, ".insn 0x%04x", code);
}
