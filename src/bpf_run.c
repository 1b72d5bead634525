/*
 * bpf_run.c - classic BPF as seccomp runs it: an interpreter with the kernel's run-time
 * semantics (the cBPF -> eBPF conversion, bpf_convert_filter() in net/core/filter.c) and the
 * kernel's constant-action cache emulation (seccomp_is_const_allow() in kernel/seccomp.c).
 *
 * Tools and tests only: part of the internal libsysgate_tools.la, not of libseccomp.so.2
 * (tests/compat/abi.sh checks that none of this is linked into the shipped library).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "bpf.h"

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

bool sg_bpf_alu(uint16_t code, uint32_t a, uint32_t operand, uint32_t *out)
{
	/* 32-bit arithmetic, wrapping (BPF_ALU32 after conversion) */
	switch (BPF_OP(code)) {
	case BPF_ADD:
		*out = a + operand;
		return true;
	case BPF_SUB:
		*out = a - operand;
		return true;
	case BPF_MUL:
		*out = a * operand;
		return true;
	case BPF_DIV:
		/* DIV K by zero is refused by the checker; bpf_convert_filter() guards DIV X: a
		 * zero divisor makes the program return 0 */
		if (operand == 0)
			return false;
		*out = a / operand;
		return true;
	case BPF_AND:
		*out = a & operand;
		return true;
	case BPF_OR:
		*out = a | operand;
		return true;
	case BPF_XOR:
		*out = a ^ operand;
		return true;
	/* constant shifts >= 32 are refused by the checker; a 32-bit eBPF shift by a register
	 * uses the count modulo 32 (the interpreter masks with 31, the x86 and arm64 JITs use
	 * the hardware's 5-bit count) */
	case BPF_LSH:
		if (BPF_SRC(code) == BPF_K && operand >= 32)
			return false;
		*out = a << (operand & 31);
		return true;
	case BPF_RSH:
		if (BPF_SRC(code) == BPF_K && operand >= 32)
			return false;
		*out = a >> (operand & 31);
		return true;
	case BPF_NEG:
		*out = 0u - a;
		return true;
	default:
		return false;
	}
}

bool sg_bpf_cond(uint16_t code, uint32_t a, uint32_t operand)
{
	/* conditional jumps compare unsigned 32-bit values (the conversion moves negative
	 * immediates through a zero-extended register to keep this) */
	switch (BPF_OP(code)) {
	case BPF_JEQ:
		return a == operand;
	case BPF_JGE:
		return a >= operand;
	case BPF_JGT:
		return a > operand;
	default: /* BPF_JSET */
		return (a & operand) != 0;
	}
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
		case BPF_RET | BPF_K:
			ret = k;
			done = true;
			break;
		case BPF_RET | BPF_A:
			ret = a;
			done = true;
			break;
		default:
			if (sg_bpf_insn_is_cond_jump(in)) {
				bool t =
				    sg_bpf_cond(in->code, a, BPF_SRC(in->code) == BPF_X ? x : k);
				next = pc + 1 + (t ? in->jt : in->jf);
				break;
			}
			if (in->code < 0x100 && BPF_CLASS(in->code) == BPF_ALU &&
			    BPF_OP(in->code) != BPF_MOD) {
				if (!sg_bpf_alu(in->code, a, BPF_SRC(in->code) == BPF_X ? x : k,
				                &a)) {
					ret = 0; /* SECCOMP_RET_KILL_THREAD, see sg_bpf_alu() */
					done = true;
				}
				break;
			}
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
			taken = sg_bpf_cond(in->code, reg, k);
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
