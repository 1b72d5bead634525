/*
 * test_core.c - the compiler core: rule-add semantics and errors, the IR's meaning, and the
 * emitted program's agreement with the IR (boundary tables and randomised policies).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <unistd.h>

#include <seccomp.h>

#include "testcheck.h"
#include "bpf_sym.h"
#include "emit.h"

#define NR_TEST 1000 /* unassigned on every ABI the tests use natively */

static struct sg_filter *F(scmp_filter_ctx ctx)
{
	return (struct sg_filter *)ctx;
}

static struct seccomp_data data_for(const struct sg_filter *f, int nr, const uint64_t a[6])
{
	struct seccomp_data d = {.nr = nr, .arch = f->arch[0].arch->audit};
	for (int i = 0; i < 6; i++)
		d.args[i] = a ? a[i] : 0;
	return d;
}

/* the filter's verdict for nr(args), checked to be the same from the IR and the program */
static uint32_t verdict(scmp_filter_ctx ctx, int nr, const uint64_t a[6])
{
	struct sg_filter *f = F(ctx);
	struct seccomp_data d = data_for(f, nr, a);
	struct sg_program *p = tu_compile(f);
	uint32_t ir = sg_ir_eval(f, &d), prog = tu_run(f, p, &d);
	ck_assert_msg(ir == prog, "nr %d: IR 0x%08x, program 0x%08x", nr, ir, prog);
	sg_program_free(p);
	return ir;
}

/* the complete observable state of a context: its program bytes and its PFC */
struct state {
	char *pfc;
	size_t pfc_len;
	void *bpf;
	size_t bpf_len;
};

static void state_get(scmp_filter_ctx ctx, struct state *s)
{
	FILE *tmp = tmpfile();
	ck_assert_ptr_nonnull(tmp);
	ck_assert_int_eq(seccomp_export_pfc(ctx, fileno(tmp)), 0);
	s->pfc_len = (size_t)ftell(tmp);
	fseek(tmp, 0, SEEK_END);
	s->pfc_len = (size_t)ftell(tmp);
	rewind(tmp);
	s->pfc = malloc(s->pfc_len + 1);
	ck_assert_uint_eq(fread(s->pfc, 1, s->pfc_len, tmp), s->pfc_len);
	fclose(tmp);
	s->bpf_len = 0;
	ck_assert_int_eq(seccomp_export_bpf_mem(ctx, NULL, &s->bpf_len), 0);
	s->bpf = malloc(s->bpf_len);
	ck_assert_int_eq(seccomp_export_bpf_mem(ctx, s->bpf, &s->bpf_len), 0);
}

static void state_assert_same(scmp_filter_ctx ctx, const struct state *before)
{
	struct state now;
	state_get(ctx, &now);
	ck_assert_uint_eq(now.pfc_len, before->pfc_len);
	ck_assert(memcmp(now.pfc, before->pfc, now.pfc_len) == 0);
	ck_assert_uint_eq(now.bpf_len, before->bpf_len);
	ck_assert(memcmp(now.bpf, before->bpf, now.bpf_len) == 0);
	free(now.pfc);
	free(now.bpf);
}

static void state_free(struct state *s)
{
	free(s->pfc);
	free(s->bpf);
}

/* an error return must leave the context exactly as it was */
#define ASSERT_FAILS_UNCHANGED(ctx, expr, err)                                                     \
	do {                                                                                       \
		struct state before_;                                                              \
		state_get(ctx, &before_);                                                          \
		ck_assert_int_eq((expr), (err));                                                   \
		state_assert_same(ctx, &before_);                                                  \
		state_free(&before_);                                                              \
	} while (0)

START_TEST(rule_add_errors)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	struct scmp_arg_cmp two[2] = {SCMP_A0(SCMP_CMP_EQ, 1), SCMP_A0(SCMP_CMP_EQ, 2)};
	struct scmp_arg_cmp seven[7];

	ck_assert_ptr_nonnull(ctx);
	ck_assert_int_eq(
	    seccomp_rule_add(ctx, SCMP_ACT_ERRNO(1), NR_TEST, 1, SCMP_A0(SCMP_CMP_EQ, 5)), 0);
	for (int i = 0; i < 7; i++)
		seven[i] = SCMP_CMP(i % 6, SCMP_CMP_EQ, i);

	/* rule action == default action */
	ASSERT_FAILS_UNCHANGED(ctx, seccomp_rule_add(ctx, SCMP_ACT_ALLOW, 1, 0), -EACCES);
	/* same argument chain, different action */
	ASSERT_FAILS_UNCHANGED(
	    ctx, seccomp_rule_add(ctx, SCMP_ACT_ERRNO(2), NR_TEST, 1, SCMP_A0(SCMP_CMP_EQ, 5)),
	    -EEXIST);
	/* two comparisons on one argument */
	ASSERT_FAILS_UNCHANGED(ctx, seccomp_rule_add_array(ctx, SCMP_ACT_KILL, 2, 2, two), -EINVAL);
	/* _exact with a pseudo number on the native ABI names no syscall, also where the ABI has
	 * the call under a real number (libseccomp 2.6.1: -EDOM) */
	if (sg_arch_syscall_nr(sg_arch_native(), "arch_prctl") >= 0)
		ASSERT_FAILS_UNCHANGED(
		    ctx, seccomp_rule_add_exact(ctx, SCMP_ACT_KILL, __PNR_arch_prctl, 0), -EDOM);
	if (!(sg_arch_native()->mux & SG_MUX_SOCKET))
		ASSERT_FAILS_UNCHANGED(
		    ctx, seccomp_rule_add_exact(ctx, SCMP_ACT_KILL, __PNR_socket, 0), -EDOM);
	/* argument index, operator, count */
	ASSERT_FAILS_UNCHANGED(
	    ctx, seccomp_rule_add(ctx, SCMP_ACT_KILL, 2, 1, SCMP_CMP(6, SCMP_CMP_EQ, 1)), -EINVAL);
	ASSERT_FAILS_UNCHANGED(ctx, seccomp_rule_add(ctx, SCMP_ACT_KILL, 2, 1, SCMP_CMP(0, 0, 1)),
	                       -EINVAL);
	ASSERT_FAILS_UNCHANGED(ctx, seccomp_rule_add(ctx, SCMP_ACT_KILL, 2, 1, SCMP_CMP(0, 8, 1)),
	                       -EINVAL);
	ASSERT_FAILS_UNCHANGED(ctx, seccomp_rule_add_array(ctx, SCMP_ACT_KILL, 2, 7, seven),
	                       -EINVAL);
	ASSERT_FAILS_UNCHANGED(ctx, seccomp_rule_add_array(ctx, SCMP_ACT_KILL, 2, 1, NULL),
	                       -EINVAL);
	/* invalid actions */
	ASSERT_FAILS_UNCHANGED(ctx, seccomp_rule_add(ctx, 0x12345678, 2, 0), -EINVAL);
	ASSERT_FAILS_UNCHANGED(ctx, seccomp_rule_add(ctx, SCMP_ACT_ERRNO(4095), 2, 0), -EINVAL);
	ASSERT_FAILS_UNCHANGED(ctx, seccomp_rule_add(ctx, SCMP_ACT_ERRNO(4096), 2, 0), -EINVAL);
	ASSERT_FAILS_UNCHANGED(ctx, seccomp_rule_add(ctx, SCMP_ACT_ALLOW | 1, 2, 0), -EINVAL);
	/* reserved syscall numbers; -1 needs API_TSKIP */
	ASSERT_FAILS_UNCHANGED(ctx, seccomp_rule_add(ctx, SCMP_ACT_KILL, -1, 0), -EINVAL);
	ASSERT_FAILS_UNCHANGED(ctx, seccomp_rule_add(ctx, SCMP_ACT_KILL, -2, 0), -EINVAL);
	ASSERT_FAILS_UNCHANGED(ctx, seccomp_rule_add(ctx, SCMP_ACT_KILL, -99, 0), -EINVAL);
	/* a negative number that is no pseudo number names no syscall: refused, never kept as
	 * a rule that cannot match (libseccomp 2.6.1 accepts it and leaves it out of the BPF) */
	static const int nameless[] = {-100, -10000, -200000, INT_MIN + 1, INT_MIN};
	for (size_t i = 0; i < sizeof(nameless) / sizeof(nameless[0]); i++) {
		ASSERT_FAILS_UNCHANGED(ctx, seccomp_rule_add(ctx, SCMP_ACT_KILL, nameless[i], 0),
		                       -EINVAL);
		ASSERT_FAILS_UNCHANGED(
		    ctx,
		    seccomp_rule_add(ctx, SCMP_ACT_KILL, nameless[i], 1, SCMP_A0(SCMP_CMP_EQ, 1)),
		    -EINVAL);
		ASSERT_FAILS_UNCHANGED(
		    ctx, seccomp_rule_add_exact(ctx, SCMP_ACT_KILL, nameless[i], 0), -EINVAL);
		ASSERT_FAILS_UNCHANGED(ctx, seccomp_syscall_priority(ctx, nameless[i], 9), -EINVAL);
	}
	/* a pseudo number does name a syscall */
	ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(3), __PNR_socket, 0), 0);
	/* bad contexts */
	ck_assert_int_eq(seccomp_rule_add(NULL, SCMP_ACT_KILL, 1, 0), -EINVAL);
	ck_assert_int_eq(seccomp_rule_add_exact(NULL, SCMP_ACT_KILL, 1, 0), -EINVAL);

	/* which error wins when several apply: libseccomp's order of checks */
	struct scmp_arg_cmp badop = {0, 9, 1, 0};
	ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, -5, 0), -EINVAL);
	ck_assert_int_eq(seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, 1, 7, seven), -EINVAL);
	ck_assert_int_eq(seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, 1, 1, &badop), -EACCES);
	ck_assert_int_eq(seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, 1, 2, two), -EACCES);
	ck_assert_int_eq(seccomp_rule_add(ctx, 0x12345678, -5, 0), -EINVAL);
	ck_assert_int_eq(seccomp_arch_add(ctx, SCMP_ARCH_X86), 0);
	ck_assert_int_eq(seccomp_rule_add_exact(ctx, SCMP_ACT_ALLOW, 1, 0), -EACCES);
	ck_assert_int_eq(seccomp_rule_add_exact_array(ctx, SCMP_ACT_KILL, 1, 1, &badop),
	                 -EOPNOTSUPP);
	ck_assert_int_eq(seccomp_rule_add_exact_array(ctx, SCMP_ACT_KILL, 1, 7, seven), -EINVAL);
	ck_assert_int_eq(seccomp_arch_remove(ctx, SCMP_ARCH_X86), 0);

	ck_assert_int_eq(seccomp_attr_set(ctx, SCMP_FLTATR_API_TSKIP, 1), 0);
	ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(7), -1, 0), 0);
	ck_assert_uint_eq(verdict(ctx, -1, NULL), SCMP_ACT_ERRNO(7));
	seccomp_release(ctx);
}
END_TEST

START_TEST(rule_add_semantics)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	uint64_t a1[6] = {1, 2}, a2[6] = {1, 3}, a9[6] = {9};

	/* first unconditional action wins; later conditional rules are dropped */
	ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(1), 1001, 0), 0);
	ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(2), 1001, 0), 0);
	ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(3), 1001, 1, SCMP_A0(SCMP_CMP_EQ, 1)),
	                 0);
	ck_assert_uint_eq(verdict(ctx, 1001, a1), SCMP_ACT_ERRNO(1));

	/* an unconditional rule replaces conditional ones */
	ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(3), 1002, 1, SCMP_A0(SCMP_CMP_EQ, 1)),
	                 0);
	ck_assert_uint_eq(verdict(ctx, 1002, a9), SCMP_ACT_ALLOW);
	ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(4), 1002, 0), 0);
	ck_assert_uint_eq(verdict(ctx, 1002, a1), SCMP_ACT_ERRNO(4));
	ck_assert_uint_eq(verdict(ctx, 1002, a9), SCMP_ACT_ERRNO(4));

	/* duplicates are fine; a longer chain after a shorter prefix is dropped */
	ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(5), 1003, 1, SCMP_A0(SCMP_CMP_EQ, 1)),
	                 0);
	ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(5), 1003, 1, SCMP_A0(SCMP_CMP_EQ, 1)),
	                 0);
	ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(6), 1003, 2, SCMP_A0(SCMP_CMP_EQ, 1),
	                                  SCMP_A1(SCMP_CMP_EQ, 2)),
	                 0);
	ck_assert_uint_eq(verdict(ctx, 1003, a1), SCMP_ACT_ERRNO(5));

	/* a shorter prefix after a longer chain: conflict unless the action is the same */
	ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(7), 1004, 2, SCMP_A0(SCMP_CMP_EQ, 1),
	                                  SCMP_A1(SCMP_CMP_EQ, 2)),
	                 0);
	ASSERT_FAILS_UNCHANGED(
	    ctx, seccomp_rule_add(ctx, SCMP_ACT_ERRNO(8), 1004, 1, SCMP_A0(SCMP_CMP_EQ, 1)),
	    -EEXIST);
	ck_assert_uint_eq(verdict(ctx, 1004, a2), SCMP_ACT_ALLOW);
	ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(7), 1004, 1, SCMP_A0(SCMP_CMP_EQ, 1)),
	                 0);
	ck_assert_uint_eq(verdict(ctx, 1004, a2), SCMP_ACT_ERRNO(7));

	/* the argument order given does not matter */
	ASSERT_FAILS_UNCHANGED(
	    ctx, seccomp_rule_add(ctx, SCMP_ACT_ERRNO(9), 1004, 1, SCMP_A0(SCMP_CMP_EQ, 1)),
	    -EEXIST);

	/* overlapping rules, none inside another: the most restrictive action wins, whatever the
	 * order (a rule inside another wins over it: test_ladder) */
	ck_assert_int_eq(
	    seccomp_rule_add(ctx, SCMP_ACT_ERRNO(20), 1005, 1, SCMP_A1(SCMP_CMP_EQ, 2)), 0);
	ck_assert_int_eq(
	    seccomp_rule_add(ctx, SCMP_ACT_KILL_PROCESS, 1005, 1, SCMP_A0(SCMP_CMP_EQ, 1)), 0);
	ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_LOG, 1005, 1, SCMP_A2(SCMP_CMP_EQ, 0)), 0);
	ck_assert_uint_eq(verdict(ctx, 1005, a1), SCMP_ACT_KILL_PROCESS);
	ck_assert_uint_eq(verdict(ctx, 1005, (uint64_t[6]){0, 2, 0}), SCMP_ACT_ERRNO(20));
	ck_assert_uint_eq(verdict(ctx, 1005, (uint64_t[6]){0, 0, 0}), SCMP_ACT_LOG);
	ck_assert_uint_eq(verdict(ctx, 1005, (uint64_t[6]){0, 0, 5}), SCMP_ACT_ALLOW);
	seccomp_release(ctx);
}
END_TEST

START_TEST(context_api)
{
	scmp_filter_ctx ctx;
	uint32_t v;

	ck_assert_ptr_null(seccomp_init(0x12345678));
	ck_assert_ptr_null(seccomp_init(SCMP_ACT_ERRNO(5000)));
	ctx = seccomp_init(SCMP_ACT_KILL);
	ck_assert_ptr_nonnull(ctx);

	ck_assert_int_eq(seccomp_attr_get(ctx, SCMP_FLTATR_ACT_DEFAULT, &v), 0);
	ck_assert_uint_eq(v, SCMP_ACT_KILL);
	ck_assert_int_eq(seccomp_attr_set(ctx, SCMP_FLTATR_ACT_DEFAULT, SCMP_ACT_ALLOW), -EACCES);
	ck_assert_int_eq(seccomp_attr_get(ctx, SCMP_FLTATR_CTL_NNP, &v), 0);
	ck_assert_uint_eq(v, 1);
	ck_assert_int_eq(seccomp_attr_get(ctx, SCMP_FLTATR_CTL_OPTIMIZE, &v), 0);
	ck_assert_uint_eq(v, 1);
	ck_assert_int_eq(seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 0), -EOPNOTSUPP);
	ck_assert_int_eq(seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 3), -EOPNOTSUPP);
	ck_assert_int_eq(seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2), 0);
	ck_assert_int_eq(seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, 0x12345678), -EINVAL);
	ck_assert_int_eq(seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_ERRNO(9)), 0);
	ck_assert_int_eq(seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 7), 0);
	ck_assert_int_eq(seccomp_attr_get(ctx, SCMP_FLTATR_CTL_NNP, &v), 0);
	ck_assert_uint_eq(v, 1);
	ck_assert_int_eq(seccomp_attr_get(ctx, _SCMP_FLTATR_MAX, &v), -EINVAL);
	ck_assert_int_eq(seccomp_attr_set(ctx, _SCMP_FLTATR_MIN, 0), -EINVAL);
	ck_assert_int_eq(seccomp_attr_get(ctx, SCMP_FLTATR_CTL_NNP, NULL), -EINVAL);
	ck_assert_int_eq(seccomp_attr_get(NULL, SCMP_FLTATR_CTL_NNP, &v), -EINVAL);

	/* arch_exist answers -EEXIST for an absent arch (libseccomp's inverted naming) */
	ck_assert_int_eq(seccomp_arch_exist(ctx, SCMP_ARCH_NATIVE), 0);
	ck_assert_int_eq(seccomp_arch_exist(ctx, seccomp_arch_native()), 0);
	ck_assert_int_eq(seccomp_arch_exist(ctx, 0x1234), -EINVAL);
	ck_assert_int_eq(seccomp_arch_add(ctx, SCMP_ARCH_NATIVE), -EEXIST);
	ck_assert_int_eq(seccomp_arch_add(ctx, 0x1234), -EINVAL);

	/* reset restores every default and keeps the context usable */
	ck_assert_int_eq(seccomp_reset(ctx, SCMP_ACT_ALLOW), 0);
	ck_assert_int_eq(seccomp_attr_get(ctx, SCMP_FLTATR_ACT_DEFAULT, &v), 0);
	ck_assert_uint_eq(v, SCMP_ACT_ALLOW);
	ck_assert_int_eq(seccomp_attr_get(ctx, SCMP_FLTATR_ACT_BADARCH, &v), 0);
	ck_assert_uint_eq(v, SCMP_ACT_KILL);
	ck_assert_int_eq(seccomp_attr_get(ctx, SCMP_FLTATR_CTL_OPTIMIZE, &v), 0);
	ck_assert_uint_eq(v, 1);
	ck_assert_int_eq(seccomp_reset(ctx, 0x12345678), -EINVAL);
	ck_assert_int_eq(seccomp_reset(NULL, 0x12345678), 0);

	/* removing the last arch is allowed; rule and export calls then fail */
	ck_assert_int_eq(seccomp_arch_remove(ctx, SCMP_ARCH_NATIVE), 0);
	ck_assert_int_eq(seccomp_arch_remove(ctx, SCMP_ARCH_NATIVE), -EEXIST);
	ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_KILL, 1, 0), -EINVAL);
	ck_assert_int_eq(seccomp_export_bpf(ctx, 1), -EINVAL);
	ck_assert_int_eq(seccomp_arch_add(ctx, SCMP_ARCH_NATIVE), 0);
	ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_KILL, 1, 0), 0);

	const struct scmp_version *ver = seccomp_version();
	ck_assert_uint_eq(ver->major, 2);
	ck_assert_uint_ge(ver->minor, 6);
	/* merging a context into itself: its architectures are all there already (libseccomp
	 * 2.6.1: -EEXIST; -EINVAL when it has none); the context stays usable */
	ck_assert_int_eq(seccomp_merge(ctx, ctx), -EEXIST);
	ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(1), 2, 0), 0);
	ck_assert_int_eq(seccomp_merge(ctx, NULL), -EINVAL);
	ck_assert_int_eq(seccomp_merge(NULL, ctx), -EINVAL);
	ck_assert_int_eq(seccomp_arch_remove(ctx, SCMP_ARCH_NATIVE), 0);
	ck_assert_int_eq(seccomp_merge(ctx, ctx), -EINVAL);
	seccomp_release(ctx);
	seccomp_release(NULL);
}
END_TEST

START_TEST(export_mem)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	size_t len = 0, need;
	char small[8];
	int pfd[2];

	ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(1), 1, 0), 0);
	ck_assert_int_eq(seccomp_export_bpf_mem(ctx, NULL, NULL), -EINVAL);
	ck_assert_int_eq(seccomp_export_bpf_mem(ctx, NULL, &len), 0);
	ck_assert_uint_gt(len, 0);
	ck_assert_uint_eq(len % sizeof(struct sock_filter), 0);
	need = len;
	len = sizeof(small);
	ck_assert_int_eq(seccomp_export_bpf_mem(ctx, small, &len), -ERANGE);
	ck_assert_uint_eq(len, need);

	/* export_bpf writes the same bytes, in one piece */
	char *mem = malloc(need), *piped = malloc(need + 1);
	ck_assert_int_eq(seccomp_export_bpf_mem(ctx, mem, &len), 0);
	ck_assert_int_eq(pipe(pfd), 0);
	ck_assert_int_eq(seccomp_export_bpf(ctx, pfd[1]), 0);
	close(pfd[1]);
	ck_assert_int_eq(read(pfd[0], piped, need + 1), (ssize_t)need);
	close(pfd[0]);
	ck_assert(memcmp(mem, piped, need) == 0);
	ck_assert_int_eq(sg_bpf_check((struct sock_filter *)mem, need / 8), 0);
	free(mem);
	free(piped);

	/* a write error is a kernel error */
	ck_assert_int_eq(seccomp_export_bpf(ctx, -1), -ECANCELED);
	ck_assert_int_eq(seccomp_attr_set(ctx, SCMP_FLTATR_API_SYSRAWRC, 1), 0);
	ck_assert_int_eq(seccomp_export_bpf(ctx, -1), -EBADF);
	seccomp_release(ctx);
}
END_TEST

/*
 * Every operator at the word boundaries, on 64-bit LE, 64-bit BE and 32-bit ABIs:
 * the program's verdict equals the IR's, and the IR equals plain C arithmetic.
 */
static void boundaries_on(uint32_t arch_token)
{
	for (int op = SCMP_CMP_NE; op <= SCMP_CMP_MASKED_EQ; op++) {
		for (size_t di = 0; di < TU_NEDGES; di++) {
			scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
			struct sg_filter *f = F(ctx);
			uint64_t datum = tu_edges[di], mask = tu_edges[(di * 7 + 3) % TU_NEDGES];
			struct scmp_arg_cmp cmp = {2, op, op == SCMP_CMP_MASKED_EQ ? mask : datum,
			                           datum};
			int nr;

			if (arch_token != SCMP_ARCH_NATIVE) {
				ck_assert_int_eq(seccomp_arch_remove(ctx, SCMP_ARCH_NATIVE), 0);
				ck_assert_int_eq(seccomp_arch_add(ctx, arch_token), 0);
			}
			nr = seccomp_syscall_resolve_name_arch(arch_token, "read");
			ck_assert_int_ge(nr, 0);
			/* rules are given as native numbers */
			ck_assert_int_eq(
			    seccomp_rule_add(ctx, SCMP_ACT_ERRNO(op), SCMP_SYS(read), 1, cmp), 0);
			struct sg_program *p = tu_compile(f);
			ck_assert_int_eq(sg_bpf_check(p->insns, p->len), 0);
			for (size_t vi = 0; vi < TU_NEDGES + 6; vi++) {
				uint64_t v = vi < TU_NEDGES
				                 ? tu_edges[vi]
				                 : datum + (uint64_t)(vi - TU_NEDGES) - 3;
				uint64_t args[6] = {0, 0, v};
				struct seccomp_data d = data_for(f, nr, args);
				uint32_t ir = sg_ir_eval(f, &d), prog = tu_run(f, p, &d);
				bool expect = tu_cmp_meaning(f->arch[0].arch, (unsigned int)op, v,
				                             datum, mask);
				ck_assert_msg(ir == prog,
				              "arch %08x op %d datum %016" PRIx64
				              " mask %016" PRIx64 " value %016" PRIx64
				              ": IR %08x program %08x",
				              arch_token, op, datum, mask, v, ir, prog);
				ck_assert_msg(ir == (expect ? SCMP_ACT_ERRNO(op) : SCMP_ACT_ALLOW),
				              "arch %08x op %d datum %016" PRIx64
				              " value %016" PRIx64 ": IR %08x",
				              arch_token, op, datum, v, ir);
			}
			sg_program_free(p);
			seccomp_release(ctx);
		}
	}
}

START_TEST(boundaries_native)
{
	boundaries_on(SCMP_ARCH_NATIVE);
}
END_TEST

START_TEST(boundaries_other_abis)
{
	static const uint32_t abis[] = {SCMP_ARCH_X86, SCMP_ARCH_AARCH64, SCMP_ARCH_ARM,
	                                SCMP_ARCH_X32, SCMP_ARCH_MIPSEL};
	for (size_t i = 0; i < sizeof(abis) / sizeof(abis[0]); i++)
		boundaries_on(abis[i]);
}
END_TEST

START_TEST(boundaries_big_endian)
{
	static const uint32_t abis[] = {SCMP_ARCH_S390X, SCMP_ARCH_PPC64, SCMP_ARCH_PPC,
	                                SCMP_ARCH_MIPS, SCMP_ARCH_S390};
	for (size_t i = 0; i < sizeof(abis) / sizeof(abis[0]); i++)
		boundaries_on(abis[i]);
}
END_TEST

/*
 * Random policies on a handful of syscalls: every rule kind, several rules per syscall,
 * random and boundary arguments. IR verdict == program verdict, always; every program passes
 * the kernel's checker; every unconditionally allowed syscall is const-allow for the cache.
 */
static const uint32_t rand_actions[] = {
    SCMP_ACT_ALLOW, SCMP_ACT_ERRNO(1), SCMP_ACT_ERRNO(2), SCMP_ACT_KILL_PROCESS, SCMP_ACT_KILL,
    SCMP_ACT_TRAP,  SCMP_ACT_LOG,      SCMP_ACT_TRACE(3), SCMP_ACT_ERRNO(0),
};
#define N_RAND_ACTIONS (sizeof(rand_actions) / sizeof(rand_actions[0]))

static uint32_t rand_action(struct tu_rng *r)
{
	return rand_actions[tu_below(r, N_RAND_ACTIONS)];
}

static void random_policy(struct tu_rng *r, scmp_filter_ctx ctx, int nsys, int nrules)
{
	for (int i = 0; i < nrules; i++) {
		struct scmp_arg_cmp cmp[6];
		unsigned int n = (unsigned int)tu_below(r, 4), used = 0, k = 0;
		int nr = (int)tu_below(r, (uint64_t)nsys);
		for (unsigned int j = 0; j < n; j++) {
			unsigned int arg = (unsigned int)tu_below(r, 6);
			if (used & (1u << arg))
				continue;
			used |= 1u << arg;
			cmp[k].arg = arg;
			cmp[k].op = (enum scmp_compare)(1 + tu_below(r, 7));
			cmp[k].datum_a = tu_value(r);
			cmp[k].datum_b = tu_value(r);
			if (cmp[k].op == SCMP_CMP_MASKED_EQ && tu_below(r, 2))
				cmp[k].datum_b &= cmp[k].datum_a;
			k++;
		}
		/* errors (-EACCES, -EEXIST) are part of the game: the context stays valid */
		(void)seccomp_rule_add_array(ctx, rand_action(r), nr, k, cmp);
	}
}

static void check_random_filter(struct tu_rng *r, scmp_filter_ctx ctx, int nsys, long *cases)
{
	struct sg_filter *f = F(ctx);
	struct sg_program *p = tu_compile(f), *plain = NULL;
	/* the reference lowering: plain halving, no exception leaves, no bytecode passes */
	const struct sg_compile_opts reference = {.tree = 0, .passes = false, .exceptions = false};

	ck_assert_int_eq(sg_compile_with(f, &reference, &plain), 0);

	ck_assert_int_eq(sg_bpf_check(p->insns, p->len), 0);
	for (int nr = 0; nr < nsys + 2; nr++) {
		/* rules hold data for this nr? then try argument vectors near their datums */
		const struct sg_sysrules *s = sg_archdb_find(&f->arch[0], nr);
		for (int t = 0; t < 40; t++) {
			uint64_t args[6];
			for (int a = 0; a < 6; a++) {
				args[a] = tu_value(r);
				if (s && s->nrules && tu_below(r, 2)) {
					const struct sg_rule *ru =
					    &s->rules[tu_below(r, s->nrules)];
					for (unsigned int c = 0; c < ru->ncond; c++)
						if (ru->cond[c].arg == a)
							args[a] =
							    tu_value_near(r, ru->cond[c].datum);
				}
			}
			struct seccomp_data d = data_for(f, nr, args);
			uint32_t ir = sg_ir_eval(f, &d), prog = tu_run(f, p, &d);
			ck_assert_msg(ir == prog, "nr %d: IR %08x program %08x", nr, ir, prog);
			ck_assert_msg(tu_run(f, plain, &d) == ir,
			              "nr %d: reference lowering differs", nr);
			(*cases)++;
		}
		if (s && s->has_uncond && s->uncond_action == SCMP_ACT_ALLOW)
			ck_assert_msg(
			    sg_bpf_const_allow(p->insns, p->len, f->arch[0].arch->audit, nr),
			    "nr %d allowed unconditionally but not const-allow", nr);
	}
	/* translation validation: the program is proven equivalent to the reference lowering on
	 * every input (every arch value, every number, every argument word), not just sampled */
	uint32_t w[SG_SYM_WORDS];
	int eq = sg_sym_equiv(p->insns, p->len, plain->insns, plain->len, 0, w);
	ck_assert_msg(eq == 1,
	              "not proven equivalent to the reference lowering (%d): arch %08x nr %u", eq,
	              w[1], w[0]);
	sg_program_free(plain);
	sg_program_free(p);
}

START_TEST(random_policies)
{
	struct tu_rng r = {tu_seed("random_policies")};
	long cases = 0;
	/* under valgrind (tests/valgrind.sh: memory errors and leaks) a fifth of the policies */
	int iters = getenv("SYSGATE_UNDER_VALGRIND") ? 60 : 300;

	for (int iter = 0; iter < iters; iter++) {
		uint32_t def = rand_action(&r);
		scmp_filter_ctx ctx = seccomp_init(def);
		int nsys = 1 + (int)tu_below(&r, 12);
		ck_assert_ptr_nonnull(ctx);
		if (tu_below(&r, 2))
			ck_assert_int_eq(seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE,
			                                  1 + (uint32_t)tu_below(&r, 2)),
			                 0);
		random_policy(&r, ctx, nsys, 1 + (int)tu_below(&r, 30));
		check_random_filter(&r, ctx, nsys, &cases);
		seccomp_release(ctx);
	}
	printf("random_policies: %ld cases, 0 divergences\n", cases);
}
END_TEST

START_TEST(big_allow_list_layout)
{
	/* 400 syscalls allowed: dispatch stays logarithmic and every one is cacheable */
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ERRNO(1));
	struct sg_filter *f = F(ctx);
	for (int nr = 0; nr < 450; nr += (nr % 7 == 3) ? 2 : 1)
		ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0), 0);
	struct sg_program *p = tu_compile(f);
	ck_assert_int_eq(sg_bpf_check(p->insns, p->len), 0);
	size_t worst = 0;
	for (int nr = -5; nr < 500; nr++) {
		struct seccomp_data d = data_for(f, nr, NULL);
		size_t executed;
		uint32_t prog = sg_bpf_run(p->insns, p->len, &d, false, &executed);
		ck_assert_uint_eq(prog, sg_ir_eval(f, &d));
		if (executed > worst)
			worst = executed;
		if (prog == SCMP_ACT_ALLOW)
			ck_assert(sg_bpf_const_allow(p->insns, p->len, d.arch, nr));
	}
	printf("big_allow_list_layout: %zu instructions, worst path %zu\n", p->len, worst);
	ck_assert_uint_le(worst, 20);
	sg_program_free(p);
	seccomp_release(ctx);
}
END_TEST

START_TEST(transactions)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	struct state s0, s1;

	ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(1), 1, 0), 0);
	state_get(ctx, &s0);
	ck_assert_int_eq(seccomp_transaction_start(ctx), 0);
	ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(2), 2, 0), 0);
	state_get(ctx, &s1);
	ck_assert_int_eq(seccomp_transaction_start(ctx), 0);
	ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(3), 3, 1, SCMP_A0(SCMP_CMP_GT, 3)),
	                 0);
	ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(4), 3, 1, SCMP_A0(SCMP_CMP_GT, 3)),
	                 -EEXIST);
	seccomp_transaction_reject(ctx);
	state_assert_same(ctx, &s1);
	seccomp_transaction_reject(ctx);
	state_assert_same(ctx, &s0);

	ck_assert_int_eq(seccomp_transaction_start(ctx), 0);
	ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(2), 2, 0), 0);
	ck_assert_int_eq(seccomp_transaction_commit(ctx), 0);
	state_assert_same(ctx, &s1);
	/* reject without a transaction changes nothing */
	seccomp_transaction_reject(ctx);
	state_assert_same(ctx, &s1);
	state_free(&s0);
	state_free(&s1);
	seccomp_release(ctx);
}
END_TEST

START_TEST(precompute_invalidation)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	struct sg_filter *f = F(ctx);

	ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(1), 1, 0), 0);
	ck_assert_int_eq(seccomp_precompute(ctx), 0);
	ck_assert_ptr_nonnull(sg_ctx_cached(f));
	/* attributes that do not change code keep the program */
	ck_assert_int_eq(seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0), 0);
	ck_assert_int_eq(seccomp_attr_set(ctx, SCMP_FLTATR_API_SYSRAWRC, 1), 0);
	ck_assert_ptr_nonnull(sg_ctx_cached(f));
	/* those that do drop it */
	ck_assert_int_eq(seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_ERRNO(3)), 0);
	ck_assert_ptr_null(sg_ctx_cached(f));
	ck_assert_int_eq(seccomp_precompute(ctx), 0);
	ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(1), 2, 0), 0);
	ck_assert_ptr_null(sg_ctx_cached(f));
	ck_assert_int_eq(seccomp_precompute(ctx), 0);
	ck_assert_int_eq(seccomp_syscall_priority(ctx, 3, 200), 0);
	ck_assert_ptr_null(sg_ctx_cached(f));
	ck_assert_int_eq(seccomp_precompute(NULL), -EINVAL);
	seccomp_release(ctx);
}
END_TEST

/*
 * Every program passes the kernel's checker before it leaves the library: a broken program
 * (here a precomputed one damaged behind the library's back, standing in for a compiler bug)
 * is an error, never exported or loaded; the context then recompiles cleanly.
 */
/* damage the precomputed program: its last instruction (b == 0) or its first */
static void damage(scmp_filter_ctx ctx, size_t b, const struct sock_filter *insn)
{
	struct sg_program *p = (struct sg_program *)sg_ctx_cached(F(ctx));

	ck_assert_ptr_nonnull(p);
	p->insns[b == 0 ? p->len - 1 : 0] = *insn;
}

START_TEST(checked_before_leaving)
{
	static const struct sock_filter bad[] = {
	    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0),          /* the last instruction is not a RET */
	    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 1, 200, 0), /* a jump past the end */
	};
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	size_t len = 0;
	int fd = open("/dev/null", O_WRONLY | O_CLOEXEC);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(1), 2, 0), 0);
	for (size_t b = 0; b < sizeof(bad) / sizeof(bad[0]); b++) {
		ck_assert_int_eq(seccomp_precompute(ctx), 0);
		damage(ctx, b, &bad[b]);
		ck_assert_int_eq(seccomp_export_bpf_mem(ctx, NULL, &len), -EFAULT);
		ck_assert_int_eq(seccomp_precompute(ctx), 0); /* a fresh, correct program */
		damage(ctx, b, &bad[b]);
		ck_assert_int_eq(seccomp_export_bpf(ctx, fd), -EFAULT);
		ck_assert_int_eq(seccomp_precompute(ctx), 0);
		damage(ctx, b, &bad[b]);
		/* refused before the kernel sees it: nothing is loaded, even in this process */
		ck_assert_int_eq(seccomp_load(ctx), -EFAULT);
		ck_assert_int_eq(seccomp_export_bpf_mem(ctx, NULL, &len), 0);
		ck_assert_uint_gt(len, 0);
	}
	close(fd);
	seccomp_release(ctx);
}
END_TEST

START_TEST(too_big)
{
	/* 5000 distinct argument rules do not fit in 4096 instructions: a clear error */
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	size_t len = 0;
	for (int i = 0; i < 5000; i++)
		ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(1), i % 300, 1,
		                                  SCMP_A1(SCMP_CMP_EQ, (uint64_t)i << 20)),
		                 0);
	ck_assert_int_eq(seccomp_export_bpf_mem(ctx, NULL, &len), -EFAULT);
	ck_assert_int_eq(seccomp_load(ctx), -EFAULT);
	seccomp_release(ctx);
}
END_TEST

START_TEST(low32_extension)
{
	/* AT_FDCWD as glibc on one distribution and musl on another pass it: both must match */
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(1), SCMP_SYS(openat), 1,
	                                  SCMP_A0_LO32(SCMP_CMP_EQ, -100)),
	                 0);
	ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(2), SCMP_SYS(read), 1,
	                                  SCMP_A0_LO32(SCMP_CMP_GT, 0x7fffffff)),
	                 0);
	ck_assert_uint_eq(verdict(ctx, SCMP_SYS(openat), (uint64_t[6]){0xffffff9cull}),
	                  SCMP_ACT_ERRNO(1));
	ck_assert_uint_eq(verdict(ctx, SCMP_SYS(openat), (uint64_t[6]){0xffffffffffffff9cull}),
	                  SCMP_ACT_ERRNO(1));
	ck_assert_uint_eq(verdict(ctx, SCMP_SYS(openat), (uint64_t[6]){0x1ffffff9cull}),
	                  SCMP_ACT_ERRNO(1));
	ck_assert_uint_eq(verdict(ctx, SCMP_SYS(openat), (uint64_t[6]){0xffffff9dull}),
	                  SCMP_ACT_ALLOW);
	/* a negative int is "greater than INT_MAX" in its low word, whatever the high word */
	ck_assert_uint_eq(verdict(ctx, SCMP_SYS(read), (uint64_t[6]){0xffffffffffffffffull}),
	                  SCMP_ACT_ERRNO(2));
	ck_assert_uint_eq(verdict(ctx, SCMP_SYS(read), (uint64_t[6]){0xffffffff00000005ull}),
	                  SCMP_ACT_ALLOW);
	/* a datum beyond 32 bits (not through SCMP_A0_LO32(), which casts the datum to 32
	 * bits): the low word, a 32-bit value, is below it (truncation would make
	 * LT 0x1_00000000 "LT 0", never true) */
	ck_assert_int_eq(
	    seccomp_rule_add(
	        ctx, SCMP_ACT_ERRNO(3), SCMP_SYS(close), 1,
	        SCMP_CMP(0, (enum scmp_compare)(SCMP_CMP_LT | SCMP_CMP_32BIT), 0x100000000ull)),
	    0);
	ck_assert_int_eq(
	    seccomp_rule_add(
	        ctx, SCMP_ACT_ERRNO(4), SCMP_SYS(dup), 1,
	        SCMP_CMP(0, (enum scmp_compare)(SCMP_CMP_EQ | SCMP_CMP_32BIT), 0x100000005ull)),
	    0);
	ck_assert_uint_eq(verdict(ctx, SCMP_SYS(close), (uint64_t[6]){0xffffffffffffffffull}),
	                  SCMP_ACT_ERRNO(3));
	ck_assert_uint_eq(verdict(ctx, SCMP_SYS(dup), (uint64_t[6]){5}), SCMP_ACT_ALLOW);
	ck_assert_uint_eq(verdict(ctx, SCMP_SYS(dup), (uint64_t[6]){0x100000005ull}),
	                  SCMP_ACT_ALLOW);
	/* unknown flag bits are refused */
	ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(1), SCMP_SYS(write), 1,
	                                  SCMP_CMP(0, (enum scmp_compare)(SCMP_CMP_EQ | 0x200), 1)),
	                 -EINVAL);
	seccomp_release(ctx);
}
END_TEST

START_TEST(mips_foreign_numbers)
{
	/* a MIPS64 kernel runs o32/n32 numbers for an n64 caller: they get the bad-arch action */
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	ck_assert_int_eq(seccomp_arch_remove(ctx, SCMP_ARCH_NATIVE), 0);
	ck_assert_int_eq(seccomp_arch_add(ctx, SCMP_ARCH_MIPSEL64), 0);
	ck_assert_int_eq(seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_ERRNO(99)), 0);
	ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(1), SCMP_SYS(getpid), 0), 0);
	ck_assert_uint_eq(verdict(ctx, 5038, NULL), SCMP_ACT_ERRNO(1));  /* n64 getpid */
	ck_assert_uint_eq(verdict(ctx, 4020, NULL), SCMP_ACT_ERRNO(99)); /* o32 getpid */
	ck_assert_uint_eq(verdict(ctx, 6038, NULL), SCMP_ACT_ERRNO(99)); /* n32 getpid */
	ck_assert_uint_eq(verdict(ctx, 5999, NULL), SCMP_ACT_ALLOW);
	ck_assert_uint_eq(verdict(ctx, 7000, NULL), SCMP_ACT_ALLOW);
	ck_assert_uint_eq(verdict(ctx, 3999, NULL), SCMP_ACT_ALLOW);
	seccomp_release(ctx);
}
END_TEST

/*
 * sg_emit_program (a leaf optimized apart joins the program through it): a program the builder
 * made comes back the same, and an instruction the builder does not make is refused, never
 * emitted as another one
 */
START_TEST(emit_program)
{
	struct sg_emit a, b;
	struct sock_filter *p, *q;
	size_t plen, qlen;

	ck_assert_int_eq(sg_emit_init(&a, 4096, 8), 0);
	sg_node deny = sg_emit_ret(&a, SCMP_ACT_ERRNO(1)), allow = sg_emit_ret(&a, SCMP_ACT_ALLOW);
	sg_node t = sg_emit_jmp(&a, BPF_JSET, 0x10, deny, allow);
	t = sg_emit_and(&a, 0xff, t);
	t = sg_emit_jmp(&a, BPF_JEQ, 7, t, deny);
	t = sg_emit_jmp(&a, BPF_JGT, 100, deny, t);
	t = sg_emit_ld(&a, 16, sg_emit_jmp(&a, BPF_JGE, 3, t, allow));
	p = sg_emit_finish(&a, t, &plen);
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(sg_emit_init(&b, 4096, 8), 0);
	q = sg_emit_finish(&b, sg_emit_program(&b, p, plen), &qlen);
	ck_assert_ptr_nonnull(q);
	ck_assert_uint_eq(qlen, plen);
	ck_assert_int_eq(memcmp(p, q, plen * sizeof(*p)), 0);
	sg_free(q);
	sg_emit_fini(&b);

	static const uint16_t foreign[] = {BPF_RET | BPF_A,           BPF_ALU | BPF_ADD | BPF_K,
	                                   BPF_ALU | BPF_AND | BPF_X, BPF_JMP | BPF_JEQ | BPF_X,
	                                   BPF_LD | BPF_IMM,          BPF_LD | BPF_W | BPF_LEN,
	                                   BPF_MISC | BPF_TAX,        BPF_ST};
	for (size_t i = 0; i < sizeof(foreign) / sizeof(foreign[0]); i++) {
		/* the first instruction (live, reached last back to front) replaced */
		struct sock_filter saved = p[0];
		p[0] = (struct sock_filter){foreign[i], 0, 0, 16};
		ck_assert_int_eq(sg_emit_init(&b, 4096, 8), 0);
		ck_assert_msg(sg_emit_program(&b, p, plen) == -1 && b.err == -EINVAL,
		              "opcode 0x%x: got err %d", foreign[i], b.err);
		sg_emit_fini(&b);
		p[0] = saved;
	}
	sg_free(p);
	sg_emit_fini(&a);
}
END_TEST

static Suite *core_suite(void)
{
	Suite *s = suite_create("core");
	TCase *tc = tcase_create("api");
	tcase_add_test(tc, rule_add_errors);
	tcase_add_test(tc, rule_add_semantics);
	tcase_add_test(tc, context_api);
	tcase_add_test(tc, export_mem);
	tcase_add_test(tc, transactions);
	tcase_add_test(tc, precompute_invalidation);
	tcase_add_test(tc, checked_before_leaving);
	tcase_add_test(tc, too_big);
	tcase_add_test(tc, low32_extension);
	tcase_add_test(tc, mips_foreign_numbers);
	suite_add_tcase(s, tc);
	tc = tcase_create("semantics");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, boundaries_native);
	tcase_add_test(tc, boundaries_other_abis);
	tcase_add_test(tc, boundaries_big_endian);
	tcase_add_test(tc, random_policies);
	tcase_add_test(tc, big_allow_list_layout);
	tcase_add_test(tc, emit_program);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	tu_api_level_from_env();
	return tu_run_suite(core_suite());
}
