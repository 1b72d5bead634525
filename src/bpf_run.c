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
