/*
 * bpf.c - classic BPF as seccomp's checker sees it: what the kernel accepts, and byte-order
 * export. This is the part of the BPF model the shipped library needs (export and load check
 * every program they hand out); the interpreter (bpf_run.c) and the instruction formatter
 * (bpf_format.c) serve the tools and tests and live in the internal libsysgate_tools.la.
 *
 * Every rule here mirrors a specific piece of Linux (6.12): bpf_check_classic(),
 * chk_code_allowed() and check_load_and_stores() in net/core/filter.c, and
 * seccomp_check_filter() in kernel/seccomp.c. The comments name the rule mirrored.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <errno.h>
#include <endian.h>
#include <string.h>

#include "bpf.h"

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

