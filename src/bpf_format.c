/*
 * bpf_format.c - classic BPF as text: the disassembly scmp_bpf_disasm, scmp_bpf_sim -v and the
 * tests print. Action names (sg_action_format()) live with the PFC printer, the library's own
 * user of them.
 *
 * Tools and tests only: part of the internal libsysgate_tools.la, not of libseccomp.so.2.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stdio.h>

#include "bpf.h"

bool sg_bpf_insn_is_ret(const struct sock_filter *insn)
{
	return insn->code < 0x100 && BPF_CLASS(insn->code) == BPF_RET;
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
