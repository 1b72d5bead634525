/*
 * test_faults.c - allocation-failure injection (./configure --enable-fault-injection).
 *
 * For each API path and for N = 1, 2, ... until the call no longer reaches an N-th
 * allocation, the N-th allocation fails. The call must then return -ENOMEM (NULL for
 * seccomp_init) and leave the context exactly as it was -- same exported program, same PFC --
 * or succeed and have exactly the effect it has without the failure. Either way the context
 * stays usable. tests/valgrind.sh runs this under valgrind to prove nothing leaks.
 *
 * Without fault injection the program prints SKIP and exits 77.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <seccomp.h>

#include "alloc.h"
#include "db.h"
#include "kiutil.h"
#include "testcheck.h"

#define MAX_POINTS 100000L /* far more allocations than any path makes */

static bool native_x86_64(void)
{
	return seccomp_arch_native() == SCMP_ARCH_X86_64;
}

/* native plus x86 and x32 on x86_64 (x86 multiplexes socket and ipc calls), else one more */
static scmp_filter_ctx build_multi(void)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	ck_assert_ptr_nonnull(ctx);
	if (native_x86_64()) {
		ck_assert_int_eq(seccomp_arch_add(ctx, SCMP_ARCH_X86), 0);
		ck_assert_int_eq(seccomp_arch_add(ctx, SCMP_ARCH_X32), 0);
	} else if (ki_other_arch()) {
		ck_assert_int_eq(seccomp_arch_add(ctx, ki_other_arch()), 0);
	}
	return ctx;
}

/*
 * A populated multi-arch context whose arrays are exactly full, so the next rule on a new
 * syscall and the next conditional rule on read(2) both have to grow them.
 */
static scmp_filter_ctx build_full(void)
{
	scmp_filter_ctx ctx = build_multi();
	struct sg_filter *f = (struct sg_filter *)ctx;

	for (int i = 1; i <= 4; i++)
		ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(i), SCMP_SYS(read), 1,
		                                  SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)i)),
		                 0);
	ck_assert_int_eq(
	    seccomp_rule_add(ctx, SCMP_ACT_ERRNO(20), SCMP_SYS(socket), 1, SCMP_A0(SCMP_CMP_EQ, 1)),
	    0);
	/* rules whose precedence has a cycle: compiling them takes every allocation of the
	 * rule plan (ir_order.c) */
	ck_assert_int_eq(
	    seccomp_rule_add(ctx, SCMP_ACT_LOG, SCMP_SYS(dup), 1, SCMP_A0(SCMP_CMP_LE, 10)), 0);
	ck_assert_int_eq(
	    seccomp_rule_add(ctx, SCMP_ACT_ERRNO(1), SCMP_SYS(dup), 1, SCMP_A0(SCMP_CMP_LE, 100)),
	    0);
	ck_assert_int_eq(
	    seccomp_rule_add(ctx, SCMP_ACT_ERRNO(2), SCMP_SYS(dup), 1, SCMP_A0(SCMP_CMP_GE, 5)), 0);
	/* more syscalls until the native table holds exactly 16 (its first capacity) */
	for (int nr = 0; f->arch[0].nsys < 16 && nr < 400; nr++) {
		char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);
		if (!name)
			continue;
		/* only names every arch of the context knows under a real number */
		bool everywhere = true;
		for (uint32_t a = 0; a < f->narch; a++)
			if (seccomp_syscall_resolve_name_arch(f->arch[a].arch->token, name) < 0)
				everywhere = false;
		free(name);
		if (everywhere && nr != SCMP_SYS(read) && nr != SCMP_SYS(openat) &&
		    nr != SCMP_SYS(getpid) && nr != SCMP_SYS(chdir) && nr != SCMP_SYS(fsync))
			ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(30), nr, 1,
			                                  SCMP_A1(SCMP_CMP_GT, 5)),
			                 0);
	}
	ck_assert_int_eq(f->arch[0].nsys, 16);
	ck_assert_int_eq(seccomp_syscall_priority(ctx, SCMP_SYS(read), 3), 0);
	return ctx;
}

/* the same under a kernel-version limit: its ranges and PFC section allocate too */
static scmp_filter_ctx build_full_kv(void)
{
	scmp_filter_ctx ctx = build_full();
	ck_assert_int_eq(seccomp_attr_set(ctx, SCMP_FLTATR_CTL_KVERMAX, SCMP_KV_5_2), 0);
	return ctx;
}

static scmp_filter_ctx build_full_txn(void)
{
	scmp_filter_ctx ctx = build_full();
	ck_assert_int_eq(seccomp_transaction_start(ctx), 0);
	return ctx;
}

/* the second context of a merge, made before the failure is armed */
/*
 * An argument-heavy filter of the native ABI alone: 60 syscalls allowed for 3 values of A1
 * each, some 330 instructions, so that its dispatch tree does not fit in a jump's reach and
 * the compiler lays it out again (lower.c lower_tree, layout.c) and weighs the layouts: three
 * compiles, a thousand allocation points. Under valgrind (tests/valgrind.sh; the plain run
 * of the fault-injection build tries them all) the points above 64 are tried one in 16.
 */
static scmp_filter_ctx build_args(void)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ERRNO(1));
	int added = 0;
	ck_assert_ptr_nonnull(ctx);
	for (int nr = 0; nr < 60; nr++)
		for (int j = 0; j < 3; j++)
			added += seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 1,
			                          SCMP_A1(SCMP_CMP_EQ, nr * 131u + j * 17u + 1)) == 0;
	ck_assert_int_ge(added, 120);
	return ctx;
}

static scmp_filter_ctx merge_src;

static void prep_merge(void)
{
	static const uint32_t cand[] = {SCMP_ARCH_AARCH64, SCMP_ARCH_ARM,  SCMP_ARCH_RISCV64,
	                                SCMP_ARCH_X86_64,  SCMP_ARCH_S390, SCMP_ARCH_PPC};
	scmp_filter_ctx probe = build_multi();

	merge_src = seccomp_init(SCMP_ACT_ALLOW);
	ck_assert_ptr_nonnull(merge_src);
	ck_assert_int_eq(seccomp_arch_remove(merge_src, SCMP_ARCH_NATIVE), 0);
	for (size_t i = 0; i < sizeof(cand) / sizeof(cand[0]); i++)
		if (seccomp_arch_exist(probe, cand[i]) != 0 &&
		    seccomp_arch_add(merge_src, cand[i]) == 0)
			break;
	seccomp_release(probe);
	ck_assert_int_eq(seccomp_rule_add(merge_src, SCMP_ACT_ERRNO(8), SCMP_SYS(getppid), 1,
	                                  SCMP_A0(SCMP_CMP_NE, 0)),
	                 0);
}

static int op_merge(scmp_filter_ctx ctx)
{
	int rc = seccomp_merge(ctx, merge_src);
	if (rc != 0)
		seccomp_release(merge_src); /* a failed merge leaves src with the caller */
	merge_src = NULL;
	return rc;
}

static int op_rule_args_new(scmp_filter_ctx ctx)
{
	return seccomp_rule_add(ctx, SCMP_ACT_ERRNO(9), SCMP_SYS(openat), 2,
	                        SCMP_A0_32(SCMP_CMP_EQ, (uint32_t)-100),
	                        SCMP_A2(SCMP_CMP_MASKED_EQ, 0x3, 0x1));
}

static int op_rule_args_existing(scmp_filter_ctx ctx)
{
	return seccomp_rule_add(ctx, SCMP_ACT_ERRNO(10), SCMP_SYS(read), 2,
	                        SCMP_A0(SCMP_CMP_EQ, 100), SCMP_A2(SCMP_CMP_LT, 4096));
}

static int op_rule_socket(scmp_filter_ctx ctx)
{
	/* x86: through socketcall (A0 = SYS_CONNECT) and the direct connect(2) */
	return seccomp_rule_add(ctx, SCMP_ACT_ERRNO(11), SCMP_SYS(connect), 2,
	                        SCMP_A0(SCMP_CMP_EQ, 10), SCMP_A2(SCMP_CMP_EQ, 16));
}

static int op_rule_ipc(scmp_filter_ctx ctx)
{
	/* x86: through ipc (A0 = SEMOP) */
	return seccomp_rule_add(ctx, SCMP_ACT_ERRNO(12), SCMP_SYS(semop), 0);
}

static int op_rule_uncond(scmp_filter_ctx ctx)
{
	return seccomp_rule_add(ctx, SCMP_ACT_KILL_PROCESS, SCMP_SYS(getpid), 0);
}

static int op_priority(scmp_filter_ctx ctx)
{
	return seccomp_syscall_priority(ctx, SCMP_SYS(chdir), 7);
}

static int op_arch_add(scmp_filter_ctx ctx)
{
	return seccomp_arch_add(ctx, native_x86_64() ? SCMP_ARCH_AARCH64 : SCMP_ARCH_X86_64);
}

static int op_arch_remove(scmp_filter_ctx ctx)
{
	return seccomp_arch_remove(ctx, SCMP_ARCH_NATIVE);
}

static int op_txn_start(scmp_filter_ctx ctx)
{
	return seccomp_transaction_start(ctx);
}

static int op_precompute(scmp_filter_ctx ctx)
{
	return seccomp_precompute(ctx);
}

static int op_export_mem(scmp_filter_ctx ctx)
{
	static unsigned char buf[1 << 18];
	size_t len = sizeof(buf);
	return seccomp_export_bpf_mem(ctx, buf, &len);
}

static int op_export_fd(scmp_filter_ctx ctx, bool pfc)
{
	FILE *fp = tmpfile();
	int rc;
	ck_assert_ptr_nonnull(fp);
	rc = pfc ? seccomp_export_pfc(ctx, fileno(fp)) : seccomp_export_bpf(ctx, fileno(fp));
	fclose(fp);
	return rc;
}

static int op_export_bpf(scmp_filter_ctx ctx)
{
	return op_export_fd(ctx, false);
}

static int op_export_pfc(scmp_filter_ctx ctx)
{
	return op_export_fd(ctx, true);
}

static int op_reset(scmp_filter_ctx ctx)
{
	return seccomp_reset(ctx, SCMP_ACT_ERRNO(1));
}

struct path {
	const char *name;
	scmp_filter_ctx (*build)(void);
	void (*prep)(void);
	int (*op)(scmp_filter_ctx ctx);
	bool txn; /* build() opened a transaction: the final reject must restore the build */
};

static const struct path paths[] = {
    {"rule_add args, new syscall", build_full, NULL, op_rule_args_new, false},
    {"rule_add args, empty ctx", build_multi, NULL, op_rule_args_new, false},
    {"rule_add args, existing syscall", build_full, NULL, op_rule_args_existing, false},
    {"rule_add socket (socketcall mux)", build_full, NULL, op_rule_socket, false},
    {"rule_add socket, empty ctx", build_multi, NULL, op_rule_socket, false},
    {"rule_add ipc (ipc mux)", build_full, NULL, op_rule_ipc, false},
    {"rule_add unconditional", build_full, NULL, op_rule_uncond, false},
    {"syscall_priority", build_full, NULL, op_priority, false},
    {"rule_add in a transaction", build_full_txn, NULL, op_rule_args_new, true},
    {"rule_add socket in a transaction", build_full_txn, NULL, op_rule_socket, true},
    {"arch_add", build_full, NULL, op_arch_add, false},
    {"arch_remove", build_full, NULL, op_arch_remove, false},
    {"transaction_start", build_full, NULL, op_txn_start, false},
    {"nested transaction_start", build_full_txn, NULL, op_txn_start, true},
    {"precompute", build_full, NULL, op_precompute, false},
    {"export_bpf_mem", build_full, NULL, op_export_mem, false},
    {"export_bpf", build_full, NULL, op_export_bpf, false},
    {"export_pfc", build_full, NULL, op_export_pfc, false},
    {"precompute, kernel-version limit", build_full_kv, NULL, op_precompute, false},
    {"export_pfc, kernel-version limit", build_full_kv, NULL, op_export_pfc, false},
    {"precompute, argument-heavy", build_args, NULL, op_precompute, false},
    {"merge", build_full, prep_merge, op_merge, false},
    {"reset", build_full, NULL, op_reset, false},
};
#define NPATHS ((int)(sizeof(paths) / sizeof(paths[0])))

static void assert_blob_eq(const struct ki_blob *a, const struct ki_blob *b, const char *name,
                           long n, const char *when)
{
	ck_assert_msg(a->rc == 0 && b->rc == 0, "%s, allocation %ld %s: export failed (%d, %d)",
	              name, n, when, a->rc, b->rc);
	ck_assert_msg(ki_blob_eq(a, b), "%s, allocation %ld %s: the filters differ", name, n, when);
}

/*
 * What a path's context looks like without any failure: [applied] the call was not made (0)
 * or succeeded (1); then [stage] right after it (0), after one more rule (1), after
 * seccomp_transaction_reject() (2).
 */
static void path_refs(const struct path *p, struct ki_blob ref[2][3])
{
	for (int applied = 0; applied < 2; applied++) {
		scmp_filter_ctx ctx = p->build();
		if (applied) {
			if (p->prep)
				p->prep();
			ck_assert_int_eq(p->op(ctx), 0);
		}
		ref[applied][0] = ki_export(ctx);
		ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(77), SCMP_SYS(fsync), 0), 0);
		ref[applied][1] = ki_export(ctx);
		seccomp_transaction_reject(ctx);
		ref[applied][2] = ki_export(ctx);
		for (int stage = 0; stage < 3; stage++)
			ck_assert_int_eq(ref[applied][stage].rc, 0);
		/* a transaction opened by build() rolls everything back to the build */
		if (p->txn)
			assert_blob_eq(&ref[applied][2], &ref[0][0], p->name, 0,
			               "reject to the build");
		seccomp_release(ctx);
	}
}

START_TEST(fault_path)
{
	const struct path *p = &paths[_i];
	struct ki_blob ref[2][3];
	long n;

	path_refs(p, ref);
	long step = p->build == build_args && getenv("SYSGATE_UNDER_VALGRIND") ? 16 : 1, tried = 0;
	for (n = 1; n < MAX_POINTS; n += n < 64 ? 1 : step) {
		scmp_filter_ctx ctx = p->build();
		tried++;
		struct ki_blob now;
		int rc, fired, applied;

		if (p->prep)
			p->prep();
		sg_fault_arm(n);
		rc = p->op(ctx);
		fired = sg_fault_fired();
		sg_fault_arm(0);
		/* failed: exactly as before; succeeded (maybe despite the failure): as without it
		 */
		applied = !(fired && rc == -ENOMEM);
		ck_assert_msg(!applied || rc == 0, "%s, allocation %ld (fired %d): rc %d", p->name,
		              n, fired, rc);
		now = ki_export(ctx);
		assert_blob_eq(&now, &ref[applied][0], p->name, n,
		               applied ? "succeeded" : "failed");
		ki_blob_free(&now);
		/* the context still works: a further change, then closing any transaction */
		ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(77), SCMP_SYS(fsync), 0), 0);
		now = ki_export(ctx);
		assert_blob_eq(&now, &ref[applied][1], p->name, n, "then a rule");
		ki_blob_free(&now);
		seccomp_transaction_reject(ctx);
		now = ki_export(ctx);
		assert_blob_eq(&now, &ref[applied][2], p->name, n, "then reject");
		ki_blob_free(&now);
		seccomp_release(ctx);
		if (!fired)
			break;
	}
	for (int a = 0; a < 2; a++)
		for (int stage = 0; stage < 3; stage++)
			ki_blob_free(&ref[a][stage]);
	ck_assert_msg(n > 1 || p->op == op_arch_add || p->op == op_arch_remove ||
	                  p->op == op_merge || p->op == op_reset || p->op == op_priority,
	              "%s: no allocation at all?", p->name);
	if (tried < n - 1)
		printf("%-36s %3ld of the allocation points up to %ld (one in %ld above 64 under "
		       "valgrind), each failing cleanly\n",
		       p->name, tried - 1, n, step);
	else
		printf("%-36s %3ld allocation point(s), each failing cleanly\n", p->name, n - 1);
}
END_TEST

/* build_args's program is long enough for its tree to be laid out again */
START_TEST(args_heavy_is_long)
{
	scmp_filter_ctx ctx = build_args();
	size_t len = 0;
	ck_assert_int_eq(seccomp_export_bpf_mem(ctx, NULL, &len), 0);
	ck_assert_uint_gt(len / sizeof(struct sock_filter), 300);
	seccomp_release(ctx);
}
END_TEST

START_TEST(fault_init)
{
	long n;
	for (n = 1; n < MAX_POINTS; n++) {
		sg_fault_arm(n);
		scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ERRNO(3));
		int fired = sg_fault_fired();
		sg_fault_arm(0);
		if (fired) {
			ck_assert_ptr_null(ctx);
			continue;
		}
		ck_assert_ptr_nonnull(ctx);
		ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(read), 0), 0);
		seccomp_release(ctx);
		break;
	}
	printf("%-36s %3ld allocation point(s), each failing cleanly\n", "init", n - 1);
	ck_assert_int_ge(n, 2);
}
END_TEST

START_TEST(fault_notify_alloc)
{
	for (int which = 0; which < 3; which++) {
		long n;
		for (n = 1; n < MAX_POINTS; n++) {
			struct seccomp_notif *req = (void *)&n;
			struct seccomp_notif_resp *resp = (void *)&n;
			int rc;
			sg_fault_arm(n);
			rc = seccomp_notify_alloc(which == 1 ? NULL : &req,
			                          which == 2 ? NULL : &resp);
			int fired = sg_fault_fired();
			sg_fault_arm(0);
			if (rc == -EOPNOTSUPP || rc == -ECANCELED) {
				/* no seccomp(2), or (valgrind) no SECCOMP_GET_NOTIF_SIZES */
				tu_skip_part("fault_notify_alloc: the kernel cannot tell the sizes");
				return;
			}
			if (fired) {
				/* nothing handed out, nothing kept */
				ck_assert_int_eq(rc, -ENOMEM);
				ck_assert_ptr_eq(req, (void *)&n);
				ck_assert_ptr_eq(resp, (void *)&n);
				continue;
			}
			ck_assert_int_eq(rc, 0);
			seccomp_notify_free(which == 1 ? NULL : req, which == 2 ? NULL : resp);
			break;
		}
		printf("%-36s %3ld allocation point(s), each failing cleanly\n", "notify_alloc",
		       n - 1);
	}
}
END_TEST

/* seccomp_load: compiling fails before anything reaches the kernel (each in a child) */
START_TEST(fault_load)
{
	long n;

	if (getenv("SYSGATE_UNDER_VALGRIND")) {
		tu_skip_part("fault_load: valgrind cannot run seccomp(2)");
		return;
	}
	for (n = 1; n < MAX_POINTS; n++) {
		int status;
		fflush(NULL);
		pid_t pid = fork();
		ck_assert_int_ge(pid, 0);
		if (pid == 0) {
			scmp_filter_ctx ctx = build_full();
			int rc, fired;
			sg_fault_arm(n);
			rc = seccomp_load(ctx);
			fired = sg_fault_fired();
			sg_fault_arm(0);
			if (fired && rc == -ENOMEM) {
				int mode = prctl(PR_GET_SECCOMP, 0, 0, 0, 0);
				seccomp_release(ctx);
				_exit(mode == 0 ? 10 : 2); /* failed, and no filter is in force */
			}
			seccomp_release(ctx);
			_exit(rc == 0 ? 0 : 3);
		}
		ck_assert_int_eq(waitpid(pid, &status, 0), pid);
		ck_assert_msg(WIFEXITED(status), "status 0x%x", status);
		if (WEXITSTATUS(status) == 10)
			continue;
		ck_assert_msg(WEXITSTATUS(status) == 0, "allocation %ld: exit %d", n,
		              WEXITSTATUS(status));
		break;
	}
	printf("%-36s %3ld allocation point(s), each failing cleanly\n", "load", n - 1);
}
END_TEST

static Suite *fault_suite(void)
{
	Suite *s = suite_create("faults");
	TCase *tc = tcase_create("faults");
	tcase_set_timeout(tc, 300); /* also runs under valgrind */
	tcase_add_test(tc, fault_init);
	tcase_add_loop_test(tc, fault_path, 0, NPATHS);
	tcase_add_test(tc, args_heavy_is_long);
	tcase_add_test(tc, fault_notify_alloc);
	tcase_add_test(tc, fault_load);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	/* tests/valgrind.sh asks for the kernel's level outside valgrind (which lacks seccomp(2))
	 */
	if (argc > 1 && strcmp(argv[1], "--api-level") == 0) {
		printf("%u\n", seccomp_api_get());
		return 0;
	}
	tu_api_level_from_env();
#ifndef SG_FAULT_INJECTION
	printf("SKIP: built without --enable-fault-injection; no allocation can be made to fail\n");
	(void)fault_suite;
	return 77;
#else
	return tu_run_suite(fault_suite());
#endif
}
