/*
 * bpf_testdata.c - the BPF model's shared test data (bpf_testdata.h): the checker's hand-made
 * cases, run against sg_bpf_check in test_bpf.c and against the kernel in test_bpf_live.c, and
 * seccomp_data as an ABI stores it.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <errno.h>
#include <stdint.h>

#include "bpf_testdata.h"

const struct check_case check_cases[] = {
    /* accepted */
    {"a lone RET K is the smallest program", 0, 1, {RETK(ALLOW)}},
    {"RET A may end a program", 0, 1, {RETA}},
    {"LD W ABS of nr (k=0)", 0, 2, {LDW(0), RETA}},
    {"LD W ABS of arch and instruction_pointer (k=4, 8, 12)",
     0,
     4,
     {LDW(4), LDW(8), LDW(12), RETA}},
    {"LD W ABS of the last word, args[5] (k=60 < 64)", 0, 2, {LDW(60), RETA}},
    {"LD W LEN (seccomp rewrites it to 64)", 0, 2, {S(BPF_LD | BPF_W | BPF_LEN, 0), RETA}},
    {"LDX W LEN (rewritten likewise)", 0, 3, {S(BPF_LDX | BPF_W | BPF_LEN, 0), TXA, RETA}},
    {"LD IMM and LDX IMM", 0, 3, {LDI(5), LDXI(6), RETA}},
    {"ST then LD MEM of the same cell (M[15] is the last)", 0, 4, {LDI(1), ST(15), LDM(15), RETA}},
    {"STX then LDX MEM", 0, 4, {LDXI(1), STX(0), LDXM(0), RETK(0)}},
    {"every ALU op with K (DIV K 1, shifts by 31 are in range)",
     0,
     10,
     {ALUK(BPF_ADD, 1), ALUK(BPF_SUB, 2), ALUK(BPF_MUL, 3), ALUK(BPF_DIV, 1), ALUK(BPF_AND, 5),
      ALUK(BPF_OR, 6), ALUK(BPF_XOR, 7), ALUK(BPF_LSH, 31), ALUK(BPF_RSH, 31), RETA}},
    {"every ALU op with X (DIV X is only checked at run time)",
     0,
     10,
     {ALUX(BPF_ADD), ALUX(BPF_SUB), ALUX(BPF_MUL), ALUX(BPF_DIV), ALUX(BPF_AND), ALUX(BPF_OR),
      ALUX(BPF_XOR), ALUX(BPF_LSH), ALUX(BPF_RSH), RETA}},
    {"NEG, TAX and TXA", 0, 4, {S(BPF_ALU | BPF_NEG, 0), TAX, TXA, RETA}},
    {"JA to the last instruction (k = len - pc - 2)", 0, 3, {JA(1), RETK(0), RETK(ALLOW)}},
    {"JA 0 is a no-op", 0, 2, {JA(0), RETK(0)}},
    {"conditional jumps with K and X reaching the last instruction",
     0,
     9,
     {JK(BPF_JEQ, 1, 7, 0), JX(BPF_JEQ, 6, 0), JK(BPF_JGE, 1, 5, 0), JX(BPF_JGE, 4, 0),
      JK(BPF_JGT, 1, 3, 0), JX(BPF_JGT, 2, 0), JK(BPF_JSET, 1, 1, 0), JX(BPF_JSET, 0, 0), RETA}},
    {"jt = jf = 0 (both to the next instruction)", 0, 2, {JK(BPF_JEQ, 0, 0, 0), RETA}},
    {"unreachable code is allowed", 0, 3, {RETK(0), LDI(1), RETA}},
    {"a cell stored on both branches may be loaded after they join",
     0,
     7,
     {LDW(0), JK(BPF_JEQ, 1, 0, 2), ST(0), JA(1), ST(0), LDM(0), RETA}},
    {"kernel quirk: code after a RET keeps the cells valid before the RET",
     0,
     5,
     {LDI(1), ST(3), RETA, LDM(3), RETA}},
    {"kernel quirk: unreachable code right after a JA counts every cell as written",
     0,
     3,
     {JA(1), LDM(7), RETA}},
    {"kernel quirk: after a conditional jump too",
     0,
     4,
     {JK(BPF_JEQ, 0, 1, 1), LDXM(2), RETA, RETA}},

    /* refused */
    {"empty program (bpf_check_basics_ok: len 0)", -EINVAL, 0, {RETK(0)}},
    {"last instruction is not RET", -EINVAL, 1, {LDW(0)}},
    {"last instruction is not RET (ALU)", -EINVAL, 2, {RETK(0), ALUK(BPF_ADD, 1)}},
    {"RET X is not a classic opcode", -EINVAL, 1, {S(BPF_RET | BPF_X, 0)}},
    {"RET with an unused source bit", -EINVAL, 1, {S(BPF_RET | 0x18, 0)}},
    {"LD W ABS past seccomp_data (k=64)", -EINVAL, 2, {LDW(64), RETA}},
    {"LD W ABS misaligned (k=2)", -EINVAL, 2, {LDW(2), RETA}},
    {"LD W ABS misaligned (k=61)", -EINVAL, 2, {LDW(61), RETA}},
    {"LD W ABS of a socket ancillary field (SKF_AD_OFF + PROTOCOL)",
     -EINVAL,
     2,
     {LDW(0xfffff000), RETA}},
    {"LD W ABS with k = 0xffffffff", -EINVAL, 2, {LDW(0xffffffff), RETA}},
    {"LD H ABS (only 32-bit loads)", -EINVAL, 2, {S(BPF_LD | BPF_H | BPF_ABS, 0), RETA}},
    {"LD B ABS", -EINVAL, 2, {S(BPF_LD | BPF_B | BPF_ABS, 0), RETA}},
    {"LD W IND", -EINVAL, 2, {S(BPF_LD | BPF_W | BPF_IND, 0), RETA}},
    {"LD H IND", -EINVAL, 2, {S(BPF_LD | BPF_H | BPF_IND, 0), RETA}},
    {"LD B IND", -EINVAL, 2, {S(BPF_LD | BPF_B | BPF_IND, 0), RETA}},
    {"LDX B MSH", -EINVAL, 2, {S(BPF_LDX | BPF_B | BPF_MSH, 0), RETA}},
    {"LDX W ABS is not a classic opcode", -EINVAL, 2, {S(BPF_LDX | BPF_W | BPF_ABS, 0), RETA}},
    {"LD IMM with a size bit", -EINVAL, 2, {S(BPF_LD | BPF_H | BPF_IMM, 0), RETA}},
    {"ST with a mode bit", -EINVAL, 3, {LDI(0), S(BPF_ST | BPF_ABS, 0), RETA}},
    {"ALU MOD K (socket filters only)", -EINVAL, 2, {ALUK(BPF_MOD, 3), RETA}},
    {"ALU MOD X", -EINVAL, 2, {ALUX(BPF_MOD), RETA}},
    {"ALU DIV K 0", -EINVAL, 2, {ALUK(BPF_DIV, 0), RETA}},
    {"ALU LSH K 32", -EINVAL, 2, {ALUK(BPF_LSH, 32), RETA}},
    {"ALU RSH K 32", -EINVAL, 2, {ALUK(BPF_RSH, 32), RETA}},
    {"ALU LSH K 0xffffffff", -EINVAL, 2, {ALUK(BPF_LSH, 0xffffffff), RETA}},
    {"ALU NEG with the X bit", -EINVAL, 2, {S(BPF_ALU | BPF_NEG | BPF_X, 0), RETA}},
    {"eBPF ALU MOV", -EINVAL, 2, {S(BPF_ALU | 0xb0, 0), RETA}},
    {"eBPF ALU ARSH", -EINVAL, 2, {S(BPF_ALU | 0xc0, 0), RETA}},
    {"eBPF JNE", -EINVAL, 3, {J(BPF_JMP | 0x50, 0, 0, 0), RETA, RETA}},
    {"JA with the X bit", -EINVAL, 3, {S(BPF_JMP | BPF_JA | BPF_X, 0), RETA, RETA}},
    {"MISC other than TAX/TXA", -EINVAL, 2, {S(BPF_MISC | 0x40, 0), RETA}},
    {"opcode with the high byte set", -EINVAL, 1, {S(0x0100 | BPF_RET | BPF_K, 0)}},
    {"opcode 0xffff", -EINVAL, 2, {S(0xffff, 0), RETA}},
    {"LD MEM k=16 (BPF_MEMWORDS)", -EINVAL, 3, {LDI(0), LDM(16), RETA}},
    {"LDX MEM k=16", -EINVAL, 2, {LDXM(16), RETA}},
    {"ST k=16", -EINVAL, 2, {ST(16), RETA}},
    {"STX k=16", -EINVAL, 2, {STX(16), RETA}},
    {"LD MEM of a cell never written", -EINVAL, 2, {LDM(0), RETA}},
    {"LDX MEM of another cell than the one written", -EINVAL, 3, {ST(1), LDXM(0), RETA}},
    {"a cell stored on one branch only", -EINVAL, 4, {JK(BPF_JEQ, 0, 0, 1), ST(4), LDM(4), RETA}},
    {"kernel quirk: RET keeps state, so an unwritten cell after it is still refused",
     -EINVAL,
     3,
     {RETK(0), LDM(0), RETA}},
    {"a jump joining after the store still needs the cell",
     -EINVAL,
     5,
     {JA(1), ST(2), LDM(2), RETA, RETA}},
    {"JA past the end (k = len - pc - 1)", -EINVAL, 2, {JA(1), RETK(0)}},
    {"JA with k = 0xffffffff", -EINVAL, 2, {JA(0xffffffff), RETK(0)}},
    {"JEQ jt past the end", -EINVAL, 2, {JK(BPF_JEQ, 0, 1, 0), RETA}},
    {"JEQ jf past the end", -EINVAL, 2, {JK(BPF_JEQ, 0, 0, 1), RETA}},
    {"JSET X jt = 255 past the end", -EINVAL, 2, {JX(BPF_JSET, 255, 0), RETA}},
    {"conditional jump as the last instruction", -EINVAL, 1, {JK(BPF_JEQ, 0, 0, 0)}},
};

const size_t n_check_cases = sizeof(check_cases) / sizeof(check_cases[0]);

/* seccomp_data as bytes, the way an ABI of the given byte order stores it */
static void put(uint8_t *b, uint64_t v, int n, bool be)
{
	for (int i = 0; i < n; i++)
		b[be ? n - 1 - i : i] = (uint8_t)(v >> (8 * i));
}

uint32_t word_at(const struct seccomp_data *d, uint32_t off, bool be)
{
	uint8_t img[64];
	uint32_t w = 0;

	put(img, (uint32_t)d->nr, 4, be);
	put(img + 4, d->arch, 4, be);
	put(img + 8, d->instruction_pointer, 8, be);
	for (int i = 0; i < 6; i++)
		put(img + 16 + 8 * i, d->args[i], 8, be);
	for (int i = 0; i < 4; i++)
		w |= (uint32_t)img[off + (be ? 3 - i : i)] << (8 * i);
	return w;
}
