/*
 * scmp_bpf_sim - run a raw seccomp filter on one syscall with sysgate's interpreter (the same
 * sg_bpf_run() the library's tests hold against the kernel) and print the action.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch/arch.h"
#include "bpf.h"
#include "bpftools.h"

static const char *tool = "scmp_bpf_sim";

/* decimal, 0x hex or 0 octal; a leading '-' gives the two's complement */
static bool parse_u64(const char *s, uint64_t *out)
{
	char *end;

	errno = 0;
	if (*s == '-') {
		long long v = strtoll(s, &end, 0);

		*out = (uint64_t)v;
	} else {
		if (*s == '+')
			s++;
		*out = strtoull(s, &end, 0);
	}
	return *s != '\0' && *end == '\0' && errno == 0 && end != s;
}

static void usage(FILE *f)
{
	fprintf(
	    f,
	    "usage: %s -f FILE [-a ARCH] -s SYSCALL [-0 ARG0 ... -5 ARG5] [-i IP] [-v]\n"
	    "Run a raw seccomp BPF filter on one system call and print the resulting\n"
	    "action (ALLOW, ERRNO(13), KILL, ...).\n"
	    "\n"
	    "  -f, --file FILE      the filter, in the ABI's byte order (\"-\": standard input)\n"
	    "  -a, --arch ARCH      the ABI (x86_64, x86, x32, arm, aarch64, s390x, ...;\n"
	    "                       default: native); sets seccomp_data.arch and the byte order\n"
	    "  -s, --syscall NAME   the syscall, by name or number\n"
	    "  -0 ... -5 ARG        the syscall's arguments (64-bit; default 0)\n"
	    "  -i, --ip ADDR        the instruction pointer (default 0)\n"
	    "  -v, --verbose        trace every instruction executed\n"
	    "  -h, --help           print this help\n"
	    "Numbers may be decimal, hexadecimal (0x...) or negative.\n",
	    tool);
}

static void trace(void *ctx, const struct sg_bpf_step *step)
{
	const struct sg_arch *arch = ctx;
	char text[128];

	sg_bpf_insn_format(step->insn, step->pc, arch->big_endian, text, sizeof(text));
	printf(" %04zu: %-40s A=0x%08" PRIx32 " X=0x%08" PRIx32 "\n", step->pc, text, step->a,
	       step->x);
}

int main(int argc, char *argv[])
{
	static const struct option longopts[] = {
	    {"file", required_argument, NULL, 'f'},
	    {"arch", required_argument, NULL, 'a'},
	    {"syscall", required_argument, NULL, 's'},
	    {"ip", required_argument, NULL, 'i'},
	    {"verbose", no_argument, NULL, 'v'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *path = NULL, *arch_arg = NULL, *sys_arg = NULL;
	const struct sg_arch *arch;
	struct seccomp_data data;
	struct sock_filter *prog = NULL;
	bool verbose = false;
	uint64_t v;
	size_t len = 0, executed = 0;
	uint32_t ret;
	char action[32];
	int opt;

	memset(&data, 0, sizeof(data));
	while ((opt = getopt_long(argc, argv, "f:a:s:0:1:2:3:4:5:i:vh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'f':
			path = optarg;
			break;
		case 'a':
			arch_arg = optarg;
			break;
		case 's':
			sys_arg = optarg;
			break;
		case '0':
		case '1':
		case '2':
		case '3':
		case '4':
		case '5':
			if (!parse_u64(optarg, &v)) {
				fprintf(stderr, "%s: bad argument value '%s'\n", tool, optarg);
				return 1;
			}
			data.args[opt - '0'] = v;
			break;
		case 'i':
			if (!parse_u64(optarg, &v)) {
				fprintf(stderr, "%s: bad instruction pointer '%s'\n", tool, optarg);
				return 1;
			}
			data.instruction_pointer = v;
			break;
		case 'v':
			verbose = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 1;
		}
	}
	if (optind < argc || path == NULL || sys_arg == NULL) {
		if (optind < argc)
			fprintf(stderr, "%s: unexpected argument '%s'\n", tool, argv[optind]);
		else
			fprintf(stderr, "%s: -f FILE and -s SYSCALL are required\n", tool);
		usage(stderr);
		return 1;
	}
	arch = bt_arch(tool, arch_arg);
	if (arch == NULL)
		return 1;
	data.arch = arch->audit;

	if (parse_u64(sys_arg, &v)) {
		/* a number: any 32-bit value, as the kernel passes the raw register */
		if ((int64_t)v < INT32_MIN || (v > UINT32_MAX && (int64_t)v >= 0)) {
			fprintf(stderr, "%s: syscall number '%s' does not fit in 32 bits\n", tool,
			        sys_arg);
			return 1;
		}
		data.nr = (int32_t)(uint32_t)v;
	} else {
		int nr = sg_arch_syscall_nr(arch, sys_arg);

		if (nr < 0) {
			if (nr == -1)
				fprintf(stderr, "%s: unknown syscall '%s'\n", tool, sys_arg);
			else
				fprintf(stderr, "%s: syscall '%s' does not exist on %s\n", tool,
				        sys_arg, arch->name);
			return 1;
		}
		data.nr = nr;
	}

	if (bt_read_filter(tool, path, arch->big_endian, &prog, &len) != 0)
		return 1;
	if (sg_bpf_check(prog, len) != 0) {
		fprintf(stderr,
		        "%s: the kernel would refuse this filter (EINVAL); not running it\n", tool);
		free(prog);
		return 1;
	}

	ret = sg_bpf_run_trace(prog, len, &data, arch->big_endian, &executed,
	                       verbose ? trace : NULL, (void *)arch);
	sg_action_format(ret, action, sizeof(action));
	if (verbose)
		printf("%zu instructions executed\n", executed);
	printf("%s\n", action);
	free(prog);
	return 0;
}
