/*
 * tv.c - translation validation of every program the Check tests compile.
 *
 * Every Check program is linked with -Wl,--wrap=sg_compile (TV_LIBS in tests/local.mk): each
 * sg_compile() — seccomp_export_bpf(), seccomp_load(), seccomp_precompute(), tu_compile(), ... —
 * comes here. The program it returns is also lowered the reference way (plain halving, no
 * exception leaves, no bytecode passes) and the two are proven equivalent on every input by the
 * symbolic engine (sg_sym_equiv()). A difference is a compiler bug: the witness is printed and
 * the test aborts. The library itself is untouched: libseccomp.so.2 never sees this file.
 *
 * Cost is bounded in programs, never in time: every program of up to TV_MAX_INSNS
 * instructions is validated (a plain `make check` proves some 13,300, for about 2 s of wall
 * time on 2 cores), longer ones are counted as too long, and a proof that needs more than
 * TV_MAX_PATHS paths counts as undecided (raising the two to 4096 and 100000 made the suite
 * five times slower). SYSGATE_TV_BUDGET=N validates only the first N programs of each
 * process (Check forks one per test case; tests/sanitize.sh sets 8). SYSGATE_TV_BUDGET=0 turns
 * it off; it is off under valgrind (SYSGATE_UNDER_VALGRIND, 20-50 times slower) and in
 * fault-injection builds (the reference lowering would take the injected failures).
 * SYSGATE_TV_REPORT=1 prints each process's counts when it exits. The counts are kept under
 * a lock: test_kernel_ctx compiles on several threads at once (ThreadSanitizer found the race).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "bpf_sym.h"
#include "compile.h"
#include "tv.h"

#define TV_DEFAULT_BUDGET LONG_MAX
#define TV_MAX_PATHS      10000
/* longer programs are counted, not validated: a proof's cost grows with the paths' depth */
#define TV_MAX_INSNS 1024

int __real_sg_compile(const struct sg_filter *f, struct sg_program **out);
int __wrap_sg_compile(const struct sg_filter *f, struct sg_program **out);

/* this process's counts (a test's own process: Check forks per test case), under tv_lock */
static pthread_mutex_t tv_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
	long budget; /* -1: not read yet */
	unsigned long proven, undecided, no_reference, too_long, over_budget;
} tv = {-1, 0, 0, 0, 0, 0};

static void tv_report(void)
{
	fprintf(stderr,
	        "translation validation: %lu proven, %lu not decided, %lu without a reference "
	        "program, %lu too long, %lu over the budget",
	        tv.proven, tv.undecided, tv.no_reference, tv.too_long, tv.over_budget);
	if (tv.budget != LONG_MAX)
		fprintf(stderr, " of %ld", tv.budget);
	fprintf(stderr, "\n");
}

/* read the budget once (under tv_lock) */
static long tv_budget(void)
{
	const char *b = getenv("SYSGATE_TV_BUDGET"), *r = getenv("SYSGATE_TV_REPORT");

	tv.budget = b && *b ? strtol(b, NULL, 10) : TV_DEFAULT_BUDGET;
	if (tv.budget < 0 || getenv("SYSGATE_UNDER_VALGRIND"))
		tv.budget = 0;
#ifdef SG_FAULT_INJECTION
	tv.budget = 0;
#endif
	if (r && *r == '1' && tv.budget > 0)
		atexit(tv_report);
	return tv.budget;
}

int tv_prove(const struct sg_filter *f, const struct sg_program *p, uint32_t w[SG_SYM_WORDS])
{
	static const struct sg_compile_opts reference = {
	    .tree = 0, .passes = false, .exceptions = false, .max_len = 0};
	struct sg_program *plain = NULL;
	int eq;

	if (sg_compile_with(f, &reference, &plain) != 0)
		return -ENOENT;
	eq = sg_sym_equiv(p->insns, p->len, plain->insns, plain->len, TV_MAX_PATHS, w);
	sg_program_free(plain);
	return eq;
}

unsigned long tv_proven(void)
{
	pthread_mutex_lock(&tv_lock);
	unsigned long n = tv.proven;
	pthread_mutex_unlock(&tv_lock);
	return n;
}

bool tv_enabled(void)
{
	pthread_mutex_lock(&tv_lock);
	long budget = tv.budget < 0 ? tv_budget() : tv.budget;
	pthread_mutex_unlock(&tv_lock);
	return budget > 0;
}

/* count one outcome */
static void tv_count(unsigned long *counter)
{
	pthread_mutex_lock(&tv_lock);
	(*counter)++;
	pthread_mutex_unlock(&tv_lock);
}

static void validate(const struct sg_filter *f, const struct sg_program *p)
{
	uint32_t w[SG_SYM_WORDS];
	int eq = tv_prove(f, p, w);

	if (eq == -ENOENT) {
		/* longer than the kernel takes, or out of memory: nothing to compare with */
		tv_count(&tv.no_reference);
		return;
	}
	if (eq == 1) {
		tv_count(&tv.proven);
		return;
	}
	if (eq != 0) {
		tv_count(&tv.undecided);
		return;
	}
	fprintf(stderr,
	        "translation validation: the compiled program differs from the reference "
	        "lowering at arch 0x%08x nr %u, argument words",
	        w[1], w[0]);
	for (unsigned int i = 2; i < SG_SYM_WORDS; i++)
		fprintf(stderr, " 0x%x", w[i]);
	fprintf(stderr, "\n");
	abort();
}

int __wrap_sg_compile(const struct sg_filter *f, struct sg_program **out)
{
	int rc = __real_sg_compile(f, out);
	bool go;

	pthread_mutex_lock(&tv_lock);
	if (tv.budget < 0)
		tv_budget();
	go = rc == 0 && tv.budget != 0;
	if (go && tv.proven + tv.undecided + tv.no_reference >= (unsigned long)tv.budget) {
		tv.over_budget++;
		go = false;
	} else if (go && (*out)->len > TV_MAX_INSNS) {
		tv.too_long++;
		go = false;
	}
	pthread_mutex_unlock(&tv_lock);
	/* the proof itself runs unlocked: threads validate their own programs at once */
	if (go)
		validate(f, *out);
	return rc;
}
