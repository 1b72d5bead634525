/*
 * test_ladder_ref.c - libseccomp 2.6.1's verdicts on its "errno ladders" (ladders.h), as a
 * black box: the reference library builds each ladder, exports its BPF, and sysgate's
 * interpreter runs that program. Its verdicts must be the ladders' intended ones, which
 * test_ladder requires of sysgate: so the two libraries agree there. Also printed, not
 * checked: libseccomp's verdicts where the precedence between rules has a cycle (sysgate's
 * answer is defined by ir.h; libseccomp's follows its internal tree).
 *
 * The reference is $SYSGATE_REF_LIBSECCOMP_261, or $(top_srcdir)/../shared/ref/libseccomp-2.6.1/lib/
 * libseccomp.so.2[.6.1] (see ../shared/README.md); without it the test is skipped (exit 77).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <check.h>
#include <dlfcn.h>
#include <errno.h>

#include <seccomp.h>

#include "ladders.h"
#include "testcheck.h"

static struct {
	void *handle;
	const struct scmp_version *(*version)(void);
	scmp_filter_ctx (*init)(uint32_t);
	void (*release)(scmp_filter_ctx);
	int (*arch_add)(scmp_filter_ctx, uint32_t);
	int (*arch_remove)(scmp_filter_ctx, uint32_t);
	int (*rule_add_array)(scmp_filter_ctx, uint32_t, int, unsigned int,
	                      const struct scmp_arg_cmp *);
	int (*export_bpf)(const scmp_filter_ctx, int);
	int (*api_set)(unsigned int);
} R;

static bool ref_open(void)
{
	const char *env = getenv("SYSGATE_REF_LIBSECCOMP_261"), *top = getenv("top_srcdir");
	char path[4096];

	/* the shared copy may hold the symlinks as small text files: try the real file too */
	for (int i = 0; !R.handle && i < 2; i++) {
		if (env)
			snprintf(path, sizeof(path), "%s", env);
		else
			snprintf(path, sizeof(path),
			         "%s/../shared/ref/libseccomp-2.6.1/lib/libseccomp.so.2%s",
			         top ? top : ".", i ? ".6.1" : "");
		R.handle = dlopen(path, TU_REF_DLFLAGS); /* testutil.h */
	}
	if (!R.handle) {
		printf("SKIP: no libseccomp 2.6.1 reference at %s (%s)\n", path, dlerror());
		return false;
	}
	*(void **)&R.version = dlsym(R.handle, "seccomp_version");
	*(void **)&R.init = dlsym(R.handle, "seccomp_init");
	*(void **)&R.release = dlsym(R.handle, "seccomp_release");
	*(void **)&R.arch_add = dlsym(R.handle, "seccomp_arch_add");
	*(void **)&R.arch_remove = dlsym(R.handle, "seccomp_arch_remove");
	*(void **)&R.rule_add_array = dlsym(R.handle, "seccomp_rule_add_array");
	*(void **)&R.export_bpf = dlsym(R.handle, "seccomp_export_bpf");
	*(void **)&R.api_set = dlsym(R.handle, "seccomp_api_set");
	if (!R.version || !R.init || !R.release || !R.arch_add || !R.arch_remove ||
	    !R.rule_add_array || !R.export_bpf || !R.api_set ||
	    (void *)R.init == (void *)seccomp_init) {
		printf("SKIP: %s is not a usable libseccomp\n", path);
		return false;
	}
	const struct scmp_version *v = R.version();
	if (v->major != 2 || v->minor != 6) {
		printf("SKIP: %s is libseccomp %u.%u.%u, not 2.6\n", path, v->major, v->minor,
		       v->micro);
		return false;
	}
	/* under valgrind libseccomp's kernel probes fail: tests/valgrind.sh passes the level */
	if (getenv("SYSGATE_TEST_API_LEVEL"))
		R.api_set((unsigned int)atoi(getenv("SYSGATE_TEST_API_LEVEL")));
	printf("reference: %s, libseccomp %u.%u.%u\n", path, v->major, v->minor, v->micro);
	return true;
}

struct ref_prog {
	struct sock_filter insns[4096];
	size_t len;
};

/* the reference's program for ctx */
static void ref_export(scmp_filter_ctx ctx, struct ref_prog *p)
{
	FILE *tmp = tmpfile();
	ck_assert_ptr_nonnull(tmp);
	ck_assert_int_eq(R.export_bpf(ctx, fileno(tmp)), 0);
	rewind(tmp);
	p->len = fread(p->insns, sizeof(p->insns[0]), 4096, tmp);
	fclose(tmp);
	ck_assert_uint_gt(p->len, 0);
}

/* a reference context for one ABI (token 0: native) */
static scmp_filter_ctx ref_ctx(uint32_t def, uint32_t token)
{
	scmp_filter_ctx ctx = R.init(def);
	ck_assert_ptr_nonnull(ctx);
	if (token) {
		ck_assert_int_eq(R.arch_add(ctx, token), 0);
		ck_assert_int_eq(R.arch_remove(ctx, SCMP_ARCH_NATIVE), 0);
	}
	return ctx;
}

START_TEST(ladders)
{
	static const uint32_t tokens[] = {0, SCMP_ARCH_X86, SCMP_ARCH_ARM, SCMP_ARCH_AARCH64};
	const uint32_t def = SCMP_ACT_ERRNO(99);
	uint64_t vals[64];
	unsigned int nv = ladder_values(vals, 64);
	long checked = 0;

	for (size_t t = 0; t < sizeof(tokens) / sizeof(tokens[0]); t++) {
		uint32_t arch = tokens[t] ? tokens[t] : seccomp_arch_native();
		bool abi32 = arch == SCMP_ARCH_X86 || arch == SCMP_ARCH_ARM;
		for (int kind = 0; kind < LADDER_KINDS; kind++) {
			const char *call = kind < LADDER_LT ? "read" : "write";
			for (int reverse = 0; reverse < 2; reverse++) {
				struct ladder_rule r[LADDER_RUNGS];
				scmp_filter_ctx ctx = ref_ctx(def, tokens[t]);
				static struct ref_prog p;
				ladder_rules((enum ladder_kind)kind, 2, r);
				for (int i = 0; i < LADDER_RUNGS; i++) {
					int k = reverse ? LADDER_RUNGS - 1 - i : i;
					ck_assert_int_eq(
					    R.rule_add_array(ctx, r[k].action,
					                     seccomp_syscall_resolve_name(call), 1,
					                     &r[k].cmp),
					    0);
				}
				ref_export(ctx, &p);
				R.release(ctx);
				struct seccomp_data d = {
				    .arch = arch,
				    .nr = seccomp_syscall_resolve_name_arch(arch, call)};
				for (unsigned int i = 0; i < nv; i++) {
					d.args[2] = vals[i];
					uint64_t seen = abi32 ? vals[i] & 0xffffffffu : vals[i];
					uint32_t want =
					    ladder_expect((enum ladder_kind)kind, seen, def);
					uint32_t got = sg_bpf_run(p.insns, p.len, &d, false, NULL);
					ck_assert_msg(
					    got == want,
					    "libseccomp 2.6.1, arch 0x%x, %s ladder%s: A2 = "
					    "0x%" PRIx64 ": 0x%08x, intended 0x%08x",
					    arch, ladder_names[kind],
					    reverse ? " (added in reverse)" : "", vals[i], got,
					    want);
					checked++;
				}
			}
		}
	}
	printf("ladders: libseccomp 2.6.1 gives the intended verdict in all %ld cases (4 ABIs, "
	       "4 ladders, both add orders)\n",
	       checked);
}
END_TEST

START_TEST(cycle)
{
	/* ALLOW A0 <= 10 inside ERRNO(1) A0 <= 100; ERRNO(2) A0 >= 5 overlaps both: sysgate
	 * gives 2 -> ALLOW, 7 -> ERRNO(2), 50 -> ERRNO(1), 150 -> ERRNO(2) */
	static const uint64_t vals[] = {2, 7, 50, 150};
	const struct scmp_arg_cmp a = {0, SCMP_CMP_LE, 10, 0}, b = {0, SCMP_CMP_LE, 100, 0},
	                          c = {0, SCMP_CMP_GE, 5, 0};
	scmp_filter_ctx ctx = ref_ctx(SCMP_ACT_KILL, 0);
	static struct ref_prog p;
	int nr = seccomp_syscall_resolve_name("dup");

	ck_assert_int_eq(R.rule_add_array(ctx, SCMP_ACT_ALLOW, nr, 1, &a), 0);
	ck_assert_int_eq(R.rule_add_array(ctx, SCMP_ACT_ERRNO(1), nr, 1, &b), 0);
	ck_assert_int_eq(R.rule_add_array(ctx, SCMP_ACT_ERRNO(2), nr, 1, &c), 0);
	ref_export(ctx, &p);
	R.release(ctx);
	printf("cycle: libseccomp 2.6.1 gives");
	for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
		struct seccomp_data d = {.arch = seccomp_arch_native(), .nr = nr};
		d.args[0] = vals[i];
		printf(" %" PRIu64 " -> 0x%08x", vals[i],
		       sg_bpf_run(p.insns, p.len, &d, false, NULL));
	}
	printf("\n");
}
END_TEST

START_TEST(nested_across_arguments)
{
	/* A0 == 1 && A1 == 2 (LOG) is inside A1 == 2 (KILL_PROCESS): sysgate gives LOG for
	 * (1, 2), KILL_PROCESS for (0, 2) */
	static const uint64_t vals[][2] = {{1, 2}, {0, 2}};
	const struct scmp_arg_cmp outer = {1, SCMP_CMP_EQ, 2, 0},
	                          inner[] = {{0, SCMP_CMP_EQ, 1, 0}, {1, SCMP_CMP_EQ, 2, 0}};
	static struct ref_prog p;

	for (int order = 0; order < 2; order++) {
		scmp_filter_ctx ctx = ref_ctx(SCMP_ACT_ALLOW, 0);
		int nr = seccomp_syscall_resolve_name("dup");
		for (int i = 0; i < 2; i++) {
			if (i == order)
				ck_assert_int_eq(
				    R.rule_add_array(ctx, SCMP_ACT_KILL_PROCESS, nr, 1, &outer), 0);
			else
				ck_assert_int_eq(R.rule_add_array(ctx, SCMP_ACT_LOG, nr, 2, inner),
				                 0);
		}
		ref_export(ctx, &p);
		R.release(ctx);
		printf("nested across arguments (%s added first): libseccomp 2.6.1 gives",
		       order ? "inner" : "outer");
		for (size_t i = 0; i < 2; i++) {
			struct seccomp_data d = {.arch = seccomp_arch_native(), .nr = nr};
			d.args[0] = vals[i][0];
			d.args[1] = vals[i][1];
			printf(" (%" PRIu64 ", %" PRIu64 ") -> 0x%08x", vals[i][0], vals[i][1],
			       sg_bpf_run(p.insns, p.len, &d, false, NULL));
		}
		printf("\n");
	}
}
END_TEST

int main(void)
{
	if (!ref_open())
		return 77;
	Suite *s = suite_create("ladder_ref");
	TCase *tc = tcase_create("ladder_ref");
	tcase_add_test(tc, ladders);
	tcase_add_test(tc, cycle);
	tcase_add_test(tc, nested_across_arguments);
	suite_add_tcase(s, tc);
	return tu_run_suite(s);
}
