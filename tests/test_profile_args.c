/*
 * test_profile_args.c - the profile compiler's rewriting of several comparisons on one
 * argument (sg_profile_and_split) must give exactly the conjunction.
 *
 * Exhaustive over an 8-bit argument domain (the code works for any 2^k-1 domain), sampled
 * around every datum for the 32- and 64-bit domains, plus fixed cases checking that the
 * common shapes come out as the plain operators.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "profile.h"

#define MAXOUT 256

static unsigned int failures;

static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static uint64_t rnd(void)
{
	/* xorshift64*: deterministic, so a failure is reproducible */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

/* what the condition means for an argument value x */
static bool cond_true(const struct scmp_arg_cmp *c, uint64_t x)
{
	switch (c->op) {
	case SCMP_CMP_NE:
		return x != c->datum_a;
	case SCMP_CMP_LT:
		return x < c->datum_a;
	case SCMP_CMP_LE:
		return x <= c->datum_a;
	case SCMP_CMP_EQ:
		return x == c->datum_a;
	case SCMP_CMP_GE:
		return x >= c->datum_a;
	case SCMP_CMP_GT:
		return x > c->datum_a;
	case SCMP_CMP_MASKED_EQ:
		return (x & c->datum_a) == c->datum_b;
	default:
		return true; /* op 0: no comparison */
	}
}

/* how a filter of that argument width evaluates an emitted comparison: the datums are
 * truncated to the width, as libseccomp does for 32-bit architectures */
static bool atom_true(const struct scmp_arg_cmp *c, uint64_t x, uint64_t dmax)
{
	struct scmp_arg_cmp t = *c;

	t.datum_a &= dmax;
	t.datum_b &= dmax;
	return cond_true(&t, x & dmax);
}

static const char *opname(int op)
{
	static const char *const n[] = {"TRUE", "NE", "LT", "LE", "EQ", "GE", "GT", "MASKED_EQ"};

	return op >= 0 && op < 8 ? n[op] : "?";
}

static void dump(const char *what, const struct scmp_arg_cmp *c, size_t n)
{
	size_t i;

	fprintf(stderr, "  %s:", what);
	for (i = 0; i < n; i++)
		fprintf(stderr, " %s(0x%" PRIx64 ",0x%" PRIx64 ")", opname(c[i].op), c[i].datum_a,
		        c[i].datum_b);
	fputc('\n', stderr);
}

/* compare conjunction and union at x; report the first mismatch of a case */
static bool check_point(const struct scmp_arg_cmp *in, size_t n, const struct scmp_arg_cmp *out,
                        int nout, uint64_t dmax, uint64_t x)
{
	bool want = true, got = false;
	size_t i;

	if (x > dmax)
		return true;
	for (i = 0; i < n; i++)
		want = want && cond_true(&in[i], x);
	for (i = 0; i < (size_t)nout; i++)
		got = got || atom_true(&out[i], x, dmax);
	if (want == got)
		return true;
	failures++;
	fprintf(stderr, "FAIL: dmax 0x%" PRIx64 " x=0x%" PRIx64 ": want %d got %d\n", dmax, x, want,
	        got);
	dump("conditions", in, n);
	dump("rewritten", out, (size_t)nout);
	return false;
}

static uint64_t pick(uint64_t dmax)
{
	static const uint64_t special[] = {0,
	                                   1,
	                                   2,
	                                   0x7fffffffu,
	                                   0x80000000u,
	                                   0xfffffffeu,
	                                   0xffffffffu,
	                                   0x100000000u,
	                                   0x7E020000u,
	                                   UINT64_MAX,
	                                   UINT64_MAX - 1};

	switch (rnd() % 4) {
	case 0:
		return special[rnd() % (sizeof(special) / sizeof(special[0]))];
	case 1:
		return rnd() % 40;
	case 2:
		return rnd() & (dmax | (dmax << 1) | 1); /* sometimes just above the domain */
	default:
		return rnd();
	}
}

static void random_case(uint64_t dmax, bool exhaustive)
{
	struct scmp_arg_cmp in[5], out[MAXOUT];
	size_t n = 2 + rnd() % 3, i;
	int nout;

	for (i = 0; i < n; i++) {
		in[i] = (struct scmp_arg_cmp){.arg = 2, .op = 1 + rnd() % 7};
		in[i].datum_a = pick(dmax);
		if (in[i].op == SCMP_CMP_MASKED_EQ) {
			/* mostly consistent value/mask pairs, sometimes not */
			in[i].datum_b = rnd() % 8 ? pick(dmax) & in[i].datum_a : pick(dmax);
		}
	}
	/* identical conditions are passed through untouched (checked in main) */
	for (i = 1; i < n; i++)
		if (memcmp(&in[i], &in[0], sizeof(in[0])) != 0)
			break;
	if (i == n)
		return;
	nout = sg_profile_and_split(in, n, dmax, out, MAXOUT);
	if (nout == -E2BIG)
		return; /* allowed: the caller refuses such entries */
	if (nout < 0) {
		failures++;
		fprintf(stderr, "FAIL: rc %d\n", nout);
		dump("conditions", in, n);
		return;
	}
	for (i = 0; i < (size_t)nout; i++)
		if (out[i].arg != 2) {
			failures++;
			fprintf(stderr, "FAIL: output arg %u\n", out[i].arg);
			return;
		}
	if (exhaustive) {
		uint64_t x;

		for (x = 0; x <= dmax; x++)
			if (!check_point(in, n, out, nout, dmax, x))
				return;
		return;
	}
	/* around every datum, the domain edges and random values */
	for (i = 0; i < n; i++) {
		uint64_t pts[] = {in[i].datum_a - 1,
		                  in[i].datum_a,
		                  in[i].datum_a + 1,
		                  in[i].datum_b,
		                  in[i].datum_b | ~in[i].datum_a,
		                  in[i].datum_b ^ 1,
		                  (in[i].datum_b | (rnd() & ~in[i].datum_a))};
		size_t k;

		for (k = 0; k < sizeof(pts) / sizeof(pts[0]); k++)
			if (!check_point(in, n, out, nout, dmax, pts[k] & dmax))
				return;
	}
	for (i = 0; i < 200; i++) {
		uint64_t x = rnd();

		if (!check_point(in, n, out, nout, dmax, x & dmax) ||
		    !check_point(in, n, out, nout, dmax, x % 64) ||
		    !check_point(in, n, out, nout, dmax, dmax - x % 64))
			return;
	}
}

/* a fixed case must produce exactly the expected comparisons */
static void fixed(const char *name, const struct scmp_arg_cmp *in, size_t n, uint64_t dmax,
                  const struct scmp_arg_cmp *want, int nwant)
{
	struct scmp_arg_cmp out[MAXOUT];
	int nout = sg_profile_and_split(in, n, dmax, out, MAXOUT), i;
	bool ok = nout == nwant;

	for (i = 0; ok && i < nout; i++)
		ok = out[i].op == want[i].op && out[i].datum_a == want[i].datum_a &&
		     out[i].datum_b == want[i].datum_b;
	if (ok)
		return;
	failures++;
	fprintf(stderr, "FAIL: %s: got %d comparisons, want %d\n", name, nout, nwant);
	if (nout > 0)
		dump("got", out, (size_t)nout);
	dump("want", want, (size_t)nwant);
}

#define C(o_, a_, b_)                                                                              \
	{                                                                                          \
		.arg = 0, .op = (o_), .datum_a = (a_), .datum_b = (b_)                             \
	}
#define FIXED(name, dmax, in, want)                                                                \
	do {                                                                                       \
		static const struct scmp_arg_cmp i_[] = in, w_[] = want;                           \
		fixed(name, i_, sizeof(i_) / sizeof(i_[0]), dmax, w_,                              \
		      (int)(sizeof(w_) / sizeof(w_[0])));                                          \
	} while (0)
#define L(...)                                                                                     \
	{                                                                                          \
		__VA_ARGS__                                                                        \
	}

int main(void)
{
	struct scmp_arg_cmp out[4];
	int i;

	/* NE a AND NE b: everything but two points, with plain operators */
	FIXED("ne-ne", UINT64_MAX, L(C(SCMP_CMP_NE, 7, 0), C(SCMP_CMP_NE, 5, 0)),
	      L(C(SCMP_CMP_LE, 4, 0), C(SCMP_CMP_EQ, 6, 0), C(SCMP_CMP_GE, 8, 0)));
	/* a range that touches 0 is one LE; a point is one EQ */
	FIXED("range-0", UINT64_MAX, L(C(SCMP_CMP_GE, 0, 0), C(SCMP_CMP_LT, 10, 0)),
	      L(C(SCMP_CMP_LE, 9, 0)));
	FIXED("point", UINT64_MAX, L(C(SCMP_CMP_GE, 5, 0), C(SCMP_CMP_LE, 5, 0)),
	      L(C(SCMP_CMP_EQ, 5, 0)));
	/* one condition implying the other */
	FIXED("implied", UINT64_MAX, L(C(SCMP_CMP_GT, 3, 0), C(SCMP_CMP_GT, 9, 0)),
	      L(C(SCMP_CMP_GE, 10, 0)));
	FIXED("eq-masked", UINT64_MAX, L(C(SCMP_CMP_EQ, 5, 0), C(SCMP_CMP_MASKED_EQ, 1, 1)),
	      L(C(SCMP_CMP_EQ, 5, 0)));
	FIXED("masked-lt", UINT64_MAX,
	      L(C(SCMP_CMP_MASKED_EQ, UINT64_MAX << 4, 0x10), C(SCMP_CMP_LT, 0x40, 0)),
	      L(C(SCMP_CMP_MASKED_EQ, UINT64_MAX << 4, 0x10)));
	FIXED("ne-masked-absent", UINT64_MAX,
	      L(C(SCMP_CMP_MASKED_EQ, 0x7E020000, 0), C(SCMP_CMP_NE, 0x20000, 0)),
	      L(C(SCMP_CMP_MASKED_EQ, 0x7E020000, 0)));
	/* an interior range becomes aligned blocks: [4, 9] = 4..7 + 8..9 */
	FIXED("interior", UINT64_MAX, L(C(SCMP_CMP_GE, 4, 0), C(SCMP_CMP_LE, 9, 0)),
	      L(C(SCMP_CMP_MASKED_EQ, ~UINT64_C(3), 4), C(SCMP_CMP_MASKED_EQ, ~UINT64_C(1), 8)));
	/* the same range for 32-bit arguments: masks stay within the low word */
	FIXED("interior32", UINT32_MAX, L(C(SCMP_CMP_GE, 4, 0), C(SCMP_CMP_LE, 9, 0)),
	      L(C(SCMP_CMP_MASKED_EQ, 0xfffffffc, 4), C(SCMP_CMP_MASKED_EQ, 0xfffffffe, 8)));
	/* for 32-bit arguments a datum beyond 32 bits is not truncated into a wrong one */
	FIXED("ne-big32", UINT32_MAX,
	      L(C(SCMP_CMP_NE, 0x100000005, 0), C(SCMP_CMP_NE, 0x100000007, 0)), L(C(0, 0, 0)));
	FIXED("ne-big32b", UINT32_MAX, L(C(SCMP_CMP_NE, 0x100000005, 0), C(SCMP_CMP_NE, 7, 0)),
	      L(C(SCMP_CMP_NE, 7, 0)));

	/* the identical condition twice is one condition, passed through */
	{
		static const struct scmp_arg_cmp in[] = {C(SCMP_CMP_GT, 1ULL << 40, 0),
		                                         C(SCMP_CMP_GT, 1ULL << 40, 0)};

		i = sg_profile_and_split(in, 2, UINT32_MAX, out, 4);
		if (i != 1 || out[0].op != SCMP_CMP_GT || out[0].datum_a != 1ULL << 40) {
			failures++;
			fprintf(stderr, "FAIL: duplicate condition not passed through (%d)\n", i);
		}
	}
	/* unsatisfiable */
	{
		static const struct scmp_arg_cmp in[] = {C(SCMP_CMP_LT, 3, 0),
		                                         C(SCMP_CMP_GT, 5, 0)};

		if ((i = sg_profile_and_split(in, 2, UINT64_MAX, out, 4)) != 0) {
			failures++;
			fprintf(stderr, "FAIL: LT 3 AND GT 5 gave %d comparisons\n", i);
		}
	}
	/* a limit too small is reported, never silently truncated */
	{
		static const struct scmp_arg_cmp in[] = {C(SCMP_CMP_GT, 1, 0),
		                                         C(SCMP_CMP_LT, UINT64_MAX - 1, 0)};

		if ((i = sg_profile_and_split(in, 2, UINT64_MAX, out, 4)) != -E2BIG) {
			failures++;
			fprintf(stderr, "FAIL: expected -E2BIG, got %d\n", i);
		}
	}
	/* bad operator */
	{
		static const struct scmp_arg_cmp in[] = {C(SCMP_CMP_GT, 1, 0), C(9, 1, 0)};

		if ((i = sg_profile_and_split(in, 2, UINT64_MAX, out, 4)) != -EINVAL) {
			failures++;
			fprintf(stderr, "FAIL: expected -EINVAL for op 9, got %d\n", i);
		}
	}

	for (i = 0; i < 6000 && failures < 5; i++)
		random_case(0xff, true);
	for (i = 0; i < 6000 && failures < 5; i++)
		random_case(UINT32_MAX, false);
	for (i = 0; i < 6000 && failures < 5; i++)
		random_case(UINT64_MAX, false);

	if (failures) {
		fprintf(stderr, "%u failure(s)\n", failures);
		return 1;
	}
	printf("sg_profile_and_split: all cases exact\n");
	return 0;
}
