/*
 * test_arch_tables.c - syscall tables and resolver functions, checked against the kernel tables.
 *
 * The table test is generated at run time from the same per-arch files the tables were
 * generated from (env SYSGATE_TABLES, default the copy in the repository,
 * $(top_srcdir)/tests/data/syscall-tables): every name of every ABI must resolve to the file's
 * number and back. Without those files the other tests still run and the program then exits
 * 77 (skip) with a visible SKIP line.
 *
 * `test_arch_tables --answer` is a helper for test_resolver_debian.sh: it reads the query lines
 * that ref_resolver_dump prints and answers them with sysgate's public functions.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <check.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <seccomp.h>

#include "arch/arch.h"
#include "arch/syscalls.h"
#include "testcheck.h"

#ifndef TOP_SRCDIR
#define TOP_SRCDIR "."
#endif

/* the table file behind each ABI (an independent statement of what gen-syscalls.py uses) */
static const struct {
	const char *arch;
	const char *file;
} abi_files[] = {
    {"x86", "i386"},
    {"x86_64", "x86_64"},
    {"x32", "x32"},
    {"arm", "arm"},
    {"aarch64", "arm64"},
    {"loongarch64", "loongarch64"},
    {"m68k", "m68k"},
    {"mips", "mipso32"},
    {"mipsel", "mipso32"},
    {"mips64", "mips64"},
    {"mipsel64", "mips64"},
    {"mips64n32", "mips64n32"},
    {"mipsel64n32", "mips64n32"},
    {"parisc", "parisc"},
    {"parisc64", "parisc64"},
    {"ppc", "powerpc"},
    {"ppc64", "powerpc64"},
    {"ppc64le", "powerpc64"},
    {"riscv64", "riscv64"},
    {"riscv32", "riscv32"},
    {"s390", "s390"},
    {"s390x", "s390x"},
    {"sh", "sh"},
    {"sheb", "sh"},
    {"csky", "csky"},
    {"xtensa", "xtensa"},
};
#define N_ABI (sizeof(abi_files) / sizeof(abi_files[0]))

/* table entries sysgate deliberately drops: the CORRECTIONS of gen-syscalls.py (none for the
 * Linux 7.2 tables), NULL-terminated */
static const struct {
	const char *file, *name;
} corrections[] = {
    {NULL, NULL},
};

static char tables_dir[4096];
static int tables_missing;

static void find_tables(void)
{
	const char *env = getenv("SYSGATE_TABLES");
	FILE *f;
	char probe[4200];

	if (env != NULL && env[0] != '\0')
		snprintf(tables_dir, sizeof(tables_dir), "%s", env);
	else
		snprintf(tables_dir, sizeof(tables_dir), "%s/tests/data/syscall-tables",
		         TOP_SRCDIR);
	snprintf(probe, sizeof(probe), "%s/syscalls-x86_64", tables_dir);
	f = fopen(probe, "r");
	if (f == NULL)
		tables_missing = 1;
	else
		fclose(f);
}

/* the number reserved.txt gives name on a table file, or -1 */
static int reserved_nr(const char *file, const char *name)
{
	char path[4200], line[256], t[64], n[128];
	int nr, found = -1;
	FILE *f;

	snprintf(path, sizeof(path), "%s/src/arch/reserved.txt", TOP_SRCDIR);
	f = fopen(path, "r");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	while (fgets(line, sizeof(line), f) != NULL) {
		if (line[0] == '#')
			continue;
		if (sscanf(line, "%63[^\t]\t%127[^\t]\t%d", t, n, &nr) == 3 &&
		    strcmp(t, file) == 0 && strcmp(n, name) == 0)
			found = nr;
	}
	fclose(f);
	return found;
}

static int is_correction(const char *file, const char *name)
{
	for (size_t i = 0; corrections[i].file != NULL; i++)
		if (strcmp(corrections[i].file, file) == 0 &&
		    strcmp(corrections[i].name, name) == 0)
			return 1;
	return 0;
}

static uint8_t family_of(int pnr)
{
	if (pnr <= -101 && pnr >= -120)
		return SG_MUX_SOCKET;
	if (pnr <= -201 && pnr >= -224)
		return SG_MUX_IPC;
	return 0;
}

/* every name of one ABI's table file: number, resolution, reverse lookup, public functions */
START_TEST(test_table_abi)
{
	const struct sg_arch *arch = sg_arch_by_name(abi_files[_i].arch);
	const char *file = abi_files[_i].file;
	char path[4200], line[256];
	unsigned with_nr = 0, without_nr = 0;
	FILE *f;

	if (tables_missing)
		return;
	ck_assert_ptr_nonnull(arch);
	snprintf(path, sizeof(path), "%s/syscalls-%s", tables_dir, file);
	f = fopen(path, "r");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	while (fgets(line, sizeof(line), f) != NULL) {
		char *tab, *name = line;
		int nr = -1, pnr, expect;
		char *back;

		line[strcspn(line, "\n")] = '\0';
		if (line[0] == '\0')
			continue;
		tab = strchr(line, '\t');
		if (tab != NULL) {
			*tab = '\0';
			if (tab[1] != '\0')
				nr = (int)strtol(tab + 1, NULL, 10);
		}
		if (is_correction(file, name))
			nr = -1;
		if (nr < 0)
			nr = reserved_nr(file, name);
		pnr = sg_syscall_pnr(name);
		ck_assert_msg(pnr < 0, "%s has no pseudo number", name);

		if (nr < 0) {
			/* absent: the pseudo number everywhere, and it names the syscall back */
			without_nr++;
			ck_assert_int_eq(sg_arch_syscall_nr(arch, name), pnr);
			ck_assert_int_eq(sg_arch_resolve_name(arch, name), pnr);
			ck_assert_int_eq(seccomp_syscall_resolve_name_arch(arch->token, name), pnr);
			back = seccomp_syscall_resolve_num_arch(arch->token, pnr);
			ck_assert_ptr_nonnull(back);
			ck_assert_int_eq(sg_arch_syscall_nr(arch, back), pnr);
			free(back);
			continue;
		}

		with_nr++;
		ck_assert_msg(sg_arch_syscall_nr(arch, name) == nr, "%s %s: %d, table %d",
		              arch->name, name, sg_arch_syscall_nr(arch, name), nr);
		/* the documented exception: multiplexed families resolve to pseudo numbers */
		expect = (arch->mux & family_of(pnr)) != 0 ? pnr : nr;
		ck_assert_msg(sg_arch_resolve_name(arch, name) == expect, "%s %s: %d, expected %d",
		              arch->name, name, sg_arch_resolve_name(arch, name), expect);
		ck_assert_int_eq(seccomp_syscall_resolve_name_arch(arch->token, name), expect);
		if (expect != nr)
			ck_assert_int_eq(seccomp_syscall_resolve_name_rewrite(arch->token, name),
			                 family_of(pnr) == SG_MUX_SOCKET ? arch->socketcall_nr
			                                                 : arch->ipc_nr);
		else
			ck_assert_int_eq(seccomp_syscall_resolve_name_rewrite(arch->token, name),
			                 nr);

		/* and back: the same name, or an alias that resolves to the same number */
		back = seccomp_syscall_resolve_num_arch(arch->token, nr);
		ck_assert_msg(back != NULL, "%s %d has no name", arch->name, nr);
		ck_assert_msg(strcmp(back, name) == 0 || sg_arch_syscall_nr(arch, back) == nr,
		              "%s %d -> %s, table says %s", arch->name, nr, back, name);
		ck_assert_str_eq(back, sg_arch_syscall_name(arch, nr));
		free(back);
	}
	fclose(f);
	ck_assert_uint_gt(with_nr, 200);
	printf("tables: %-12s (syscalls-%s) %u names with a number, %u without\n", arch->name, file,
	       with_nr, without_nr);
	fflush(stdout);
}
END_TEST

/* reserved slots (src/arch/reserved.txt) resolve on every ABI using that table, and back */
START_TEST(test_reserved)
{
	char path[4200], line[256], file[64], name[128];
	unsigned n = 0;
	int nr;
	FILE *f;

	snprintf(path, sizeof(path), "%s/src/arch/reserved.txt", TOP_SRCDIR);
	f = fopen(path, "r");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	while (fgets(line, sizeof(line), f) != NULL) {
		if (line[0] == '#' || sscanf(line, "%63[^\t]\t%127[^\t]\t%d", file, name, &nr) != 3)
			continue;
		for (size_t i = 0; i < N_ABI; i++) {
			const struct sg_arch *arch = sg_arch_by_name(abi_files[i].arch);

			if (strcmp(abi_files[i].file, file) != 0)
				continue;
			ck_assert_msg(sg_arch_syscall_nr(arch, name) == nr, "%s %s", arch->name,
			              name);
			ck_assert_str_eq(sg_arch_syscall_name(arch, nr), name);
			n++;
		}
	}
	fclose(f);
	ck_assert_uint_gt(n, 100);
}
END_TEST

/* every known name has a distinct pseudo number that names it back (one libseccomp duplicate) */
START_TEST(test_pseudo_numbers)
{
	size_t count = 0;
	const char *name;

	for (size_t i = 0; (name = sg_syscall_name_at(i)) != NULL; i++) {
		int pnr = sg_syscall_pnr(name);

		count++;
		if (i > 0)
			ck_assert_int_lt(strcmp(sg_syscall_name_at(i - 1), name), 0);
		ck_assert_msg((pnr <= -101 && pnr >= -120) || (pnr <= -201 && pnr >= -224) ||
		                  pnr <= -10001,
		              "%s: %d", name, pnr);
		if (strcmp(name, "sys_debug_setcontext") == 0)
			ck_assert_str_eq(sg_syscall_pnr_name(pnr), "switch_endian");
		else
			ck_assert_str_eq(sg_syscall_pnr_name(pnr), name);
		ck_assert_str_eq(sg_arch_syscall_name(NULL, pnr), sg_syscall_pnr_name(pnr));
	}
	ck_assert_uint_gt(count, 500);
	ck_assert_int_eq(sg_syscall_pnr("switch_endian"), -10191);
	ck_assert_int_eq(sg_syscall_pnr("sys_debug_setcontext"), -10191);
	/* ABI values clients compile in */
	ck_assert_int_eq(sg_syscall_pnr("socket"), -101);
	ck_assert_int_eq(sg_syscall_pnr("sendmmsg"), -120);
	ck_assert_int_eq(sg_syscall_pnr("semop"), -201);
	ck_assert_int_eq(sg_syscall_pnr("semtimedop"), -204);
	ck_assert_int_eq(sg_syscall_pnr("msgsnd"), -211);
	ck_assert_int_eq(sg_syscall_pnr("shmctl"), -224);
	ck_assert_int_eq(sg_syscall_pnr("arch_prctl"), -10001);
	ck_assert_int_eq(sg_syscall_pnr("map_shadow_stack"), -10245);
	ck_assert_int_eq(sg_syscall_pnr("open_tree_attr"), -10252);
	ck_assert_int_eq(sg_syscall_pnr("uprobe"), -10254);
	ck_assert_ptr_null(sg_syscall_pnr_name(-10253)); /* libseccomp's, unconfirmed: unused */
	ck_assert_ptr_null(sg_syscall_pnr_name(-1));
	ck_assert_ptr_null(sg_syscall_pnr_name(-100));
	ck_assert_ptr_null(sg_syscall_pnr_name(-205));
	ck_assert_ptr_null(sg_syscall_pnr_name(0));
	ck_assert_ptr_null(sg_syscall_pnr_name(INT_MIN));
	ck_assert_int_eq(sg_syscall_pnr("no_such_syscall"), 0);
	ck_assert_int_eq(sg_syscall_pnr(NULL), 0);
}
END_TEST

START_TEST(test_mux_call)
{
	uint8_t fam = 0;

	ck_assert_int_eq(sg_mux_call(-101, &fam), 1);
	ck_assert_int_eq(fam, SG_MUX_SOCKET);
	ck_assert_int_eq(sg_mux_call(-120, &fam), 20);
	ck_assert_int_eq(sg_mux_call(-201, &fam), 1);
	ck_assert_int_eq(fam, SG_MUX_IPC);
	ck_assert_int_eq(sg_mux_call(-214, &fam), 14);
	ck_assert_int_eq(sg_mux_call(-224, NULL), 24);
	fam = 0;
	ck_assert_int_eq(sg_mux_call(-205, &fam), 0);
	ck_assert_int_eq(sg_mux_call(-121, &fam), 0);
	ck_assert_int_eq(sg_mux_call(-10001, &fam), 0);
	ck_assert_int_eq(sg_mux_call(102, &fam), 0);
	ck_assert_int_eq(sg_mux_call(-1, &fam), 0);
	ck_assert_int_eq(fam, 0);
}
END_TEST

/* descriptor fields the rest of the library relies on */
START_TEST(test_descriptors)
{
	static const char *const be[] = {"m68k",   "mips",     "mips64", "mips64n32",
	                                 "parisc", "parisc64", "ppc",    "ppc64",
	                                 "s390",   "s390x",    "sheb"};
	static const char *const b32[] = {
	    "x86",    "x32", "arm",  "m68k", "mips", "mipsel",  "mips64n32", "mipsel64n32",
	    "parisc", "ppc", "s390", "sh",   "sheb", "riscv32", "csky",      "xtensa"};
	static const char *const mux[] = {"x86",     "m68k", "mips",  "mipsel", "ppc", "ppc64",
	                                  "ppc64le", "s390", "s390x", "sh",     "sheb"};

	ck_assert_uint_eq(sg_arch_count, N_ABI);
	for (size_t i = 0; i < sg_arch_count; i++) {
		const struct sg_arch *a = sg_arches[i];
		int is_be = 0, is_32 = 0, is_mux = 0;

		for (size_t j = 0; j < sizeof(be) / sizeof(be[0]); j++)
			is_be |= strcmp(a->name, be[j]) == 0;
		for (size_t j = 0; j < sizeof(b32) / sizeof(b32[0]); j++)
			is_32 |= strcmp(a->name, b32[j]) == 0;
		for (size_t j = 0; j < sizeof(mux) / sizeof(mux[0]); j++)
			is_mux |= strcmp(a->name, mux[j]) == 0;
		ck_assert_msg(a->big_endian == is_be, "%s endianness", a->name);
		ck_assert_msg(a->arg_bits == (is_32 ? 32 : 64), "%s arg_bits", a->name);
		ck_assert_msg(a->mux == (is_mux ? SG_MUX_SOCKET | SG_MUX_IPC : 0), "%s mux",
		              a->name);
		ck_assert_msg((a->socketcall_nr >= 0) == is_mux && (a->ipc_nr >= 0) == is_mux,
		              "%s mux numbers", a->name);
		ck_assert_msg(a->sign_extends == (strncmp(a->name, "mips", 4) == 0 && is_32),
		              "%s sign_extends", a->name);
		ck_assert_ptr_eq(sg_arch_by_name(a->name), a);
		ck_assert_ptr_eq(sg_arch_by_token(a->token), a);
		ck_assert_uint_eq(seccomp_arch_resolve_name(a->name), a->token);
		ck_assert_uint_eq(a->audit,
		                  a->token == SCMP_ARCH_X32 ? AUDIT_ARCH_X86_64 : a->token);
		for (size_t j = 0; j < i; j++)
			ck_assert_uint_ne(sg_arches[j]->token, a->token);
	}
	ck_assert_int_eq(sg_arch_by_name("x86")->socketcall_nr, 102);
	ck_assert_int_eq(sg_arch_by_name("x86")->ipc_nr, 117);
	ck_assert_int_eq(sg_arch_by_name("mipsel")->socketcall_nr, 4102);
	ck_assert_int_eq(sg_arch_by_name("mips")->ipc_nr, 4117);
	ck_assert_uint_eq(sg_arch_by_name("x32")->nr_base, 0x40000000);
	ck_assert_uint_eq(sg_arch_by_name("mips64")->nr_base, 5000);
	ck_assert_uint_eq(seccomp_arch_resolve_name("riscv32"), SCMP_ARCH_RISCV32);
	ck_assert_uint_eq(seccomp_arch_resolve_name("csky"), SCMP_ARCH_CSKY);
	ck_assert_uint_eq(seccomp_arch_resolve_name("xtensa"), SCMP_ARCH_XTENSA);
	ck_assert_ptr_eq(sg_arch_by_token(SCMP_ARCH_NATIVE), sg_arch_native());
	ck_assert_uint_eq(seccomp_arch_native(), sg_arch_native()->token);
#if defined(__x86_64__) && !defined(__ILP32__)
	ck_assert_uint_eq(seccomp_arch_native(), SCMP_ARCH_X86_64);
#elif defined(__aarch64__)
	ck_assert_uint_eq(seccomp_arch_native(), SCMP_ARCH_AARCH64);
#endif
}
END_TEST

/* malformed input gives libseccomp 2.5.4's answers and never crashes */
START_TEST(test_bad_input)
{
	char *big = malloc(100001);
	char *s;

	ck_assert_ptr_nonnull(big);
	memset(big, 'a', 100000);
	big[100000] = '\0';

	ck_assert_uint_eq(seccomp_arch_resolve_name(NULL), 0);
	ck_assert_uint_eq(seccomp_arch_resolve_name(""), 0);
	ck_assert_uint_eq(seccomp_arch_resolve_name("X86_64"), 0);
	ck_assert_uint_eq(seccomp_arch_resolve_name(big), 0);
	ck_assert_ptr_null(sg_arch_by_token(12345));
	ck_assert_ptr_null(sg_arch_by_name(NULL));

	ck_assert_int_eq(seccomp_syscall_resolve_name(NULL), __NR_SCMP_ERROR);
	ck_assert_int_eq(seccomp_syscall_resolve_name(""), __NR_SCMP_ERROR);
	ck_assert_int_eq(seccomp_syscall_resolve_name("0"), __NR_SCMP_ERROR); /* no numbers */
	ck_assert_int_eq(seccomp_syscall_resolve_name("READ"), __NR_SCMP_ERROR);
	ck_assert_int_eq(seccomp_syscall_resolve_name("read "), __NR_SCMP_ERROR);
	ck_assert_int_eq(seccomp_syscall_resolve_name(big), __NR_SCMP_ERROR);
	ck_assert_int_eq(seccomp_syscall_resolve_name_arch(12345, "read"), __NR_SCMP_ERROR);
	ck_assert_int_eq(seccomp_syscall_resolve_name_rewrite(12345, "socket"), __NR_SCMP_ERROR);
	ck_assert_int_eq(seccomp_syscall_resolve_name_rewrite(SCMP_ARCH_X86, NULL),
	                 __NR_SCMP_ERROR);
	ck_assert_int_eq(sg_arch_syscall_nr(NULL, "read"), __NR_SCMP_ERROR);
	ck_assert_int_eq(sg_arch_resolve_name(NULL, "read"), __NR_SCMP_ERROR);
	ck_assert_int_eq(sg_arch_syscall_nr(sg_arch_native(), NULL), __NR_SCMP_ERROR);

	ck_assert_ptr_null(seccomp_syscall_resolve_num_arch(12345, 0));
	ck_assert_ptr_null(sg_arch_syscall_name(NULL, 0));
	ck_assert_ptr_null(sg_arch_pnr_name(NULL, -101));
	ck_assert_ptr_null(sg_arch_pnr_name(sg_arch_by_name("x86"), 3));
	for (uint32_t t = 0; t < 2; t++) {
		uint32_t tok = t ? SCMP_ARCH_X86_64 : SCMP_ARCH_NATIVE;
		static const int bad[] = {-1,      -2,      -99,     -100,   -121,
		                          -200,    -205,    -225,    -9999,  -10253,
		                          -100000, INT_MIN, INT_MAX, 100000, 0x3fffffff};

		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
			ck_assert_msg(seccomp_syscall_resolve_num_arch(tok, bad[i]) == NULL, "%d",
			              bad[i]);
	}
	/* x86_64 does not take x32 numbers */
	ck_assert_ptr_null(seccomp_syscall_resolve_num_arch(SCMP_ARCH_X86_64, 0x40000000));
	ck_assert_ptr_null(seccomp_syscall_resolve_num_arch(SCMP_ARCH_X86_64, 512));
	ck_assert_ptr_null(seccomp_syscall_resolve_num_arch(SCMP_ARCH_X32, 13)); /* 64-bit only */
	ck_assert_ptr_null(seccomp_syscall_resolve_num_arch(SCMP_ARCH_X32, INT_MAX));
	ck_assert_ptr_null(seccomp_syscall_resolve_num_arch(SCMP_ARCH_ARM, 0x0f0000));
	ck_assert_ptr_null(seccomp_syscall_resolve_num_arch(SCMP_ARCH_ARM, 0x0f0007));
	ck_assert_ptr_null(seccomp_syscall_resolve_num_arch(SCMP_ARCH_MIPS64, 4003));
	ck_assert_ptr_null(seccomp_syscall_resolve_num_arch(SCMP_ARCH_MIPS, 5003));
	ck_assert_ptr_null(sg_arch_syscall_name(sg_arch_by_name("mips"), 3)); /* internal: strict */

	/* numbers without their ABI offset are accepted by the public function, as in 2.5.4 */
	s = seccomp_syscall_resolve_num_arch(SCMP_ARCH_X32, 0);
	ck_assert_str_eq(s, "read");
	free(s);
	s = seccomp_syscall_resolve_num_arch(SCMP_ARCH_X32, 512);
	ck_assert_str_eq(s, "rt_sigaction");
	free(s);
	s = seccomp_syscall_resolve_num_arch(SCMP_ARCH_MIPS, 3);
	ck_assert_str_eq(s, "read");
	free(s);
	s = seccomp_syscall_resolve_num_arch(SCMP_ARCH_MIPS64, 3);
	ck_assert_str_eq(s, "close");
	free(s);
	s = seccomp_syscall_resolve_num_arch(SCMP_ARCH_MIPSEL64N32, 6003);
	ck_assert_str_eq(s, "close");
	free(s);
	free(big);
}
END_TEST

/* pseudo numbers name a syscall only where the ABI resolves that name to them (libseccomp) */
START_TEST(test_pseudo_lookup)
{
	char *s;

	ck_assert_ptr_null(seccomp_syscall_resolve_num_arch(SCMP_ARCH_X86_64, -101));
	s = seccomp_syscall_resolve_num_arch(SCMP_ARCH_X86, -101);
	ck_assert_str_eq(s, "socket");
	free(s);
	s = seccomp_syscall_resolve_num_arch(SCMP_ARCH_S390X, -224);
	ck_assert_str_eq(s, "shmctl");
	free(s);
	ck_assert_ptr_null(seccomp_syscall_resolve_num_arch(SCMP_ARCH_X86_64, __PNR_access));
	s = seccomp_syscall_resolve_num_arch(SCMP_ARCH_AARCH64, __PNR_access);
	ck_assert_str_eq(s, "access");
	free(s);
	s = seccomp_syscall_resolve_num_arch(SCMP_ARCH_X86_64, -10191);
	ck_assert_str_eq(s, "switch_endian");
	free(s);
	ck_assert_ptr_null(seccomp_syscall_resolve_num_arch(SCMP_ARCH_PPC, -10191));
	ck_assert_ptr_null(seccomp_syscall_resolve_num_arch(SCMP_ARCH_X86, __PNR_socketcall));
	s = seccomp_syscall_resolve_num_arch(SCMP_ARCH_X86_64, __PNR_socketcall);
	ck_assert_str_eq(s, "socketcall");
	free(s);
	/* the internal lookup names any pseudo number */
	ck_assert_str_eq(sg_arch_syscall_name(sg_arch_by_name("x86_64"), -101), "socket");
	ck_assert_str_eq(sg_arch_syscall_name(sg_arch_by_name("x86_64"), __PNR_access), "access");
	ck_assert_str_eq(sg_arch_pnr_name(sg_arch_by_name("x86"), -118), "accept4");
	ck_assert_ptr_null(sg_arch_pnr_name(sg_arch_by_name("x86_64"), -118));
}
END_TEST

/*
 * sg_sys_by_nr against a scan of every syscall, for every number the ABI has, the pseudo
 * numbers, and their neighbours (the gaps' edges): the lookup guesses where a number's entry
 * is before it searches, and a wrong guess must never name another syscall or miss one.
 */
static void by_nr_check(const struct sg_arch *arch, int x)
{
	bool known = false;
	int got = sg_sys_by_nr(arch, x);

	for (int sys = 0; sys < SG_SYS_COUNT && !known; sys++)
		known = (x < 0 ? sg_sys_pnr(sys) : sg_sys_arch_nr(arch, sys)) == x;
	if (!known) {
		ck_assert_msg(got == -1, "%s %d: %d, expected none", arch->name, x, got);
		return;
	}
	/* one of the syscalls with that number (aliases share one: test_table_abi) */
	ck_assert_msg(got >= 0 && (x < 0 ? sg_sys_pnr(got) : sg_sys_arch_nr(arch, got)) == x,
	              "%s %d: %d", arch->name, x, got);
}

START_TEST(test_by_nr_exhaustive)
{
	unsigned checked = 0;

	for (size_t a = 0; a < sg_arch_count; a++) {
		const struct sg_arch *arch = sg_arches[a];
		for (int sys = 0; sys < SG_SYS_COUNT; sys++) {
			int nr = sg_sys_arch_nr(arch, sys), pnr = sg_sys_pnr(sys);
			for (int d = -2; d <= 2; d++) {
				if (nr >= 0 && nr + d >= 0)
					by_nr_check(arch, nr + d);
				if (pnr + d < 0)
					by_nr_check(arch, pnr + d);
				checked++;
			}
		}
		by_nr_check(arch, 0x7fffffff);
		by_nr_check(arch, INT_MIN);
	}
	ck_assert_uint_gt(checked, 10000);
}
END_TEST

/* multiplexed calls, and the names libseccomp has its own way */
START_TEST(test_mux_and_aliases)
{
	const struct sg_arch *x86 = sg_arch_by_name("x86"), *arm = sg_arch_by_name("arm");
	char *s;

	ck_assert_int_eq(seccomp_syscall_resolve_name_arch(SCMP_ARCH_X86, "socket"), -101);
	ck_assert_int_eq(seccomp_syscall_resolve_name_rewrite(SCMP_ARCH_X86, "socket"), 102);
	ck_assert_int_eq(seccomp_syscall_resolve_name_rewrite(SCMP_ARCH_X86, "semop"), 117);
	ck_assert_int_eq(seccomp_syscall_resolve_name_rewrite(SCMP_ARCH_X86, "accept4"), 102);
	ck_assert_int_eq(seccomp_syscall_resolve_name_rewrite(SCMP_ARCH_MIPS, "socket"), 4102);
	ck_assert_int_eq(seccomp_syscall_resolve_name_rewrite(SCMP_ARCH_S390X, "recv"), 102);
	ck_assert_int_eq(seccomp_syscall_resolve_name_rewrite(SCMP_ARCH_X86_64, "socket"), 41);
	ck_assert_int_eq(seccomp_syscall_resolve_name_rewrite(SCMP_ARCH_X86_64, "semop"), 65);
	ck_assert_int_eq(seccomp_syscall_resolve_name_rewrite(SCMP_ARCH_AARCH64, "recv"), -110);
	ck_assert_int_eq(seccomp_syscall_resolve_name_rewrite(SCMP_ARCH_X86, "read"), 3);
	/* direct numbers still exist and name the call */
	ck_assert_int_eq(sg_arch_syscall_nr(x86, "socket"), 359);
	ck_assert_str_eq(sg_arch_syscall_name(x86, 359), "socket");
	ck_assert_str_eq(sg_arch_syscall_name(x86, 102), "socketcall");

	/* ARM: kernel name wins, libseccomp's name is an alias there and keeps its pseudo value */
	ck_assert_int_eq(sg_arch_syscall_nr(arm, "sync_file_range2"), 341);
	ck_assert_int_eq(sg_arch_syscall_nr(arm, "arm_sync_file_range"), 341);
	ck_assert_str_eq(sg_arch_syscall_name(arm, 341), "sync_file_range2");
	ck_assert_int_eq(seccomp_syscall_resolve_name_arch(SCMP_ARCH_PPC, "arm_sync_file_range"),
	                 -10084);
	ck_assert_int_eq(seccomp_syscall_resolve_name_arch(SCMP_ARCH_PPC, "sync_file_range2"), 308);
	s = seccomp_syscall_resolve_num_arch(SCMP_ARCH_X86_64, -10084);
	ck_assert_str_eq(s, "arm_sync_file_range");
	free(s);
	/* ARM private calls */
	ck_assert_int_eq(sg_arch_syscall_nr(arm, "breakpoint"), 0x0f0001);
	ck_assert_int_eq(sg_arch_syscall_nr(arm, "get_tls"), 0x0f0006);
	ck_assert_str_eq(sg_arch_syscall_name(arm, 0x0f0005), "set_tls");
	ck_assert_int_eq(sg_arch_syscall_nr(sg_arch_by_name("aarch64"), "breakpoint"),
	                 __PNR_breakpoint);
	/* reserved slots libseccomp knows */
	ck_assert_int_eq(seccomp_syscall_resolve_name_arch(SCMP_ARCH_X86_64, "afs_syscall"), 183);
	ck_assert_int_eq(seccomp_syscall_resolve_name_arch(SCMP_ARCH_X86, "break"), 17);
	ck_assert_int_eq(seccomp_syscall_resolve_name_arch(SCMP_ARCH_AARCH64, "nfsservctl"), 42);
	/* x32 has map_shadow_stack: 453 is 'common' in syscall_64.tbl since Linux 6.10 */
	ck_assert_int_eq(seccomp_syscall_resolve_name_arch(SCMP_ARCH_X32, "map_shadow_stack"),
	                 0x40000000 + 453);
	s = seccomp_syscall_resolve_num_arch(SCMP_ARCH_X32, 0x40000000 + 453);
	ck_assert_str_eq(s, "map_shadow_stack");
	free(s);
	ck_assert_int_eq(seccomp_syscall_resolve_name_arch(SCMP_ARCH_X32, "read"), 0x40000000);
}
END_TEST

START_TEST(test_translate)
{
	const struct sg_arch *x86_64 = sg_arch_by_name("x86_64"), *x86 = sg_arch_by_name("x86");
	const struct sg_arch *x32 = sg_arch_by_name("x32"), *a64 = sg_arch_by_name("aarch64");
	const struct sg_arch *arm = sg_arch_by_name("arm"), *o32 = sg_arch_by_name("mips");

	ck_assert_int_eq(sg_arch_translate(x86_64, x86, 41), 359);  /* socket, direct */
	ck_assert_int_eq(sg_arch_translate(x86, x86_64, -101), 41); /* pseudo -> real */
	ck_assert_int_eq(sg_arch_translate(x86, x86_64, 102), __PNR_socketcall);
	ck_assert_int_eq(sg_arch_translate(x86_64, a64, 2), __PNR_open); /* absent there */
	ck_assert_int_eq(sg_arch_translate(a64, x86_64, __PNR_open), 2); /* pseudo -> real */
	ck_assert_int_eq(sg_arch_translate(x86_64, x32, 0), 0x40000000);
	ck_assert_int_eq(sg_arch_translate(x86_64, x32, 13), 0x40000000 + 512); /* rt_sigaction */
	ck_assert_int_eq(sg_arch_translate(x32, x86_64, 0x40000000 + 512), 13);
	ck_assert_int_eq(sg_arch_translate(x86_64, o32, 0), 4003);
	ck_assert_int_eq(sg_arch_translate(arm, a64, 0x0f0001), __PNR_breakpoint);
	ck_assert_int_eq(sg_arch_translate(arm, x86_64, 341), __PNR_sync_file_range2);
	ck_assert_int_eq(sg_arch_translate(x86_64, x86_64, 1), 1);
	/* numbers with no name on `from` */
	ck_assert_int_eq(sg_arch_translate(x86_64, x86, 100000), __NR_SCMP_ERROR);
	ck_assert_int_eq(sg_arch_translate(x86_64, x86, -1), __NR_SCMP_ERROR);
	ck_assert_int_eq(sg_arch_translate(x86_64, x86, 0x40000000), __NR_SCMP_ERROR);
	ck_assert_int_eq(sg_arch_translate(NULL, x86, 0), __NR_SCMP_ERROR);
	ck_assert_int_eq(sg_arch_translate(x86, NULL, 0), __NR_SCMP_ERROR);
}
END_TEST

/* the public header: SCMP_SYS() and the ABI values it compiles in */
START_TEST(test_header)
{
	ck_assert_int_eq(__PNR_socket, -101);
	ck_assert_int_eq(__PNR_shmctl, -224);
	ck_assert_int_eq(__PNR_uprobe, -10254);
	ck_assert_int_eq(SCMP_SYS(read), __NR_read);
	ck_assert_int_eq(SCMP_SYS(read), seccomp_syscall_resolve_name("read"));
#ifdef __NR_socket
	ck_assert_int_eq(SCMP_SYS(socket), __NR_socket);
#else
	ck_assert_int_eq(SCMP_SYS(socket), __PNR_socket);
#endif
#ifndef __ARM_NR_breakpoint
	ck_assert_int_eq(SCMP_SYS(breakpoint), __PNR_breakpoint);
#endif
	ck_assert_int_eq(SCMP_SYS(arm_sync_file_range), __PNR_arm_sync_file_range);
	ck_assert_int_eq(seccomp_syscall_resolve_name(NULL), __NR_SCMP_ERROR);
}
END_TEST

/* --answer: one output line per query line of ref_resolver_dump */
static int answer(FILE *in, FILE *out)
{
	char line[512];

	while (fgets(line, sizeof(line), in) != NULL) {
		char *save = NULL, *kind, *arch, *what;
		uint32_t tok;

		line[strcspn(line, "\n")] = '\0';
		kind = strtok_r(line, "\t", &save);
		arch = strtok_r(NULL, "\t", &save);
		what = strtok_r(NULL, "\t", &save);
		if (kind == NULL || arch == NULL || what == NULL)
			return 2;
		tok = seccomp_arch_resolve_name(arch);
		if (kind[0] == 'N') {
			fprintf(out, "N\t%s\t%s\t%d\t%d\n", arch, what,
			        seccomp_syscall_resolve_name_arch(tok, what),
			        seccomp_syscall_resolve_name_rewrite(tok, what));
		} else {
			char *name = seccomp_syscall_resolve_num_arch(tok, atoi(what));

			fprintf(out, "R\t%s\t%s\t%s\n", arch, what, name ? name : "-");
			free(name);
		}
	}
	return ferror(out) ? 2 : 0;
}

int main(int argc, char *argv[])
{
	Suite *s;
	TCase *tc;

	if (argc > 1 && strcmp(argv[1], "--answer") == 0)
		return answer(stdin, stdout);

	find_tables();
	s = suite_create("arch");
	tc = tcase_create("tables");
	tcase_add_loop_test(tc, test_table_abi, 0, (int)N_ABI);
	suite_add_tcase(s, tc);
	tc = tcase_create("resolver");
	tcase_add_test(tc, test_reserved);
	tcase_add_test(tc, test_pseudo_numbers);
	tcase_add_test(tc, test_mux_call);
	tcase_add_test(tc, test_descriptors);
	tcase_add_test(tc, test_bad_input);
	tcase_add_test(tc, test_pseudo_lookup);
	tcase_add_test(tc, test_by_nr_exhaustive);
	tcase_add_test(tc, test_mux_and_aliases);
	tcase_add_test(tc, test_translate);
	tcase_add_test(tc, test_header);
	suite_add_tcase(s, tc);

	if (tu_run_suite(s) != 0)
		return EXIT_FAILURE;
	if (tables_missing) {
		printf("SKIP: syscall tables not found in %s (set SYSGATE_TABLES); the per-ABI "
		       "table checks did not run\n",
		       tables_dir);
		return 77;
	}
	return EXIT_SUCCESS;
}
