/*
 * scmp_compile - compile an OCI / Docker seccomp profile into BPF, PFC or a C array, or run
 * a command under it.
 *
 * Exit status: 0 success, 1 profile or output error, 2 usage error, 126 the command could
 * not be executed, 127 the command was not found.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arch/kvers.h"
#include "db.h"
#include "ir.h"
#include "profile.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "unknown"
#endif

#define EXIT_PROFILE  1
#define EXIT_USAGE    2
#define EXIT_NOEXEC   126
#define EXIT_NOTFOUND 127

/* the kernel's BPF_MAXINSNS: longer programs are refused at load time */
#define KERNEL_MAX_INSNS 4096

static const char *prog = "scmp_compile";

/* Docker's default capability set (what `docker run` grants without --cap-add) */
static const char *const docker_caps[] = {
    "CAP_CHOWN",   "CAP_DAC_OVERRIDE", "CAP_FSETID",           "CAP_FOWNER",
    "CAP_MKNOD",   "CAP_NET_RAW",      "CAP_SETGID",           "CAP_SETUID",
    "CAP_SETFCAP", "CAP_SETPCAP",      "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT",
    "CAP_KILL",    "CAP_AUDIT_WRITE",
};
#define NDOCKER_CAPS (sizeof(docker_caps) / sizeof(docker_caps[0]))

enum format { FMT_BPF, FMT_PFC, FMT_C };

enum {
	OPT_ALL_CAPS = 256,
	OPT_DOCKER_CAPS,
	OPT_ALL_ARCHES,
	OPT_ENOSYS_AFTER,
};

static const struct option long_opts[] = {
    {"output", required_argument, NULL, 'o'},
    {"format", required_argument, NULL, 'f'},
    {"name", required_argument, NULL, 'n'},
    {"cap", required_argument, NULL, 'c'},
    {"all-caps", no_argument, NULL, OPT_ALL_CAPS},
    {"docker-caps", no_argument, NULL, OPT_DOCKER_CAPS},
    {"kernel", required_argument, NULL, 'k'},
    {"arch", required_argument, NULL, 'a'},
    {"all-arches", no_argument, NULL, OPT_ALL_ARCHES},
    {"enosys-after", required_argument, NULL, OPT_ENOSYS_AFTER},
    {"optimize", required_argument, NULL, 'O'},
    {"stats", no_argument, NULL, 's'},
    {"quiet", no_argument, NULL, 'q'},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0},
};
static const char short_opts[] = "o:f:n:c:k:a:O:sqhV";

static void usage(FILE *f)
{
	fprintf(f,
	        "Usage: %s [OPTION]... PROFILE.json\n"
	        "       %s [OPTION]... PROFILE.json -- COMMAND [ARG]...\n"
	        "Compile an OCI or Docker seccomp profile into a BPF filter, or run COMMAND under "
	        "it.\n"
	        "\n"
	        "  -o, --output FILE     write the filter to FILE (default: standard output)\n"
	        "  -f, --format FORMAT   bpf (raw, target byte order; default), pfc or c\n"
	        "  -n, --name NAME       array name for -f c (default: seccomp_filter)\n"
	        "  -c, --cap CAP         hold capability CAP for includes/excludes (repeatable)\n"
	        "      --all-caps        hold every capability\n"
	        "      --docker-caps     hold Docker's default capability set\n"
	        "  -k, --kernel X.Y      kernel version for minKernel (default: the running one)\n"
	        "  -a, --arch ARCH       native architecture: selects the archMap entry\n"
	        "      --all-arches      include every architecture the profile lists\n"
	        "      --enosys-after X.Y|auto\n"
	        "                        ENOSYS for syscalls newer than Linux X.Y and for numbers\n"
	        "                        no syscall has (auto: the newest syscall the profile\n"
	        "                        names decides X.Y)\n"
	        "  -O, --optimize LEVEL  library optimization level: 1 (default) or 2 (tree)\n"
	        "  -s, --stats           print the instruction count and rule counts on stderr\n"
	        "  -q, --quiet           do not print warnings\n"
	        "  -h, --help            show this help\n"
	        "  -V, --version         show the version\n"
	        "\n"
	        "PROFILE may be - for standard input. Exit status: 0 success, 1 profile or output\n"
	        "error, 2 usage error, 126/127 COMMAND could not be run / was not found.\n",
	        prog, prog);
}

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "%s: ", prog);
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry '%s --help' for more information.\n", prog);
	return EXIT_USAGE;
}

/* does option `c` (short) or `s` (long, without "--") take a separate argument? */
static bool short_takes_arg(char c)
{
	const char *p = strchr(short_opts, c);

	return c != ':' && p && p[1] == ':';
}

static bool long_takes_arg(const char *s)
{
	size_t i, n = strcspn(s, "=");
	size_t matches = 0;
	bool arg = false;

	if (s[n] == '=')
		return false;
	/* getopt_long accepts unambiguous prefixes, so must we */
	for (i = 0; long_opts[i].name; i++)
		if (strncmp(long_opts[i].name, s, n) == 0) {
			if (strlen(long_opts[i].name) == n)
				return long_opts[i].has_arg == required_argument;
			matches++;
			arg = long_opts[i].has_arg == required_argument;
		}
	return matches == 1 && arg;
}

/* index of the "--" that separates the command, not counting one that is an option value */
static int find_separator(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--") == 0)
			return i;
		if (a[0] != '-' || a[1] == '\0')
			continue;
		if (a[1] == '-') {
			if (long_takes_arg(a + 2))
				i++;
			continue;
		}
		for (a++; *a; a++)
			if (short_takes_arg(*a)) {
				if (a[1] == '\0')
					i++; /* "-o FILE": the value is the next word */
				break;
			}
	}
	return -1;
}

/*
 * The filter as the kernel would receive it, in the target's byte order. On failure *len
 * may still hold the size (sysgate's answer for a filter over the kernel's limit).
 */
static int get_bpf(scmp_filter_ctx ctx, unsigned char **buf, size_t *len)
{
	int rc;
#if SCMP_VER_MAJOR > 2 || (SCMP_VER_MAJOR == 2 && SCMP_VER_MINOR >= 6)
	size_t n = 0;

	if ((rc = seccomp_export_bpf_mem(ctx, NULL, &n)) < 0) {
		*len = n;
		return rc;
	}
	*buf = malloc(n ? n : 1);
	if (!*buf)
		return -ENOMEM;
	if ((rc = seccomp_export_bpf_mem(ctx, *buf, &n)) < 0) {
		free(*buf);
		*buf = NULL;
		return rc;
	}
	*len = n;
	return 0;
#else
	/* libseccomp < 2.6 can only write to a file descriptor */
	struct stat st;
	int fd = memfd_create("scmp_compile", MFD_CLOEXEC);

	if (fd < 0)
		return -errno;
	rc = seccomp_export_bpf(ctx, fd);
	if (rc == 0 && fstat(fd, &st) < 0)
		rc = -errno;
	if (rc == 0) {
		*len = (size_t)st.st_size;
		*buf = malloc(*len ? *len : 1);
		if (!*buf)
			rc = -ENOMEM;
		else if (pread(fd, *buf, *len, 0) != (ssize_t)*len)
			rc = -EIO;
		if (rc) {
			free(*buf);
			*buf = NULL;
		}
	}
	close(fd);
	return rc;
#endif
}

static uint32_t rd(const unsigned char *p, int n, bool le)
{
	uint32_t v = 0;
	int i;

	for (i = 0; i < n; i++)
		v |= (uint32_t)p[le ? i : n - 1 - i] << (8 * i);
	return v;
}

static int write_c(FILE *f, const char *name, const char *profile, const unsigned char *buf,
                   size_t len, const struct sg_profile_stats *st, bool le)
{
	size_t i;

	fprintf(f, "/* Generated by scmp_compile from %s: %zu instructions for", profile, len / 8);
	for (i = 0; i < st->arches; i++)
		fprintf(f, " %s", sg_profile_arch_name(st->arch_list[i]));
	fprintf(f, ". */\n#include <linux/filter.h>\n\nstatic const struct sock_filter %s[] = {\n",
	        name);
	/* struct sock_filter: u16 code, u8 jt, u8 jf, u32 k, stored in the target byte order */
	for (i = 0; i + 8 <= len; i += 8)
		fprintf(f, "\t{ 0x%04x, %3u, %3u, 0x%08x },\n", rd(buf + i, 2, le), buf[i + 2],
		        buf[i + 3], rd(buf + i + 4, 4, le));
	fprintf(f,
	        "};\n\nstatic const struct sock_fprog %s_prog = {\n"
	        "\t.len = sizeof(%s) / sizeof(%s[0]),\n"
	        "\t.filter = (struct sock_filter *)%s,\n};\n",
	        name, name, name, name);
	return ferror(f) ? -EIO : 0;
}

static bool c_identifier(const char *s)
{
	if (!*s || isdigit((unsigned char)*s))
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return false;
	return true;
}

static int write_output(scmp_filter_ctx ctx, enum format fmt, const char *out, const char *name,
                        const char *profile, const unsigned char *buf, size_t len,
                        const struct sg_profile_stats *st, bool le)
{
	int fd = STDOUT_FILENO, rc = 0;
	FILE *f = NULL;

	if (out && strcmp(out, "-") != 0) {
		fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (fd < 0) {
			fprintf(stderr, "%s: %s: %s\n", prog, out, strerror(errno));
			return EXIT_PROFILE;
		}
	} else {
		out = "standard output";
		fflush(stdout);
	}
	switch (fmt) {
	case FMT_BPF:
		rc = seccomp_export_bpf(ctx, fd);
		break;
	case FMT_PFC:
		rc = seccomp_export_pfc(ctx, fd);
		break;
	case FMT_C:
		f = fd == STDOUT_FILENO ? stdout : fdopen(fd, "w");
		if (!f) {
			rc = -errno;
			break;
		}
		rc = write_c(f, name, profile, buf, len, st, le);
		if (fflush(f) != 0 && !rc)
			rc = -errno;
		break;
	}
	if (f && f != stdout) {
		if (fclose(f) != 0 && !rc)
			rc = -errno;
		fd = -1;
	}
	if (fd > STDOUT_FILENO && close(fd) < 0 && !rc)
		rc = -errno;
	if (rc < 0) {
		fprintf(stderr, "%s: writing %s: %s\n", prog, out, strerror(-rc));
		return EXIT_PROFILE;
	}
	return 0;
}

/* what the command line asks for */
struct cli {
	struct sg_profile_opts opts;
	const char **caps; /* owned: the --cap values, then the Docker set (at most once) */
	size_t ncaps;
	const char *out, *name, *profile, *profile_arg;
	enum format fmt;
	bool stats, quiet, fmt_given;
	char **cmd;                      /* after "--", or NULL */
	bool enosys_auto;                /* --enosys-after auto */
	int enosys_after;                /* SCMP_KV_* of --enosys-after X.Y, or 0 */
	struct sg_profile_cost costs[5]; /* what makes a filter too long */
};

/* parse the options into c; returns -1 to go on, or the exit status (0 after --help) */
static int parse_args(int argc, char **argv, struct cli *c)
{
	bool docker = false;
	int sep, opt;
	size_t i;

	c->name = "seccomp_filter";
	c->fmt = FMT_BPF;
	sep = find_separator(argc, argv);
	if (sep >= 0) {
		c->cmd = argv + sep + 1;
		argv[sep] = NULL;
		argc = sep;
	}
	/* every --cap value uses at least one word of argv; the Docker set is added once, after
	 * parsing, however often --docker-caps is given */
	c->caps = calloc((size_t)argc + NDOCKER_CAPS, sizeof(*c->caps));
	if (!c->caps) {
		fprintf(stderr, "%s: out of memory\n", prog);
		return EXIT_PROFILE;
	}
	while ((opt = getopt_long(argc, argv, short_opts, long_opts, NULL)) != -1) {
		switch (opt) {
		case 'o':
			c->out = optarg;
			break;
		case 'f':
			c->fmt_given = true;
			if (strcmp(optarg, "bpf") == 0)
				c->fmt = FMT_BPF;
			else if (strcmp(optarg, "pfc") == 0)
				c->fmt = FMT_PFC;
			else if (strcmp(optarg, "c") == 0)
				c->fmt = FMT_C;
			else
				return usage_error("unknown format '%s' (bpf, pfc or c)", optarg);
			break;
		case 'n':
			if (!c_identifier(optarg))
				return usage_error("'%s' is not a C identifier", optarg);
			c->name = optarg;
			break;
		case 'c':
			c->caps[c->ncaps++] = optarg;
			break;
		case OPT_ALL_CAPS:
			c->opts.all_caps = true;
			break;
		case OPT_DOCKER_CAPS:
			docker = true;
			break;
		case 'k': {
			unsigned int maj, min;
			char extra;

			if (sscanf(optarg, "%u.%u%c", &maj, &min, &extra) != 2 ||
			    (maj == 0 && min == 0))
				return usage_error("bad kernel version '%s' (expected X.Y)",
				                   optarg);
			c->opts.kernel_major = maj;
			c->opts.kernel_minor = min;
			break;
		}
		case 'a':
			c->opts.native_arch = sg_profile_arch_resolve(optarg);
			if (!c->opts.native_arch)
				return usage_error("unknown or unsupported architecture '%s'",
				                   optarg);
			break;
		case OPT_ALL_ARCHES:
			c->opts.all_arches = true;
			break;
		case OPT_ENOSYS_AFTER:
			c->enosys_auto = strcmp(optarg, "auto") == 0;
			c->enosys_after = c->enosys_auto ? 0 : sg_kver_parse(optarg);
			if (!c->enosys_auto && c->enosys_after < 0)
				return usage_error("bad kernel release '%s' (3.0 ... 7.2, or auto)",
				                   optarg);
			break;
		case 'O':
			if (strcmp(optarg, "1") != 0 && strcmp(optarg, "2") != 0)
				return usage_error("bad optimization level '%s' (1 or 2)", optarg);
			c->opts.optimize = (unsigned int)(optarg[0] - '0');
			break;
		case 's':
			c->stats = true;
			break;
		case 'q':
			c->quiet = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("scmp_compile (sysgate) %s, libseccomp API %u.%u.%u\n",
			       PACKAGE_VERSION, seccomp_version()->major, seccomp_version()->minor,
			       seccomp_version()->micro);
			return 0;
		default:
			fprintf(stderr, "Try '%s --help' for more information.\n", prog);
			return EXIT_USAGE;
		}
	}
	if (optind != argc - 1)
		return usage_error("%s", optind >= argc ? "no profile given"
		                                        : "more than one profile given (use -- "
		                                          "before a command)");
	c->profile_arg = argv[optind];
	c->profile = strcmp(argv[optind], "-") == 0 ? "/dev/stdin" : argv[optind];
	if (c->cmd && !c->cmd[0])
		return usage_error("%s", "no command after --");
	if (c->fmt_given && c->cmd && !c->out)
		return usage_error("%s", "-f with a command needs -o FILE");
	if (!c->cmd && c->fmt == FMT_BPF && (!c->out || strcmp(c->out, "-") == 0) &&
	    isatty(STDOUT_FILENO))
		return usage_error("%s", "refusing to write binary BPF to a terminal (use -o FILE "
		                         "or -f pfc)");
	for (i = 0; docker && i < NDOCKER_CAPS; i++)
		c->caps[c->ncaps++] = docker_caps[i];
	c->opts.caps = c->caps;
	c->opts.ncaps = c->ncaps;
	c->opts.warn = c->quiet ? NULL : stderr;
	c->opts.costs = c->costs;
	c->opts.max_costs = sizeof(c->costs) / sizeof(c->costs[0]);
	c->opts.warn_prefix = prog;
	return -1;
}

/*
 * --enosys-after: the kernel-version limit. The filter's own rules say what the profile names
 * (sysgate's library is linked in, so the context is its struct sg_filter). Returns 0 or the
 * exit status.
 */
static int set_enosys_after(struct cli *c, const struct sg_profile_stats *st, scmp_filter_ctx ctx)
{
	int rc;

	if (c->enosys_auto)
		c->enosys_after = (int)sg_ir_newest_named_kver((const struct sg_filter *)ctx);
	/* every named call is older than 3.0: 3.0 is the oldest limit there is */
	if (c->enosys_after <= SCMP_KV_UNDEF)
		c->enosys_after = SCMP_KV_3_0;
	/* like runc, the profile compiler drops names whose action is the default one
	 * (libseccomp refuses such rules): those name nothing to the limit */
	if (st->rules_default && !c->quiet)
		fprintf(stderr,
		        "%s: warning: %u names have the default action and are no rules: those "
		        "newer than the limit get ENOSYS\n",
		        prog, st->rules_default);
	rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_KVERMAX, (uint32_t)c->enosys_after);
	if (rc < 0) {
		fprintf(stderr, "%s: cannot set the kernel-version limit: %s\n", prog,
		        strerror(-rc));
		return EXIT_PROFILE;
	}
	return 0;
}

/* why a filter is too long: its size and the syscalls whose rules take most */
static void report_too_long(const struct cli *c, const struct sg_profile_stats *st, size_t insns,
                            bool error)
{
	unsigned int i;

	if (insns)
		fprintf(stderr,
		        "%s: %sthe filter needs %zu instructions; the kernel accepts at most %d\n",
		        prog, error ? "" : "warning: ", insns, KERNEL_MAX_INSNS);
	else
		fprintf(stderr,
		        "%s: the filter needs more instructions than the library can compile; the "
		        "kernel accepts at most %d\n",
		        prog, KERNEL_MAX_INSNS);
	if (st->costs)
		fprintf(stderr, "%s: the syscalls whose rules take most (each measured alone):\n",
		        prog);
	for (i = 0; i < st->costs; i++) {
		const struct sg_profile_cost *k = &c->costs[i];
		char more[40] = "";

		if (k->ngroup > 1)
			snprintf(more, sizeof(more), " and %u other ABI%s", k->ngroup - 1,
			         k->ngroup > 2 ? "s" : "");
		fprintf(stderr, "%s:   %s on %s%s: %u rule%s, ", prog, k->name,
		        sg_profile_arch_name(k->arch), more, k->rules, k->rules == 1 ? "" : "s");
		if (k->insns == SIZE_MAX)
			fprintf(stderr, "too many instructions to compile alone\n");
		else
			fprintf(stderr, "%zu instructions\n", k->insns);
	}
}

static void print_stats(const struct cli *c, const struct sg_profile_stats *st, size_t insns)
{
	size_t i;

	fprintf(stderr, "%s: %zu instructions for", prog, insns);
	for (i = 0; i < st->arches; i++)
		fprintf(stderr, " %s", sg_profile_arch_name(st->arch_list[i]));
	fprintf(stderr,
	        "; %u rules from %u of %u entries (%u rewritten for same-argument "
	        "conditions), %u names skipped as default action, %u unknown\n",
	        st->rules, st->entries_used, st->entries, st->split_entries, st->rules_default,
	        st->names_unknown);
	if (c->enosys_after > 0)
		fprintf(stderr, "%s: ENOSYS for syscalls newer than Linux %s%s\n", prog,
		        sg_kver_name((unsigned int)c->enosys_after),
		        c->enosys_auto ? " (the newest the profile names)" : "");
}

/* load the filter (releasing ctx) and exec the command; returns only on failure */
static int run_command(const struct cli *c, const struct sg_profile_stats *st, scmp_filter_ctx ctx)
{
	int rc;

	if (c->opts.native_arch && c->opts.native_arch != seccomp_arch_native())
		fprintf(stderr, "%s: warning: filter built for %s, running on %s\n", prog,
		        sg_profile_arch_name(c->opts.native_arch),
		        sg_profile_arch_name(seccomp_arch_native()));
	if (st->uses_notify && !c->quiet)
		fprintf(stderr,
		        "%s: warning: SCMP_ACT_NOTIFY without a supervisor: those syscalls will "
		        "fail\n",
		        prog);
	fflush(NULL);
	rc = seccomp_load(ctx);
	seccomp_release(ctx);
	if (rc < 0) {
		fprintf(stderr, "%s: cannot load the filter: %s\n", prog, strerror(-rc));
		return EXIT_PROFILE;
	}
	execvp(c->cmd[0], c->cmd);
	rc = errno;
	fprintf(stderr, "%s: %s: %s\n", prog, c->cmd[0], strerror(rc));
	return rc == ENOENT ? EXIT_NOTFOUND : EXIT_NOEXEC;
}

int main(int argc, char **argv)
{
	struct cli c = {0};
	struct sg_profile_stats st;
	scmp_filter_ctx ctx = NULL;
	unsigned char *buf = NULL;
	size_t len = 0;
	char err[512];
	int rc, status;

	if (argv[0] && *argv[0]) {
		const char *s = strrchr(argv[0], '/');

		prog = s ? s + 1 : argv[0];
	}
	if ((status = parse_args(argc, argv, &c)) >= 0)
		goto out;
	status = EXIT_PROFILE;
	c.opts.stats = &st;
	rc = sg_profile_compile_file(c.profile, &c.opts, &ctx, err, sizeof(err));
	if (rc < 0) {
		fprintf(stderr, "%s: %s\n", prog, err[0] ? err : strerror(-rc));
		goto out;
	}
	/* report a failed write or load with its real errno, not libseccomp's -ECANCELED (an
	 * older library without the attribute keeps the catch-all) */
	(void)seccomp_attr_set(ctx, SCMP_FLTATR_API_SYSRAWRC, 1);
	if ((c.enosys_auto || c.enosys_after > 0) && set_enosys_after(&c, &st, ctx) != 0)
		goto out;
	rc = get_bpf(ctx, &buf, &len);
	/* sysgate refuses a filter over the kernel's limit (still saying its size, or measuring
	 * costs when even that is unknown); libseccomp exports it and the load fails */
	if (rc < 0 && (len / 8 > KERNEL_MAX_INSNS || st.costs)) {
		report_too_long(&c, &st, len / 8, true);
		goto out;
	}
	if (rc < 0) {
		fprintf(stderr, "%s: cannot generate the filter: %s\n", prog, strerror(-rc));
		goto out;
	}
	if (len / 8 > KERNEL_MAX_INSNS && !c.quiet)
		report_too_long(&c, &st, len / 8, false);
	if (c.stats)
		print_stats(&c, &st, len / 8);
	if (!c.cmd || c.out) {
		uint32_t native = c.opts.native_arch ? c.opts.native_arch : seccomp_arch_native();

		status = write_output(ctx, c.fmt, c.out, c.name, c.profile_arg, buf, len, &st,
		                      (native & 0x40000000u) != 0);
		if (status || !c.cmd)
			goto out;
	}
	free(buf);
	free(c.caps);
	return run_command(&c, &st, ctx);
out:
	free(buf);
	free(c.caps);
	if (ctx)
		seccomp_release(ctx);
	return status;
}
