/*
 * scmp_bpf_disasm - annotated listing (or Graphviz control-flow graph) of a raw seccomp filter.
 *
 * The listing names seccomp_data loads, prints jump targets as line numbers, names actions,
 * and annotates comparisons: against the arch value with the ABI's name, against nr with the
 * syscall's name (JEQ) or, for the bounds of a range tree (JGE/JGT), with the syscall the
 * upper part starts at and the numbers the bound splits, and against an argument word with
 * what it compares ("args[2].lo & 0x6006400 == 0x4006000"). Which ABI a comparison of nr
 * belongs to and which numbers reach it are tracked along the control flow (a "jeq <arch>"
 * taken branch fixes the ABI; x32's numbers are told from x86_64's by the range); where no
 * arch check dominates, -a's ABI is assumed. Range bounds at syscalls a kernel release added
 * carry that release (kernel-version limits), and ENOSYS returns are named.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch/arch.h"
#include "arch/kvers.h"
#include "bpf.h"
#include "bpftools.h"

static const char *tool = "scmp_bpf_disasm";

/* what the accumulator holds on entry to an instruction, as far as the listing cares */
enum acc { ACC_UNKNOWN, ACC_NR, ACC_ARCH, ACC_DATA, ACC_OTHER };

struct flow {
	bool reached;
	enum acc acc;
	uint32_t off;    /* ACC_NR / ACC_ARCH / ACC_DATA: the word loaded ... */
	uint32_t mask;   /* ... and ANDed with this */
	bool arch_known; /* every path here took a "jeq <arch>" branch for the same value */
	uint32_t arch;
	uint32_t nr_lo, nr_hi; /* the syscall numbers that reach here (a hull over paths) */
};

static void merge(struct flow *dst, const struct flow *src)
{
	if (!dst->reached) {
		*dst = *src;
		return;
	}
	if (dst->acc != src->acc || dst->off != src->off || dst->mask != src->mask)
		dst->acc = ACC_UNKNOWN;
	if (!src->arch_known || !dst->arch_known || dst->arch != src->arch)
		dst->arch_known = false;
	if (src->nr_lo < dst->nr_lo)
		dst->nr_lo = src->nr_lo;
	if (src->nr_hi > dst->nr_hi)
		dst->nr_hi = src->nr_hi;
}

/* the numbers left on each side of a compare of the plain nr with k */
static void split_nr(const struct sock_filter *in, struct flow *taken, struct flow *not_taken)
{
	uint32_t k = in->k;

	switch (in->code) {
	case BPF_JMP | BPF_JEQ | BPF_K:
		taken->nr_lo = taken->nr_hi = k;
		break;
	case BPF_JMP | BPF_JGT | BPF_K:
	case BPF_JMP | BPF_JGE | BPF_K:
		/* nr > k is nr >= k + 1 */
		if (BPF_OP(in->code) == BPF_JGT) {
			if (k == UINT32_MAX)
				break;
			k++;
		}
		if (k > taken->nr_lo)
			taken->nr_lo = k;
		if (k > 0 && k - 1 < not_taken->nr_hi)
			not_taken->nr_hi = k - 1;
		break;
	default:
		break;
	}
}

static void edge(struct flow *flow, size_t len, size_t to, const struct flow *state)
{
	if (to < len)
		merge(&flow[to], state);
}

/* forward data flow; jumps only go forward, so one pass in order visits every predecessor
 * of an instruction before the instruction itself */
static void analyse(const struct sock_filter *prog, size_t len, struct flow *flow)
{
	memset(flow, 0, len * sizeof(*flow));
	if (len == 0)
		return;
	flow[0] = (struct flow){true, ACC_OTHER, 0, 0, false, 0, 0, UINT32_MAX};
	for (size_t pc = 0; pc < len; pc++) {
		const struct sock_filter *in = &prog[pc];
		struct flow out = flow[pc], taken;

		if (!out.reached)
			continue;
		if (sg_bpf_insn_is_ret(in))
			continue;
		if (in->code == (BPF_JMP | BPF_JA)) {
			edge(flow, len, pc + 1 + (size_t)in->k, &out);
			continue;
		}
		if (sg_bpf_insn_is_cond_jump(in)) {
			taken = out;
			if (in->code == (BPF_JMP | BPF_JEQ | BPF_K) && out.acc == ACC_ARCH &&
			    out.mask == UINT32_MAX && in->jt != in->jf) {
				taken.arch_known = true;
				taken.arch = in->k;
			}
			if (out.acc == ACC_NR && out.mask == UINT32_MAX)
				split_nr(in, &taken, &out);
			edge(flow, len, pc + 1 + in->jt, &taken);
			edge(flow, len, pc + 1 + in->jf, &out);
			continue;
		}
		switch (in->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			out.acc = in->k == SG_OFF_NR     ? ACC_NR
			          : in->k == SG_OFF_ARCH ? ACC_ARCH
			                                 : ACC_DATA;
			out.off = in->k;
			out.mask = UINT32_MAX;
			break;
		case BPF_ALU | BPF_AND | BPF_K:
			/* a masked word is still that word, for the annotation */
			if (out.acc == ACC_NR || out.acc == ACC_ARCH || out.acc == ACC_DATA)
				out.mask &= in->k;
			else
				out.acc = ACC_OTHER;
			break;
		case BPF_LDX | BPF_IMM:
		case BPF_LDX | BPF_MEM:
		case BPF_LDX | BPF_W | BPF_LEN:
		case BPF_ST:
		case BPF_STX:
		case BPF_MISC | BPF_TAX:
			break; /* A unchanged */
		default:
			out.acc = ACC_OTHER;
			break;
		}
		edge(flow, len, pc + 1, &out);
	}
}

/* the name of the ABI with this audit value (the first listed: x86_64 before x32) */
static const char *arch_name(uint32_t audit)
{
	for (size_t i = 0; i < sg_arch_count; i++)
		if (sg_arches[i]->audit == audit)
			return sg_arches[i]->name;
	return NULL;
}

/* the syscall's name; names from a second ABI sharing the audit value say which ABI */
static const char *syscall_name(const struct flow *f, const struct sg_arch *dflt, uint32_t nr,
                                char *buf, size_t size)
{
	bool first = true;
	const char *name;

	if ((int32_t)nr < 0)
		return NULL;
	if (!f->arch_known)
		return sg_arch_syscall_name(dflt, (int)nr);
	/* every ABI sharing the audit value: x86_64 and x32 differ by the x32 bit */
	for (size_t i = 0; i < sg_arch_count; i++) {
		if (sg_arches[i]->audit != f->arch)
			continue;
		name = sg_arch_syscall_name(sg_arches[i], (int)nr);
		if (name && first)
			return name;
		if (name) {
			snprintf(buf, size, "%s (%s)", name, sg_arches[i]->name);
			return buf;
		}
		first = false;
	}
	return NULL;
}

/*
 * Kernel-version limits (SCMP_FLTATR_CTL_KVERMAX) show as ranges that start where newer
 * syscalls start, returning ENOSYS: a "jge" on nr whose bound is a syscall that a kernel
 * release added is annotated with that release, and a return of ENOSYS is named.
 */
static const struct sg_arch *nr_abi(const struct flow *f, const struct sg_arch *dflt);

static const char *kver_annotation(const struct sock_filter *in, const struct flow *f,
                                   const struct sg_arch *arch, char *buf, size_t size)
{
	if (in->code == (BPF_RET | BPF_K) && in->k == SCMP_ACT_ERRNO(ENOSYS))
		return "ENOSYS";
	if (in->code != (BPF_JMP | BPF_JGE | BPF_K) || f->acc != ACC_NR || f->mask != UINT32_MAX)
		return NULL;
	const struct sg_arch *abi = nr_abi(f, arch);
	unsigned int kv = sg_arch_nr_kver(abi, in->k);
	const char *name = sg_arch_syscall_name(abi, (int)in->k);
	if (!name || kv <= SCMP_KV_UNDEF)
		return NULL;
	snprintf(buf, size, "%s (Linux %s)", name, sg_kver_name(kv));
	return buf;
}

/* the ABI whose names the syscall numbers here are: x32's when every number here is one */
static const struct sg_arch *nr_abi(const struct flow *f, const struct sg_arch *dflt)
{
	const struct sg_arch *best = NULL;

	if (!f->arch_known)
		return dflt;
	for (size_t i = 0; i < sg_arch_count; i++) {
		const struct sg_arch *a = sg_arches[i];

		if (a->audit == f->arch && a->nr_base <= f->nr_lo &&
		    (best == NULL || a->nr_base > best->nr_base))
			best = a;
	}
	return best ? best : dflt;
}

/* "name (nr)" or "nr" */
static void nr_text(const struct sg_arch *abi, uint32_t nr, char *buf, size_t size)
{
	const char *name = (int32_t)nr >= 0 ? sg_arch_syscall_name(abi, (int)nr) : NULL;

	if (name)
		snprintf(buf, size, "%s(%u)", name, nr);
	else if (nr >= 0x10000)
		snprintf(buf, size, "0x%x", nr);
	else
		snprintf(buf, size, "%u", nr);
}

static const char *annotation(const struct sock_filter *in, const struct flow *f,
                              const struct sg_arch *arch, char *buf, size_t size)
{
	static const char *const ops[] = {[BPF_JEQ >> 4] = "==",
	                                  [BPF_JGE >> 4] = ">=",
	                                  [BPF_JGT >> 4] = ">",
	                                  [BPF_JSET >> 4] = "&"};
	const struct sg_arch *abi = nr_abi(f, arch);
	char what[64], lo[48], hi[48], at[48];
	uint32_t k = in->k, start;
	const char *name;

	if (!f->reached)
		return "unreachable";
	if (in->code == (BPF_RET | BPF_K))
		return kver_annotation(in, f, arch, buf, size);
	if (!sg_bpf_insn_is_cond_jump(in) || BPF_SRC(in->code) != BPF_K)
		return NULL;
	if (f->acc == ACC_ARCH && f->mask == UINT32_MAX && BPF_OP(in->code) == BPF_JEQ)
		return arch_name(k);
	if (f->acc == ACC_NR && f->mask == UINT32_MAX) {
		if (BPF_OP(in->code) == BPF_JEQ)
			return syscall_name(f, arch, k, buf, size);
		if (BPF_OP(in->code) == BPF_JSET)
			return NULL;
		/* a bound of the range tree: where the upper part starts, and what it splits */
		start = BPF_OP(in->code) == BPF_JGT ? k + 1 : k;
		if (BPF_OP(in->code) == BPF_JGT && k == UINT32_MAX)
			return NULL;
		/* a syscall a kernel release added carries the release (kernel-version limits) */
		if (BPF_OP(in->code) != BPF_JGE || !kver_annotation(in, f, arch, at, sizeof(at)))
			nr_text(abi, start, at, sizeof(at));
		if (start <= f->nr_lo || start > f->nr_hi) {
			snprintf(buf, size, "%s and up (always %s here)", at,
			         start <= f->nr_lo ? "true" : "false");
			return buf;
		}
		nr_text(abi, f->nr_lo, lo, sizeof(lo));
		nr_text(abi, f->nr_hi, hi, sizeof(hi));
		snprintf(buf, size, "%s and up: splits %s..%s", at, lo,
		         f->nr_hi == UINT32_MAX ? "max" : hi);
		return buf;
	}
	if (f->acc != ACC_DATA && f->acc != ACC_NR && f->acc != ACC_ARCH)
		return NULL;
	/* an argument (or masked word) compare: name the word and the mask */
	name = sg_bpf_data_name(f->off, arch->big_endian);
	if (name == NULL)
		return NULL;
	if (f->mask != UINT32_MAX)
		snprintf(what, sizeof(what), "(%s & 0x%x)", name, f->mask);
	else
		snprintf(what, sizeof(what), "%s", name);
	if (BPF_OP(in->code) == BPF_JSET)
		snprintf(buf, size, "%s & 0x%x != 0", what, k);
	else
		snprintf(buf, size, "%s %s 0x%x", what, ops[BPF_OP(in->code) >> 4], k);
	return buf;
}

static void format_line(const struct sock_filter *prog, size_t pc, const struct flow *flow,
                        const struct sg_arch *arch, int col, char *buf, size_t size)
{
	char namebuf[160];
	const char *note = annotation(&prog[pc], &flow[pc], arch, namebuf, sizeof(namebuf));
	int n = sg_bpf_insn_format(&prog[pc], pc, arch->big_endian, buf, size);

	if (note && n >= 0 && (size_t)n < size)
		snprintf(buf + n, size - (size_t)n, "%*s; %s", n + 2 < col ? col - n : 2, "", note);
}

static void listing(const struct sock_filter *prog, size_t len, const struct flow *flow,
                    const struct sg_arch *arch)
{
	char text[256];

	printf(" line  OP   JT   JF   K\n");
	printf("=================================\n");
	for (size_t pc = 0; pc < len; pc++) {
		const struct sock_filter *in = &prog[pc];

		format_line(prog, pc, flow, arch, 40, text, sizeof(text));
		printf(" %04zu: 0x%02x 0x%02x 0x%02x 0x%08x   %s\n", pc, in->code, in->jt, in->jf,
		       in->k, text);
	}
}

/* --- Graphviz --- */

static bool jumps_or_ends(const struct sock_filter *in)
{
	return sg_bpf_insn_is_ret(in) || sg_bpf_insn_is_cond_jump(in) ||
	       in->code == (BPF_JMP | BPF_JA);
}

/* inside a quoted label only '"' and '\\' are special */
static void dot_escape(const char *s)
{
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			putchar('\\');
		putchar(*s);
	}
}

static void dot_edge(size_t from, size_t to, size_t len, const char *label)
{
	if (to < len)
		printf("\tL%04zu -> L%04zu", from, to);
	else
		printf("\tL%04zu -> out_of_range", from);
	if (label)
		printf(" [label=\"%s\"]", label);
	printf(";\n");
}

static void dot(const struct sock_filter *prog, size_t len, const struct flow *flow,
                const struct sg_arch *arch)
{
	bool *leader = calloc(len + 1, sizeof(*leader));
	bool out_of_range = false;
	char text[160];

	if (leader == NULL) {
		fprintf(stderr, "%s: out of memory\n", tool);
		exit(1);
	}
	/* basic blocks start at 0, at every jump target and after every jump or RET */
	if (len)
		leader[0] = true;
	for (size_t pc = 0; pc < len; pc++) {
		const struct sock_filter *in = &prog[pc];

		if (!jumps_or_ends(in))
			continue;
		leader[pc + 1] = true;
		if (in->code == (BPF_JMP | BPF_JA)) {
			if ((size_t)in->k < len - pc - 1)
				leader[pc + 1 + in->k] = true;
		} else if (sg_bpf_insn_is_cond_jump(in)) {
			if (pc + 1 + in->jt < len)
				leader[pc + 1 + in->jt] = true;
			if (pc + 1 + in->jf < len)
				leader[pc + 1 + in->jf] = true;
		}
	}

	printf("digraph bpf {\n");
	printf("\tnode [shape=box, fontname=\"monospace\"];\n");
	printf("\tedge [fontname=\"monospace\"];\n");
	for (size_t start = 0; start < len;) {
		size_t end = start + 1, last;
		const struct sock_filter *in;

		while (end < len && !leader[end])
			end++;
		last = end - 1;
		in = &prog[last];

		printf("\tL%04zu [label=\"", start);
		for (size_t pc = start; pc < end; pc++) {
			format_line(prog, pc, flow, arch, 0, text, sizeof(text));
			printf("%04zu: ", pc);
			dot_escape(text);
			printf("\\l");
		}
		printf("\"");
		if (!flow[start].reached)
			printf(", style=dashed");
		else if (sg_bpf_insn_is_ret(in))
			printf(", style=rounded");
		printf("];\n");

		if (sg_bpf_insn_is_ret(in)) {
			/* no successors */
		} else if (in->code == (BPF_JMP | BPF_JA)) {
			size_t to = (size_t)in->k < len - last - 1 ? last + 1 + in->k : len;

			out_of_range |= to >= len;
			dot_edge(start, to, len, NULL);
		} else if (sg_bpf_insn_is_cond_jump(in)) {
			size_t t = last + 1 + in->jt, f = last + 1 + in->jf;

			out_of_range |= t >= len || f >= len;
			if (t == f) {
				dot_edge(start, t, len, "true/false");
			} else {
				dot_edge(start, t, len, "true");
				dot_edge(start, f, len, "false");
			}
		} else {
			out_of_range |= end >= len;
			dot_edge(start, end, len, NULL);
		}
		start = end;
	}
	if (out_of_range)
		printf("\tout_of_range [label=\"past the end\", color=red];\n");
	printf("}\n");
	free(leader);
}

static void usage(FILE *f)
{
	fprintf(f,
	        "usage: %s [-a ARCH] [-d | --dot] [FILE]\n"
	        "Print an annotated listing of a raw seccomp BPF filter (FILE, or standard\n"
	        "input), or with --dot its control-flow graph in Graphviz format.\n"
	        "\n"
	        "  -a, --arch ARCH  the filter's ABI: its byte order and syscall names\n"
	        "                   (x86_64, x86, x32, arm, aarch64, ppc64, s390x, mips, ...;\n"
	        "                   default: native)\n"
	        "  -d, --dot        print a Graphviz digraph instead of the listing\n"
	        "  -h, --help       print this help\n",
	        tool);
}

int main(int argc, char *argv[])
{
	static const struct option longopts[] = {
	    {"arch", required_argument, NULL, 'a'},
	    {"dot", no_argument, NULL, 'd'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *arch_arg = NULL, *path = NULL;
	const struct sg_arch *arch;
	struct sock_filter *prog = NULL;
	struct flow *flow;
	bool want_dot = false;
	size_t len = 0;
	int opt;

	while ((opt = getopt_long(argc, argv, "a:dh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'a':
			arch_arg = optarg;
			break;
		case 'd':
			want_dot = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 1;
		}
	}
	if (optind < argc)
		path = argv[optind++];
	if (optind < argc) {
		usage(stderr);
		return 1;
	}
	arch = bt_arch(tool, arch_arg);
	if (arch == NULL)
		return 1;
	if (bt_read_filter(tool, path, arch->big_endian, &prog, &len) != 0)
		return 1;

	flow = calloc(len ? len : 1, sizeof(*flow));
	if (flow == NULL) {
		fprintf(stderr, "%s: out of memory\n", tool);
		return 1;
	}
	analyse(prog, len, flow);
	if (want_dot)
		dot(prog, len, flow, arch);
	else
		listing(prog, len, flow, arch);
	if (sg_bpf_check(prog, len) != 0)
		fprintf(stderr, "%s: note: the kernel would refuse this program (EINVAL)\n", tool);

	free(flow);
	free(prog);
	return 0;
}
