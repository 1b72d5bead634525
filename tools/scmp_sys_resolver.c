/*
 * scmp_sys_resolver - resolve syscall names to numbers and numbers to names.
 *
 * Same interface, output and exit codes as libseccomp's tool of that name, so scripts written
 * for it keep working: a number is printed for a name (-1 when unknown), a name for a number
 * ("UNKNOWN" when unknown); usage errors print the usage line to stderr and exit with EINVAL.
 *
 * sysgate's addition, -k: the first kernel release that has the syscall, per ABI (the data
 * behind SCMP_FLTATR_CTL_KVERMAX).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include <seccomp.h>

#include "arch/arch.h"
#include "arch/kvers.h"

static void usage(const char *prog)
{
	fprintf(stderr, "usage: %s [-h] [-a <arch>] [-t] [-k] <name>|<number>\n", prog);
	exit(EINVAL);
}

/* "abi<TAB>number<TAB>release" for one ABI; false when the ABI has no such syscall */
static bool print_kver(const struct sg_arch *abi, int nr, bool with_abi)
{
	unsigned int kv = nr >= 0 ? sg_arch_nr_kver(abi, (uint32_t)nr) : 0;

	if (kv == 0)
		return false;
	if (with_abi)
		printf("%s\t%d\t%s\n", abi->name, nr, sg_kver_name(kv));
	else
		printf("%s\n", sg_kver_name(kv));
	return true;
}

/*
 * -k: with -a (or a number), the release on that ABI; with a name alone, one line per ABI
 * that has it. "any": before 3.0, or only known to be older than the data reaches. Exit 1
 * when no ABI asked about has the syscall.
 */
static int kver_main(const char *arg, const char *arch_name)
{
	const struct sg_arch *abi = sg_arch_by_name(arch_name);
	bool number = (arg[0] >= '0' && arg[0] <= '9') || arg[0] == '-', found = false;

	if (!abi)
		abi = sg_arch_native();
	if (number || arch_name) {
		int nr = number ? (int)strtol(arg, NULL, 10) : sg_arch_syscall_nr(abi, arg);
		found = print_kver(abi, nr, false);
	} else {
		for (size_t i = 0; i < sg_arch_count; i++)
			found |=
			    print_kver(sg_arches[i], sg_arch_syscall_nr(sg_arches[i], arg), true);
	}
	if (!found)
		fprintf(stderr, "no such system call on %s\n",
		        number || arch_name ? abi->name : "any ABI");
	return fflush(stdout) == 0 && !ferror(stdout) && found ? 0 : 1;
}

int main(int argc, char *argv[])
{
	static const struct option longopts[] = {
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	uint32_t arch = seccomp_arch_native();
	const char *arch_name = NULL;
	int translate = 0, kver = 0;
	const char *arg;
	int opt;

	while ((opt = getopt_long(argc, argv, "a:htk", longopts, NULL)) != -1) {
		switch (opt) {
		case 'a':
			arch = seccomp_arch_resolve_name(optarg);
			if (arch == 0)
				usage(argv[0]);
			arch_name = optarg;
			break;
		case 'k':
			kver = 1;
			break;
		case 't':
			translate = 1;
			break;
		default: /* -h, --help and unknown options */
			usage(argv[0]);
		}
	}
	if (optind >= argc)
		usage(argv[0]);
	arg = argv[optind];
	if (kver)
		return kver_main(arg, arch_name);

	/* like libseccomp's tool: anything starting with a digit or '-' is a number, parsed the
	 * way atoi() does (leading digits only, no error for trailing text) */
	if ((arg[0] >= '0' && arg[0] <= '9') || arg[0] == '-') {
		char *name = seccomp_syscall_resolve_num_arch(arch, (int)strtol(arg, NULL, 10));

		printf("%s\n", name != NULL ? name : "UNKNOWN");
		free(name);
	} else {
		int nr = translate ? seccomp_syscall_resolve_name_rewrite(arch, arg)
		                   : seccomp_syscall_resolve_name_arch(arch, arg);

		printf("%d\n", nr);
	}
	return fflush(stdout) == 0 && !ferror(stdout) ? 0 : 1;
}
