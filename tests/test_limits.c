/*
 * test_limits.c - sizes past every limit: clear errors, no crash, work that grows with the input
 * and no faster.
 *
 * libseccomp had heap corruption and double frees past 65535 internal blocks
 * (GHSA-46fr-jh49-xvhx, GHSA-2hqh-5c36-grrm) and generates programs the kernel refuses (over
 * 4096 instructions) after seconds of cubic work. sysgate must answer "too big" with -EFAULT
 * (libseccomp's mapping of internal errors such as E2BIG) from export and load, keep the
 * context usable, and compile everything that does fit correctly (checked against the IR).
 *
 * "Quickly" is asserted by counting, never by the clock (time is `make bench`'s business): the
 * library's allocations (calls and bytes, counted through the linker's --wrap of sg_malloc,
 * sg_calloc and sg_reallocarray) are its work, and doubling an input may at most about double
 * that work (linear or n log n growth passes, quadratic growth fails). Rule adds are also
 * counted by the rules they compare a new rule with (sg_filter.rule_compares).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <seccomp.h>

#include "db.h"
#include "testcheck.h"

/* the library's work: allocation calls and bytes asked for */
struct work {
	unsigned long calls;
	unsigned long long bytes;
};
static struct work work;
/* the library's heap in use (malloc_usable_size of what it holds) and its peak */
static size_t live, peak;

void *__real_sg_malloc(size_t size);
void *__real_sg_calloc(size_t nmemb, size_t size);
void *__real_sg_reallocarray(void *ptr, size_t nmemb, size_t size);
void __real_sg_free(void *ptr);
void *__wrap_sg_malloc(size_t size);
void *__wrap_sg_calloc(size_t nmemb, size_t size);
void *__wrap_sg_reallocarray(void *ptr, size_t nmemb, size_t size);
void __wrap_sg_free(void *ptr);

static void *held(void *p)
{
	if (p) {
		live += malloc_usable_size(p);
		if (live > peak)
			peak = live;
	}
	return p;
}

void *__wrap_sg_malloc(size_t size)
{
	work.calls++;
	work.bytes += size;
	return held(__real_sg_malloc(size));
}

void *__wrap_sg_calloc(size_t nmemb, size_t size)
{
	work.calls++;
	work.bytes += (unsigned long long)nmemb * size;
	return held(__real_sg_calloc(nmemb, size));
}

void *__wrap_sg_reallocarray(void *ptr, size_t nmemb, size_t size)
{
	size_t before = ptr ? malloc_usable_size(ptr) : 0;
	void *p;

	work.calls++;
	work.bytes += (unsigned long long)nmemb * size;
	p = __real_sg_reallocarray(ptr, nmemb, size);
	if (p)
		live -= before; /* on failure the old block stays */
	return held(p);
}

void __wrap_sg_free(void *ptr)
{
	if (ptr)
		live -= malloc_usable_size(ptr);
	__real_sg_free(ptr);
}

/* the work done since `start` */
static struct work work_since(struct work start)
{
	return (struct work){work.calls - start.calls, work.bytes - start.bytes};
}

/*
 * Doubling the input (`small` for n, `big` for 2n) may at most about double the work: a ratio
 * of 2.6 leaves room for n log n and for constant parts, a quadratic step shows as 4.
 */
static bool scales(struct work small, struct work big)
{
	return big.calls * 10 <= small.calls * 26 + 100 &&
	       big.bytes * 10 <= small.bytes * 26 + 100000;
}

static void assert_scales(const char *what, struct work small, struct work big)
{
	printf("%s: work for n: %lu allocations, %llu bytes; for 2n: %lu, %llu\n", what,
	       small.calls, small.bytes, big.calls, big.bytes);
	ck_assert_msg(scales(small, big), "%s: the work grows faster than the input", what);
}

START_TEST(scaling_criterion)
{
	/* negative controls: quadratic growth in calls or in bytes is caught, linear is not */
	ck_assert(scales((struct work){1000, 1000000}, (struct work){2100, 2200000}));
	ck_assert(!scales((struct work){1000, 1000000}, (struct work){4000, 2000000}));
	ck_assert(!scales((struct work){1000, 1000000}, (struct work){2000, 4000000}));
}
END_TEST

/* the program's size, or the export error */
static long export_len(scmp_filter_ctx ctx)
{
	size_t len = 0;
	int rc = seccomp_export_bpf_mem(ctx, NULL, &len);
	return rc < 0 ? rc : (long)(len / sizeof(struct sock_filter));
}

/* seccomp_load must refuse before the kernel sees anything: run it in a child, so that a
 * (wrong) success cannot sandbox the test itself */
static int load_in_child(scmp_filter_ctx ctx)
{
	int status;
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		_exit(-seccomp_load(ctx) & 0xff);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	return -WEXITSTATUS(status);
}

/* the compiled program agrees with the IR on a sample of inputs */
static void spot_check(scmp_filter_ctx ctx, struct tu_rng *r, int nmax)
{
	struct sg_filter *f = (struct sg_filter *)ctx;
	struct sg_program *p = tu_compile(f);

	ck_assert_int_eq(sg_bpf_check(p->insns, p->len), 0);
	for (int i = 0; i < 4000; i++) {
		struct seccomp_data d = {.nr = (int)tu_below(r, (uint64_t)nmax + 2),
		                         .arch = f->arch[0].arch->audit};
		for (int a = 0; a < 6; a++)
			d.args[a] = tu_value(r);
		ck_assert_uint_eq(tu_run(f, p, &d), sg_ir_eval(f, &d));
	}
	sg_program_free(p);
}

START_TEST(over_4096_instructions)
{
	/* n argument rules on n / 10 syscalls: about 1.2n instructions (each value a JEQ on the
	 * low word, the high word's tests shared), too many from n = 4000 */
	struct work adds[2], refusal[2];
	int devnull = open("/dev/null", O_WRONLY);

	for (int k = 0; k < 2; k++) {
		int n = 4000 << k;
		scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
		struct work w0 = work;

		for (int i = 0; i < n; i++)
			ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(1), i % (n / 10), 1,
			                                  SCMP_A1(SCMP_CMP_EQ, (uint64_t)i << 20)),
			                 0);
		adds[k] = work_since(w0);
		w0 = work;
		ck_assert_int_eq(export_len(ctx), -EFAULT);
		refusal[k] = work_since(w0);
		/* the refused query still says how long the program would be (scmp_compile prints
		 * it) */
		size_t need = 0;
		ck_assert_int_eq(seccomp_export_bpf_mem(ctx, NULL, &need), -EFAULT);
		ck_assert_uint_gt(need, 4096 * sizeof(struct sock_filter));
		ck_assert_uint_eq(need % sizeof(struct sock_filter), 0);
		ck_assert_int_eq(seccomp_precompute(ctx), -EFAULT);
		ck_assert_int_eq(seccomp_export_bpf(ctx, devnull), -EFAULT);
		ck_assert_int_eq(load_in_child(ctx), -EFAULT);
		/* PFC has no size limit */
		ck_assert_int_eq(seccomp_export_pfc(ctx, devnull), 0);
		seccomp_release(ctx);
	}
	assert_scales("over_4096_instructions: rule adds", adds[0], adds[1]);
	assert_scales("over_4096_instructions: refusal", refusal[0], refusal[1]);
	close(devnull);
}
END_TEST

START_TEST(just_under_and_over)
{
	/* grow one rule at a time until the program no longer fits: the last size that fits
	 * compiles correctly, the next one fails cleanly, and a rejected transaction brings the
	 * context back to a size that exports */
	struct tu_rng r = {tu_seed("limits_edge")};
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	long len = 0, last = 0;
	int n = 0;

	while ((len = export_len(ctx)) > 0) {
		last = len;
		ck_assert_int_eq(seccomp_transaction_start(ctx), 0);
		for (int k = 0; k < 50; k++, n++)
			ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(2), n % 400, 1,
			                                  SCMP_A0(SCMP_CMP_EQ, (uint64_t)n * 7919)),
			                 0);
		if (export_len(ctx) > 0) {
			ck_assert_int_eq(seccomp_transaction_commit(ctx), 0);
			continue;
		}
		ck_assert_int_eq(export_len(ctx), -EFAULT);
		seccomp_transaction_reject(ctx);
		ck_assert_int_eq(export_len(ctx), last);
		spot_check(ctx, &r, 400);
		break;
	}
	printf("just_under_and_over: %d rules fit in %ld instructions (limit 4096); the next 50 "
	       "do not\n",
	       n - 50, last);
	ck_assert_int_le(last, 4096);
	seccomp_release(ctx);
}
END_TEST

/* n unconditional rules, one action: ranges merge, the program stays small */
static struct work one_action(int n, struct tu_rng *r)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ERRNO(38));
	struct work w0 = work;
	long len;

	for (int nr = 0; nr < n; nr++)
		ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0), 0);
	len = export_len(ctx);
	w0 = work_since(w0);
	printf("ten_thousand_rules: %d rules, one action: %ld instructions\n", n, len);
	ck_assert_int_gt(len, 0);
	spot_check(ctx, r, n);
	seccomp_release(ctx);
	return w0;
}

/* n unconditional rules, alternating actions: n ranges cannot fit (from about n = 6000) */
static struct work alternating(int n)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ERRNO(38));
	struct work w0 = work;

	for (int nr = 0; nr < n; nr++)
		ck_assert_int_eq(
		    seccomp_rule_add(ctx, nr % 2 ? SCMP_ACT_ALLOW : SCMP_ACT_ERRNO(nr % 7), nr, 0),
		    0);
	ck_assert_int_eq(export_len(ctx), -EFAULT);
	w0 = work_since(w0);
	seccomp_release(ctx);
	return w0;
}

/* n argument rules on one syscall (distinct datums) */
static struct work one_syscall(int n)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	struct work w0 = work;

	for (int i = 0; i < n; i++)
		ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(1), 1000, 1,
		                                  SCMP_A2(SCMP_CMP_EQ, (uint64_t)i * 0x10001)),
		                 0);
	ck_assert_int_eq(export_len(ctx), -EFAULT);
	w0 = work_since(w0);
	seccomp_release(ctx);
	return w0;
}

START_TEST(ten_thousand_rules)
{
	struct tu_rng r = {tu_seed("limits_10k")};
	struct work a = one_action(5000, &r), b = one_action(10000, &r);

	assert_scales("ten_thousand_rules: one action", a, b);
	a = alternating(10000);
	b = alternating(20000);
	assert_scales("ten_thousand_rules: alternating actions", a, b);
	a = one_syscall(5000);
	b = one_syscall(10000);
	assert_scales("ten_thousand_rules: one syscall, argument rules", a, b);
}
END_TEST

static uint64_t rule_compares(scmp_filter_ctx ctx)
{
	return ((const struct sg_filter *)ctx)->rule_compares;
}

/*
 * n conditional rules on one syscall, sharing first conditions, and among them adds that
 * repeat a rule, add a longer one (already decided by a shorter one) and conflict: the
 * rule-add checks compare a new rule with at most one existing rule per condition. The
 * first_key scan before the index compared it with every earlier rule (n^2 / 2).
 */
static uint64_t many_on_one_syscall(int n, int *adds)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	uint64_t c0 = rule_compares(ctx);

	*adds = 0;
	for (int i = 0; i < n; i++) {
		struct scmp_arg_cmp c[3] = {SCMP_A0(SCMP_CMP_EQ, (uint64_t)(i % 97)),
		                            SCMP_A1(SCMP_CMP_EQ, (uint64_t)i),
		                            SCMP_A2(SCMP_CMP_MASKED_EQ, 0xf0, 0x10)};
		ck_assert_int_eq(seccomp_rule_add_array(ctx, SCMP_ACT_ERRNO(1), 1000, 2, c), 0);
		++*adds;
		if (i % 10 == 0) /* the same rule again: nothing changes */
			ck_assert_int_eq(seccomp_rule_add_array(ctx, SCMP_ACT_ERRNO(1), 1000, 2, c),
			                 0);
		if (i % 10 == 1) /* a longer rule: the shorter one decides it */
			ck_assert_int_eq(seccomp_rule_add_array(ctx, SCMP_ACT_ERRNO(1), 1000, 3, c),
			                 0);
		if (i % 10 == 2) /* the same conditions, another action */
			ck_assert_int_eq(seccomp_rule_add_array(ctx, SCMP_ACT_ERRNO(2), 1000, 2, c),
			                 -EEXIST);
		*adds += i % 10 <= 2;
	}
	c0 = rule_compares(ctx) - c0;
	seccomp_release(ctx);
	return c0;
}

/*
 * The negative control: n rules with two conditions, then for each a rule with its first
 * condition alone, which drops it (a shorter rule with the same action decides it). A drop
 * compacts the syscall's rules, so these adds look at every rule: the count must see that.
 */
static uint64_t drops(int n)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	uint64_t c0 = rule_compares(ctx);

	for (int i = 0; i < n; i++)
		ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(1), 1000, 2,
		                                  SCMP_A0(SCMP_CMP_EQ, (uint64_t)i),
		                                  SCMP_A1(SCMP_CMP_EQ, 7)),
		                 0);
	for (int i = 0; i < n; i++)
		ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(1), 1000, 1,
		                                  SCMP_A0(SCMP_CMP_EQ, (uint64_t)i)),
		                 0);
	c0 = rule_compares(ctx) - c0;
	seccomp_release(ctx);
	return c0;
}

/* doubling the input at most about doubles the count (as scales()) */
static bool count_scales(uint64_t small, uint64_t big)
{
	return big * 10 <= small * 26 + 100;
}

START_TEST(rule_add_compares)
{
	/* under valgrind (tests/valgrind.sh), which looks for memory errors and leaks, not for
	 * growth, a tenth of the size: 10^5 adds take a minute or more there */
	int n = getenv("SYSGATE_UNDER_VALGRIND") ? 10000 : 100000;
	int adds;
	uint64_t a = many_on_one_syscall(n / 2, &adds);
	uint64_t b = many_on_one_syscall(n, &adds);

	printf("rule_add_compares: %d adds on one syscall: %llu rules compared (%llu for half)\n",
	       adds, (unsigned long long)b, (unsigned long long)a);
	ck_assert_msg(count_scales(a, b), "rule adds compare more rules than the input grows");
	/* at most one existing rule per condition of the new one */
	ck_assert_uint_le(b, 3ull * (uint64_t)adds);
	/* negative control: adds that must look at every rule grow quadratically */
	a = drops(500);
	b = drops(1000);
	printf("rule_add_compares: negative control, drops: %llu, %llu\n", (unsigned long long)a,
	       (unsigned long long)b);
	ck_assert(!count_scales(a, b));
}
END_TEST

/* n rules with 6 conditions each on 50 syscalls, refused; the context stays usable */
static struct work six_conditions(int n)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	struct work w0 = work;

	for (int i = 0; i < n; i++) {
		struct scmp_arg_cmp c[6];
		for (int a = 0; a < 6; a++)
			c[a] = (struct scmp_arg_cmp){
			    (unsigned int)a, SCMP_CMP_EQ,
			    (uint64_t)i * 0x9e3779b97f4a7c15ull + (uint64_t)a, 0};
		ck_assert_int_eq(
		    seccomp_rule_add_array(ctx, SCMP_ACT_ERRNO(1 + i % 100), i % 50, 6, c), 0);
	}
	ck_assert_int_eq(export_len(ctx), -EFAULT);
	w0 = work_since(w0);
	ck_assert_int_eq(load_in_child(ctx), -EFAULT);
	/* still usable: reset and start again */
	ck_assert_int_eq(seccomp_reset(ctx, SCMP_ACT_ALLOW), 0);
	ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(1), 1, 0), 0);
	ck_assert_int_gt(export_len(ctx), 0);
	seccomp_release(ctx);
	return w0;
}

START_TEST(over_65535_nodes)
{
	/* 12000 rules with 6 conditions each would be ~150000 instructions if nothing stopped
	 * the compiler (libseccomp's 16-bit block counter overflowed here): -EFAULT, and work
	 * that grows with the rules only */
	struct work a = six_conditions(6000), b = six_conditions(12000);

	assert_scales("over_65535_nodes", a, b);
}
END_TEST

/*
 * Programs over the kernel's limit too end at the optimizer's fixpoint: a round limit once
 * stopped it early there (the old limit of 8 rounds ran out on these trees), which could
 * refuse a program more rounds would have brought under 4096 instructions.
 */
static void fixpoint_without_limit(scmp_filter_ctx ctx)
{
	const struct sg_compile_opts opts = {
	    .tree = 1, .passes = true, .exceptions = true, .max_len = SIZE_MAX};
	struct sg_program *p = NULL;
	int rc = sg_compile_with((struct sg_filter *)ctx, &opts, &p);

	if (rc == -E2BIG)
		return; /* over the compiler's working limit before optimization */
	ck_assert_int_eq(rc, 0);
	tu_assert_fixpoint(p);
	sg_program_free(p);
}

START_TEST(deep_argument_trees)
{
	/* many 6-condition rules on one syscall, with overlapping datums (shared prefixes,
	 * different actions): either a correct program or -EFAULT, never a crash */
	struct tu_rng r = {tu_seed("limits_deep")};
	static const uint32_t acts[] = {SCMP_ACT_ERRNO(1), SCMP_ACT_TRAP, SCMP_ACT_KILL_PROCESS,
	                                SCMP_ACT_LOG, SCMP_ACT_TRACE(7)};
	int sizes[] = {10, 50, 100, 200, 400, 1000};

	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
		long len;
		int added = 0;

		for (int i = 0; i < sizes[s]; i++) {
			struct scmp_arg_cmp c[6];
			for (int a = 0; a < 6; a++)
				c[a] = (struct scmp_arg_cmp){
				    (unsigned int)a, (enum scmp_compare)(1 + tu_below(&r, 7)),
				    tu_edges[tu_below(&r, TU_NEDGES)],
				    tu_edges[tu_below(&r, TU_NEDGES)]};
			added +=
			    seccomp_rule_add_array(ctx, acts[tu_below(&r, 5)], 1000, 6, c) == 0;
		}
		len = export_len(ctx);
		printf("deep_argument_trees: %d rules asked, %d kept, 6 conditions each: %ld\n",
		       sizes[s], added, len);
		ck_assert(len > 0 || len == -EFAULT);
		if (len > 0)
			spot_check(ctx, &r, 1000);
		fixpoint_without_limit(ctx);
		seccomp_release(ctx);
	}
}
END_TEST

START_TEST(every_abi_at_once)
{
	/* every little-endian ABI, a long list on each: big, but each block is small */
	static const uint32_t le[] = {SCMP_ARCH_X86,         SCMP_ARCH_X32,     SCMP_ARCH_ARM,
	                              SCMP_ARCH_AARCH64,     SCMP_ARCH_MIPSEL,  SCMP_ARCH_MIPSEL64,
	                              SCMP_ARCH_MIPSEL64N32, SCMP_ARCH_PPC64LE, SCMP_ARCH_RISCV64};
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ERRNO(1));
	long len;

	for (size_t i = 0; i < sizeof(le) / sizeof(le[0]); i++)
		ck_assert_int_eq(seccomp_arch_add(ctx, le[i]), 0);
	for (int nr = 0; nr < 450; nr++)
		(void)seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0);
	len = export_len(ctx);
	printf("every_abi_at_once: %zu ABIs x 450 native syscalls: %ld\n",
	       sizeof(le) / sizeof(le[0]) + 1, len);
	ck_assert(len > 0 || len == -EFAULT);
	seccomp_release(ctx);
}
END_TEST

/*
 * The rule database keeps what it holds, not room it may never use: a syscall's first rule
 * gets room for itself and an index of twice its conditions, at least 4 slots (more as rules
 * come). 362 syscalls with one rule each took 300 KB more with room for 4 rules and 16 slots
 * each: more than libseccomp 2.6.1 needed for the whole build of `make bench`'s args362x1.
 * Counted in the bytes the rule adds ask for: the entries themselves (a rule, its first key,
 * 4 index slots), the ABI's arrays of entries and hash index, which double (at most twice
 * their final size in all), and nothing else.
 */
START_TEST(one_rule_each)
{
	const int n = 362;
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ERRNO(1));
	struct work w0 = work;

	for (int nr = 0; nr < n; nr++)
		ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 1,
		                                  SCMP_A1(SCMP_CMP_EQ, (uint64_t)nr * 131 + 1)),
		                 0);
	w0 = work_since(w0);
	unsigned long long entry =
	    sizeof(struct sg_rule) + sizeof(uint64_t) + 4 * sizeof(struct sg_rule_slot);
	/* the entries array and the index (one uint32_t per slot, at least two per entry)
	 * grow by doubling: their reallocs ask for at most twice their final sizes */
	unsigned long long arrays =
	    2 * (2ull * n * sizeof(struct sg_sysrules)) + 2 * (4ull * n * sizeof(uint32_t));
	printf("one_rule_each: %d syscalls with one rule: %llu bytes asked for (%llu per entry, "
	       "%llu for the arrays at most)\n",
	       n, w0.bytes, entry, arrays);
	ck_assert_uint_le(w0.bytes, (unsigned long long)n * entry + arrays);
	ck_assert_int_gt(export_len(ctx), 0);
	seccomp_release(ctx);
}
END_TEST

/*
 * The heap the compiler holds at its peak, for the largest policy `make bench` compiles
 * (args362x8: 362 syscalls with 8 `A1 == value` rules each, 3,700 instructions, made up to six
 * times over for its layouts): the programs and tables of one layout at a time, not of all of
 * them. Measured at 10adde8 (x86_64, glibc): 1,524 KB; the bound leaves a quarter more. With
 * the optimizer's states kept beside its rebuild (9eb4c8e; make bench's peak for the whole
 * build: 2640 KB, not 2153 KB) it held 2,011 KB and failed.
 */
START_TEST(compile_peak)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ERRNO(1));
	size_t before;

	for (int nr = 0; nr < 362; nr++)
		for (int v = 0; v < 8; v++)
			ck_assert_int_eq(
			    seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 1,
			                     SCMP_A1(SCMP_CMP_EQ, (uint64_t)nr * 8 + v)),
			    0);
	before = live;
	peak = live;
	ck_assert_int_gt(export_len(ctx), 3000);
	printf("compile_peak: %zu KB held at the compiler's peak (%zu KB for the rules)\n",
	       (peak - before) / 1024, before / 1024);
	ck_assert_uint_le(peak - before, (size_t)1524 * 1024 * 5 / 4);
	seccomp_release(ctx);
}
END_TEST

int main(void)
{
	tu_api_level_from_env();
	Suite *s = suite_create("limits");
	TCase *tc = tcase_create("limits");
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, scaling_criterion);
	tcase_add_test(tc, over_4096_instructions);
	tcase_add_test(tc, just_under_and_over);
	tcase_add_test(tc, ten_thousand_rules);
	tcase_add_test(tc, rule_add_compares);
	tcase_add_test(tc, over_65535_nodes);
	tcase_add_test(tc, deep_argument_trees);
	tcase_add_test(tc, every_abi_at_once);
	tcase_add_test(tc, one_rule_each);
	tcase_add_test(tc, compile_peak);
	suite_add_tcase(s, tc);
	return tu_run_suite(s);
}
