/*
 * testutil.h - shared helpers for sysgate's C tests: a seeded PRNG (every randomised test
 * prints its seed; SYSGATE_SEED=N reproduces a run), boundary values for 64-bit arguments,
 * "compile then run on the interpreter" for comparing programs with the IR, and running code
 * in a forked child. Free of Check: tests/crossarch/live_arch.c uses it too.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef SYSGATE_TESTUTIL_H
#define SYSGATE_TESTUTIL_H

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <seccomp.h>

#include "alloc.h"
#include "bpf.h"
#include "bpf_opt.h"
#include "compile.h"
#include "ctx.h"
#include "db.h"
#include "ir.h"

/*
 * AddressSanitizer's runtime calls sigaltstack() before every call that does not return
 * (_exit included) and aborts, or hangs, if that fails: a test child whose filter denies by
 * default lets it through in a sanitizer build. Elsewhere this adds nothing.
 */
static inline int tu_allow_sanitizer_runtime(scmp_filter_ctx ctx)
{
#ifdef __SANITIZE_ADDRESS__
	return seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(sigaltstack), 0);
#else
	(void)ctx;
	return 0;
#endif
}

/*
 * Run fn(arg) in a forked child that exits 0 when fn returns; the child's wait status, or -1
 * when fork or wait failed. watchdog_s > 0: SIGALRM ends a child that hangs that long.
 * Buffered output is flushed first so that the child cannot write it a second time.
 */
static inline int tu_fork_run(void (*fn)(void *), void *arg, unsigned int watchdog_s)
{
	int status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (watchdog_s)
			alarm(watchdog_s);
		fn(arg);
		_exit(0);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return status;
}

struct tu_rng {
	uint64_t s;
};

static inline uint64_t tu_next(struct tu_rng *r)
{
	/* xorshift64* */
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 0x2545f4914f6cdd1dull;
}

static inline uint64_t tu_below(struct tu_rng *r, uint64_t n)
{
	return n ? tu_next(r) % n : 0;
}

/* seed from SYSGATE_SEED or the clock; printed so a failure can be replayed */
static inline uint64_t tu_seed(const char *test)
{
	const char *env = getenv("SYSGATE_SEED");
	uint64_t seed = env ? strtoull(env, NULL, 0) : (uint64_t)time(NULL) ^ (uint64_t)clock();
	if (seed == 0)
		seed = 1;
	printf("%s: seed %" PRIu64 " (replay with SYSGATE_SEED=%" PRIu64 ")\n", test, seed, seed);
	fflush(stdout);
	return seed;
}

/* values where 64-bit comparisons split into words go wrong if they are going to */
static const uint64_t tu_edges[] = {
    0,
    1,
    2,
    0x7fffffffull,
    0x80000000ull,
    0xfffffffeull,
    0xffffffffull,
    0x100000000ull,
    0x100000001ull,
    0x1ffffffffull,
    0x12345678abcdef01ull,
    0x7fffffffffffffffull,
    0x8000000000000000ull,
    0xffffffff00000000ull,
    0xffffffff7fffffffull,
    0xffffffff80000000ull,
    0xfffffffffffffffeull,
    0xffffffffffffffffull,
    0xffffffffffffff9cull, /* AT_FDCWD sign-extended */
    0xffffff9cull,         /* AT_FDCWD zero-extended */
};
#define TU_NEDGES (sizeof(tu_edges) / sizeof(tu_edges[0]))

/* a value near an edge or a datum: the edge itself, +-1, or with one word flipped */
static inline uint64_t tu_value_near(struct tu_rng *r, uint64_t base)
{
	switch (tu_below(r, 7)) {
	case 0:
		return base + 1;
	case 1:
		return base - 1;
	case 2:
		return base ^ 0xffffffff00000000ull;
	case 3:
		return base ^ ((uint64_t)tu_next(r) << 32);
	case 4:
		return (base & 0xffffffff00000000ull) | (uint32_t)tu_next(r);
	default:
		return base;
	}
}

static inline uint64_t tu_value(struct tu_rng *r)
{
	uint64_t v = tu_below(r, 4) == 0 ? tu_next(r) : tu_edges[tu_below(r, TU_NEDGES)];
	return tu_below(r, 2) ? tu_value_near(r, v) : v;
}

/* abort unless the optimizer left p at its fixpoint: running it again changes nothing */
static inline void tu_assert_fixpoint(const struct sg_program *p)
{
	size_t len = p->len;
	struct sock_filter *again = sg_malloc(len * sizeof(*again));
	int rc;

	if (!again)
		abort();
	memcpy(again, p->insns, len * sizeof(*again));
	rc = sg_bpf_optimize(&again, &len);
	if (rc < 0 || len != p->len || memcmp(again, p->insns, len * sizeof(*again)) != 0) {
		fprintf(stderr,
		        "the optimizer stopped before its fixpoint (%zu instructions, %zu after "
		        "another run, rc %d)\n",
		        p->len, len, rc);
		abort();
	}
	sg_free(again);
}

/* compile a filter or abort the test */
/*
 * The meaning of one comparison `arg OP datum` (MASKED_EQ: mask, datum) on an ABI, written from
 * the documentation (doc/differences.md, "Data beyond 32 bits"), not from db.c: a 32-bit ABI,
 * or SCMP_CMP_32BIT, compares the argument's low word as a 32-bit value. A datum (and a mask)
 * whose high word is zero or the sign extension of its low word names a 32-bit value and is
 * compared as that value; any other datum is compared with the zero-extended 32-bit value,
 * except on x32, whose registers are passed whole: there it is compared with all 64 bits.
 */
static inline bool tu_cmp_meaning(const struct sg_arch *a, unsigned int op, uint64_t v,
                                  uint64_t datum, uint64_t mask)
{
	bool asked = (op & SCMP_CMP_32BIT) != 0, lo32 = asked || a->arg_bits == 32;
	uint64_t d = (op & ~SCMP_CMP_32BIT) == SCMP_CMP_MASKED_EQ ? datum & mask : datum;
	bool fits_d = (d >> 32) == 0 || (d >> 31) == 0x1ffffffffull;
	bool fits_m = (mask >> 32) == 0 || (mask >> 31) == 0x1ffffffffull;

	op &= ~(unsigned int)SCMP_CMP_32BIT;
	if (op != SCMP_CMP_MASKED_EQ)
		mask = UINT64_MAX, fits_m = true;
	if (lo32 && fits_d && fits_m) {
		v = (uint32_t)v;
		d = (uint32_t)d;
		mask = (uint32_t)mask;
	} else if (lo32 && (asked || a->token != SCMP_ARCH_X32)) {
		v = (uint32_t)v;
	}
	switch (op) {
	case SCMP_CMP_NE:
		return v != d;
	case SCMP_CMP_LT:
		return v < d;
	case SCMP_CMP_LE:
		return v <= d;
	case SCMP_CMP_EQ:
		return v == d;
	case SCMP_CMP_GE:
		return v >= d;
	case SCMP_CMP_GT:
		return v > d;
	default:
		return (v & mask) == d;
	}
}

static inline struct sg_program *tu_compile(const struct sg_filter *f)
{
	struct sg_program *p = NULL;
	int rc = sg_compile(f, &p);
	if (rc < 0) {
		fprintf(stderr, "sg_compile failed: %d\n", rc);
		abort();
	}
	tu_assert_fixpoint(p);
	return p;
}

static inline uint32_t tu_run(const struct sg_filter *f, const struct sg_program *p,
                              const struct seccomp_data *d)
{
	return sg_bpf_run(p->insns, p->len, d, f->arch[0].arch->big_endian, NULL);
}

/*
 * dlopen() flags for a reference libseccomp loaded beside sysgate's: RTLD_DEEPBIND makes its
 * own internal calls bind to itself, but the sanitizer runtimes refuse it; without it the
 * symbols are still found through dlsym(), and the test binaries export no seccomp_* of
 * their own for the reference to bind to.
 */
#if defined(__SANITIZE_ADDRESS__)
#define TU_REF_DLFLAGS (RTLD_NOW | RTLD_LOCAL)
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer)
#define TU_REF_DLFLAGS (RTLD_NOW | RTLD_LOCAL)
#endif
#endif
#ifndef TU_REF_DLFLAGS
#define TU_REF_DLFLAGS (RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND)
#endif

#endif
