/*
 * ladders.h - libseccomp's "errno ladders": several rules on one argument of one syscall whose
 * sets nest, each rung more specific than the one before it, with a different errno per rung.
 * The intended meaning (libseccomp's own regression tests check it) is that the innermost rung
 * that matches decides. Shared by test_ladder (sysgate: IR, program, kernel) and
 * test_ladder_ref (libseccomp 2.6.1 as a black box).
 *
 *   read  (GT): ALLOW if A2 <= 64;    ERRNO(k) if A2 >  128 << (k - 5), k = 5..12
 *   read  (GE): ALLOW if A2 <  64;    ERRNO(k) if A2 >= 128 << (k - 5)   (mirror image)
 *   write (LT): ALLOW if A2 >= 32768; ERRNO(k) if A2 <  128 << (k - 5)
 *   write (LE): ALLOW if A2 >  32768; ERRNO(k) if A2 <= 128 << (k - 5)   (mirror image)
 *
 * The expected verdicts are written out directly from these definitions, not derived from
 * any precedence rule. Rules are added in the order above, and (in the tests) in reverse.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef SYSGATE_LADDERS_H
#define SYSGATE_LADDERS_H

#include <stdbool.h>
#include <stdint.h>

#include <seccomp.h>

enum ladder_kind { LADDER_GT, LADDER_GE, LADDER_LT, LADDER_LE, LADDER_KINDS };

#define LADDER_RUNGS 9 /* the ALLOW rule and ERRNO(5) .. ERRNO(12) */

struct ladder_rule {
	uint32_t action;
	struct scmp_arg_cmp cmp;
};

static const char *const ladder_names[LADDER_KINDS] = {"read GT", "read GE", "write LT",
                                                       "write LE"};

static inline uint64_t ladder_step(int k)
{
	return (uint64_t)128 << (k - 5);
}

/* the rules of a ladder on argument `arg`, in libseccomp's order */
static inline void ladder_rules(enum ladder_kind kind, unsigned int arg,
                                struct ladder_rule r[LADDER_RUNGS])
{
	static const enum scmp_compare allow_op[] = {SCMP_CMP_LE, SCMP_CMP_LT, SCMP_CMP_GE,
	                                             SCMP_CMP_GT};
	static const enum scmp_compare rung_op[] = {SCMP_CMP_GT, SCMP_CMP_GE, SCMP_CMP_LT,
	                                            SCMP_CMP_LE};
	bool read = kind == LADDER_GT || kind == LADDER_GE;

	r[0] = (struct ladder_rule){SCMP_ACT_ALLOW, {arg, allow_op[kind], read ? 64 : 32768, 0}};
	for (int k = 5; k <= 12; k++)
		r[k - 4] = (struct ladder_rule){(uint32_t)SCMP_ACT_ERRNO(k),
		                                {arg, rung_op[kind], ladder_step(k), 0}};
}

/* the intended verdict for argument value v (already truncated on a 32-bit ABI) */
static inline uint32_t ladder_expect(enum ladder_kind kind, uint64_t v, uint32_t def)
{
	switch (kind) {
	case LADDER_GT:
		if (v <= 64)
			return SCMP_ACT_ALLOW;
		for (int k = 12; k >= 5; k--)
			if (v > ladder_step(k))
				return SCMP_ACT_ERRNO(k);
		return def;
	case LADDER_GE:
		if (v < 64)
			return SCMP_ACT_ALLOW;
		for (int k = 12; k >= 5; k--)
			if (v >= ladder_step(k))
				return SCMP_ACT_ERRNO(k);
		return def;
	case LADDER_LT:
		if (v >= 32768)
			return SCMP_ACT_ALLOW;
		for (int k = 5; k <= 12; k++)
			if (v < ladder_step(k))
				return SCMP_ACT_ERRNO(k);
		return def;
	default:
		if (v > 32768)
			return SCMP_ACT_ALLOW;
		for (int k = 5; k <= 12; k++)
			if (v <= ladder_step(k))
				return SCMP_ACT_ERRNO(k);
		return def;
	}
}

/* argument values worth probing: every threshold and its neighbours, and the word edges */
static inline unsigned int ladder_values(uint64_t *out, unsigned int max)
{
	static const uint64_t fixed[] = {0,
	                                 1,
	                                 100,
	                                 257,
	                                 16385,
	                                 0x7fffffffu,
	                                 0x80000000u,
	                                 0xffffffffu,
	                                 0x100000000ull,
	                                 0x100000000ull + 64,
	                                 0x100000000ull + 257,
	                                 0x100000000ull + 16385,
	                                 0xffffffff00000000ull + 100,
	                                 UINT64_MAX - 1,
	                                 UINT64_MAX};
	unsigned int n = 0;

	for (unsigned int i = 0; i < sizeof(fixed) / sizeof(fixed[0]) && n < max; i++)
		out[n++] = fixed[i];
	for (uint64_t t = 64; t <= 32768 && n + 3 <= max; t <<= 1) {
		out[n++] = t - 1;
		out[n++] = t;
		out[n++] = t + 1;
	}
	return n;
}

#endif
