/*
 * test_kernel_ctx.c - the library's side of the kernel interface, on the running kernel:
 * transactions (a failed or rejected one leaves the context exactly as it was), precompute's
 * cache, independent contexts on several threads, and the API level probed by racing threads.
 * Whatever installs a filter runs in a forked child.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <pthread.h>
#include <stddef.h>
#include <unistd.h>

#include <seccomp.h>

#include "kiutil.h"
#include "testcheck.h"

/* the API level the kernel supports (probed once in main, before any test) */
static unsigned int kernel_level;

/* ---------------------------------------------------------------------------------------- */
/* transactions                                                                               */

static scmp_filter_ctx txn_ctx(void)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	uint32_t other = ki_other_arch();

	ck_assert_ptr_nonnull(ctx);
	if (other)
		ck_assert_int_eq(seccomp_arch_add(ctx, other), 0);
	ck_assert_int_eq(
	    seccomp_rule_add(ctx, SCMP_ACT_ERRNO(1), SCMP_SYS(read), 1, SCMP_A0(SCMP_CMP_EQ, 3)),
	    0);
	ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_KILL, SCMP_SYS(ptrace), 0), 0);
	ck_assert_int_eq(
	    seccomp_rule_add(ctx, SCMP_ACT_ERRNO(2), SCMP_SYS(socket), 1, SCMP_A0(SCMP_CMP_EQ, 2)),
	    0);
	ck_assert_int_eq(seccomp_syscall_priority(ctx, SCMP_SYS(read), 200), 0);
	return ctx;
}

static void assert_same(scmp_filter_ctx ctx, const struct ki_blob *want, const char *what)
{
	struct ki_blob now = ki_export(ctx);
	ck_assert_msg(ki_blob_eq(&now, want), "%s: the filter differs (rc %d)", what, now.rc);
	ki_blob_free(&now);
}

/* a batch of changes of every kind */
static void txn_changes(scmp_filter_ctx ctx, int k)
{
	ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(10 + k), SCMP_SYS(write), 1,
	                                  SCMP_A2(SCMP_CMP_GT, 100 + k)),
	                 0);
	ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_TRAP, SCMP_SYS(close), 0), 0);
	ck_assert_int_eq(seccomp_syscall_priority(ctx, SCMP_SYS(write), (uint8_t)(10 + k)), 0);
	ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(20 + k), SCMP_SYS(read), 1,
	                                  SCMP_A0(SCMP_CMP_EQ, 4 + k)),
	                 0);
}

START_TEST(transactions_exact)
{
	scmp_filter_ctx ctx = txn_ctx();
	struct ki_blob orig = ki_export(ctx), step1;
	uint32_t other = ki_other_arch();
	ck_assert_int_eq(orig.rc, 0);

	/* reject restores the exact previous filter */
	ck_assert_int_eq(seccomp_transaction_start(ctx), 0);
	txn_changes(ctx, 0);
	if (other) {
		ck_assert_int_eq(seccomp_arch_remove(ctx, other), 0);
		ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(5), SCMP_SYS(dup), 0), 0);
	}
	seccomp_transaction_reject(ctx);
	assert_same(ctx, &orig, "reject");
	if (other)
		ck_assert_int_eq(seccomp_arch_exist(ctx, other), 0);

	/* nested: inner reject back to the outer state, outer commit keeps it */
	ck_assert_int_eq(seccomp_transaction_start(ctx), 0);
	txn_changes(ctx, 1);
	step1 = ki_export(ctx);
	ck_assert_int_eq(seccomp_transaction_start(ctx), 0);
	txn_changes(ctx, 2);
	ck_assert_int_eq(seccomp_precompute(ctx), 0);
	seccomp_transaction_reject(ctx);
	assert_same(ctx, &step1, "inner reject");
	ck_assert_int_eq(seccomp_transaction_commit(ctx), 0);
	assert_same(ctx, &step1, "outer commit");

	/* nested: inner commit, outer reject drops both */
	ck_assert_int_eq(seccomp_transaction_start(ctx), 0);
	txn_changes(ctx, 3);
	ck_assert_int_eq(seccomp_transaction_start(ctx), 0);
	txn_changes(ctx, 4);
	ck_assert_int_eq(seccomp_transaction_commit(ctx), 0);
	seccomp_transaction_reject(ctx);
	assert_same(ctx, &step1, "outer reject after inner commit");

	/* a failing rule add inside a transaction changes nothing; reject still works */
	ck_assert_int_eq(seccomp_transaction_start(ctx), 0);
	txn_changes(ctx, 5);
	struct ki_blob mid = ki_export(ctx);
	/* same conditions, another action: -EEXIST, on every arch */
	ck_assert_int_eq(
	    seccomp_rule_add(ctx, SCMP_ACT_ERRNO(99), SCMP_SYS(read), 1, SCMP_A0(SCMP_CMP_EQ, 3)),
	    -EEXIST);
	ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(read), 0), -EACCES);
	ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(1), SCMP_SYS(read), 2,
	                                  SCMP_A0(SCMP_CMP_EQ, 1), SCMP_A0(SCMP_CMP_EQ, 2)),
	                 -EINVAL);
	assert_same(ctx, &mid, "failed adds");
	seccomp_transaction_reject(ctx);
	assert_same(ctx, &step1, "reject after failed adds");

	/* no open transaction: reject does nothing, commit succeeds */
	seccomp_transaction_reject(ctx);
	ck_assert_int_eq(seccomp_transaction_commit(ctx), 0);
	assert_same(ctx, &step1, "reject without transaction");
	ck_assert_int_eq(seccomp_transaction_start(NULL), -EINVAL);
	ck_assert_int_eq(seccomp_transaction_commit(NULL), -EINVAL);
	seccomp_transaction_reject(NULL);

	/* reset drops open transactions */
	ck_assert_int_eq(seccomp_transaction_start(ctx), 0);
	ck_assert_int_eq(seccomp_reset(ctx, SCMP_ACT_ALLOW), 0);
	seccomp_transaction_reject(ctx);
	scmp_filter_ctx fresh = seccomp_init(SCMP_ACT_ALLOW);
	struct ki_blob empty = ki_export(fresh);
	assert_same(ctx, &empty, "reset inside transaction");
	seccomp_release(fresh);

	/* release with open transactions (valgrind checks nothing leaks) */
	ck_assert_int_eq(seccomp_transaction_start(ctx), 0);
	ck_assert_int_eq(seccomp_transaction_start(ctx), 0);
	seccomp_release(ctx);
	ki_blob_free(&orig);
	ki_blob_free(&step1);
	ki_blob_free(&mid);
	ki_blob_free(&empty);
}
END_TEST

/* ---------------------------------------------------------------------------------------- */
/* precompute                                                                                 */

static const struct sg_program *cached(scmp_filter_ctx ctx)
{
	return sg_ctx_cached((struct sg_filter *)ctx);
}

/* merge a filter for a third architecture (same byte order) into ctx; false if none */
static bool merge_third(scmp_filter_ctx ctx)
{
	static const uint32_t cand[] = {SCMP_ARCH_X86_64, SCMP_ARCH_X86,     SCMP_ARCH_AARCH64,
	                                SCMP_ARCH_ARM,    SCMP_ARCH_RISCV64, SCMP_ARCH_S390X,
	                                SCMP_ARCH_S390,   SCMP_ARCH_PPC64,   SCMP_ARCH_PPC};
	scmp_filter_ctx src = seccomp_init(SCMP_ACT_ALLOW);
	uint32_t v;

	ck_assert_ptr_nonnull(src);
	/* merging needs the same default action, NNP and TSYNC */
	ck_assert_int_eq(seccomp_attr_get(ctx, SCMP_FLTATR_CTL_NNP, &v), 0);
	ck_assert_int_eq(seccomp_attr_set(src, SCMP_FLTATR_CTL_NNP, v), 0);
	ck_assert_int_eq(seccomp_attr_get(ctx, SCMP_FLTATR_CTL_TSYNC, &v), 0);
	if (v)
		ck_assert_int_eq(seccomp_attr_set(src, SCMP_FLTATR_CTL_TSYNC, v), 0);
	ck_assert_int_eq(seccomp_arch_remove(src, SCMP_ARCH_NATIVE), 0);
	for (size_t i = 0; i < sizeof(cand) / sizeof(cand[0]); i++) {
		if (seccomp_arch_exist(ctx, cand[i]) == 0 || seccomp_arch_add(src, cand[i]) != 0)
			continue;
		ck_assert_int_eq(seccomp_rule_add(src, SCMP_ACT_ERRNO(6), SCMP_SYS(getppid), 0), 0);
		ck_assert_int_eq(seccomp_merge(ctx, src), 0);
		return true;
	}
	seccomp_release(src);
	return false;
}

START_TEST(precompute_cache)
{
	scmp_filter_ctx ctx = txn_ctx(), twin = txn_ctx();
	const struct sg_program *p;
	struct ki_blob want, b;
	unsigned char buf[1 << 16];
	size_t len = sizeof(buf);

	ck_assert_ptr_null(cached(ctx));
	ck_assert_int_eq(seccomp_precompute(ctx), 0);
	p = cached(ctx);
	ck_assert_ptr_nonnull(p);
	/* the cache is the program a fresh compile gives */
	want = ki_export(twin);
	b = ki_export(ctx);
	ck_assert(ki_blob_eq(&b, &want));
	ki_blob_free(&b);
	ki_blob_free(&want);
	/* export and precompute again reuse it */
	ck_assert_int_eq(seccomp_export_bpf_mem(ctx, buf, &len), 0);
	FILE *fp = tmpfile();
	ck_assert_int_eq(seccomp_export_bpf(ctx, fileno(fp)), 0);
	fclose(fp);
	ck_assert_int_eq(seccomp_precompute(ctx), 0);
	ck_assert_ptr_eq(cached(ctx), p);

	/* changes that do not affect code keep the cache */
	const enum scmp_filter_attr keep[] = {SCMP_FLTATR_CTL_NNP,      SCMP_FLTATR_API_SYSRAWRC,
	                                      SCMP_FLTATR_CTL_WAITKILL, SCMP_FLTATR_CTL_TSYNC,
	                                      SCMP_FLTATR_CTL_LOG,      SCMP_FLTATR_CTL_SSB};
	for (size_t i = 0; i < sizeof(keep) / sizeof(keep[0]); i++) {
		if ((keep[i] == SCMP_FLTATR_CTL_LOG && kernel_level < 3) ||
		    (keep[i] == SCMP_FLTATR_CTL_SSB && kernel_level < 4) ||
		    (keep[i] == SCMP_FLTATR_CTL_TSYNC && kernel_level < 2))
			continue;
		ck_assert_int_eq(seccomp_attr_set(ctx, keep[i], 1), 0);
		ck_assert_msg(cached(ctx) == p, "attr %d dropped the cache", keep[i]);
	}
	ck_assert_int_eq(seccomp_transaction_start(ctx), 0);
	ck_assert_int_eq(seccomp_transaction_commit(ctx), 0);
	uint32_t v;
	ck_assert_int_eq(seccomp_attr_get(ctx, SCMP_FLTATR_CTL_OPTIMIZE, &v), 0);
	ck_assert_int_eq(seccomp_arch_exist(ctx, SCMP_ARCH_NATIVE), 0);
	/* failed changes keep it too */
	ck_assert_int_eq(
	    seccomp_rule_add(ctx, SCMP_ACT_ERRNO(99), SCMP_SYS(read), 1, SCMP_A0(SCMP_CMP_EQ, 3)),
	    -EEXIST);
	ck_assert_int_eq(seccomp_arch_add(ctx, SCMP_ARCH_NATIVE), -EEXIST);
	ck_assert_int_eq(seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 0), -EOPNOTSUPP);
	ck_assert_int_eq(seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, 0x12345678), -EINVAL);
	ck_assert_ptr_eq(cached(ctx), p);

	/* every change that affects code drops it, and the next export matches a fresh compile */
	for (int change = 0; change < 10; change++) {
		ck_assert_int_eq(seccomp_precompute(ctx), 0);
		ck_assert_ptr_nonnull(cached(ctx));
		switch (change) {
		case 0:
			ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(3), SCMP_SYS(dup), 0),
			                 0);
			ck_assert_int_eq(
			    seccomp_rule_add(twin, SCMP_ACT_ERRNO(3), SCMP_SYS(dup), 0), 0);
			break;
		case 1:
			ck_assert_int_eq(seccomp_syscall_priority(ctx, SCMP_SYS(dup), 100), 0);
			ck_assert_int_eq(seccomp_syscall_priority(twin, SCMP_SYS(dup), 100), 0);
			break;
		case 2:
			ck_assert_int_eq(
			    seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_TRAP), 0);
			ck_assert_int_eq(
			    seccomp_attr_set(twin, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_TRAP), 0);
			break;
		case 3:
			ck_assert_int_eq(seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2), 0);
			ck_assert_int_eq(seccomp_attr_set(twin, SCMP_FLTATR_CTL_OPTIMIZE, 2), 0);
			break;
		case 4:
			ck_assert_int_eq(seccomp_attr_set(ctx, SCMP_FLTATR_API_TSKIP, 1), 0);
			ck_assert_int_eq(seccomp_attr_set(twin, SCMP_FLTATR_API_TSKIP, 1), 0);
			break;
		case 5:
			if (!ki_other_arch())
				continue;
			ck_assert_int_eq(seccomp_arch_remove(ctx, ki_other_arch()), 0);
			ck_assert_int_eq(seccomp_arch_remove(twin, ki_other_arch()), 0);
			break;
		case 6:
			if (!ki_other_arch())
				continue;
			ck_assert_int_eq(seccomp_arch_add(ctx, ki_other_arch()), 0);
			ck_assert_int_eq(seccomp_arch_add(twin, ki_other_arch()), 0);
			break;
		case 7: {
			/* a transaction rolled back: the cache of the inner state must go */
			ck_assert_int_eq(seccomp_transaction_start(ctx), 0);
			ck_assert_int_eq(
			    seccomp_rule_add(ctx, SCMP_ACT_ERRNO(4), SCMP_SYS(dup2), 0), 0);
			ck_assert_int_eq(seccomp_precompute(ctx), 0);
			seccomp_transaction_reject(ctx);
			break;
		}
		case 8:
			/* merge in an architecture built on its own */
			if (!merge_third(ctx) || !merge_third(twin))
				continue;
			break;
		case 9:
			ck_assert_int_eq(seccomp_reset(ctx, SCMP_ACT_ERRNO(1)), 0);
			ck_assert_int_eq(seccomp_reset(twin, SCMP_ACT_ERRNO(1)), 0);
			break;
		}
		ck_assert_msg(cached(ctx) == NULL, "change %d kept a stale program", change);
		want = ki_export(twin);
		b = ki_export(ctx);
		ck_assert_msg(ki_blob_eq(&b, &want), "change %d: program differs from fresh",
		              change);
		ki_blob_free(&b);
		ki_blob_free(&want);
	}
	seccomp_release(ctx);
	seccomp_release(twin);
}
END_TEST

/* ---------------------------------------------------------------------------------------- */
/* thread safety: independent contexts on several threads                                     */

#define NVARIANTS 6
#define NWORKERS  4
#define NITERS    25

static struct ki_blob reference[NVARIANTS];

static scmp_filter_ctx variant_ctx(int v)
{
	scmp_filter_ctx ctx = seccomp_init(v % 2 ? SCMP_ACT_ERRNO(38) : SCMP_ACT_ALLOW);
	uint32_t other = ki_other_arch();
	if (!ctx)
		return NULL;
	if (other && v % 3 != 0 && seccomp_arch_add(ctx, other) != 0)
		goto fail;
	if (seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 1 + v % 2) != 0)
		goto fail;
	for (int i = 0; i < 30 + 10 * v; i++) {
		uint32_t act = i % 3 == 0 ? SCMP_ACT_KILL : SCMP_ACT_ERRNO(1 + (i + v) % 100);
		if (act == (v % 2 ? SCMP_ACT_ERRNO(38) : SCMP_ACT_ALLOW))
			act = SCMP_ACT_TRAP;
		if (seccomp_rule_add(ctx, act, i, i % 2, SCMP_A1(SCMP_CMP_LE, (uint64_t)(i * v))) !=
		    0)
			goto fail;
	}
	/* a socket-family call: multiplexed through socketcall on x86 */
	if (seccomp_rule_add(ctx, SCMP_ACT_ERRNO(5), SCMP_SYS(recvmmsg), 1,
	                     SCMP_A0(SCMP_CMP_EQ, v)) != 0)
		goto fail;
	return ctx;
fail:
	seccomp_release(ctx);
	return NULL;
}

static void *ctx_worker(void *p)
{
	int id = (int)(intptr_t)p;
	long bad = 0;
	for (int i = 0; i < NITERS; i++) {
		int v = (id + i) % NVARIANTS;
		scmp_filter_ctx ctx = variant_ctx(v);
		if (!ctx) {
			bad++;
			continue;
		}
		/* shared read-only paths alongside */
		if (seccomp_api_get() != kernel_level || seccomp_notify_fd(ctx) != -EFAULT ||
		    seccomp_syscall_resolve_name("openat") != __NR_openat)
			bad++;
		if (i % 2 && seccomp_precompute(ctx) != 0)
			bad++;
		struct ki_blob b = ki_export(ctx);
		if (!ki_blob_eq(&b, &reference[v]))
			bad++;
		ki_blob_free(&b);
		seccomp_release(ctx);
	}
	return (void *)bad;
}

START_TEST(threads_independent_contexts)
{
	pthread_t t[NWORKERS];
	long total = 0;

	for (int v = 0; v < NVARIANTS; v++) {
		scmp_filter_ctx ctx = variant_ctx(v);
		ck_assert_ptr_nonnull(ctx);
		reference[v] = ki_export(ctx);
		ck_assert_int_eq(reference[v].rc, 0);
		seccomp_release(ctx);
	}
	for (int i = 0; i < NWORKERS; i++)
		ck_assert_int_eq(pthread_create(&t[i], NULL, ctx_worker, (void *)(intptr_t)i), 0);
	for (int i = 0; i < NWORKERS; i++) {
		void *bad;
		ck_assert_int_eq(pthread_join(t[i], &bad), 0);
		total += (long)bad;
	}
	for (int v = 0; v < NVARIANTS; v++)
		ki_blob_free(&reference[v]);
	ck_assert_int_eq(total, 0);
}
END_TEST

/* the first probe, raced by several threads (after seccomp_reset(NULL) forgot the results) */
static pthread_barrier_t bar_ready;

static void *probe_worker(void *p)
{
	(void)p;
	long bad = 0;
	pthread_barrier_wait(&bar_ready);
	scmp_filter_ctx ctx =
	    seccomp_init(kernel_level >= 3 ? SCMP_ACT_KILL_PROCESS : SCMP_ACT_KILL);
	if (!ctx || seccomp_api_get() != kernel_level)
		bad++;
	if (kernel_level >= 5 && seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, NR_BASE, 0) != 0)
		bad++;
	seccomp_release(ctx);
	return (void *)bad;
}

static void probe_race_child(void *p)
{
	(void)p;
	pthread_t t[NWORKERS];
	REQUIRE_EQ(seccomp_reset(NULL, 0), 0);
	pthread_barrier_init(&bar_ready, NULL, NWORKERS);
	for (int i = 0; i < NWORKERS; i++)
		REQUIRE_EQ(pthread_create(&t[i], NULL, probe_worker, NULL), 0);
	for (int i = 0; i < NWORKERS; i++) {
		void *bad;
		REQUIRE_EQ(pthread_join(t[i], &bad), 0);
		REQUIRE_EQ((long)bad, 0);
	}
}

START_TEST(threads_probe_race)
{
	TU_CHILD_OK(probe_race_child, NULL, "probe race");
}
END_TEST

static Suite *kernel_ctx_suite(void)
{
	Suite *s = suite_create("kernel_ctx");
	TCase *lib = tcase_create("library");
	tcase_set_timeout(lib, 60);
	tcase_add_test(lib, transactions_exact);
	tcase_add_test(lib, precompute_cache);
	tcase_add_test(lib, threads_independent_contexts);
	tcase_add_test(lib, threads_probe_race);
	suite_add_tcase(s, lib);
	return s;
}

int main(void)
{
	tu_skip_without_seccomp();
	kernel_level = seccomp_api_get();
	printf("kernel API level %u\n", kernel_level);
	return tu_run_suite(kernel_ctx_suite());
}
