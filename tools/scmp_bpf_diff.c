/*
 * scmp_bpf_diff - where two seccomp filters give different verdicts, proven symbolically.
 *
 * Both programs run one after the other on one symbolic input (bpf_sym.c); every path on which
 * they return different values is a difference, reported per ABI and syscall with a witness
 * (concrete argument values, replayed through the library's interpreter before it is printed).
 * Exit status: 0 no verdict changed (a proof), 1 verdicts differ, 2 usage or input error,
 * 3 not decided exactly (data-dependent arithmetic or returns, or the path budget ran out).
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
#include "bpf_sym.h"
#include "bpftools.h"

static const char *tool = "scmp_bpf_diff";

#define EXIT_DIFFERENT 1
#define EXIT_ERROR     2
#define EXIT_UNDECIDED 3

/* paths explored before giving up (classic BPF DAGs can have exponentially many paths):
 * filters as large as Docker's or Chromium's take a few hundred to a thousand paths, well
 * under a second; a pathological pair (thousands of compares of one word) can take ~1 ms a
 * path, so the default stops such a search within minutes; -p raises or lowers it */
#define DEFAULT_MAX_PATHS 200000

struct abi_nrs {
	uint32_t *nrs;  /* sorted real numbers */
	bool *reported; /* per number: a difference was printed */
	size_t n;
	bool any_reported; /* the "every number" / "other numbers" lines */
};

struct diff {
	const struct sock_filter *progs[2];
	size_t lens[2];
	bool big_endian;
	bool quiet;
	bool ignore_trap_data; /* TRAP(n) and TRAP(m) count as the same verdict */
	struct abi_nrs abi[64];
	size_t differences, undecided, unknown_arch;
	int err;
};

/* the two return values are the same verdict */
static bool same_verdict(const struct diff *df, uint32_t a, uint32_t b)
{
	if (df->ignore_trap_data && (a & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_TRAP &&
	    (b & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_TRAP)
		return true;
	return a == b;
}

static bool word_ok(const struct sg_sym_path *p, unsigned int word, uint32_t value)
{
	return sg_sym_word_holds(p->atoms, p->natoms, word, value);
}

static bool word_free(const struct sg_sym_path *p, unsigned int word)
{
	return sg_sym_word_free(p->atoms, p->natoms, word);
}

static void print_args(const struct seccomp_data *d, const struct sg_sym_path *p)
{
	bool any = false;

	for (unsigned int i = 0; i < 6; i++) {
		/* an argument the path does not look at is left out */
		if (word_free(p, 4 + 2 * i) && word_free(p, 5 + 2 * i))
			continue;
		printf("%s args[%u]=0x%" PRIx64, any ? "" : " at", i, (uint64_t)d->args[i]);
		any = true;
	}
	if (!word_free(p, 2) || !word_free(p, 3)) {
		printf("%s instruction_pointer=0x%" PRIx64, any ? "" : " at",
		       (uint64_t)d->instruction_pointer);
		any = true;
	}
	if (!any)
		printf(" (any arguments)");
}

/* one difference: replay the witness with (arch, nr) put in, print it */
static void report(struct diff *df, const struct sg_sym_path *p, uint32_t audit, uint32_t nr,
                   const char *what)
{
	uint32_t w[SG_SYM_WORDS];
	struct seccomp_data d;
	uint32_t r[2];
	char a0[32], a1[32];

	memcpy(w, p->witness, sizeof(w));
	w[SG_OFF_ARCH / 4] = audit;
	w[SG_OFF_NR / 4] = nr;
	sg_sym_words_to_data(w, df->big_endian, &d);
	for (int i = 0; i < 2; i++)
		r[i] = sg_bpf_run(df->progs[i], df->lens[i], &d, df->big_endian, NULL);
	if (same_verdict(df, r[0], r[1])) {
		/* cannot happen for an exact path: never print a difference without evidence */
		df->undecided++;
		return;
	}
	df->differences++;
	if (df->quiet)
		return;
	sg_action_format(r[0], a0, sizeof(a0));
	sg_action_format(r[1], a1, sizeof(a1));
	printf("%s: %s -> %s", what, a0, a1);
	print_args(&d, p);
	printf("\n");
}

static void report_abi(struct diff *df, const struct sg_sym_path *p, size_t ai)
{
	const struct sg_arch *arch = sg_arches[ai];
	struct abi_nrs *an = &df->abi[ai];
	char what[160];
	uint32_t nr;
	int rc;

	if (word_free(p, SG_OFF_NR / 4)) {
		/* the whole ABI at once */
		if (an->any_reported)
			return;
		an->any_reported = true;
		snprintf(what, sizeof(what), "%s every syscall (e.g. nr %u)", arch->name,
		         p->witness[SG_OFF_NR / 4]);
		report(df, p, arch->audit, p->witness[SG_OFF_NR / 4], what);
		return;
	}
	for (size_t i = 0; i < an->n; i++) {
		const char *name;

		if (an->reported[i] || !word_ok(p, SG_OFF_NR / 4, an->nrs[i]))
			continue;
		/* x86_64 and x32 share the arch value: the number says which ABI it is */
		if (bt_abi_of(arch->audit, an->nrs[i]) != arch &&
		    sg_arch_syscall_name(bt_abi_of(arch->audit, an->nrs[i]), (int)an->nrs[i]))
			continue;
		an->reported[i] = true;
		name = sg_arch_syscall_name(arch, (int)an->nrs[i]);
		snprintf(what, sizeof(what), "%s %s (%u)", arch->name, name ? name : "?",
		         an->nrs[i]);
		report(df, p, arch->audit, an->nrs[i], what);
	}
	if (an->any_reported)
		return;
	/* numbers the ABI has no name for: one example */
	rc = bt_solve_except(p->atoms, p->natoms, SG_OFF_NR / 4, arch->nr_base, UINT32_MAX, an->nrs,
	                     an->n, &nr);
	if (rc == 1 && bt_abi_of(arch->audit, nr) == arch) {
		an->any_reported = true;
		snprintf(what, sizeof(what), "%s syscall numbers without a name (e.g. %u)",
		         arch->name, nr);
		report(df, p, arch->audit, nr, what);
	} else if (rc < 0 && rc != -EAGAIN) {
		df->err = rc;
	}
}

static int on_path(void *ctx, const struct sg_sym_path *p)
{
	struct diff *df = ctx;
	uint32_t audit, *audits;
	size_t naudits;
	char what[80];
	int rc;

	if (p->action_known[0] && p->action_known[1] &&
	    same_verdict(df, p->action[0], p->action[1]))
		return 0;
	if (!p->exact) {
		df->undecided++;
		return 0;
	}
	for (size_t ai = 0; ai < sg_arch_count && ai < 64; ai++) {
		const struct sg_arch *a = sg_arches[ai];

		/* each arch value once, under its first ABI; x32 follows its numbers */
		if (bt_abi_by_audit(a->audit) != a && a->nr_base == 0)
			continue;
		if (word_ok(p, SG_OFF_ARCH / 4, a->audit))
			report_abi(df, p, ai);
	}
	/* arch values of no ABI */
	if (df->unknown_arch)
		return df->err;
	audits = bt_all_audits(&naudits);
	if (audits == NULL)
		return -ENOMEM;
	rc = bt_solve_except(p->atoms, p->natoms, SG_OFF_ARCH / 4, 0, UINT32_MAX, audits, naudits,
	                     &audit);
	free(audits);
	if (rc == 1) {
		df->unknown_arch++;
		snprintf(what, sizeof(what), "arch 0x%08x (no ABI), nr %u", audit,
		         p->witness[SG_OFF_NR / 4]);
		report(df, p, audit, p->witness[SG_OFF_NR / 4], what);
	}
	return df->err;
}

static void usage(FILE *f)
{
	fprintf(f,
	        "usage: %s [-a ARCH] [-A ABI] [-p N] [-q] [-T] OLD NEW\n"
	        "Compare two raw seccomp BPF filters symbolically and list, per ABI and\n"
	        "syscall, every verdict that changed, with a witness (argument values).\n"
	        "\n"
	        "  -a, --arch ARCH  the filters' byte order and the layout of the arguments'\n"
	        "                   32-bit halves (default: native)\n"
	        "  -A, --only ABI   compare only what the filters do for this ABI\n"
	        "  -p, --max-paths N\n"
	        "                   give up (exit 3) after N paths of the two programs\n"
	        "                   explored together (default 200000)\n"
	        "  -q, --quiet      print nothing, only set the exit status\n"
	        "  -T, --ignore-trap-data\n"
	        "                   TRAP actions that differ only in their data (the\n"
	        "                   SIGSYS handler's si_errno) count as the same verdict\n"
	        "  -h, --help       print this help\n"
	        "\n"
	        "Exit status: 0 no verdict changed (proven for every input), 1 verdicts\n"
	        "differ, 2 error, 3 not decided exactly.\n",
	        tool);
}

int main(int argc, char *argv[])
{
	static const struct option longopts[] = {
	    {"arch", required_argument, NULL, 'a'}, {"quiet", no_argument, NULL, 'q'},
	    {"only", required_argument, NULL, 'A'}, {"ignore-trap-data", no_argument, NULL, 'T'},
	    {"max-paths", required_argument, NULL, 'p'},
	    {"help", no_argument, NULL, 'h'},       {NULL, 0, NULL, 0},
	};
	const char *arch_arg = NULL, *only_arg = NULL;
	struct sg_sym_atom only[2];
	size_t nonly = 0;
	const struct sg_arch *arch;
	struct sock_filter *prog[2] = {NULL, NULL};
	struct sg_sym_stats st;
	static struct diff df;
	int opt, rc, status = EXIT_ERROR;
	unsigned long max_paths = DEFAULT_MAX_PATHS;
	char *end;

	while ((opt = getopt_long(argc, argv, "a:A:p:qTh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'a':
			arch_arg = optarg;
			break;
		case 'q':
			df.quiet = true;
			break;
		case 'A':
			only_arg = optarg;
			break;
		case 'T':
			df.ignore_trap_data = true;
			break;
		case 'p':
			errno = 0;
			max_paths = strtoul(optarg, &end, 10);
			if (errno || end == optarg || *end || max_paths == 0 || optarg[0] == '-') {
				fprintf(stderr, "%s: --max-paths wants a positive number, not '%s'\n",
				        tool, optarg);
				return EXIT_ERROR;
			}
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return EXIT_ERROR;
		}
	}
	if (argc - optind != 2) {
		usage(stderr);
		return EXIT_ERROR;
	}
	arch = bt_arch(tool, arch_arg);
	if (arch == NULL)
		return EXIT_ERROR;
	df.big_endian = arch->big_endian;
	if (only_arg) {
		/* one ABI: its arch value and its numbers (x86_64 and x32 share the arch value) */
		const struct sg_arch *o = bt_arch(tool, only_arg);
		uint32_t lo, hi;

		if (o == NULL)
			return EXIT_ERROR;
		bt_abi_segment(o, &lo, &hi);
		only[nonly++] = sg_sym_word_atom(SG_OFF_ARCH / 4, SG_SYM_RANGE, o->audit, o->audit);
		only[nonly++] = sg_sym_word_atom(SG_OFF_NR / 4, SG_SYM_RANGE, lo, hi);
	}
	for (int i = 0; i < 2; i++) {
		if (bt_read_filter(tool, argv[optind + i], arch->big_endian, &prog[i],
		                   &df.lens[i]) != 0)
			goto out;
		if (sg_bpf_check(prog[i], df.lens[i]) != 0) {
			fprintf(stderr, "%s: %s: the kernel would refuse this program\n", tool,
			        argv[optind + i]);
			goto out;
		}
		df.progs[i] = prog[i];
	}
	for (size_t ai = 0; ai < sg_arch_count && ai < 64; ai++) {
		df.abi[ai].nrs = bt_abi_numbers(tool, sg_arches[ai], &df.abi[ai].n);
		df.abi[ai].reported = calloc(df.abi[ai].n + 1, sizeof(bool));
		if (df.abi[ai].nrs == NULL || df.abi[ai].reported == NULL)
			goto out;
	}
	rc = sg_sym_explore(df.progs, df.lens, 2, only, nonly, max_paths, on_path, &df, &st);
	if (rc < 0) {
		fprintf(stderr, "%s: %s\n", tool, strerror(-rc));
		goto out;
	}
	if (df.differences) {
		status = EXIT_DIFFERENT;
	} else if (df.undecided || !st.exact) {
		if (!df.quiet && st.truncated)
			printf("not decided: more than %lu paths (--max-paths)\n", max_paths);
		else if (!df.quiet)
			printf("not decided exactly: %zu paths depend on data the engine does not "
			       "model exactly\n",
			       df.undecided);
		status = EXIT_UNDECIDED;
	} else {
		if (!df.quiet)
			printf("no verdict changed (%zu paths proven)\n", st.paths);
		status = 0;
	}
out:
	for (size_t ai = 0; ai < sg_arch_count && ai < 64; ai++) {
		free(df.abi[ai].nrs);
		free(df.abi[ai].reported);
	}
	free(prog[0]);
	free(prog[1]);
	return status;
}
