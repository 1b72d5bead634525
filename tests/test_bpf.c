/*
 * test_bpf.c - the classic-BPF model (src/bpf*.c): checker, interpreter, action-cache emulator,
 * byte-order export and formatting. test_bpf_live.c holds the checker and the interpreter
 * against the running kernel.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define _GNU_SOURCE
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpf.h"
#include "bpf_testdata.h"
#include "testcheck.h"

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

static Suite *bpf_suite(void)
{
	Suite *s = suite_create("bpf");
	TCase *tc;

	tc = tcase_create("checker");
	tcase_add_loop_test(tc, test_check_cases, 0, n_check_cases);
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
	return s;
}

int main(void)
{
	return tu_run_suite(bpf_suite());
}
