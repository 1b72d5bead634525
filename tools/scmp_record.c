/*
 * scmp_record - run a command, record every system call it makes, and write the seccomp
 * policy that allows exactly those (an OCI/Docker JSON profile, C code, or PFC).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "arch/kvers.h"
#include "record.h"

#define EXIT_RECORDER 125 /* scmp_record itself failed (the command's status otherwise) */

static const char *tool = "scmp_record";

static void usage(FILE *f)
{
	fprintf(f,
	        "usage: %s -o FILE [OPTIONS] -- COMMAND [ARGS...]\n"
	        "       %s -o FILE [OPTIONS] -m RECORDING [-m RECORDING...]\n"
	        "Run COMMAND, record every system call it and its children make (per ABI, with\n"
	        "the arguments policies commonly constrain), and write the seccomp policy that\n"
	        "allows exactly what was recorded. For learning a policy, not for enforcing one:\n"
	        "the command runs unrestricted while it is recorded.\n"
	        "\n"
	        "  -o, --output FILE        write the policy to FILE (\"-\": standard output)\n"
	        "  -f, --format FMT         json (OCI/Docker profile, default), c (C code using\n"
	        "                           the libseccomp API) or pfc (pseudo filter code)\n"
	        "  -r, --recording FILE     also save the raw recording (for --merge)\n"
	        "  -m, --merge FILE         merge a raw recording in (repeatable); with no\n"
	        "                           COMMAND, write the policy of the merged recordings\n"
	        "      --args               constrain socket/socketpair family and type, clone\n"
	        "                           flags, personality, prctl option, ioctl request and\n"
	        "                           fcntl command to the values seen\n"
	        "      --max-values N       with --args: constrain a syscall only if it was seen\n"
	        "                           with at most N distinct values (default 16)\n"
	        "  -d, --default-action A   what everything else gets: errno (EPERM, the\n"
	        "                           default), errno:N, enosys, kill, kill-process, trap\n"
	        "                           or log\n"
	        "      --enosys-after X.Y|auto  ENOSYS (not the default action) for syscalls\n"
	        "                           newer than Linux X.Y, or than the newest recorded\n"
	        "                           one (auto), so that libc falls back to older calls\n"
	        "      --method M           auto (default), notify (seccomp user notification\n"
	        "                           with CONTINUE, Linux 5.6+) or ptrace (Linux 5.3+)\n"
	        "  -q, --quiet              no summary on standard error\n"
	        "  -h, --help               print this help\n"
	        "Exit status: the command's (128+N if it was killed by signal N), 127 if it\n"
	        "was not found, 126 if it could not be run, 125 if scmp_record failed.\n",
	        tool, tool);
}

static bool parse_action(const char *s, uint32_t *out)
{
	char *end;
	unsigned long n;

	if (strcmp(s, "errno") == 0)
		*out = SCMP_ACT_ERRNO(EPERM);
	else if (strcmp(s, "enosys") == 0)
		*out = SCMP_ACT_ERRNO(ENOSYS);
	else if (strcmp(s, "kill") == 0 || strcmp(s, "kill-thread") == 0)
		*out = SCMP_ACT_KILL_THREAD;
	else if (strcmp(s, "kill-process") == 0)
		*out = SCMP_ACT_KILL_PROCESS;
	else if (strcmp(s, "trap") == 0)
		*out = SCMP_ACT_TRAP;
	else if (strcmp(s, "log") == 0)
		*out = SCMP_ACT_LOG;
	else if (strncmp(s, "errno:", 6) == 0) {
		errno = 0;
		n = strtoul(s + 6, &end, 0);
		if (*end || end == s + 6 || errno || n > 4095)
			return false;
		*out = SCMP_ACT_ERRNO(n);
	} else
		return false;
	return true;
}

/* "cmd arg arg", shortened, for comments in what is written */
static void join_command(char *const argv[], char *buf, size_t size)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; argv && argv[i] && used + 1 < size; i++) {
		int n = snprintf(buf + used, size - used, "%s%s", i ? " " : "", argv[i]);

		if (n < 0 || (size_t)n >= size - used) {
			snprintf(buf + size - 4, 4, "...");
			break;
		}
		used += (size_t)n;
	}
	/* keep comments well formed: no comment terminator or newline from an argument */
	for (char *p = buf; *p; p++)
		if (*p == '\n' || (p[0] == '*' && p[1] == '/'))
			*p = ' ';
}

static int write_policy(const struct rec_model *m, struct rec_policy_opts *o, const char *fmt,
                        const char *path)
{
	FILE *out = strcmp(path, "-") == 0 ? stdout : fopen(path, "w");
	scmp_filter_ctx ctx = NULL;
	int rc;

	if (!out)
		return -errno;
	/* every format: the policy must also compile */
	rc = rec_model_build(m, o, &ctx);
	if (rc == 0) {
		if (strcmp(fmt, "json") == 0)
			rc = rec_model_write_json(m, o, out);
		else if (strcmp(fmt, "c") == 0)
			rc = rec_model_write_c(m, o, out);
		else {
			fflush(out);
			rc = seccomp_export_pfc(ctx, fileno(out));
		}
	}
	seccomp_release(ctx);
	if (fflush(out) != 0 && rc == 0)
		rc = -errno;
	if (out != stdout && fclose(out) != 0 && rc == 0)
		rc = -errno;
	return rc;
}

static int read_recording(struct rec_model *m, const char *path)
{
	char err[512];
	FILE *in = fopen(path, "r");
	int rc;

	if (!in) {
		fprintf(stderr, "%s: %s: %s\n", tool, path, strerror(errno));
		return -errno;
	}
	rc = rec_model_read_raw(m, in, path, err, sizeof(err));
	fclose(in);
	if (rc < 0)
		fprintf(stderr, "%s: %s\n", tool, rc == -ENOMEM ? strerror(ENOMEM) : err);
	return rc;
}

static int save_recording(const struct rec_model *m, const char *path, const char *command)
{
	FILE *out = fopen(path, "w");
	int rc;

	if (!out)
		return -errno;
	rc = rec_model_write_raw(m, out, command);
	if (fclose(out) != 0 && rc == 0)
		rc = -errno;
	return rc;
}

int main(int argc, char *argv[])
{
	enum { OPT_ARGS = 256, OPT_MAX, OPT_METHOD, OPT_ENOSYS };
	static const struct option longopts[] = {
	    {"output", required_argument, NULL, 'o'},
	    {"format", required_argument, NULL, 'f'},
	    {"recording", required_argument, NULL, 'r'},
	    {"merge", required_argument, NULL, 'm'},
	    {"args", no_argument, NULL, OPT_ARGS},
	    {"max-values", required_argument, NULL, OPT_MAX},
	    {"default-action", required_argument, NULL, 'd'},
	    {"method", required_argument, NULL, OPT_METHOD},
	    {"enosys-after", required_argument, NULL, OPT_ENOSYS},
	    {"quiet", no_argument, NULL, 'q'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct rec_policy_opts po = {.max_values = 16, .def_action = SCMP_ACT_ERRNO(EPERM)};
	const char *output = NULL, *fmt = "json", *raw = NULL;
	enum rec_method method = REC_AUTO;
	struct rec_result res = {.method = REC_AUTO};
	struct rec_model *m;
	char command[256], err[512];
	bool quiet = false, merged = false;
	int opt, rc, status = 0;
	char *end;

	/* options first: everything after the command name belongs to the command */
	m = rec_model_new();
	if (!m) {
		fprintf(stderr, "%s: %s\n", tool, strerror(ENOMEM));
		return EXIT_RECORDER;
	}
	while ((opt = getopt_long(argc, argv, "+o:f:r:m:d:qh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'o':
			output = optarg;
			break;
		case 'f':
			fmt = optarg;
			if (strcmp(fmt, "json") && strcmp(fmt, "c") && strcmp(fmt, "pfc")) {
				fprintf(stderr, "%s: unknown format \"%s\" (json, c or pfc)\n",
				        tool, fmt);
				goto usage_error;
			}
			break;
		case 'r':
			raw = optarg;
			break;
		case 'm':
			if (read_recording(m, optarg) < 0)
				goto fail;
			merged = true;
			break;
		case OPT_ARGS:
			po.args = true;
			break;
		case OPT_MAX:
			errno = 0;
			po.max_values = (unsigned int)strtoul(optarg, &end, 0);
			if (*end || end == optarg || errno || po.max_values == 0 ||
			    po.max_values > 64) {
				fprintf(stderr, "%s: --max-values takes a number from 1 to 64\n",
				        tool);
				goto usage_error;
			}
			break;
		case 'd':
			if (!parse_action(optarg, &po.def_action)) {
				fprintf(stderr, "%s: unknown default action \"%s\"\n", tool,
				        optarg);
				goto usage_error;
			}
			break;
		case OPT_ENOSYS:
			po.kvmax =
			    strcmp(optarg, "auto") == 0 ? REC_KV_AUTO : sg_kver_parse(optarg);
			if (po.kvmax == 0 || (po.kvmax < 0 && po.kvmax != REC_KV_AUTO)) {
				fprintf(stderr,
				        "%s: --enosys-after: \"%s\" is no Linux release from 3.0 "
				        "to 7.2 (or auto)\n",
				        tool, optarg);
				goto usage_error;
			}
			break;
		case OPT_METHOD:
			if (strcmp(optarg, "auto") == 0)
				method = REC_AUTO;
			else if (strcmp(optarg, "notify") == 0)
				method = REC_NOTIFY;
			else if (strcmp(optarg, "ptrace") == 0)
				method = REC_PTRACE;
			else {
				fprintf(stderr,
				        "%s: unknown method \"%s\" (auto, notify or ptrace)\n",
				        tool, optarg);
				goto usage_error;
			}
			break;
		case 'q':
			quiet = true;
			break;
		case 'h':
			usage(stdout);
			rec_model_free(m);
			return 0;
		default:
			goto usage_error;
		}
	}
	if (!output) {
		fprintf(stderr,
		        "%s: say where the policy goes with -o FILE (\"-o -\": standard "
		        "output)\n",
		        tool);
		goto usage_error;
	}
	if (optind >= argc && !merged) {
		fprintf(stderr, "%s: no command to record (scmp_record -o FILE -- COMMAND ...)\n",
		        tool);
		goto usage_error;
	}
	join_command(optind < argc ? argv + optind : NULL, command, sizeof(command));
	po.command = optind < argc ? command : NULL;
	if (optind < argc) {
		rc = rec_run(argv + optind, method, rec_model_sink, m, &res, err, sizeof(err));
		if (rc < 0) {
			fprintf(stderr, "%s: %s\n", tool, err);
			rec_model_free(m);
			/* as env(1) and scmp_compile: 127 not found, 126 found but not runnable */
			if (res.exec_failed)
				return rc == -ENOENT ? 127 : 126;
			return EXIT_RECORDER;
		}
		if (WIFEXITED(res.status))
			status = WEXITSTATUS(res.status);
		else if (WIFSIGNALED(res.status))
			status = 128 + WTERMSIG(res.status);
	}
	if (raw && (rc = save_recording(m, raw, po.command)) < 0) {
		fprintf(stderr, "%s: %s: %s\n", tool, raw, strerror(-rc));
		goto fail;
	}
	if ((rc = write_policy(m, &po, fmt, output)) < 0) {
		fprintf(stderr, "%s: cannot write the policy to %s: %s\n", tool, output,
		        strerror(-rc));
		goto fail;
	}
	if (!quiet) {
		if (optind < argc)
			fprintf(stderr,
			        "%s: %" PRIu64 " calls of %zu syscalls recorded (method %s)", tool,
			        res.calls, rec_model_count(m), rec_method_name(res.method));
		else
			fprintf(stderr, "%s: %zu syscalls in the merged recordings", tool,
			        rec_model_count(m));
		fprintf(stderr, "; %s policy written to %s\n", fmt,
		        strcmp(output, "-") ? output : "standard output");
		if (po.kvmax > 0)
			fprintf(stderr, "%s: ENOSYS for syscalls newer than Linux %s%s\n", tool,
			        sg_kver_name((unsigned int)po.kvmax),
			        strcmp(fmt, "json") == 0
			            ? ": an OCI profile cannot say so, compile it "
			              "with scmp_compile --enosys-after"
			            : "");
		if (optind < argc && status != 0)
			fprintf(stderr,
			        "%s: the command exited with status %d: the recording may "
			        "miss what a successful run does\n",
			        tool, status);
	}
	rec_model_free(m);
	return status;
usage_error:
	fprintf(stderr, "Try '%s --help'.\n", tool);
fail:
	rec_model_free(m);
	return EXIT_RECORDER;
}
