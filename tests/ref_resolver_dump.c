/*
 * ref_resolver_dump.c - dump what a libseccomp's resolver functions answer, for differential
 * tests. Built against the system's libseccomp (Debian's 2.5.4), never against sysgate.
 *
 * Output, one query per line, tab-separated:
 *   N <arch> <name> <resolve_name_arch> <resolve_name_rewrite>
 *   R <arch> <number> <resolve_num_arch or "-">
 * The names are every name some number of some arch resolves to; the numbers are every number
 * in the ranges below, so the dump covers whatever the library knows. `test_arch_tables
 * --answer` reads these lines and prints sysgate's answers in the same format.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* libseccomp's arch names; those the library does not know are skipped */
static const char *const arch_names[] = {
    "x86",    "x86_64",  "x32",      "arm",       "aarch64",     "loongarch64", "m68k",     "mips",
    "mipsel", "mips64",  "mipsel64", "mips64n32", "mipsel64n32", "parisc",      "parisc64", "ppc",
    "ppc64",  "ppc64le", "riscv64",  "s390",      "s390x",       "sh",          "sheb",
};
#define N_ARCH (sizeof(arch_names) / sizeof(arch_names[0]))

/* number ranges probed on every arch (bases cover x32 and the three MIPS ABIs) */
static const struct {
	int lo, hi;
} ranges[] = {
    {-10700, -9999},
    {-230, -100},
    {-2, 1200},
    {4000, 5200},
    {6000, 6600},
    {0x0f0000, 0x0f0010},
    {0x40000000, 0x40000000 + 1200},
};
#define N_RANGE (sizeof(ranges) / sizeof(ranges[0]))

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void)
{
	char **names = NULL;
	size_t n_names = 0, cap = 0;
	const struct scmp_version *ver = seccomp_version();

	/* refuse to compare sysgate with itself (both are libseccomp.so.2) */
	if (ver == NULL || ver->major != 2 || ver->minor >= 6) {
		fprintf(stderr, "ref_resolver_dump: not a reference libseccomp (%u.%u)\n",
		        ver ? ver->major : 0, ver ? ver->minor : 0);
		return 2;
	}
	for (size_t a = 0; a < N_ARCH; a++) {
		uint32_t tok = seccomp_arch_resolve_name(arch_names[a]);

		if (tok == 0)
			continue;
		for (size_t r = 0; r < N_RANGE; r++) {
			for (int nr = ranges[r].lo; nr < ranges[r].hi; nr++) {
				char *name = seccomp_syscall_resolve_num_arch(tok, nr);

				printf("R\t%s\t%d\t%s\n", arch_names[a], nr, name ? name : "-");
				if (name == NULL)
					continue;
				if (n_names == cap) {
					cap = cap ? 2 * cap : 1024;
					names = realloc(names, cap * sizeof(*names));
					if (names == NULL)
						return 2;
				}
				names[n_names++] = name;
			}
		}
	}
	qsort(names, n_names, sizeof(*names), cmp_str);
	for (size_t a = 0; a < N_ARCH; a++) {
		uint32_t tok = seccomp_arch_resolve_name(arch_names[a]);

		if (tok == 0)
			continue;
		for (size_t i = 0; i < n_names; i++) {
			if (i > 0 && strcmp(names[i], names[i - 1]) == 0)
				continue;
			printf("N\t%s\t%s\t%d\t%d\n", arch_names[a], names[i],
			       seccomp_syscall_resolve_name_arch(tok, names[i]),
			       seccomp_syscall_resolve_name_rewrite(tok, names[i]));
		}
	}
	for (size_t i = 0; i < n_names; i++)
		free(names[i]);
	free(names);
	return ferror(stdout) ? 2 : 0;
}
