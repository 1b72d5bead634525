/*
 * scmp_sys_resolver - resolve syscall names to numbers and numbers to names.
 *
 * Same interface, output and exit codes as libseccomp's tool of that name, so scripts written
 * for it keep working: a number is printed for a name (-1 when unknown), a name for a number
 * ("UNKNOWN" when unknown); usage errors print the usage line to stderr and exit with EINVAL.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include <seccomp.h>

static void usage(const char *prog)
{
	fprintf(stderr, "usage: %s [-h] [-a <arch>] [-t] <name>|<number>\n", prog);
	exit(EINVAL);
}

int main(int argc, char *argv[])
{
	static const struct option longopts[] = {
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	uint32_t arch = seccomp_arch_native();
	int translate = 0;
	const char *arg;
	int opt;

	while ((opt = getopt_long(argc, argv, "a:ht", longopts, NULL)) != -1) {
		switch (opt) {
		case 'a':
			arch = seccomp_arch_resolve_name(optarg);
			if (arch == 0)
				usage(argv[0]);
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
