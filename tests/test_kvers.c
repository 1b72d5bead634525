/*
 * test_kvers.c - kernel-version-aware filters (SCMP_FLTATR_CTL_KVERMAX, SCMP_FLTATR_ACT_ENOSYS):
 * the generated first-release data against the syscall tables, the enum's values, the
 * attributes' API (any order with rules, merge, reset), the IR's meaning, programs against the
 * IR on every ABI and in multi-ABI filters, and the running kernel in forked children.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <seccomp.h>

#include "arch/kvers.h"
#include "arch/syscalls.h"
#include "testcheck.h"

#define ENOSYS_ACT SCMP_ACT_ERRNO(ENOSYS)
#define EPERM_ACT  SCMP_ACT_ERRNO(EPERM)

extern char **environ;

/* one source, two programs: the simulation tests, and (KVERS_LIVE) the kernel ones */
#ifndef KVERS_LIVE
static struct sg_filter *F(scmp_filter_ctx ctx)
{
	return (struct sg_filter *)ctx;
}

/* a context for exactly the ABIs in tokens[] (the native one removed unless listed) */
static scmp_filter_ctx ctx_for(uint32_t def, const uint32_t *tokens, size_t n)
{
	scmp_filter_ctx ctx = seccomp_init(def);
	bool native = false;

	ck_assert_ptr_nonnull(ctx);
	for (size_t i = 0; i < n; i++)
		native |= tokens[i] == seccomp_arch_native();
	/* first, so that an ABI of the other byte order can come in */
	if (!native)
		ck_assert_int_eq(seccomp_arch_remove(ctx, SCMP_ARCH_NATIVE), 0);
	for (size_t i = 0; i < n; i++)
		if (tokens[i] != seccomp_arch_native())
			ck_assert_int_eq(seccomp_arch_add(ctx, tokens[i]), 0);
	return ctx;
}

/* the verdict for (arch, nr, args), checked to be the same from the IR and the program */
static uint32_t verdict_on(scmp_filter_ctx ctx, uint32_t token, const char *name, uint64_t a0)
{
	struct sg_filter *f = F(ctx);
	const struct sg_arch *arch = sg_arch_by_token(token);
	int nr = sg_arch_syscall_nr(arch, name);
	struct seccomp_data d = {.nr = nr, .arch = arch->audit, .args = {a0}};
	struct sg_program *p = tu_compile(f);
	uint32_t ir = sg_ir_eval(f, &d), prog = tu_run(f, p, &d);

	ck_assert_msg(nr >= 0, "%s has no number on %s", name, arch->name);
	ck_assert_msg(ir == prog, "%s %s: IR 0x%08x, program 0x%08x", arch->name, name, ir, prog);
	sg_program_free(p);
	return ir;
}

static uint32_t verdict_nr(scmp_filter_ctx ctx, uint32_t token, uint32_t nr)
{
	struct sg_filter *f = F(ctx);
	const struct sg_arch *arch = sg_arch_by_token(token);
	struct seccomp_data d = {.nr = (int)nr, .arch = arch->audit};
	struct sg_program *p = tu_compile(f);
	uint32_t ir = sg_ir_eval(f, &d), prog = tu_run(f, p, &d);

	ck_assert_msg(ir == prog, "%s nr %u: IR 0x%08x, program 0x%08x", arch->name, nr, ir, prog);
	sg_program_free(p);
	return ir;
}

/* libseccomp main's values, then sysgate's appended releases */
START_TEST(enum_values)
{
	ck_assert_int_eq(__SCMP_KV_NULL, 0);
	ck_assert_int_eq(SCMP_KV_UNDEF, 1);
	ck_assert_int_eq(SCMP_KV_3_0, 2);
	ck_assert_int_eq(SCMP_KV_3_19, 21);
	ck_assert_int_eq(SCMP_KV_4_0, 22);
	ck_assert_int_eq(SCMP_KV_4_20, 42);
	ck_assert_int_eq(SCMP_KV_5_0, 43);
	ck_assert_int_eq(SCMP_KV_5_19, 62);
	ck_assert_int_eq(SCMP_KV_6_0, 63);
	ck_assert_int_eq(SCMP_KV_6_17, 80);
	ck_assert_int_eq(SCMP_KV_6_18, 81);
	ck_assert_int_eq(SCMP_KV_6_19, 82);
	ck_assert_int_eq(SCMP_KV_7_0, 83);
	ck_assert_int_eq(SCMP_KV_7_1, 84);
	ck_assert_int_eq(SCMP_KV_7_2, 85);
	ck_assert_int_eq(__SCMP_KV_MAX, 86);
	ck_assert_int_eq(SCMP_FLTATR_CTL_WAITKILL, 10);
	ck_assert_int_eq(SCMP_FLTATR_ACT_ENOSYS, 11);
	ck_assert_int_eq(SCMP_FLTATR_CTL_KVERMAX, 12);
	ck_assert_int_eq(_SCMP_FLTATR_MAX, 13);

	ck_assert_int_eq(sg_kver_parse("5.4"), SCMP_KV_5_4);
	ck_assert_int_eq(sg_kver_parse("3.0"), SCMP_KV_3_0);
	ck_assert_int_eq(sg_kver_parse("7.2"), SCMP_KV_7_2);
	ck_assert_int_eq(sg_kver_parse("4.20"), SCMP_KV_4_20);
	ck_assert_int_eq(sg_kver_parse("2.6"), -EINVAL);
	ck_assert_int_eq(sg_kver_parse("5.20"), -EINVAL);
	ck_assert_int_eq(sg_kver_parse("any"), -EINVAL);
	ck_assert_int_eq(sg_kver_parse(""), -EINVAL);
	ck_assert_int_eq(sg_kver_parse(NULL), -EINVAL);
	ck_assert_str_eq(sg_kver_name(SCMP_KV_6_18), "6.18");
	ck_assert_str_eq(sg_kver_name(SCMP_KV_UNDEF), "any");
	ck_assert_ptr_null(sg_kver_name(__SCMP_KV_MAX));
}
END_TEST

/* the first-release data has exactly the numbers of the syscall tables, with valid values */
START_TEST(data_matches_tables)
{
	size_t pairs = 0;

	for (unsigned int t = 0; t < SG_TBL_COUNT; t++) {
		size_t a = sg_nr_sorted_start[t], b = sg_kver_start[t];
		ck_assert_uint_eq(sg_nr_sorted_start[t + 1] - a, sg_kver_start[t + 1] - b);
		for (; a < sg_nr_sorted_start[t + 1]; a++, b++) {
			ck_assert_msg(sg_nr_sorted[a].nr == sg_kver_ents[b].nr,
			              "table %u: number %u vs %u", t, sg_nr_sorted[a].nr,
			              sg_kver_ents[b].nr);
			ck_assert_uint_ge(sg_kver_ents[b].kv, SCMP_KV_UNDEF);
			ck_assert_uint_lt(sg_kver_ents[b].kv, __SCMP_KV_MAX);
			pairs++;
		}
	}
	printf("data_matches_tables: %zu (number, table) pairs, each with a release\n", pairs);
	/* through the ABI descriptors: every ABI's every number answers */
	for (size_t i = 0; i < sg_arch_count; i++) {
		const struct sg_arch *arch = sg_arches[i];
		for (size_t k = 0; k < SG_SYS_COUNT; k++) {
			const char *name = sg_syscall_name_at(k);
			int nr = sg_arch_syscall_nr(arch, name);
			if (nr >= 0)
				ck_assert_msg(sg_arch_nr_kver(arch, (uint32_t)nr) != 0, "%s %s",
				              arch->name, name);
		}
	}
}
END_TEST

#ifndef TOP_SRCDIR
#define TOP_SRCDIR "."
#endif

/* one ABI per table (all 21) and its file name in the data, stated independently of
 * gen-syscalls.py's list */
static const struct {
	uint32_t token;
	const char *file;
} csv_abis[] = {
    {SCMP_ARCH_X86, "i386"},        {SCMP_ARCH_X86_64, "x86_64"},
    {SCMP_ARCH_X32, "x32"},         {SCMP_ARCH_ARM, "arm"},
    {SCMP_ARCH_AARCH64, "arm64"},   {SCMP_ARCH_LOONGARCH64, "loongarch64"},
    {SCMP_ARCH_M68K, "m68k"},       {SCMP_ARCH_MIPSEL, "mipso32"},
    {SCMP_ARCH_MIPSEL64, "mips64"}, {SCMP_ARCH_MIPSEL64N32, "mips64n32"},
    {SCMP_ARCH_PARISC, "parisc"},   {SCMP_ARCH_PARISC64, "parisc64"},
    {SCMP_ARCH_PPC, "powerpc"},     {SCMP_ARCH_PPC64LE, "powerpc64"},
    {SCMP_ARCH_RISCV64, "riscv64"}, {SCMP_ARCH_RISCV32, "riscv32"},
    {SCMP_ARCH_S390, "s390"},       {SCMP_ARCH_S390X, "s390x"},
    {SCMP_ARCH_SH, "sh"},           {SCMP_ARCH_CSKY, "csky"},
    {SCMP_ARCH_XTENSA, "xtensa"},
};

/* the CSV's version as an enum value, read the way doc/syscall-tables.md says */
static unsigned int csv_kv(const char *version, const char *source)
{
	unsigned int major, minor;
	char text[16];

	if (strncmp(source, "unknown-pre-", 12) == 0)
		return SCMP_KV_UNDEF;
	ck_assert_int_eq(sscanf(version, "%u.%u", &major, &minor), 2);
	if (major < 3)
		return SCMP_KV_UNDEF;
	snprintf(text, sizeof(text), "%u.%u", major, minor);
	int kv = sg_kver_parse(text);
	ck_assert_msg(kv > 0, "release %s", version);
	return (unsigned int)kv;
}

/*
 * The vendored data against the generated one: every row of a table sysgate has, whose name
 * has a number there, gives that number's release; and every number of those tables has a row
 * (except the reserved slots gen-syscalls.py adds, which the data cannot know).
 */
START_TEST(data_matches_csv)
{
	char path[4200], line[256];
	size_t rows = 0, checked = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/tests/data/syscall-kver/syscall-kver.csv", TOP_SRCDIR);
	f = fopen(path, "r");
	ck_assert_msg(f != NULL, "%s: %s", path, strerror(errno));
	/* which numbers of each checked ABI a row covered */
	static bool seen[sizeof(csv_abis) / sizeof(csv_abis[0])][0x1000];
	memset(seen, 0, sizeof(seen));
	while (fgets(line, sizeof(line), f)) {
		char name[64], file[32], version[16], source[32];
		if (rows++ == 0)
			continue; /* the header */
		ck_assert_int_eq(
		    sscanf(line, "%63[^,],%31[^,],%15[^,],%31s", name, file, version, source), 4);
		for (size_t a = 0; a < sizeof(csv_abis) / sizeof(csv_abis[0]); a++) {
			if (strcmp(file, csv_abis[a].file) != 0)
				continue;
			const struct sg_arch *arch = sg_arch_by_token(csv_abis[a].token);
			int nr = sg_arch_syscall_nr(arch, name);
			if (nr < 0)
				continue; /* dropped from the tables (gen-syscalls.py CORRECTIONS)
				           */
			ck_assert_msg(sg_arch_nr_kver(arch, (uint32_t)nr) ==
			                  csv_kv(version, source),
			              "%s on %s: %u, the data says %s (%s)", name, file,
			              sg_arch_nr_kver(arch, (uint32_t)nr), version, source);
			uint32_t off = (uint32_t)nr - arch->nr_base;
			if (off < 0x1000)
				seen[a][off] = true;
			checked++;
		}
	}
	fclose(f);
	for (size_t a = 0; a < sizeof(csv_abis) / sizeof(csv_abis[0]); a++) {
		const struct sg_arch *arch = sg_arch_by_token(csv_abis[a].token);
		for (uint32_t off = 0; off < 0x1000; off++) {
			const char *name = sg_arch_syscall_name(arch, (int)(arch->nr_base + off));
			if (name && !seen[a][off])
				ck_assert_msg(
				    sg_arch_nr_kver(arch, arch->nr_base + off) == SCMP_KV_UNDEF,
				    "%s %s: no row, yet a release", csv_abis[a].file, name);
		}
	}
	printf("data_matches_csv: %zu rows read, %zu (name, table) pairs checked\n", rows - 1,
	       checked);
}
END_TEST

static unsigned int kv_of(uint32_t token, const char *name)
{
	const struct sg_arch *arch = sg_arch_by_token(token);
	int nr = sg_arch_syscall_nr(arch, name);
	ck_assert_msg(nr >= 0, "%s on %s", name, arch->name);
	return sg_arch_nr_kver(arch, (uint32_t)nr);
}

START_TEST(known_releases)
{
	ck_assert_uint_eq(kv_of(SCMP_ARCH_X86_64, "clone3"), SCMP_KV_5_3);
	ck_assert_uint_eq(kv_of(SCMP_ARCH_X86_64, "pidfd_open"), SCMP_KV_5_3);
	ck_assert_uint_eq(kv_of(SCMP_ARCH_X86_64, "openat2"), SCMP_KV_5_6);
	ck_assert_uint_eq(kv_of(SCMP_ARCH_X86_64, "faccessat2"), SCMP_KV_5_8);
	ck_assert_uint_eq(kv_of(SCMP_ARCH_X86_64, "statx"), SCMP_KV_4_11);
	ck_assert_uint_eq(kv_of(SCMP_ARCH_X86_64, "rseq_slice_yield"), SCMP_KV_7_0);
	/* old calls, and "present since 4.8 or earlier" ones, are present for any target */
	ck_assert_uint_eq(kv_of(SCMP_ARCH_X86_64, "read"), SCMP_KV_UNDEF);
	ck_assert_uint_eq(kv_of(SCMP_ARCH_X86_64, "mmap"), SCMP_KV_UNDEF);
	ck_assert_uint_eq(kv_of(SCMP_ARCH_ARM, "cacheflush"), SCMP_KV_UNDEF);
	/* the ABI's introduction: riscv64 came with 4.15 */
	ck_assert_uint_eq(kv_of(SCMP_ARCH_RISCV64, "read"), SCMP_KV_4_15);
	/* x86's direct socket calls came with 4.3; socketcall is old */
	ck_assert_uint_eq(kv_of(SCMP_ARCH_X86, "socket"), SCMP_KV_4_3);
	ck_assert_uint_eq(kv_of(SCMP_ARCH_X86, "socketcall"), SCMP_KV_UNDEF);
	ck_assert_uint_eq(kv_of(SCMP_ARCH_X32, "clone3"), SCMP_KV_5_3);
	/* numbers no syscall has */
	ck_assert_uint_eq(sg_arch_nr_kver(sg_arch_by_token(SCMP_ARCH_X86_64), 1000), 0);
	ck_assert_uint_eq(sg_arch_nr_kver(sg_arch_by_token(SCMP_ARCH_X86_64), 400), 0);
	ck_assert_uint_eq(sg_arch_nr_kver(sg_arch_by_token(SCMP_ARCH_X32), 0), 0);
}
END_TEST

START_TEST(attributes)
{
	scmp_filter_ctx ctx = seccomp_init(EPERM_ACT), other;
	uint32_t v;

	ck_assert_ptr_nonnull(ctx);
	ck_assert_int_eq(seccomp_attr_get(ctx, SCMP_FLTATR_ACT_ENOSYS, &v), 0);
	ck_assert_uint_eq(v, ENOSYS_ACT);
	ck_assert_int_eq(seccomp_attr_get(ctx, SCMP_FLTATR_CTL_KVERMAX, &v), 0);
	ck_assert_uint_eq(v, SCMP_KV_UNDEF);

	/* bad values: -EINVAL, nothing changes */
	ck_assert_int_eq(seccomp_attr_set(ctx, SCMP_FLTATR_CTL_KVERMAX, __SCMP_KV_NULL), -EINVAL);
	ck_assert_int_eq(seccomp_attr_set(ctx, SCMP_FLTATR_CTL_KVERMAX, __SCMP_KV_MAX), -EINVAL);
	ck_assert_int_eq(seccomp_attr_set(ctx, SCMP_FLTATR_CTL_KVERMAX, 0xffffffffu), -EINVAL);
	ck_assert_int_eq(seccomp_attr_set(ctx, SCMP_FLTATR_ACT_ENOSYS, 0x00120000u), -EINVAL);
	ck_assert_int_eq(seccomp_attr_set(ctx, SCMP_FLTATR_ACT_ENOSYS, SCMP_ACT_NOTIFY), -EINVAL);
	ck_assert_int_eq(seccomp_attr_get(ctx, SCMP_FLTATR_CTL_KVERMAX, &v), 0);
	ck_assert_uint_eq(v, SCMP_KV_UNDEF);
	ck_assert_int_eq(seccomp_attr_get(ctx, SCMP_FLTATR_ACT_ENOSYS, &v), 0);
	ck_assert_uint_eq(v, ENOSYS_ACT);

	ck_assert_int_eq(seccomp_attr_set(ctx, SCMP_FLTATR_CTL_KVERMAX, SCMP_KV_7_2), 0);
	ck_assert_int_eq(seccomp_attr_set(ctx, SCMP_FLTATR_CTL_KVERMAX, SCMP_KV_3_0), 0);
	ck_assert_int_eq(seccomp_attr_set(ctx, SCMP_FLTATR_ACT_ENOSYS, SCMP_ACT_KILL_PROCESS), 0);
	ck_assert_int_eq(seccomp_attr_get(ctx, SCMP_FLTATR_CTL_KVERMAX, &v), 0);
	ck_assert_uint_eq(v, SCMP_KV_3_0);
	ck_assert_int_eq(seccomp_attr_get(ctx, SCMP_FLTATR_ACT_ENOSYS, &v), 0);
	ck_assert_uint_eq(v, SCMP_ACT_KILL_PROCESS);
	/* SCMP_KV_UNDEF turns the limit off again; reset restores both defaults */
	ck_assert_int_eq(seccomp_attr_set(ctx, SCMP_FLTATR_CTL_KVERMAX, SCMP_KV_UNDEF), 0);
	ck_assert_int_eq(seccomp_attr_set(ctx, SCMP_FLTATR_CTL_KVERMAX, SCMP_KV_5_4), 0);
	ck_assert_int_eq(seccomp_reset(ctx, EPERM_ACT), 0);
	ck_assert_int_eq(seccomp_attr_get(ctx, SCMP_FLTATR_CTL_KVERMAX, &v), 0);
	ck_assert_uint_eq(v, SCMP_KV_UNDEF);
	ck_assert_int_eq(seccomp_attr_get(ctx, SCMP_FLTATR_ACT_ENOSYS, &v), 0);
	ck_assert_uint_eq(v, ENOSYS_ACT);

	/* merge: the setting must agree, and is kept */
	ck_assert_int_eq(seccomp_attr_set(ctx, SCMP_FLTATR_CTL_KVERMAX, SCMP_KV_5_4), 0);
	other = ctx_for(EPERM_ACT, (const uint32_t[]){SCMP_ARCH_X86}, 1);
	if (seccomp_arch_native() == SCMP_ARCH_X86_64) {
		ck_assert_int_eq(seccomp_merge(ctx, other), -EINVAL);
		ck_assert_int_eq(seccomp_attr_set(other, SCMP_FLTATR_CTL_KVERMAX, SCMP_KV_5_4), 0);
		ck_assert_int_eq(seccomp_attr_set(other, SCMP_FLTATR_ACT_ENOSYS, EPERM_ACT), 0);
		ck_assert_int_eq(seccomp_merge(ctx, other), -EINVAL);
		ck_assert_int_eq(seccomp_attr_set(other, SCMP_FLTATR_ACT_ENOSYS, ENOSYS_ACT), 0);
		ck_assert_int_eq(seccomp_merge(ctx, other), 0); /* frees other */
		ck_assert_int_eq(seccomp_attr_get(ctx, SCMP_FLTATR_CTL_KVERMAX, &v), 0);
		ck_assert_uint_eq(v, SCMP_KV_5_4);
		ck_assert_uint_eq(verdict_on(ctx, SCMP_ARCH_X86, "openat2", 0), ENOSYS_ACT);
	} else {
		seccomp_release(other);
	}
	/* both off: the ENOSYS actions do not matter */
	ck_assert_int_eq(seccomp_reset(ctx, EPERM_ACT), 0);
	other = seccomp_init(EPERM_ACT);
	ck_assert_int_eq(seccomp_arch_remove(other, SCMP_ARCH_NATIVE), 0);
	ck_assert_int_eq(seccomp_arch_add(other, seccomp_arch_native() == SCMP_ARCH_X86
	                                             ? SCMP_ARCH_X86_64
	                                             : SCMP_ARCH_X86),
	                 0);
	ck_assert_int_eq(seccomp_attr_set(other, SCMP_FLTATR_ACT_ENOSYS, EPERM_ACT), 0);
	ck_assert_int_eq(seccomp_merge(ctx, other), 0);
	seccomp_release(ctx);
}
END_TEST

static void program_bytes(scmp_filter_ctx ctx, void **buf, size_t *len)
{
	ck_assert_int_eq(seccomp_export_bpf_mem(ctx, NULL, len), 0);
	*buf = malloc(*len);
	ck_assert_ptr_nonnull(*buf);
	ck_assert_int_eq(seccomp_export_bpf_mem(ctx, *buf, len), 0);
}

static void some_rules(scmp_filter_ctx ctx)
{
	ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(read), 0), 0);
	ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(close_range), 0), 0);
	ck_assert_int_eq(
	    seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(write), 1, SCMP_A0(SCMP_CMP_EQ, 1)), 0);
}

/* no ordering rules: attributes before, between or after rules give the same program, and a
 * transaction's rollback keeps attributes (as for every other attribute) */
START_TEST(any_order)
{
	scmp_filter_ctx a = seccomp_init(EPERM_ACT), b = seccomp_init(EPERM_ACT);
	void *pa, *pb;
	size_t la, lb;

	ck_assert_int_eq(seccomp_attr_set(a, SCMP_FLTATR_CTL_KVERMAX, SCMP_KV_5_2), 0);
	ck_assert_int_eq(seccomp_attr_set(a, SCMP_FLTATR_ACT_ENOSYS, SCMP_ACT_ERRNO(95)), 0);
	some_rules(a);
	ck_assert_int_eq(seccomp_rule_add(b, SCMP_ACT_ALLOW, SCMP_SYS(read), 0), 0);
	ck_assert_int_eq(seccomp_attr_set(b, SCMP_FLTATR_ACT_ENOSYS, SCMP_ACT_ERRNO(95)), 0);
	ck_assert_int_eq(seccomp_precompute(b), 0);
	ck_assert_int_eq(seccomp_transaction_start(b), 0);
	ck_assert_int_eq(seccomp_rule_add(b, SCMP_ACT_ALLOW, SCMP_SYS(close_range), 0), 0);
	ck_assert_int_eq(seccomp_attr_set(b, SCMP_FLTATR_CTL_KVERMAX, SCMP_KV_5_2), 0);
	seccomp_transaction_reject(b);
	ck_assert_int_eq(seccomp_rule_add(b, SCMP_ACT_ALLOW, SCMP_SYS(close_range), 0), 0);
	ck_assert_int_eq(
	    seccomp_rule_add(b, SCMP_ACT_ALLOW, SCMP_SYS(write), 1, SCMP_A0(SCMP_CMP_EQ, 1)), 0);
	program_bytes(a, &pa, &la);
	program_bytes(b, &pb, &lb);
	ck_assert_uint_eq(la, lb);
	ck_assert_int_eq(memcmp(pa, pb, la), 0);
	free(pb);
	/* the attribute changes the program (a precomputed one is dropped) */
	ck_assert_int_eq(seccomp_attr_set(b, SCMP_FLTATR_CTL_KVERMAX, SCMP_KV_UNDEF), 0);
	program_bytes(b, &pb, &lb);
	ck_assert(la != lb || memcmp(pa, pb, la) != 0);
	free(pa);
	free(pb);
	seccomp_release(a);
	seccomp_release(b);
}
END_TEST

/* the meaning, on x86_64 (any host: simulation) */
START_TEST(ir_meaning)
{
	const uint32_t X = SCMP_ARCH_X86_64;
	scmp_filter_ctx ctx = ctx_for(EPERM_ACT, &X, 1);

	ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(read), 0), 0);
	ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(getpriority), 1,
	                                  SCMP_A0(SCMP_CMP_EQ, 12345)),
	                 0);
	/* off: today's meaning */
	ck_assert_uint_eq(verdict_on(ctx, X, "clone3", 0), EPERM_ACT);
	ck_assert_uint_eq(verdict_nr(ctx, X, 1000), EPERM_ACT);

	ck_assert_int_eq(seccomp_attr_set(ctx, SCMP_FLTATR_CTL_KVERMAX, SCMP_KV_5_2), 0);
	ck_assert_uint_eq(verdict_on(ctx, X, "clone3", 0), ENOSYS_ACT);
	ck_assert_uint_eq(verdict_on(ctx, X, "openat2", 0), ENOSYS_ACT);
	ck_assert_uint_eq(verdict_on(ctx, X, "pidfd_open", 0), ENOSYS_ACT);
	ck_assert_uint_eq(verdict_on(ctx, X, "faccessat2", 0), ENOSYS_ACT);
	ck_assert_uint_eq(verdict_on(ctx, X, "rseq_slice_yield", 0), ENOSYS_ACT);
	/* 5.2's own calls are present: the rules, then the default */
	ck_assert_uint_eq(verdict_on(ctx, X, "fsopen", 0), EPERM_ACT);
	ck_assert_uint_eq(verdict_on(ctx, X, "getppid", 0), EPERM_ACT);
	ck_assert_uint_eq(verdict_on(ctx, X, "read", 0), SCMP_ACT_ALLOW);
	ck_assert_uint_eq(verdict_on(ctx, X, "getpriority", 12345), SCMP_ACT_ALLOW);
	ck_assert_uint_eq(verdict_on(ctx, X, "getpriority", 0), EPERM_ACT);
	/* numbers no syscall has, in x86_64's own number space, and -1 */
	ck_assert_uint_eq(verdict_nr(ctx, X, 335), ENOSYS_ACT);
	ck_assert_uint_eq(verdict_nr(ctx, X, 1000), ENOSYS_ACT);
	ck_assert_uint_eq(verdict_nr(ctx, X, 0x3fffffff), ENOSYS_ACT);
	ck_assert_uint_eq(verdict_nr(ctx, X, 0xffffffff), ENOSYS_ACT);
	/* x32 numbers are not x86_64's: still bad-arch */
	ck_assert_uint_eq(verdict_nr(ctx, X, 0x40000000), SCMP_ACT_KILL);

	/* a rule naming a newer call wins, also when its arguments do not match; a priority
	 * hint names nothing */
	ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(openat2), 0), 0);
	ck_assert_int_eq(
	    seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(faccessat2), 1, SCMP_A2(SCMP_CMP_EQ, 4)),
	    0);
	ck_assert_int_eq(seccomp_syscall_priority(ctx, SCMP_SYS(clone3), 200), 0);
	ck_assert_uint_eq(verdict_on(ctx, X, "openat2", 0), SCMP_ACT_ALLOW);
	ck_assert_uint_eq(verdict_on(ctx, X, "faccessat2", 0), EPERM_ACT);
	ck_assert_uint_eq(verdict_on(ctx, X, "clone3", 0), ENOSYS_ACT);

	/* another ENOSYS action, and a newer limit */
	ck_assert_int_eq(seccomp_attr_set(ctx, SCMP_FLTATR_ACT_ENOSYS, SCMP_ACT_TRAP), 0);
	ck_assert_uint_eq(verdict_on(ctx, X, "pidfd_open", 0), SCMP_ACT_TRAP);
	ck_assert_int_eq(seccomp_attr_set(ctx, SCMP_FLTATR_CTL_KVERMAX, SCMP_KV_5_3), 0);
	ck_assert_uint_eq(verdict_on(ctx, X, "pidfd_open", 0), EPERM_ACT);
	ck_assert_uint_eq(verdict_on(ctx, X, "pidfd_getfd", 0), SCMP_ACT_TRAP);
	seccomp_release(ctx);
}
END_TEST

/* multiplexed calls follow their real numbers: x86's direct socket() came with 4.3 */
START_TEST(ir_multiplexed)
{
	const uint32_t X = SCMP_ARCH_X86;
	scmp_filter_ctx ctx = ctx_for(EPERM_ACT, &X, 1);
	const struct sg_arch *x86 = sg_arch_by_token(X);
	struct seccomp_data d = {.nr = x86->socketcall_nr, .arch = x86->audit, .args = {1}};

	ck_assert_int_eq(seccomp_attr_set(ctx, SCMP_FLTATR_CTL_KVERMAX, SCMP_KV_4_2), 0);
	ck_assert_uint_eq(verdict_on(ctx, X, "socket", 0), ENOSYS_ACT);
	ck_assert_uint_eq(verdict_on(ctx, X, "socketcall", 1), EPERM_ACT);
	ck_assert_int_eq(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(socket), 0), 0);
	ck_assert_uint_eq(verdict_on(ctx, X, "socket", 0), SCMP_ACT_ALLOW);
	ck_assert_uint_eq(sg_ir_eval(F(ctx), &d), SCMP_ACT_ALLOW);
	d.args[0] = 2;
	ck_assert_uint_eq(sg_ir_eval(F(ctx), &d), EPERM_ACT);
	ck_assert_uint_eq(verdict_on(ctx, X, "bind", 0), ENOSYS_ACT);
	seccomp_release(ctx);
}
END_TEST

/*
 * Programs agree with the IR on every number of every table (and the gaps' edges, the ABI
 * bases, the x32 bit, -1) for random policies and releases, on each ABI alone and in the
 * multi-ABI groups that share a program.
 */
static long check_group(struct tu_rng *r, const uint32_t *tokens, size_t n)
{
	static const uint32_t acts[] = {SCMP_ACT_ALLOW, SCMP_ACT_ERRNO(1), SCMP_ACT_KILL_PROCESS,
	                                SCMP_ACT_LOG, SCMP_ACT_TRAP};
	scmp_filter_ctx ctx = ctx_for(acts[tu_below(r, 5)], tokens, n);
	struct sg_filter *f = F(ctx);
	uint32_t kv = SCMP_KV_3_0 + (uint32_t)tu_below(r, __SCMP_KV_MAX - SCMP_KV_3_0);
	long cases = 0;

	ck_assert_int_eq(seccomp_attr_set(ctx, SCMP_FLTATR_CTL_KVERMAX, kv), 0);
	/* now and then another ENOSYS action, the default's one included */
	if (tu_below(r, 4) == 0)
		ck_assert_int_eq(
		    seccomp_attr_set(ctx, SCMP_FLTATR_ACT_ENOSYS, acts[tu_below(r, 5)]), 0);
	if (tu_below(r, 2))
		ck_assert_int_eq(seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2), 0);
	for (int i = 0; i < 40; i++) {
		const char *name = sg_syscall_name_at(tu_below(r, SG_SYS_COUNT));
		int sc = seccomp_syscall_resolve_name(name);
		uint32_t act = acts[tu_below(r, 5)];
		if (tu_below(r, 3))
			(void)seccomp_rule_add(ctx, act, sc, 0);
		else if (tu_below(r, 2))
			(void)seccomp_rule_add(ctx, act, sc, 1, SCMP_A1(SCMP_CMP_EQ, 7));
		else
			(void)seccomp_syscall_priority(ctx, sc, 100);
	}
	struct sg_program *p = tu_compile(f), *plain = NULL;
	/* the reference lowering too: plain halving, no exception leaves, no bytecode passes */
	const struct sg_compile_opts reference = {.tree = 0, .passes = false, .exceptions = false};
	ck_assert_int_eq(sg_compile_with(f, &reference, &plain), 0);
	ck_assert_int_eq(sg_bpf_check(p->insns, p->len), 0);
	for (size_t i = 0; i < n; i++) {
		const struct sg_arch *arch = sg_arch_by_token(tokens[i]);
		unsigned int t = arch->table_index;
		uint32_t edges[] = {0,
		                    1,
		                    arch->nr_base,
		                    arch->nr_base - 1,
		                    arch->nr_base + 1000,
		                    SG_X32_BIT - 1,
		                    SG_X32_BIT,
		                    0x0f0000,
		                    0x0f0010,
		                    0xfffffffe,
		                    0xffffffff,
		                    (uint32_t)tu_next(r)};
		size_t nents = (size_t)(sg_kver_start[t + 1] - sg_kver_start[t]);
		for (size_t e = 0; e < nents + 12; e++) {
			uint32_t base;
			if (e < 12) {
				base = edges[e];
			} else {
				uint16_t enc = sg_kver_ents[sg_kver_start[t] + e - 12].nr;
				base = sg_table_nr(t, enc);
			}
			for (uint32_t nr = base - 1; nr != base + 2; nr++) {
				struct seccomp_data d = {.nr = (int)nr, .arch = arch->audit};
				d.args[1] = tu_below(r, 2) ? 7 : 8;
				uint32_t ir = sg_ir_eval(f, &d), prog = tu_run(f, p, &d);
				ck_assert_msg(ir == prog, "%s nr %u kv %u: IR %08x program %08x",
				              arch->name, nr, kv, ir, prog);
				ck_assert_msg(tu_run(f, plain, &d) == ir,
				              "%s nr %u kv %u: the reference lowering differs",
				              arch->name, nr, kv);
				cases++;
			}
		}
	}
	sg_program_free(plain);
	sg_program_free(p);
	seccomp_release(ctx);
	return cases;
}

START_TEST(programs_agree)
{
	struct tu_rng r = {tu_seed("programs_agree")};
	long cases = 0;
	static const uint32_t groups[][3] = {
	    {SCMP_ARCH_X86_64, SCMP_ARCH_X86, SCMP_ARCH_X32},
	    {SCMP_ARCH_AARCH64, SCMP_ARCH_ARM, 0},
	    {SCMP_ARCH_MIPSEL64, SCMP_ARCH_MIPSEL, SCMP_ARCH_MIPSEL64N32},
	    {SCMP_ARCH_PPC64, SCMP_ARCH_PPC, SCMP_ARCH_S390X},
	    {SCMP_ARCH_X32, 0, 0},
	};

	for (int iter = 0; iter < 2; iter++) {
		for (size_t i = 0; i < sg_arch_count; i++)
			cases += check_group(&r, &sg_arches[i]->token, 1);
		for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
			size_t n = 0;
			while (n < 3 && groups[g][n])
				n++;
			cases += check_group(&r, groups[g], n);
		}
	}
	printf("programs_agree: %ld cases, 0 divergences\n", cases);
}
END_TEST

#else /* KVERS_LIVE */

/*
 * The running kernel, SCMP_KV_5_2 on the native ABI: ENOSYS from calls newer than 5.2 and from
 * a number no syscall has; the default (EPERM) from a 5.2-era call the policy does not allow
 * and from an allowed call whose argument rule does not match. With the limit off (the
 * negative control) all of them get EPERM.
 */
struct live_case {
	bool limit;
};

static long raw(long nr, long a0, long a1, long a2)
{
	errno = 0;
	return syscall(nr, a0, a1, a2, 0, 0, 0);
}

#define EXPECT_ERRNO(call, want)                                                                   \
	do {                                                                                       \
		long rc_ = (call);                                                                 \
		if (rc_ != -1 || errno != (want)) {                                                \
			dprintf(2, "%s: rc %ld errno %d, want %d\n", #call, rc_, errno, (want));   \
			_exit(2);                                                                  \
		}                                                                                  \
	} while (0)

static void live_child(void *arg)
{
	const struct live_case *lc = arg;
	scmp_filter_ctx ctx = seccomp_init(EPERM_ACT);
	int newer = lc->limit ? ENOSYS : EPERM;

	if (!ctx || seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(write), 0) ||
	    seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(exit_group), 0) ||
	    seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(getpriority), 1,
	                     SCMP_A0(SCMP_CMP_EQ, 12345)) ||
	    tu_allow_sanitizer_runtime(ctx) ||
	    (lc->limit && seccomp_attr_set(ctx, SCMP_FLTATR_CTL_KVERMAX, SCMP_KV_5_2)) ||
	    seccomp_load(ctx))
		_exit(3);
	EXPECT_ERRNO(raw(__NR_clone3, 0, 0, 0), newer);
	EXPECT_ERRNO(raw(__NR_openat2, AT_FDCWD, (long)"/", 0), newer);
	EXPECT_ERRNO(raw(__NR_pidfd_open, getpid(), 0, 0), newer);
	EXPECT_ERRNO(raw(__NR_faccessat2, AT_FDCWD, (long)"/", 0), newer);
	EXPECT_ERRNO(raw(1000, 0, 0, 0), newer);
	EXPECT_ERRNO(raw(__NR_getppid, 0, 0, 0), EPERM);
	EXPECT_ERRNO(raw(__NR_getpriority, 0, 0, 0), EPERM);
	_exit(0);
}

START_TEST(live_kv_5_2)
{
	struct live_case on = {true}, off = {false};

	TU_CHILD_OK(live_child, &on, "SCMP_KV_5_2");
	TU_CHILD_OK(live_child, &off, "no limit (negative control)");
}
END_TEST

/*
 * A real glibc program under a limit: posix_spawn() and pthread_create() try clone3 first
 * (glibc >= 2.34) and fall back to clone on ENOSYS. With the ENOSYS action set to EPERM (the
 * negative control) glibc does not fall back and posix_spawn fails.
 */
static void *thread_fn(void *arg)
{
	return arg;
}

static void spawn_child(void *arg)
{
	uint32_t enosys = *(const uint32_t *)arg;
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	char *argv[] = {"true", NULL};
	pthread_t th;
	void *ret = NULL;
	pid_t pid;
	int st = -1, rc;

	if (!ctx || seccomp_attr_set(ctx, SCMP_FLTATR_CTL_KVERMAX, SCMP_KV_5_2) ||
	    seccomp_attr_set(ctx, SCMP_FLTATR_ACT_ENOSYS, enosys) || seccomp_load(ctx))
		_exit(3);
	seccomp_release(ctx);
	EXPECT_ERRNO(raw(__NR_clone3, 0, 0, 0), (int)(enosys & 0xffff));
	rc = posix_spawn(&pid, "/bin/true", NULL, NULL, argv, environ);
	if (enosys != ENOSYS_ACT)
		_exit(rc == EPERM ? 0 : 4);
	if (rc != 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		dprintf(2, "posix_spawn: rc %d status 0x%x\n", rc, st);
		_exit(5);
	}
	if (pthread_create(&th, NULL, thread_fn, &st) != 0 || pthread_join(th, &ret) != 0 ||
	    ret != &st)
		_exit(6);
	_exit(0);
}

START_TEST(live_glibc_fallback)
{
	uint32_t enosys = ENOSYS_ACT, eperm = EPERM_ACT;

	if (access("/bin/true", X_OK) != 0) {
		printf("live_glibc_fallback: no /bin/true, not run\n");
		return;
	}
	TU_CHILD_OK(spawn_child, &enosys, "posix_spawn under SCMP_KV_5_2");
	TU_CHILD_OK(spawn_child, &eperm, "posix_spawn with ENOSYS action EPERM (control)");
}
END_TEST
#endif /* KVERS_LIVE */

int main(void)
{
	Suite *s = suite_create("kvers");
	TCase *tc;
#ifdef KVERS_LIVE
	/* a limit proven in the kernel: needs seccomp, which valgrind does not emulate */
	tu_skip_without_seccomp();
	tu_skip_under_valgrind();
	tu_api_level_from_env();
	tc = tcase_create("live");
	tcase_add_test(tc, live_kv_5_2);
	tcase_add_test(tc, live_glibc_fallback);
	suite_add_tcase(s, tc);
#else
	/* under valgrind, the real kernel's API level (actions such as KILL_PROCESS) */
	tu_api_level_from_env();
	tc = tcase_create("data");
	tcase_add_test(tc, enum_values);
	tcase_add_test(tc, data_matches_tables);
	tcase_add_test(tc, data_matches_csv);
	tcase_add_test(tc, known_releases);
	suite_add_tcase(s, tc);
	tc = tcase_create("api");
	tcase_add_test(tc, attributes);
	tcase_add_test(tc, any_order);
	tcase_add_test(tc, ir_meaning);
	tcase_add_test(tc, ir_multiplexed);
	tcase_add_test(tc, programs_agree);
	tcase_set_timeout(tc, 120);
	suite_add_tcase(s, tc);
#endif
	return tu_run_suite(s);
}
