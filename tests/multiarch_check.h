/*
 * multiarch_check.h - test_multiarch's harness (multiarch_check.c): a compiled filter checked
 * on every input that matters by three evaluators that must agree (the IR, sysgate's
 * interpreter, and an interpreter of the exported bytes in the target's byte order that shares
 * no code with the library), with failures tallied so one run reports many.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef SYSGATE_TESTS_MULTIARCH_CHECK_H
#define SYSGATE_TESTS_MULTIARCH_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <seccomp.h>

#include "testcheck.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* failures are collected, so one run reports many precisely */
struct tally {
	const char *test;
	long cases, bad;
	int shown;
};

/* the target's view: the exported bytes decoded in the target's byte order */
struct tinsn {
	uint16_t code;
	uint8_t jt, jf;
	uint32_t k;
};

struct tprog {
	struct tinsn *insns;
	size_t len;
	uint8_t *raw;
	size_t raw_len;
};

/* one filter under check: its program in host order and as the target reads it */
struct checked {
	scmp_filter_ctx ctx;
	struct sg_program *p; /* host order */
	struct tprog tp;      /* target order */
	bool be;
	const char *desc;
};

/* the rule database behind a context */
struct sg_filter *F(scmp_filter_ctx ctx);

/* count a mismatch and show the first dozen */
void tally_bad(struct tally *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* print the counts; the test fails on any mismatch */
void tally_end(struct tally *t);

/* qsort()/bsearch() order of ints */
int cmp_int(const void *a, const void *b);

size_t table_numbers(const struct sg_arch *a, int *out, size_t max);

/* numbers where dispatch on nr could go wrong */
size_t boundary_numbers(const struct sg_arch *a, const int *tab, size_t ntab, int *out);

/*
 * the three evaluators, and the properties that hold whatever the policy
 */
void checked_init(struct checked *c, scmp_filter_ctx ctx, const char *desc, struct tally *t);

void checked_fini(struct checked *c);

/* one input: IR == program == target model; returns the verdict */
uint32_t check_one(struct checked *c, const struct seccomp_data *d, struct tally *t);

/* all table numbers of every ABI of the filter, its boundaries, and foreign arch values */
void check_filter(struct checked *c, struct tu_rng *r, int vectors, struct tally *t);

#endif
