/*
 * test_bpf.c - the classic-BPF model (src/bpf*.c): checker, interpreter, action-cache emulator,
 * byte-order export and formatting; then the same checker and interpreter against the running
 * kernel (in forked children, so this process stays unfiltered).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define _GNU_SOURCE
#include <check.h>
#include <endian.h>
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "bpf.h"
#include "testcheck.h"

#if __BYTE_ORDER == __BIG_ENDIAN
#define HOST_BE true
#else
#define HOST_BE false
#endif

#define S(c, k)         BPF_STMT((c), (k))
#define J(c, k, jt, jf) BPF_JUMP((c), (k), (jt), (jf))
#define LDW(k)          S(BPF_LD | BPF_W | BPF_ABS, (k))
#define RETK(k)         S(BPF_RET | BPF_K, (k))
#define RETA            S(BPF_RET | BPF_A, 0)
#define LDI(k)          S(BPF_LD | BPF_IMM, (k))
#define LDXI(k)         S(BPF_LDX | BPF_IMM, (k))
#define ALUK(op, k)     S(BPF_ALU | (op) | BPF_K, (k))
#define ALUX(op)        S(BPF_ALU | (op) | BPF_X, 0)
#define JK(op, k, t, f) J(BPF_JMP | (op) | BPF_K, (k), (t), (f))
#define JX(op, t, f)    J(BPF_JMP | (op) | BPF_X, 0, (t), (f))
#define JA(k)           S(BPF_JMP | BPF_JA, (k))
#define ST(k)           S(BPF_ST, (k))
#define STX(k)          S(BPF_STX, (k))
#define LDM(k)          S(BPF_LD | BPF_MEM, (k))
#define LDXM(k)         S(BPF_LDX | BPF_MEM, (k))
#define TAX             S(BPF_MISC | BPF_TAX, 0)
#define TXA             S(BPF_MISC | BPF_TXA, 0)
#define ALLOW           SECCOMP_RET_ALLOW
#define ARCH_X86_64     0xc000003eu
#define ARRAY_SIZE(a)   (sizeof(a) / sizeof((a)[0]))
#define MAXP            16

/* ---------------------------------------------------------------------------------------- */
/* the checker: one case per kernel rule, with the rule it exercises                          */

struct check_case {
	const char *why;
	int expect;
	size_t len;
	struct sock_filter p[MAXP];
};

static const struct check_case check_cases[] = {
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

START_TEST(test_check_cases)
{
	const struct check_case *c = &check_cases[_i];

	ck_assert_msg(sg_bpf_check(c->p, c->len) == c->expect, "%s: got %d, want %d", c->why,
	              sg_bpf_check(c->p, c->len), c->expect);
}
END_TEST

static struct sock_filter big[SG_BPF_MAXINSNS + 1];

START_TEST(test_check_lengths)
{
	for (size_t i = 0; i < ARRAY_SIZE(big); i++)
		big[i] = (struct sock_filter)RETK(ALLOW);
	/* BPF_MAXINSNS = 4096 is accepted, one more is not */
	ck_assert_int_eq(sg_bpf_check(big, SG_BPF_MAXINSNS), 0);
	ck_assert_int_eq(sg_bpf_check(big, SG_BPF_MAXINSNS + 1), -EINVAL);
	ck_assert_int_eq(sg_bpf_check(NULL, 1), -EINVAL);
	/* a JA over 4094 instructions */
	big[0] = (struct sock_filter)JA(SG_BPF_MAXINSNS - 2);
	ck_assert_int_eq(sg_bpf_check(big, SG_BPF_MAXINSNS), 0);
	big[0] = (struct sock_filter)JA(SG_BPF_MAXINSNS - 1);
	ck_assert_int_eq(sg_bpf_check(big, SG_BPF_MAXINSNS), -EINVAL);
}
END_TEST

/* every aligned ABS offset is accepted, every other offset below 68 is not */
START_TEST(test_check_abs_offsets)
{
	for (uint32_t k = 0; k < 68; k++) {
		struct sock_filter p[] = {LDW(k), RETA};
		int want = (k < 64 && k % 4 == 0) ? 0 : -EINVAL;

		ck_assert_msg(sg_bpf_check(p, 2) == want, "ld [%u]", k);
	}
}
END_TEST

/* ---------------------------------------------------------------------------------------- */
/* the interpreter                                                                           */

static const struct seccomp_data dflt = {
    .nr = 0x3b,
    .arch = ARCH_X86_64,
    .instruction_pointer = 0x00007fff12345678ull,
    .args = {0x1111111101010101ull, 0x2222222202020202ull, 0x3333333303030303ull,
             0x4444444404040404ull, 0x5555555505050505ull, 0x6666666606060606ull},
};

/* seccomp_data as bytes, the way an ABI of the given byte order stores it */
static void put(uint8_t *b, uint64_t v, int n, bool be)
{
	for (int i = 0; i < n; i++)
		b[be ? n - 1 - i : i] = (uint8_t)(v >> (8 * i));
}

static uint32_t word_at(const struct seccomp_data *d, uint32_t off, bool be)
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

/* every load offset in both byte orders agrees with a byte-level layout of seccomp_data */
START_TEST(test_run_loads)
{
	for (int be = 0; be < 2; be++)
		for (uint32_t off = 0; off < 64; off += 4) {
			struct sock_filter p[] = {LDW(off), RETA};
			size_t n = 0;
			uint32_t got = sg_bpf_run(p, 2, &dflt, be, &n);

			ck_assert_msg(got == word_at(&dflt, off, be), "be=%d off=%u: 0x%x", be, off,
			              got);
			ck_assert_uint_eq(n, 2);
		}
	/* spot checks of the convention itself */
	{
		struct sock_filter lo[] = {LDW(16), RETA}, hi[] = {LDW(20), RETA};

		ck_assert_uint_eq(sg_bpf_run(lo, 2, &dflt, false, NULL), 0x01010101);
		ck_assert_uint_eq(sg_bpf_run(hi, 2, &dflt, false, NULL), 0x11111111);
		ck_assert_uint_eq(sg_bpf_run(lo, 2, &dflt, true, NULL), 0x11111111);
		ck_assert_uint_eq(sg_bpf_run(hi, 2, &dflt, true, NULL), 0x01010101);
		ck_assert_uint_eq(sg_arg_lo_off(0, false), 16);
		ck_assert_uint_eq(sg_arg_hi_off(0, true), 16);
	}
}
END_TEST

struct alu_case {
	uint16_t op;
	uint32_t a, operand, expect;
	bool x_only; /* the K form would be refused by the checker */
};

static const struct alu_case alu_cases[] = {
    {BPF_ADD, 0xffffffff, 2, 1, false},
    {BPF_SUB, 1, 2, 0xffffffff, false},
    {BPF_MUL, 0x10000, 0x10000, 0, false},
    {BPF_MUL, 0xffffffff, 0xffffffff, 1, false},
    {BPF_DIV, 7, 2, 3, false},
    {BPF_DIV, 0xffffffff, 0x10, 0x0fffffff, false},
    {BPF_DIV, 0x80000000, 0xffffffff, 0, false},
    {BPF_AND, 0xf0f0f0f0, 0x0ff00ff0, 0x00f000f0, false},
    {BPF_OR, 0xf0f0f0f0, 0x0ff00ff0, 0xfff0fff0, false},
    {BPF_XOR, 0xf0f0f0f0, 0x0ff00ff0, 0xff00ff00, false},
    {BPF_LSH, 1, 31, 0x80000000, false},
    {BPF_LSH, 0xffffffff, 0, 0xffffffff, false},
    {BPF_RSH, 0x80000000, 31, 1, false},
    {BPF_RSH, 0x80000000, 1, 0x40000000, false}, /* logical, not arithmetic */
    /* register shift counts are taken modulo 32 (eBPF ALU32 semantics) */
    {BPF_LSH, 1, 32, 1, true},
    {BPF_LSH, 5, 33, 10, true},
    {BPF_RSH, 0x80000000, 33, 0x40000000, true},
    {BPF_RSH, 0x12345678, 0xffffffe4, 0x01234567, true},
};

START_TEST(test_run_alu)
{
	const struct alu_case *c = &alu_cases[_i];
	struct sock_filter px[] = {LDI(c->a), LDXI(c->operand), ALUX(c->op), RETA};
	struct sock_filter pk[] = {LDI(c->a), ALUK(c->op, c->operand), RETA};
	size_t n = 0;

	ck_assert_int_eq(sg_bpf_check(px, 4), 0);
	ck_assert_msg(sg_bpf_run(px, 4, &dflt, false, &n) == c->expect, "op 0x%x X: 0x%x", c->op,
	              sg_bpf_run(px, 4, &dflt, false, NULL));
	ck_assert_uint_eq(n, 4);
	if (!c->x_only) {
		ck_assert_int_eq(sg_bpf_check(pk, 3), 0);
		ck_assert_msg(sg_bpf_run(pk, 3, &dflt, false, NULL) == c->expect, "op 0x%x K",
		              c->op);
	} else {
		ck_assert_int_eq(sg_bpf_check(pk, 3), -EINVAL);
	}
}
END_TEST

START_TEST(test_run_misc)
{
	struct sock_filter neg[] = {LDI(1), S(BPF_ALU | BPF_NEG, 0), RETA};
	struct sock_filter neg2[] = {LDI(0x80000000), S(BPF_ALU | BPF_NEG, 0), RETA};
	struct sock_filter len[] = {S(BPF_LD | BPF_W | BPF_LEN, 0), RETA};
	struct sock_filter lenx[] = {S(BPF_LDX | BPF_W | BPF_LEN, 0), TXA, RETA};
	struct sock_filter tax[] = {LDI(7), TAX, LDI(1), TXA, RETA};
	struct sock_filter imm[] = {LDXI(0xdeadbeef), LDI(3), TXA, RETA};
	struct sock_filter retk[] = {LDI(3), RETK(0x00050007)};
	size_t n = 0;

	ck_assert_uint_eq(sg_bpf_run(neg, 3, &dflt, false, NULL), 0xffffffff);
	ck_assert_uint_eq(sg_bpf_run(neg2, 3, &dflt, false, NULL), 0x80000000);
	ck_assert_uint_eq(sg_bpf_run(len, 2, &dflt, false, NULL), 64);
	ck_assert_uint_eq(sg_bpf_run(lenx, 3, &dflt, true, NULL), 64);
	ck_assert_uint_eq(sg_bpf_run(tax, 5, &dflt, false, &n), 7);
	ck_assert_uint_eq(n, 5);
	ck_assert_uint_eq(sg_bpf_run(imm, 4, &dflt, false, NULL), 0xdeadbeef);
	ck_assert_uint_eq(sg_bpf_run(retk, 2, &dflt, false, NULL), 0x00050007);
}
END_TEST

/* DIV X by zero returns 0 (KILL_THREAD) at once, whatever follows */
START_TEST(test_run_div_zero)
{
	struct sock_filter p[] = {LDI(5), LDXI(0), ALUX(BPF_DIV), RETK(ALLOW)};
	struct sock_filter p0[] = {LDI(0), LDXI(0), ALUX(BPF_DIV), RETK(ALLOW)};
	struct sock_filter ok[] = {LDI(5), LDXI(2), ALUX(BPF_DIV), RETA};
	size_t n = 0;

	ck_assert_int_eq(sg_bpf_check(p, 4), 0);
	ck_assert_uint_eq(sg_bpf_run(p, 4, &dflt, false, &n), SECCOMP_RET_KILL_THREAD);
	ck_assert_uint_eq(n, 3);
	ck_assert_uint_eq(sg_bpf_run(p0, 4, &dflt, false, NULL), 0);
	ck_assert_uint_eq(sg_bpf_run(ok, 4, &dflt, false, NULL), 2);
}
END_TEST

/* every scratch cell holds its own value, written with ST (even cells) or STX (odd cells) */
START_TEST(test_run_memory)
{
	for (uint32_t want = 0; want < 16; want++) {
		struct sock_filter p[40];
		size_t n = 0, len = 0;

		for (uint32_t i = 0; i < 16; i++) {
			if (i % 2) {
				p[len++] = (struct sock_filter)LDXI(i * 7 + 1);
				p[len++] = (struct sock_filter)STX(i);
			} else {
				p[len++] = (struct sock_filter)LDI(i * 7 + 1);
				p[len++] = (struct sock_filter)ST(i);
			}
		}
		p[len++] = (struct sock_filter)LDI(0);
		p[len++] = (struct sock_filter)LDXI(0);
		p[len++] =
		    want % 2 ? (struct sock_filter)LDXM(want) : (struct sock_filter)LDM(want);
		p[len++] = (struct sock_filter)ALUX(BPF_ADD);
		p[len++] = (struct sock_filter)RETA;
		ck_assert_int_eq(sg_bpf_check(p, len), 0);
		ck_assert_uint_eq(sg_bpf_run(p, len, &dflt, false, &n), want * 7 + 1);
		ck_assert_uint_eq(n, len);
	}
}
END_TEST

struct jmp_case {
	uint16_t op;
	uint32_t a, operand;
	bool taken;
};

static const struct jmp_case jmp_cases[] = {
    {BPF_JEQ, 5, 5, true},
    {BPF_JEQ, 5, 6, false},
    {BPF_JEQ, 0xffffffff, 0xffffffff, true},
    {BPF_JGE, 5, 5, true},
    {BPF_JGE, 4, 5, false},
    {BPF_JGE, 0x80000000, 0x7fffffff, true}, /* unsigned */
    {BPF_JGE, 0x7fffffff, 0x80000000, false},
    {BPF_JGT, 5, 5, false},
    {BPF_JGT, 6, 5, true},
    {BPF_JGT, 0xffffffff, 0, true},
    {BPF_JGT, 0, 0xffffffff, false},
    {BPF_JGT, 0x80000000, 0x7fffffff, true},
    {BPF_JSET, 0x80000000, 0x80000001, true},
    {BPF_JSET, 1, 2, false},
    {BPF_JSET, 0, 0, false},
};

START_TEST(test_run_jumps)
{
	const struct jmp_case *c = &jmp_cases[_i];
	struct sock_filter pk[] = {LDI(c->a), JK(c->op, c->operand, 1, 0), RETK(1), RETK(2)};
	struct sock_filter px[] = {LDI(c->a), LDXI(c->operand), JX(c->op, 1, 0), RETK(1), RETK(2)};
	size_t n = 0;

	ck_assert_msg(sg_bpf_run(pk, 4, &dflt, false, &n) == (c->taken ? 2u : 1u), "op 0x%x K",
	              c->op);
	ck_assert_uint_eq(n, 3);
	ck_assert_msg(sg_bpf_run(px, 5, &dflt, false, &n) == (c->taken ? 2u : 1u), "op 0x%x X",
	              c->op);
	ck_assert_uint_eq(n, 4);
}
END_TEST

START_TEST(test_run_ja_and_bounds)
{
	struct sock_filter ja[] = {JA(2), RETK(1), RETK(2), RETK(3)};
	struct sock_filter off_end[] = {LDI(1)};
	struct sock_filter bad_ja[] = {JA(5), RETK(ALLOW)};
	struct sock_filter bad_j[] = {JK(BPF_JEQ, 0, 9, 9), RETK(ALLOW)};
	struct sock_filter bad_ld[] = {LDW(64), RETK(ALLOW)};
	size_t n = 0;

	ck_assert_uint_eq(sg_bpf_run(ja, 4, &dflt, false, &n), 3);
	ck_assert_uint_eq(n, 2);
	/* programs the checker refuses never run off into memory; they return KILL_THREAD */
	ck_assert_uint_eq(sg_bpf_run(off_end, 1, &dflt, false, &n), SECCOMP_RET_KILL_THREAD);
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(sg_bpf_run(bad_ja, 2, &dflt, false, NULL), SECCOMP_RET_KILL_THREAD);
	ck_assert_uint_eq(sg_bpf_run(bad_j, 2, &dflt, false, NULL), SECCOMP_RET_KILL_THREAD);
	ck_assert_uint_eq(sg_bpf_run(bad_ld, 2, &dflt, false, NULL), SECCOMP_RET_KILL_THREAD);
	ck_assert_uint_eq(sg_bpf_run(ja, 0, &dflt, false, &n), SECCOMP_RET_KILL_THREAD);
	ck_assert_uint_eq(n, 0);
}
END_TEST

struct trace_log {
	size_t n;
	struct sg_bpf_step steps[8];
};

static void record(void *ctx, const struct sg_bpf_step *s)
{
	struct trace_log *log = ctx;

	if (log->n < 8)
		log->steps[log->n] = *s;
	log->n++;
}

START_TEST(test_run_trace)
{
	struct sock_filter p[] = {LDW(0), JK(BPF_JEQ, 0x3b, 1, 0), RETK(0), LDXI(9), RETK(ALLOW)};
	struct trace_log log = {0};
	size_t n = 0;

	ck_assert_uint_eq(sg_bpf_run_trace(p, 5, &dflt, false, &n, record, &log), ALLOW);
	ck_assert_uint_eq(n, 4);
	ck_assert_uint_eq(log.n, 4);
	ck_assert_uint_eq(log.steps[0].pc, 0);
	ck_assert_uint_eq(log.steps[0].a, 0x3b);
	ck_assert_uint_eq(log.steps[0].next, 1);
	ck_assert_uint_eq(log.steps[1].next, 3);
	ck_assert_uint_eq(log.steps[2].pc, 3);
	ck_assert_uint_eq(log.steps[2].x, 9);
	ck_assert_uint_eq(log.steps[3].next, 5);
	ck_assert_ptr_eq(log.steps[3].insn, &p[4]);
}
END_TEST

/* ---------------------------------------------------------------------------------------- */
/* the action-cache emulator                                                                 */

struct cache_case {
	const char *why;
	size_t len;
	struct sock_filter p[MAXP];
	uint32_t arch;
	int32_t nr;
	bool expect;
};

/* a typical policy: arch check, x32 killed, read allowed, write allowed only for fd 2 */
/* clang-format off */
#define POLICY                                                                                     \
	{                                                                                          \
		LDW(4),                         /* 0 */                                            \
		JK(BPF_JEQ, ARCH_X86_64, 0, 8), /* 1: -> 2, else 10 */                             \
		LDW(0),                         /* 2 */                                            \
		JK(BPF_JGE, 0x40000000, 6, 0),  /* 3: x32 -> 10 */                                 \
		JK(BPF_JEQ, 0, 4, 0),           /* 4: read -> 9 */                                 \
		JK(BPF_JEQ, 1, 0, 3),           /* 5: write -> 6, else 9 */                        \
		LDW(16),                        /* 6: args[0].lo */                                \
		JK(BPF_JEQ, 2, 1, 0),           /* 7: fd 2 -> 9 */                                 \
		RETK(SECCOMP_RET_ERRNO | 1),    /* 8 */                                            \
		RETK(ALLOW),                    /* 9 */                                            \
		RETK(SECCOMP_RET_KILL_PROCESS), /* 10 */                                           \
	}
/* clang-format on */

static const struct cache_case cache_cases[] = {
    {"allowed syscall on the checked arch", 11, POLICY, ARCH_X86_64, 0, true},
    {"other syscalls fall through to ALLOW as well", 11, POLICY, ARCH_X86_64, 39, true},
    {"an arg load on this syscall's path is not constant", 11, POLICY, ARCH_X86_64, 1, false},
    {"x32 numbers reach KILL: not ALLOW", 11, POLICY, ARCH_X86_64, 0x40000000, false},
    {"another arch reaches KILL", 11, POLICY, 0x40000003, 0, false},
    {"ALLOW with data bits is not cacheable", 1, {RETK(ALLOW | 1)}, ARCH_X86_64, 0, false},
    {"LOG is not ALLOW", 1, {RETK(SECCOMP_RET_LOG)}, ARCH_X86_64, 0, false},
    {"RET A is not understood, even when A is ALLOW", 2, {LDI(ALLOW), RETA}, ARCH_X86_64, 0, false},
    {"LD IMM on the path is not understood",
     3,
     {LDI(0), JK(BPF_JEQ, 0, 0, 0), RETK(ALLOW)},
     ARCH_X86_64,
     0,
     false},
    {"LD LEN on the path is not understood",
     2,
     {S(BPF_LD | BPF_W | BPF_LEN, 0), RETK(ALLOW)},
     ARCH_X86_64,
     0,
     false},
    {"instruction_pointer load is not constant", 2, {LDW(8), RETK(ALLOW)}, ARCH_X86_64, 0, false},
    {"TAX on the path is not understood", 3, {LDW(0), TAX, RETK(ALLOW)}, ARCH_X86_64, 0, false},
    {"scratch memory on the path is not understood",
     4,
     {LDW(0), ST(0), LDM(0), RETK(ALLOW)},
     ARCH_X86_64,
     0,
     false},
    {"JEQ X is not understood", 3, {LDW(0), JX(BPF_JEQ, 0, 0), RETK(ALLOW)}, ARCH_X86_64, 0, false},
    {"ALU other than AND K is not understood",
     3,
     {LDW(0), ALUK(BPF_OR, 0), RETK(ALLOW)},
     ARCH_X86_64,
     0,
     false},
    {"AND K is understood (x32 bit test)",
     5,
     {LDW(0), ALUK(BPF_AND, 0x40000000), JK(BPF_JEQ, 0, 1, 0), RETK(0), RETK(ALLOW)},
     ARCH_X86_64,
     5,
     true},
    {"AND K result drives the branch",
     5,
     {LDW(0), ALUK(BPF_AND, 0x40000000), JK(BPF_JEQ, 0, 1, 0), RETK(0), RETK(ALLOW)},
     ARCH_X86_64,
     0x40000005,
     false},
    {"JA trampolines are followed", 4, {JA(1), RETK(0), LDW(0), RETK(ALLOW)}, ARCH_X86_64, 0, true},
    {"JSET K is understood",
     3,
     {LDW(0), JK(BPF_JSET, 1, 0, 1), RETK(ALLOW), RETK(0)},
     ARCH_X86_64,
     3,
     true},
    {"JGT/JGE compare unsigned: nr -1 is above everything",
     4,
     {LDW(0), JK(BPF_JGT, 0x7fffffff, 1, 0), RETK(0), RETK(ALLOW)},
     ARCH_X86_64,
     -1,
     true},
    {"JGE K", 3, {LDW(0), JK(BPF_JGE, 10, 0, 1), RETK(ALLOW), RETK(0)}, ARCH_X86_64, 10, true},
    {"an arg load on another syscall's path does not matter",
     6,
     {LDW(0), JK(BPF_JEQ, 1, 0, 3), LDW(16), JK(BPF_JEQ, 2, 1, 0), RETK(0), RETK(ALLOW)},
     ARCH_X86_64,
     2,
     true},
    {"unreachable junk after the decision does not matter",
     3,
     {RETK(ALLOW), LDW(16), RETA},
     ARCH_X86_64,
     0,
     true},
    {"running off the end is not constant (unchecked program)", 1, {LDW(0)}, ARCH_X86_64, 0, false},
    {"a later nr load replaces the arch value",
     6,
     {LDW(4), JK(BPF_JEQ, ARCH_X86_64, 0, 3), LDW(0), JK(BPF_JEQ, 7, 0, 1), RETK(0), RETK(ALLOW)},
     ARCH_X86_64,
     8,
     true},
};

START_TEST(test_cache_cases)
{
	const struct cache_case *c = &cache_cases[_i];

	ck_assert_msg(sg_bpf_const_allow(c->p, c->len, c->arch, c->nr) == c->expect, "%s", c->why);
}
END_TEST

/* whenever the emulator says ALLOW, the interpreter must agree for any argument values */
START_TEST(test_cache_sound)
{
	const struct sock_filter p[] = POLICY;
	struct seccomp_data d = dflt;

	for (int32_t nr = -2; nr < 80; nr++) {
		if (!sg_bpf_const_allow(p, 11, ARCH_X86_64, nr))
			continue;
		for (uint64_t a = 0; a < 4; a++) {
			d.nr = nr;
			d.arch = ARCH_X86_64;
			d.args[0] = a;
			ck_assert_uint_eq(sg_bpf_run(p, 11, &d, false, NULL), ALLOW);
		}
	}
}
END_TEST

/* ---------------------------------------------------------------------------------------- */
/* byte-order export and formatting                                                          */

START_TEST(test_to_target)
{
	struct sock_filter p[2] = {J(0x0015, 0x11223344, 1, 2), RETK(0x7fff0000)};
	const uint8_t be[] = {0x00, 0x15, 1, 2, 0x11, 0x22, 0x33, 0x44};
	const uint8_t le[] = {0x15, 0x00, 1, 2, 0x44, 0x33, 0x22, 0x11};
	struct sock_filter orig[2];

	memcpy(orig, p, sizeof(p));
	sg_bpf_to_target(p, 2, true);
	ck_assert_mem_eq(&p[0], be, 8);
	sg_bpf_to_target(p, 2, true); /* self-inverse */
	ck_assert_mem_eq(p, orig, sizeof(p));
	sg_bpf_to_target(p, 2, false);
	ck_assert_mem_eq(&p[0], le, 8);
	sg_bpf_to_target(p, 2, false);
	ck_assert_mem_eq(p, orig, sizeof(p));
	/* jt/jf are never touched: a program converted for the other order runs the same after
	 * converting back */
	sg_bpf_to_target(p, 2, !HOST_BE);
	ck_assert_uint_eq(p[0].jt, 1);
	ck_assert_uint_eq(p[0].jf, 2);
	sg_bpf_to_target(p, 2, !HOST_BE);
	ck_assert_mem_eq(p, orig, sizeof(p));
}
END_TEST

START_TEST(test_action_format)
{
	static const struct {
		uint32_t action;
		const char *text;
	} cases[] = {
	    {0x80000000, "KILL_PROCESS"}, {0x00000000, "KILL"},       {0x00030000, "TRAP"},
	    {0x00030005, "TRAP(5)"},      {0x00050000, "ERRNO(0)"},   {0x0005000d, "ERRNO(13)"},
	    {0x0005ffff, "ERRNO(65535)"}, {0x7ff00000, "TRACE(0)"},   {0x7ff00010, "TRACE(16)"},
	    {0x7ffc0000, "LOG"},          {0x7fff0000, "ALLOW"},      {0x7fc00000, "NOTIFY"},
	    {0x7fff0001, "0x7fff0001"},   {0x00010000, "0x00010000"}, {0x00000001, "0x00000001"},
	    {0x80000001, "0x80000001"},   {0xffffffff, "0xffffffff"}, {0x7ffe0000, "0x7ffe0000"},
	};
	char buf[32];

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		int n = sg_action_format(cases[i].action, buf, sizeof(buf));

		ck_assert_str_eq(buf, cases[i].text);
		ck_assert_int_eq(n, (int)strlen(cases[i].text));
	}
	/* snprintf-style truncation */
	ck_assert_int_eq(sg_action_format(0x0005000d, buf, 4), 9);
	ck_assert_str_eq(buf, "ERR");
}
END_TEST

START_TEST(test_insn_format)
{
	static const struct {
		struct sock_filter insn;
		bool be;
		const char *text;
	} cases[] = {
	    {LDW(0), false, "ld $data.nr"},
	    {LDW(4), true, "ld $data.arch"},
	    {LDW(8), false, "ld $data.instruction_pointer.lo"},
	    {LDW(8), true, "ld $data.instruction_pointer.hi"},
	    {LDW(28), false, "ld $data.args[1].hi"},
	    {LDW(28), true, "ld $data.args[1].lo"},
	    {LDW(60), false, "ld $data.args[5].hi"},
	    {LDW(64), false, "ld $data[64]"},
	    {LDW(2), false, "ld $data[2]"},
	    {S(BPF_LD | BPF_H | BPF_ABS, 2), false, "ldh $data[2]"},
	    {S(BPF_LD | BPF_W | BPF_LEN, 0), false, "ld len"},
	    {LDI(0x40), false, "ld 0x40"},
	    {LDXI(0), false, "ldx 0x0"},
	    {LDM(3), false, "ld M[3]"},
	    {STX(15), false, "stx M[15]"},
	    {ALUK(BPF_ADD, 0x10), false, "add 0x10"},
	    {ALUK(BPF_LSH, 3), false, "lsh 3"},
	    {ALUX(BPF_AND), false, "and x"},
	    {ALUK(BPF_MOD, 3), false, "mod 0x3"},
	    {S(BPF_ALU | BPF_NEG, 0), false, "neg"},
	    {TAX, false, "tax"},
	    {TXA, false, "txa"},
	    {JA(3), false, "ja 0014"},
	    {JK(BPF_JEQ, 0x3b, 1, 0), false, "jeq 0x3b true:0012 false:0011"},
	    {JX(BPF_JSET, 0, 2), false, "jset x true:0011 false:0013"},
	    {RETK(0x0005000d), false, "ret ERRNO(13)"},
	    {RETK(ALLOW), false, "ret ALLOW"},
	    {RETA, false, "ret a"},
	    {S(BPF_RET | BPF_X, 0), false, "ret x"},
	    {S(0xffff, 0), false, ".insn 0xffff"},
	    {S(BPF_ALU | 0xb0, 0), false, ".insn 0x00b4"},
	};
	char buf[64];

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		sg_bpf_insn_format(&cases[i].insn, 10, cases[i].be, buf, sizeof(buf));
		ck_assert_str_eq(buf, cases[i].text);
	}
	ck_assert_ptr_null(sg_bpf_data_name(3, false));
	ck_assert_ptr_null(sg_bpf_data_name(64, true));
	ck_assert_str_eq(sg_bpf_data_name(16, false), "args[0].lo");
	ck_assert_str_eq(sg_bpf_data_name(16, true), "args[0].hi");
}
END_TEST

/* ---------------------------------------------------------------------------------------- */
/* live: the running kernel                                                                  */

static uint64_t rng_state;

static uint64_t rnd(void)
{
	/* xorshift64* */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

static uint32_t rnd_below(uint32_t n)
{
	return n ? (uint32_t)(rnd() % n) : 0;
}

static uint64_t test_seed(void)
{
	const char *env = getenv("SYSGATE_SEED");
	uint64_t seed =
	    env ? strtoull(env, NULL, 0) : (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 20);

	return seed ? seed : 1;
}

static long install(const struct sock_filter *p, size_t len)
{
	struct sock_fprog prog = {.len = (unsigned short)len, .filter = (struct sock_filter *)p};

	return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) == 0 ? 0 : errno;
}

/* Can this process install filters at all? Checked in a child; on failure, say why. */
static bool live_available(const char *what)
{
	static const struct sock_filter allow[] = {RETK(ALLOW)};
	int status;
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		long err;

		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
			_exit(100);
		err = install(allow, 1);
		_exit(err > 99 ? 99 : (int)err);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return true;
	tu_skip_part("%s: cannot install a seccomp filter here (%s)", what,
	             WIFEXITED(status) ? strerror(WEXITSTATUS(status)) : "child died");
	return false;
}

static void read_all(int fd, void *buf, size_t size)
{
	size_t got = 0;

	while (got < size) {
		ssize_t n = read(fd, (char *)buf + got, size - got);

		if (n < 0 && errno == EINTR)
			continue;
		ck_assert_int_gt(n, 0);
		got += (size_t)n;
	}
}

static void write_all(int fd, const void *buf, size_t size)
{
	while (size > 0) {
		ssize_t n = write(fd, buf, size);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			_exit(98);
		buf = (const char *)buf + n;
		size -= (size_t)n;
	}
}

/* --- kernel acceptance vs sg_bpf_check ---
 * The child first fills its filter chain with ALLOW filters (always cached, harmless) up to the
 * kernel's per-path instruction budget. After that, seccomp(SET_MODE_FILTER) runs the checker
 * on a new program (EINVAL when it is refused) and then fails in attach with ENOMEM when it was
 * accepted, so nothing more is ever installed and thousands of programs can be tried. */

#define RAND_PROGS 6000

static const uint16_t valid_codes[] = {
    BPF_LD | BPF_W | BPF_ABS,
    BPF_LD | BPF_W | BPF_LEN,
    BPF_LDX | BPF_W | BPF_LEN,
    BPF_LD | BPF_IMM,
    BPF_LDX | BPF_IMM,
    BPF_LD | BPF_MEM,
    BPF_LDX | BPF_MEM,
    BPF_ST,
    BPF_STX,
    BPF_ALU | BPF_ADD | BPF_K,
    BPF_ALU | BPF_ADD | BPF_X,
    BPF_ALU | BPF_SUB | BPF_K,
    BPF_ALU | BPF_SUB | BPF_X,
    BPF_ALU | BPF_MUL | BPF_K,
    BPF_ALU | BPF_MUL | BPF_X,
    BPF_ALU | BPF_DIV | BPF_K,
    BPF_ALU | BPF_DIV | BPF_X,
    BPF_ALU | BPF_AND | BPF_K,
    BPF_ALU | BPF_AND | BPF_X,
    BPF_ALU | BPF_OR | BPF_K,
    BPF_ALU | BPF_OR | BPF_X,
    BPF_ALU | BPF_XOR | BPF_K,
    BPF_ALU | BPF_XOR | BPF_X,
    BPF_ALU | BPF_LSH | BPF_K,
    BPF_ALU | BPF_LSH | BPF_X,
    BPF_ALU | BPF_RSH | BPF_K,
    BPF_ALU | BPF_RSH | BPF_X,
    BPF_ALU | BPF_NEG,
    BPF_MISC | BPF_TAX,
    BPF_MISC | BPF_TXA,
    BPF_JMP | BPF_JA,
    BPF_JMP | BPF_JEQ | BPF_K,
    BPF_JMP | BPF_JEQ | BPF_X,
    BPF_JMP | BPF_JGE | BPF_K,
    BPF_JMP | BPF_JGE | BPF_X,
    BPF_JMP | BPF_JGT | BPF_K,
    BPF_JMP | BPF_JGT | BPF_X,
    BPF_JMP | BPF_JSET | BPF_K,
    BPF_JMP | BPF_JSET | BPF_X,
    BPF_RET | BPF_K,
    BPF_RET | BPF_A,
};

static const uint16_t near_codes[] = {
    BPF_LD | BPF_H | BPF_ABS,  BPF_LD | BPF_B | BPF_ABS,  BPF_LD | BPF_W | BPF_IND,
    BPF_LDX | BPF_B | BPF_MSH, BPF_ALU | BPF_MOD | BPF_K, BPF_ALU | BPF_MOD | BPF_X,
    BPF_RET | BPF_X,           BPF_LDX | BPF_W | BPF_ABS, BPF_JMP | 0x50 | BPF_K,
    BPF_ALU | 0xb0 | BPF_K,    BPF_ALU | BPF_NEG | BPF_X, 0x0106,
};

static uint32_t rnd_k(size_t room)
{
	static const uint32_t ks[] = {0,  1,  2,  3,          4,          8,         12,
	                              15, 16, 17, 31,         32,         33,        56,
	                              60, 61, 64, 0xfffff000, 0xfffff004, 0xffffffff};

	switch (rnd_below(4)) {
	case 0:
		return rnd_below((uint32_t)room + 1); /* a jump offset near the edge */
	case 1:
		return (uint32_t)rnd();
	default:
		return ks[rnd_below(ARRAY_SIZE(ks))];
	}
}

static size_t gen_any(struct sock_filter *p)
{
	size_t len = 1 + rnd_below(8);

	for (size_t i = 0; i < len; i++) {
		uint32_t pick = rnd_below(100);
		uint16_t code;

		if (pick < 78)
			code = valid_codes[rnd_below(ARRAY_SIZE(valid_codes))];
		else if (pick < 92)
			code = near_codes[rnd_below(ARRAY_SIZE(near_codes))];
		else
			code = (uint16_t)rnd_below(0x120);
		p[i].code = code;
		p[i].k = rnd_k(len - i);
		p[i].jt = (uint8_t)rnd_below((uint32_t)(len - i) + 1);
		p[i].jf = (uint8_t)rnd_below((uint32_t)(len - i) + 1);
	}
	if (rnd_below(100) < 85)
		p[len - 1].code = rnd_below(2) ? BPF_RET | BPF_K : BPF_RET | BPF_A;
	return len;
}

struct agree_report {
	int setup_error; /* 0, or where the setup failed */
	long setup_errno;
	unsigned tried, accepted, disagreements;
};

static void dump_prog(const char *tag, const struct sock_filter *p, size_t len)
{
	fprintf(stderr, "%s (%zu insns):", tag, len);
	for (size_t i = 0; i < len; i++)
		fprintf(stderr, " {0x%04x,%u,%u,0x%08x}", p[i].code, p[i].jt, p[i].jf, p[i].k);
	fprintf(stderr, "\n");
}

static void agree_one(struct agree_report *r, const char *why, const struct sock_filter *p,
                      size_t len)
{
	long err = install(p, len);
	int mine = sg_bpf_check(p, len);
	bool kernel_ok = err == ENOMEM;

	r->tried++;
	if (err != ENOMEM && err != EINVAL) {
		/* neither verdict: installed by mistake, or some other failure; stop here */
		fprintf(stderr, "%s: unexpected seccomp() result %ld\n", why, err);
		dump_prog("program", p, len);
		r->disagreements++;
		write_all(3, r, sizeof(*r));
		_exit(0);
	}
	if (kernel_ok)
		r->accepted++;
	if (kernel_ok != (mine == 0)) {
		r->disagreements++;
		fprintf(stderr, "DISAGREEMENT (%s): kernel %s, sg_bpf_check %s\n", why,
		        kernel_ok ? "accepts" : "refuses", mine == 0 ? "accepts" : "refuses");
		dump_prog("program", p, len);
	}
}

static void agree_child(int fd, uint64_t seed)
{
	static struct sock_filter allow[SG_BPF_MAXINSNS + 1];
	static const struct sock_filter good[] = {RETK(ALLOW)};
	static const struct sock_filter bad[] = {LDW(2), RETA};
	struct agree_report r = {0};
	long err = 0;

	if (dup2(fd, 3) != 3)
		_exit(97);
	for (size_t i = 0; i < ARRAY_SIZE(allow); i++)
		allow[i] = (struct sock_filter)RETK(ALLOW);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
		r.setup_error = 1;
		r.setup_errno = errno;
		goto report;
	}
	/* fill the per-path budget greedily: the largest filters first, down to one insn */
	for (size_t len = SG_BPF_MAXINSNS; len >= 1; len /= 2)
		while ((err = install(allow, len)) == 0)
			;
	if (err != ENOMEM || install(good, 1) != ENOMEM || install(bad, 2) != EINVAL) {
		r.setup_error = 2;
		r.setup_errno = err;
		goto report;
	}

	for (size_t i = 0; i < ARRAY_SIZE(check_cases); i++)
		agree_one(&r, check_cases[i].why, check_cases[i].p, check_cases[i].len);
	agree_one(&r, "4096 instructions", allow, SG_BPF_MAXINSNS);
	agree_one(&r, "4097 instructions", allow, SG_BPF_MAXINSNS + 1);
	/* every opcode byte alone and before a RET, every ABS offset */
	for (uint32_t code = 0; code < 0x100; code++) {
		struct sock_filter p[] = {S(code, 0), RETK(0)};
		struct sock_filter q[] = {S(code, 1), RETK(0)};

		agree_one(&r, "single opcode", p, 2);
		agree_one(&r, "single opcode, k=1", q, 2);
	}
	for (uint32_t k = 0; k < 70; k++) {
		struct sock_filter p[] = {LDW(k), RETA};

		agree_one(&r, "abs offset", p, 2);
	}

	rng_state = seed;
	for (unsigned n = 0; n < RAND_PROGS; n++) {
		struct sock_filter p[MAXP];
		size_t len = gen_any(p);

		agree_one(&r, "random", p, len);
	}
report:
	write_all(3, &r, sizeof(r));
	_exit(0);
}

START_TEST(test_live_checker_agreement)
{
	struct agree_report r;
	uint64_t seed = test_seed();
	int fds[2], status;
	pid_t pid;

	if (!live_available("kernel-vs-checker agreement"))
		return;
	fprintf(stderr,
	        "kernel-vs-checker: random seed %" PRIu64 " (replay with SYSGATE_SEED=%" PRIu64
	        ")\n",
	        seed, seed);
	ck_assert_int_eq(pipe(fds), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		close(fds[0]);
		agree_child(fds[1], seed);
	}
	close(fds[1]);
	read_all(fds[0], &r, sizeof(r));
	close(fds[0]);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(r.setup_error == 0, "setup step %d failed (errno %ld)", r.setup_error,
	              r.setup_errno);
	fprintf(stderr,
	        "kernel-vs-checker: %u programs, %u accepted by the kernel, %u disagreements\n",
	        r.tried, r.accepted, r.disagreements);
	ck_assert_uint_eq(r.disagreements, 0);
	ck_assert_uint_gt(r.accepted, 100);
	ck_assert_uint_gt(r.tried - r.accepted, 100);
}
END_TEST

/* --- interpreter vs kernel verdicts ---
 * A child installs  ld nr; jge 1000 ? body : ret ALLOW  so that only syscall numbers >= 1000
 * (unassigned) are decided by the program under test, then calls syscall(nr, args...) and
 * reports what happened: a return value and errno, a SIGSYS trap with its data, or death by
 * SIGSYS. The parent predicts each outcome with sg_bpf_run(). */

struct probe {
	uint64_t ip;
	uint32_t arch;
	int32_t data;
};

static volatile sig_atomic_t trapped;
static volatile int32_t trap_data;
static volatile uint64_t trap_ip;
static volatile uint32_t trap_arch;

static void on_sigsys(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	trapped = 1;
	trap_data = si->si_errno;
	trap_ip = (uint64_t)(uintptr_t)si->si_call_addr;
	trap_arch = si->si_arch;
}

static void child_setup(void)
{
	struct sigaction sa;
	struct rlimit nocore = {0, 0};

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sigsys;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSYS, &sa, NULL);
	/* a killed child must not leave core dumps behind */
	setrlimit(RLIMIT_CORE, &nocore);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		_exit(96);
}

/* the instruction pointer and arch the kernel reports for syscall() calls from here */
static struct probe probe_kernel(void)
{
	static const struct sock_filter p[] = {LDW(0), JK(BPF_JEQ, 999, 0, 1),
	                                       RETK(SECCOMP_RET_TRAP | 0x42), RETK(ALLOW)};
	struct probe pr = {0};
	int fds[2], status;
	pid_t pid;

	ck_assert_int_eq(pipe(fds), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		close(fds[0]);
		child_setup();
		if (install(p, 4) != 0)
			_exit(95);
		syscall(999, 0, 0, 0, 0, 0, 0);
		pr.ip = trap_ip;
		pr.arch = trap_arch;
		pr.data = trapped ? trap_data : -1;
		write_all(fds[1], &pr, sizeof(pr));
		_exit(0);
	}
	close(fds[1]);
	read_all(fds[0], &pr, sizeof(pr));
	close(fds[0]);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_int_eq(pr.data, 0x42);
	return pr;
}

struct outcome {
	int kind; /* OUT_RET, OUT_TRAP, OUT_KILLED */
	long ret;
	int err;
	int32_t data;
};
enum { OUT_RET, OUT_TRAP, OUT_KILLED };

#define NSEL 3
static const uint64_t sels[NSEL] = {0, 12, 24};

/* what the kernel does with a filter result for an unassigned syscall (kernel/seccomp.c,
 * __seccomp_filter) */
static struct outcome predict(uint32_t ret)
{
	struct outcome o = {OUT_RET, -1, 0, 0};
	uint32_t data = ret & SECCOMP_RET_DATA;

	switch (ret & SECCOMP_RET_ACTION_FULL) {
	case SECCOMP_RET_ERRNO:
		if (data == 0)
			o.ret = 0;
		else
			o.err = data > 4095 ? 4095 : (int)data; /* MAX_ERRNO cap */
		break;
	case SECCOMP_RET_TRAP:
		o.kind = OUT_TRAP;
		o.data = (int32_t)data;
		break;
	case SECCOMP_RET_ALLOW:
	case SECCOMP_RET_LOG:
	case SECCOMP_RET_TRACE:      /* no tracer: ENOSYS */
	case SECCOMP_RET_USER_NOTIF: /* no listener: ENOSYS */
		o.err = ENOSYS;
		break;
	default: /* KILL_THREAD, KILL_PROCESS and unknown actions */
		o.kind = OUT_KILLED;
		break;
	}
	return o;
}

static bool same_outcome(const struct outcome *a, const struct outcome *b)
{
	if (a->kind != b->kind)
		return false;
	if (a->kind == OUT_TRAP)
		return a->data == b->data;
	if (a->kind == OUT_RET)
		return a->ret == b->ret && (a->ret == 0 || a->err == b->err);
	return true;
}

static void outcome_str(const struct outcome *o, char *buf, size_t size)
{
	if (o->kind == OUT_KILLED)
		snprintf(buf, size, "killed by SIGSYS");
	else if (o->kind == OUT_TRAP)
		snprintf(buf, size, "SIGSYS trap, data %d", o->data);
	else
		snprintf(buf, size, "returned %ld, errno %d", o->ret, o->ret == 0 ? 0 : o->err);
}

/* run `p` in a child for syscall nr with args a0..a4 and each selector in args[5] */
static int live_run(const struct sock_filter *p, size_t len, int nr, const uint64_t *args,
                    struct outcome *out)
{
	int fds[2], status, got = 0;
	pid_t pid;

	ck_assert_int_eq(pipe(fds), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		close(fds[0]);
		child_setup();
		if (install(p, len) != 0)
			_exit(95);
		for (int s = 0; s < NSEL; s++) {
			struct outcome o = {OUT_RET, 0, 0, 0};

			trapped = 0;
			errno = 0;
			o.ret = syscall(nr, args[0], args[1], args[2], args[3], args[4], sels[s]);
			o.err = errno;
			if (trapped) {
				o.kind = OUT_TRAP;
				o.data = trap_data;
			}
			write_all(fds[1], &o, sizeof(o));
		}
		_exit(0);
	}
	close(fds[1]);
	while (got < NSEL) {
		ssize_t n = read(fds[0], &out[got], sizeof(out[got]));

		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0)
			break;
		ck_assert_int_eq(n, sizeof(out[got]));
		got++;
	}
	close(fds[0]);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(!WIFEXITED(status) || WEXITSTATUS(status) == 0,
	              "child could not install the filter (status %d)", WEXITSTATUS(status));
	if (got < NSEL) {
		ck_assert_msg(WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS,
		              "child stopped early without SIGSYS");
		for (int s = got; s < NSEL; s++)
			out[s] = (struct outcome){OUT_KILLED, 0, 0, 0};
	}
	return got;
}

#define GUARD_LEN 3
#define EPI_LEN   8
#define BODY_MAX  24

static size_t wrap(struct sock_filter *p, const struct sock_filter *body, size_t n)
{
	size_t len = 0;

	p[len++] = (struct sock_filter)LDW(SG_OFF_NR);
	p[len++] = (struct sock_filter)JK(BPF_JGE, 1000, 1, 0);
	p[len++] = (struct sock_filter)RETK(ALLOW);
	memcpy(p + len, body, n * sizeof(*body));
	len += n;
	/* the epilogue turns A into ERRNO(12 bits of A), the bits chosen by args[5] */
	p[len++] = (struct sock_filter)ST(15);
	p[len++] = (struct sock_filter)LDW(sg_arg_lo_off(5, HOST_BE));
	p[len++] = (struct sock_filter)TAX;
	p[len++] = (struct sock_filter)LDM(15);
	p[len++] = (struct sock_filter)ALUX(BPF_RSH);
	p[len++] = (struct sock_filter)ALUK(BPF_AND, 0xfff);
	p[len++] = (struct sock_filter)ALUK(BPF_OR, SECCOMP_RET_ERRNO);
	p[len++] = (struct sock_filter)RETA;
	return len;
}

/* outcomes seen, by kind, for the summary line */
static unsigned seen_kinds[3];

/* compare kernel and interpreter on one program; returns the number of mismatches */
static int live_compare(const char *why, const struct sock_filter *p, size_t len,
                        const struct probe *pr, int nr, const uint64_t *args)
{
	struct outcome seen[NSEL];
	int bad = 0;

	ck_assert_msg(sg_bpf_check(p, len) == 0, "%s: test program refused by sg_bpf_check", why);
	live_run(p, len, nr, args, seen);
	for (int s = 0; s < NSEL; s++) {
		struct seccomp_data d = {.nr = nr, .arch = pr->arch, .instruction_pointer = pr->ip};
		struct outcome want;
		char w[64], g[64];

		memcpy(d.args, args, 5 * sizeof(args[0]));
		d.args[5] = sels[s];
		want = predict(sg_bpf_run(p, len, &d, HOST_BE, NULL));
		seen_kinds[seen[s].kind]++;
		if (!same_outcome(&want, &seen[s])) {
			outcome_str(&want, w, sizeof(w));
			outcome_str(&seen[s], g, sizeof(g));
			fprintf(stderr,
			        "MISMATCH (%s, nr %d, selector %" PRIu64 "): interpreter "
			        "predicts %s, kernel %s\n",
			        why, nr, sels[s], w, g);
			dump_prog("program", p, len);
			bad++;
		}
		if (want.kind == OUT_KILLED)
			break; /* the child is gone */
	}
	return bad;
}

static uint32_t pool_value(const struct seccomp_data *d)
{
	static const uint32_t fixed[] = {0,  1,  2,          31,         32,
	                                 33, 64, 0x7fffffff, 0x80000000, 0xffffffff};
	uint32_t w[16];

	for (uint32_t off = 0; off < 64; off += 4)
		w[off / 4] = word_at(d, off, HOST_BE);
	switch (rnd_below(3)) {
	case 0:
		return w[rnd_below(14)]; /* a word the program can load (not args[5]) */
	case 1:
		return fixed[rnd_below(ARRAY_SIZE(fixed))];
	default:
		return (uint32_t)rnd();
	}
}

/* a random body that passes the checker by construction (almost: retried otherwise) */
static size_t gen_body(struct sock_filter *b, const struct seccomp_data *d)
{
	static const uint16_t alu_ops[] = {BPF_ADD, BPF_SUB, BPF_MUL, BPF_DIV, BPF_AND,
	                                   BPF_OR,  BPF_XOR, BPF_LSH, BPF_RSH};
	static const uint16_t jmp_ops[] = {BPF_JEQ, BPF_JGE, BPF_JGT, BPF_JSET};
	size_t n = 1 + rnd_below(BODY_MAX);
	uint16_t stored = 0;

	for (size_t i = 0; i < n; i++) {
		size_t room = n - i; /* jump offsets up to the epilogue's first instruction */
		uint32_t pick = rnd_below(100);
		uint16_t op;

		if (pick < 20) {
			b[i] = (struct sock_filter)LDW(4 * rnd_below(14));
		} else if (pick < 26) {
			b[i] = (struct sock_filter)LDI(pool_value(d));
		} else if (pick < 32) {
			b[i] = (struct sock_filter)LDXI(pool_value(d));
		} else if (pick < 34) {
			b[i] = (struct sock_filter)S(
			    rnd_below(2) ? BPF_LD | BPF_W | BPF_LEN : BPF_LDX | BPF_W | BPF_LEN, 0);
		} else if (pick < 48) {
			op = alu_ops[rnd_below(ARRAY_SIZE(alu_ops))];
			uint32_t k = pool_value(d);

			if (op == BPF_DIV && k == 0)
				k = 3;
			if (op == BPF_LSH || op == BPF_RSH)
				k &= 31;
			b[i] = (struct sock_filter)ALUK(op, k);
		} else if (pick < 56) {
			b[i] = (struct sock_filter)ALUX(alu_ops[rnd_below(ARRAY_SIZE(alu_ops))]);
		} else if (pick < 59) {
			b[i] = (struct sock_filter)S(BPF_ALU | BPF_NEG, 0);
		} else if (pick < 63) {
			b[i] = rnd_below(2) ? (struct sock_filter)TAX : (struct sock_filter)TXA;
		} else if (pick < 69) {
			uint32_t cell = rnd_below(15);

			stored |= (uint16_t)(1u << cell);
			b[i] = rnd_below(2) ? (struct sock_filter)ST(cell)
			                    : (struct sock_filter)STX(cell);
		} else if (pick < 74 && stored) {
			uint32_t cell;

			do
				cell = rnd_below(15);
			while (!(stored & (1u << cell)));
			b[i] = rnd_below(2) ? (struct sock_filter)LDM(cell)
			                    : (struct sock_filter)LDXM(cell);
		} else if (pick < 92) {
			op = jmp_ops[rnd_below(ARRAY_SIZE(jmp_ops))];
			if (rnd_below(3) == 0)
				b[i] = (struct sock_filter)JX(op, rnd_below(room), rnd_below(room));
			else
				b[i] = (struct sock_filter)JK(op, pool_value(d), rnd_below(room),
				                              rnd_below(room));
		} else if (pick < 95) {
			b[i] = (struct sock_filter)JA(rnd_below(room));
		} else if (pick < 98) {
			static const uint32_t acts[] = {
			    SECCOMP_RET_ERRNO, SECCOMP_RET_TRAP,         SECCOMP_RET_ALLOW,
			    SECCOMP_RET_TRACE, SECCOMP_RET_KILL_PROCESS, SECCOMP_RET_KILL_THREAD,
			    0x00010000,        SECCOMP_RET_USER_NOTIF,
			};
			uint32_t a = acts[rnd_below(ARRAY_SIZE(acts))];

			if (a == SECCOMP_RET_ERRNO || a == SECCOMP_RET_TRAP ||
			    a == SECCOMP_RET_TRACE)
				a |= rnd_below(0x10000);
			b[i] = (struct sock_filter)RETK(a);
		} else {
			b[i] = (struct sock_filter)RETA;
		}
	}
	return n;
}

#define LIVE_RAND 400

START_TEST(test_live_interpreter)
{
	struct probe pr;
	uint64_t seed = test_seed();
	int bad = 0, tried = 0;
	uint64_t args[5] = {0x1, 0xffffffff80000000ull, 0x123456789abcdef0ull, 0, 42};
	struct sock_filter p[GUARD_LEN + BODY_MAX + EPI_LEN], body[BODY_MAX];
	size_t len;

	if (!live_available("interpreter vs kernel"))
		return;
	pr = probe_kernel();
	fprintf(stderr,
	        "interpreter-vs-kernel: arch 0x%08x, ip 0x%" PRIx64 ", random seed %" PRIu64
	        " (replay with SYSGATE_SEED=%" PRIu64 ")\n",
	        pr.arch, pr.ip, seed, seed);

	/* hand-written: the ERRNO comes straight from argument words */
	{
		const struct sock_filter b[] = {LDW(sg_arg_lo_off(4, HOST_BE))};

		len = wrap(p, b, 1);
		bad += live_compare("errno from args[4].lo", p, len, &pr, 1000, args);
		tried++;
	}
	{
		const struct sock_filter b[] = {LDW(sg_arg_hi_off(1, HOST_BE)), ALUK(BPF_ADD, 3)};

		len = wrap(p, b, 2);
		bad += live_compare("args[1].hi + 3", p, len, &pr, 1001, args);
		tried++;
	}
	{
		/* register shifts by >= 32 use the count modulo 32 */
		const struct sock_filter b[] = {LDXI(33), LDI(5), ALUX(BPF_LSH)};

		len = wrap(p, b, 3);
		bad += live_compare("lsh x by 33", p, len, &pr, 1002, args);
		tried++;
	}
	{
		const struct sock_filter b[] = {LDXI(0xffffffe4), LDI(0x12345678), ALUX(BPF_RSH)};

		len = wrap(p, b, 3);
		bad += live_compare("rsh x by 0xffffffe4", p, len, &pr, 1003, args);
		tried++;
	}
	{
		/* DIV X by zero kills */
		const struct sock_filter b[] = {LDXI(0), LDI(7), ALUX(BPF_DIV)};

		len = wrap(p, b, 3);
		bad += live_compare("div x by zero", p, len, &pr, 1004, args);
		tried++;
	}
	{
		/* unsigned compare against a negative-looking immediate */
		const struct sock_filter b[] = {
		    LDW(sg_arg_hi_off(1, HOST_BE)), JK(BPF_JGE, 0x80000000, 0, 1),
		    RETK(SECCOMP_RET_ERRNO | 7), RETK(SECCOMP_RET_ERRNO | 9)};

		len = wrap(p, b, 4);
		bad += live_compare("jge 0x80000000", p, len, &pr, 1005, args);
		tried++;
	}
	{
		/* ERRNO data above MAX_ERRNO is capped; ERRNO(0) returns 0 */
		const struct sock_filter b[] = {
		    LDW(sg_arg_lo_off(0, HOST_BE)), JK(BPF_JEQ, 1, 0, 1),
		    RETK(SECCOMP_RET_ERRNO | 0xffff), RETK(SECCOMP_RET_ERRNO)};
		uint64_t a2[5] = {1, 0, 0, 0, 0};

		len = wrap(p, b, 4);
		bad += live_compare("errno cap", p, len, &pr, 1006, a2);
		a2[0] = 2;
		bad += live_compare("errno 0", p, len, &pr, 1006, a2);
		tried += 2;
	}
	{
		/* TRAP data, the instruction pointer, arch, LEN and scratch memory */
		const struct sock_filter b[] = {LDW(SG_OFF_IP + (HOST_BE ? 4 : 0)),
		                                ST(0),
		                                LDW(SG_OFF_ARCH),
		                                JK(BPF_JEQ, pr.arch, 0, 4),
		                                S(BPF_LDX | BPF_W | BPF_LEN, 0),
		                                LDM(0),
		                                ALUX(BPF_ADD),
		                                JA(1),
		                                RETK(SECCOMP_RET_TRAP | 0x1234)};
		const struct sock_filter t[] = {RETK(SECCOMP_RET_TRAP | 0x1234)};

		len = wrap(p, b, 9);
		bad += live_compare("ip.lo + 64", p, len, &pr, 1007, args);
		len = wrap(p, t, 1);
		bad += live_compare("trap data", p, len, &pr, 1008, args);
		tried += 2;
	}
	{
		/* unknown action values kill (as KILL_PROCESS) */
		const struct sock_filter b[] = {RETK(0x00010000)};

		len = wrap(p, b, 1);
		bad += live_compare("unknown action", p, len, &pr, 1009, args);
		tried++;
	}

	rng_state = seed;
	for (int n = 0; n < LIVE_RAND; n++) {
		struct seccomp_data d = {
		    .nr = 1000 + (int)rnd_below(64), .arch = pr.arch, .instruction_pointer = pr.ip};
		size_t bl;

		for (int i = 0; i < 5; i++) {
			switch (rnd_below(4)) {
			case 0:
				d.args[i] = rnd_below(16);
				break;
			case 1:
				d.args[i] = (uint32_t)rnd();
				break;
			default:
				d.args[i] = rnd();
				break;
			}
		}
		do {
			bl = gen_body(body, &d);
			len = wrap(p, body, bl);
		} while (sg_bpf_check(p, len) != 0);
		bad += live_compare("random", p, len, &pr, d.nr, (const uint64_t *)d.args);
		tried++;
	}
	fprintf(stderr,
	        "interpreter-vs-kernel: %d programs x %d syscalls (%u returned, %u trapped, %u "
	        "killed), %d mismatches\n",
	        tried, NSEL, seen_kinds[OUT_RET], seen_kinds[OUT_TRAP], seen_kinds[OUT_KILLED],
	        bad);
	ck_assert_int_eq(bad, 0);
}
END_TEST

static Suite *bpf_suite(void)
{
	Suite *s = suite_create("bpf");
	TCase *tc;

	tc = tcase_create("checker");
	tcase_add_loop_test(tc, test_check_cases, 0, ARRAY_SIZE(check_cases));
	tcase_add_test(tc, test_check_lengths);
	tcase_add_test(tc, test_check_abs_offsets);
	suite_add_tcase(s, tc);

	tc = tcase_create("interpreter");
	tcase_add_test(tc, test_run_loads);
	tcase_add_loop_test(tc, test_run_alu, 0, ARRAY_SIZE(alu_cases));
	tcase_add_test(tc, test_run_misc);
	tcase_add_test(tc, test_run_div_zero);
	tcase_add_test(tc, test_run_memory);
	tcase_add_loop_test(tc, test_run_jumps, 0, ARRAY_SIZE(jmp_cases));
	tcase_add_test(tc, test_run_ja_and_bounds);
	tcase_add_test(tc, test_run_trace);
	suite_add_tcase(s, tc);

	tc = tcase_create("cache");
	tcase_add_loop_test(tc, test_cache_cases, 0, ARRAY_SIZE(cache_cases));
	tcase_add_test(tc, test_cache_sound);
	suite_add_tcase(s, tc);

	tc = tcase_create("export");
	tcase_add_test(tc, test_to_target);
	tcase_add_test(tc, test_action_format);
	tcase_add_test(tc, test_insn_format);
	suite_add_tcase(s, tc);

	tc = tcase_create("live");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_live_checker_agreement);
	tcase_add_test(tc, test_live_interpreter);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run_suite(bpf_suite());
}
