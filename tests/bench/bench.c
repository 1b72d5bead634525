/*
 * bench.c - sysgate's benchmark. Built twice from the same source: against sysgate
 * (bench_sysgate) and against Debian's libseccomp (bench_libseccomp). Both replay the same
 * recorded API calls for each policy, export the program, and measure it with sysgate's
 * interpreter and kernel-cache emulation (src/bpf_run.c), so every number is measured the same
 * way for both. tests/bench/run.sh runs both and prints the table side by side.
 *
 * One output line per (policy, OPTIMIZE level):
 *   BENCH lib=.. policy=.. opt=N insns=.. mean=.. max=.. wmean=.. cov=.. bound=.. wbound=..
 *         build_us=.. peak_kb=.. [getpid_ns=.. args_ns=.. denied_ns=.. none_ns=..]
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <seccomp.h>

#include "arch/arch.h"
#include "bound.h"
#include "bpf.h"
#include "compile.h"
#include "record.h"
#include "../../tools/profile.h"

#ifndef BENCH_LIB
#define BENCH_LIB "unknown"
#endif

/* "sysgate", or "libseccomp-X.Y.Z": the one binary runs against several libseccomp versions */
static char lib_label[32] = BENCH_LIB;

static double now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

/* CPU time of this thread: what a loop costs, without the time other work took the CPU */
static double cpu_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* export through a memfd: seccomp_export_bpf exists in every libseccomp version */
static struct sock_filter *export_prog(scmp_filter_ctx ctx, size_t *len)
{
	int fd = memfd_create("bench", 0);
	struct sock_filter *prog;
	off_t size;

	if (fd < 0 || seccomp_export_bpf(ctx, fd) != 0) {
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	size = lseek(fd, 0, SEEK_END);
	prog = malloc(size > 0 ? (size_t)size : 1);
	if (pread(fd, prog, (size_t)size, 0) != size) {
		free(prog);
		close(fd);
		return NULL;
	}
	close(fd);
	*len = (size_t)size / sizeof(*prog);
	return prog;
}

/* the replay + export a container runtime does; returns the CPU time (user and system) it
 * took, in microseconds: the time the machine's other work has the CPU is not the library's */
static double build_once(const struct rec_log *log, int opt)
{
	double t0 = cpu_us();
	scmp_filter_ctx ctx = rec_replay(log);
	size_t len;
	if (!ctx)
		return -1;
	if (opt)
		seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, (uint32_t)opt);
	struct sock_filter *p = export_prog(ctx, &len);
	seccomp_release(ctx);
	double t = cpu_us() - t0;
	free(p);
	/* a program over the kernel's limit is refused by sysgate at export: still timed */
	return t;
}

struct metrics {
	size_t insns;
	double mean, wmean, bound, wbound;
	double dmean;  /* mean of the dispatch part alone: what the bound bounds */
	double djmean; /* ...and of the JA trampolines in it */
	double wdmean; /* the dispatch part weighted like wmean: what wbound bounds */
	double amean;  /* mean over the syscalls the policy allows unconditionally */
	size_t max;
	double coverage;
};

#define NVEC 17

/*
 * The dispatch part of one run: the instructions executed before the first load of an
 * argument word, plus 1 for the leaf (as the bound counts a RET); a run that loads no
 * argument is all dispatch. The argument tests a policy's rules need are left out, for every
 * library alike, so that this compares with the bound even on argument-heavy policies.
 */
struct dispatch_count {
	size_t n;
	size_t ja; /* of them JA: the trampolines of jumps longer than 255 */
	bool at_args;
};

static void count_dispatch(void *ctx, const struct sg_bpf_step *step)
{
	struct dispatch_count *dc = ctx;
	const struct sock_filter *in = step->insn;

	if (dc->at_args)
		return;
	if (in->code == (BPF_LD | BPF_W | BPF_ABS) &&
	    in->k >= offsetof(struct seccomp_data, args)) {
		dc->at_args = true;
		dc->n++; /* the leaf, counted as one RET */
		return;
	}
	dc->n++;
	dc->ja += in->code == (BPF_JMP | BPF_JA);
}

/* is nr unconditionally allowed by the recorded policy (an ALLOW rule without conditions)? */
static bool log_uncond_allow(const struct rec_log *log, int nr)
{
	for (size_t i = 0; i < log->n; i++)
		if (log->ops[i].type == REC_RULE && log->ops[i].cnt == 0 &&
		    log->ops[i].syscall == nr && log->ops[i].value == SCMP_ACT_ALLOW)
			return true;
	return false;
}

/* every argument value a rule of the log compares with, and its neighbours, in its argument */
static size_t datum_vectors(const struct rec_log *log, uint64_t (*out)[6], size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < log->n; i++) {
		const struct rec_op *op = &log->ops[i];
		/* all of a rule's conditions met at once */
		if (op->type == REC_RULE && op->cnt > 1 && n < max) {
			memset(out[n], 0, sizeof(out[n]));
			for (unsigned int c = 0; c < op->cnt && c < 6; c++)
				if (op->args[c].arg < 6)
					out[n][op->args[c].arg] =
					    op->args[c].op == SCMP_CMP_MASKED_EQ
					        ? op->args[c].datum_b
					        : op->args[c].datum_a;
			n++;
		}
		for (unsigned int c = 0; op->type == REC_RULE && c < op->cnt && c < 6; c++) {
			const struct scmp_arg_cmp *a = &op->args[c];
			for (int delta = -1; delta <= 1 && n < max && a->arg < 6; delta++) {
				memset(out[n], 0, sizeof(out[n]));
				out[n][a->arg] = a->datum_a + (uint64_t)(int64_t)delta;
				if (a->op == SCMP_CMP_MASKED_EQ && delta == 0)
					out[n][a->arg] = a->datum_b;
				n++;
			}
		}
	}
	return n;
}

static void measure(const struct sock_filter *prog, size_t len, const struct sg_arch *arch,
                    const struct rec_log *log, struct metrics *m)
{
	enum { MAXVEC = 2048 };
	static uint64_t vecs[MAXVEC][6];
	uint32_t top = 0;
	double sum = 0, wsum = 0, wdsum = 0, wtot = 0;
	size_t count = 0, uncond = 0, cached = 0, nallowed = 0, nvec = NVEC;
	double asum = 0, dsum = 0, djsum = 0;

	for (int v = 0; v < NVEC; v++)
		for (int a = 0; a < 6; a++)
			vecs[v][a] = v == 0 ? 0
			             : v == 1
			                 ? UINT64_MAX
			                 : (0x9e3779b97f4a7c15ull * (uint64_t)(v * 6 + a + 1)) >>
			                       (v % 3 * 16);
	/* the bound's ranges must not merge numbers whose rules differ on values no fixed vector
	 * happens to hit */
	nvec += datum_vectors(log, vecs + NVEC, MAXVEC - NVEC);
	for (uint32_t nr = arch->nr_base; nr < arch->nr_base + 1024; nr++)
		if (sg_arch_syscall_name(arch, (int)nr))
			top = nr;

	/* per number: executed instructions (args 0), "unconditional ALLOW", signature */
	size_t n = top - arch->nr_base + 1;
	uint32_t *sig = calloc(n, sizeof(*sig));
	bool *in_table = calloc(n, sizeof(*in_table)), *uncond_allow = calloc(n, sizeof(bool));
	size_t *exec = calloc(n, sizeof(*exec)), *disp = calloc(n, sizeof(*disp));
	double *w = calloc(n, sizeof(*w)), *hw = calloc(n, sizeof(*hw));
	m->max = 0;
	for (size_t i = 0; i < n; i++) {
		size_t dsum_i = 0, djsum_i = 0;
		uint32_t nr = arch->nr_base + (uint32_t)i;
		struct seccomp_data d = {.nr = (int)nr, .arch = arch->audit};
		bool all_allow = true;
		uint32_t h = 2166136261u;
		in_table[i] = sg_arch_syscall_name(arch, (int)nr) != NULL;
		for (size_t v = 0; v < nvec; v++) {
			memcpy(d.args, vecs[v], sizeof(d.args));
			size_t ex;
			struct dispatch_count dc = {0, 0, false};
			uint32_t r = v == 0 ? sg_bpf_run_trace(prog, len, &d, arch->big_endian, &ex,
			                                       count_dispatch, &dc)
			                    : sg_bpf_run(prog, len, &d, arch->big_endian, &ex);
			if (v == 0) {
				exec[i] = ex;
				disp[i] = dc.n;
				dsum_i = dc.n;
				djsum_i = dc.ja;
			}
			all_allow &= r == SECCOMP_RET_ALLOW;
			h = (h ^ r) * 16777619u;
		}
		/* ...and on the conditional rules themselves: a number with argument rules of its
		 * own is a range of its own unless its neighbour's rules are the same (the vectors
		 * alone miss values when a policy has more datums than MAXVEC) */
		for (size_t o = 0; o < log->n; o++) {
			const struct rec_op *op = &log->ops[o];
			if (op->type != REC_RULE || op->cnt == 0 || op->syscall != (int)nr)
				continue;
			h = (h ^ op->value) * 16777619u;
			for (unsigned int c = 0; c < op->cnt && c < 6; c++) {
				h = (h ^ op->args[c].arg ^ (uint32_t)op->args[c].op << 8) *
				    16777619u;
				h = (h ^ (uint32_t)op->args[c].datum_a) * 16777619u;
				h = (h ^ (uint32_t)(op->args[c].datum_a >> 32)) * 16777619u;
				h = (h ^ (uint32_t)op->args[c].datum_b) * 16777619u;
			}
		}
		sig[i] = h;
		uncond_allow[i] = all_allow;
		if (!in_table[i])
			continue;
		count++;
		w[i] = 1;
		sum += (double)exec[i];
		dsum += (double)dsum_i;
		djsum += (double)djsum_i;
		if (exec[i] > m->max)
			m->max = exec[i];
		/* the kernel's cache must prove every syscall the policy allows without conditions
		 */
		if (all_allow && log_uncond_allow(log, (int)nr)) {
			uncond++;
			nallowed++;
			asum += (double)exec[i];
			cached += sg_bpf_const_allow(prog, len, arch->audit, (int32_t)nr);
		}
	}
	for (const struct sg_hot_syscall *hs = sg_hot_profile(arch); hs->name; hs++) {
		int nr = sg_arch_syscall_nr(arch, hs->name);
		if (nr < (int)arch->nr_base || (size_t)(nr - (int)arch->nr_base) >= n)
			continue;
		wsum += (double)hs->weight * (double)exec[nr - arch->nr_base];
		wdsum += (double)hs->weight * (double)disp[nr - arch->nr_base];
		wtot += hs->weight;
		hw[nr - arch->nr_base] += hs->weight;
	}
	m->insns = len;
	m->mean = count ? sum / (double)count : 0;
	m->dmean = count ? dsum / (double)count : 0;
	m->djmean = count ? djsum / (double)count : 0;
	m->amean = nallowed ? asum / (double)nallowed : 0;
	m->wmean = wtot ? wsum / wtot : 0;
	m->wdmean = wtot ? wdsum / wtot : 0;
	m->coverage = uncond ? 100.0 * (double)cached / (double)uncond : 100.0;

	/*
	 * Bound: the cheapest possible dispatch is an optimal tree over the ranges of equal
	 * behaviour (tests/bench/bound.h), after the fixed "ld arch; jeq; ld nr" and before a
	 * leaf's own code (1 for a RET).
	 */
	m->bound = 3 + range_bound(sig, w, n) / (double)count + 1;
	m->wbound = wtot ? 3 + range_bound(sig, hw, n) / wtot + 1 : 0;
	free(w);
	free(hw);
	free(sig);
	free(in_table);
	free(uncond_allow);
	free(exec);
	free(disp);
}

/*
 * Peak heap: the benchmark interposes malloc and friends (the executable's definitions win
 * over libc's for every library in the process) and, while armed, tracks the bytes in use.
 */
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);
static bool heap_armed;
static long heap_cur, heap_peak;

static void heap_add(long n)
{
	heap_cur += n;
	if (heap_cur > heap_peak)
		heap_peak = heap_cur;
}

void *malloc(size_t n)
{
	void *p = __libc_malloc(n);
	if (heap_armed && p)
		heap_add((long)malloc_usable_size(p));
	return p;
}

void *calloc(size_t n, size_t size)
{
	void *p = __libc_calloc(n, size);
	if (heap_armed && p)
		heap_add((long)malloc_usable_size(p));
	return p;
}

void *realloc(void *old, size_t n)
{
	long before = heap_armed && old ? (long)malloc_usable_size(old) : 0;
	void *p = __libc_realloc(old, n);
	if (heap_armed && p)
		heap_add((long)malloc_usable_size(p) - before);
	return p;
}

void free(void *p)
{
	if (heap_armed && p)
		heap_cur -= (long)malloc_usable_size(p);
	__libc_free(p);
}

/* peak heap of one replay + export, in a fresh child so nothing else is in flight */
static long peak_kb(const struct rec_log *log, int opt)
{
	int pfd[2];
	long kb = -1;
	if (pipe(pfd) < 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		heap_cur = heap_peak = 0;
		heap_armed = true;
		build_once(log, opt);
		heap_armed = false;
		long v = (heap_peak + 1023) / 1024;
		if (write(pfd[1], &v, sizeof(v)) != sizeof(v))
			_exit(1);
		_exit(0);
	}
	close(pfd[1]);
	if (read(pfd[0], &kb, sizeof(kb)) != sizeof(kb))
		kb = -1;
	close(pfd[0]);
	waitpid(pid, NULL, 0);
	return kb;
}

/* ns per call of a syscall loop, in a child with the program loaded (or none) */
static double syscall_ns(const struct sock_filter *prog, size_t len, long nr, long a0)
{
	int pfd[2];
	double ns = -1;
	if (pipe(pfd) < 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		struct sock_fprog fp = {.len = (unsigned short)len,
		                        .filter = (struct sock_filter *)prog};
		enum { N = 40000 };
		if (prog && (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
		             syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fp)))
			_exit(1);
		double best = 1e300;
		for (int round = 0; round < 3; round++) {
			double t0 = now_us();
			for (int i = 0; i < N; i++)
				syscall(nr, a0, 0, 0, 0, 0, 0);
			double t = (now_us() - t0) * 1000.0 / N;
			if (t < best)
				best = t;
		}
		if (write(pfd[1], &best, sizeof(best)) != sizeof(best))
			_exit(1);
		_exit(0);
	}
	close(pfd[1]);
	if (read(pfd[0], &ns, sizeof(ns)) != sizeof(ns))
		ns = -1;
	close(pfd[0]);
	waitpid(pid, NULL, 0);
	return ns;
}

struct policy {
	char name[64];
	struct rec_log log;
	int runs;      /* timing repetitions */
	bool live;     /* also measure real syscall cost */
	double budget; /* seconds one build may take before the library is called too slow */
};

static void run_policy(struct policy *p, int opt)
{
	const struct sg_arch *arch = sg_arch_native();
	struct metrics m;
	size_t len;
	double *times;
	int runs = p->runs;

	/* a first build, in a child with a time budget: libseccomp can take minutes */
	pid_t pid = fork();
	if (pid == 0) {
		alarm((unsigned int)p->budget + 1);
		_exit(build_once(&p->log, opt) < 0 ? 1 : 0);
	}
	int st;
	waitpid(pid, &st, 0);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		printf("BENCH lib=%s policy=%s opt=%d status=%s\n", lib_label, p->name, opt,
		       WIFSIGNALED(st) && WTERMSIG(st) == SIGALRM ? "timeout" : "failed");
		fflush(stdout);
		return;
	}

	scmp_filter_ctx ctx = rec_replay(&p->log);
	if (opt)
		seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, (uint32_t)opt);
	struct sock_filter *prog = export_prog(ctx, &len);
	seccomp_release(ctx);
	if (!prog) {
		double t = build_once(&p->log, opt);
		printf("BENCH lib=%s policy=%s opt=%d status=export-refused build_us=%.1f\n",
		       lib_label, p->name, opt, t);
		return;
	}
	measure(prog, len, arch, &p->log, &m);

	/* at least 0.2 s of builds (at most 5000), in five blocks: the lowest of the blocks'
	 * medians. The machine's other load only ever adds time, and it comes in bursts: the
	 * median of all the builds was at its mercy (the median of 51 builds of Docker's filter
	 * came out at twice the time in one run of four; with 0.2 s of builds, 120 µs in one run
	 * and 70 µs in the next), the median of a block that no burst hit is not */
	double first = build_once(&p->log, opt), build_us = 0;
	if (first > 0 && (double)runs * first < 200000.0)
		runs = first * 5000.0 < 200000.0 ? 5000 : (int)(200000.0 / first) + 1;
	int blocks = runs < 5 ? runs : 5, per = runs / blocks;
	times = calloc((size_t)per, sizeof(*times));
	if (!times) {
		perror("bench: calloc");
		exit(1);
	}
	for (int b = 0; b < blocks; b++) {
		for (int i = 0; i < per; i++)
			times[i] = build_once(&p->log, opt);
		qsort(times, (size_t)per, sizeof(*times), cmp_double);
		if (b == 0 || times[per / 2] < build_us)
			build_us = times[per / 2];
	}

	const struct scmp_version *ver = seccomp_version();
	printf("BENCH lib=%s policy=%s opt=%d status=ok version=%u.%u.%u insns=%zu mean=%.2f "
	       "max=%zu wmean=%.2f amean=%.2f dmean=%.2f djmean=%.2f wdmean=%.2f "
	       "cov=%.1f bound=%.2f wbound=%.2f build_us=%.1f peak_kb=%ld",
	       lib_label, p->name, opt, ver->major, ver->minor, ver->micro, m.insns, m.mean, m.max,
	       m.wmean, m.amean, m.dmean, m.djmean, m.wdmean, m.coverage, m.bound, m.wbound,
	       build_us, peak_kb(&p->log, opt));
	if (p->live && len <= 4096) {
		printf(" getpid_ns=%.0f args_ns=%.0f denied_ns=%.0f none_ns=%.0f",
		       syscall_ns(prog, len, SYS_getpid, 0),
		       syscall_ns(prog, len, SYS_personality, 0xffffffff),
		       syscall_ns(prog, len, 1000, 0), syscall_ns(NULL, 0, SYS_getpid, 0));
	}
	printf("\n");
	fflush(stdout);
	free(times);
	free(prog);
}

static int load_profile(struct policy *p, const char *name, const char *path, bool native_only)
{
	struct sg_profile_opts opts = {0};
	scmp_filter_ctx handle;
	char err[256];

	snprintf(p->name, sizeof(p->name), "%s", name);
	rec_current = &p->log;
	if (sg_profile_compile_file(path, &opts, &handle, err, sizeof(err)) < 0) {
		fprintf(stderr, "bench: %s: %s\n", path, err);
		return -1;
	}
	p->log.result = (int)(intptr_t)handle - 1;
	if (native_only)
		rec_log_native_only(&p->log);
	p->runs = 101;
	p->live = true;
	p->budget = 30;
	return 0;
}

/*
 * A profile limited to a kernel release (SCMP_FLTATR_CTL_KVERMAX, sysgate only: libseccomp has
 * no such attribute): the same recorded calls, then the attribute set last.
 */
static int load_profile_kv(struct policy *p, const char *name, const char *path, bool native_only,
                           uint32_t kv)
{
	if (load_profile(p, name, path, native_only) < 0)
		return -1;
	struct rec_op op = {
	    .type = REC_ATTR, .ctx = p->log.result, .attr = SCMP_FLTATR_CTL_KVERMAX, .value = kv};
	rec_log_add(&p->log, &op);
	return 0;
}

/*
 * The same policy with the native ABI removed and `tokens` added in that order, as a client
 * that builds a profile's ABI list does: every arch add or remove of the recorded log is
 * replaced by these, right after each seccomp_init.
 */
static void arch_order_variant(struct policy *dst, const struct policy *src, const char *name,
                               const uint32_t *tokens, size_t n)
{
	*dst = *src;
	memset(&dst->log, 0, sizeof(dst->log));
	dst->log.nctx = src->log.nctx;
	dst->log.result = src->log.result;
	snprintf(dst->name, sizeof(dst->name), "%s", name);
	for (size_t i = 0; i < src->log.n; i++) {
		const struct rec_op *op = &src->log.ops[i];
		if (op->type == REC_ARCH_ADD || op->type == REC_ARCH_REMOVE)
			continue;
		rec_log_add(&dst->log, op);
		if (op->type != REC_INIT)
			continue;
		struct rec_op a = {
		    .type = REC_ARCH_REMOVE, .ctx = op->ctx, .value = seccomp_arch_native()};
		rec_log_add(&dst->log, &a);
		for (size_t k = 0; k < n; k++) {
			a = (struct rec_op){
			    .type = REC_ARCH_ADD, .ctx = op->ctx, .value = tokens[k]};
			rec_log_add(&dst->log, &a);
		}
	}
	dst->runs = 11;
	dst->live = false;
}

/* synthetic: an allow-list of n syscalls (default ERRNO) */
static void synth_allowlist(struct policy *p, int n)
{
	struct rec_op op = {.type = REC_INIT, .ctx = 0, .value = SCMP_ACT_ERRNO(1)};
	snprintf(p->name, sizeof(p->name), "allow%d", n);
	rec_log_add(&p->log, &op);
	for (int i = 0; i < n; i++) {
		op = (struct rec_op){.type = REC_RULE,
		                     .value = SCMP_ACT_ALLOW,
		                     .syscall = (i * 7) % (n + n / 3 + 1)};
		rec_log_add(&p->log, &op);
	}
	p->runs = 51;
	p->budget = 60;
}

/* synthetic: s syscalls with k argument conditions each (EQ on A1, one rule per value) */
static void synth_args(struct policy *p, int s, int k)
{
	struct rec_op op = {.type = REC_INIT, .ctx = 0, .value = SCMP_ACT_ERRNO(1)};
	snprintf(p->name, sizeof(p->name), "args%dx%d", s, k);
	rec_log_add(&p->log, &op);
	for (int i = 0; i < s; i++)
		for (int j = 0; j < k; j++) {
			op = (struct rec_op){
			    .type = REC_RULE, .value = SCMP_ACT_ALLOW, .syscall = i, .cnt = 1};
			op.args[0] = (struct scmp_arg_cmp){1, SCMP_CMP_EQ,
			                                   (uint64_t)(i * 131 + j * 17 + 1), 0};
			rec_log_add(&p->log, &op);
		}
	p->runs = 5;
	p->budget = 20;
}

int main(int argc, char **argv)
{
	/* make sure the library under test is the one this binary is named after */
	const struct scmp_version *ver = seccomp_version();
	bool is_sysgate = strcmp(BENCH_LIB, "sysgate") == 0;
	if (is_sysgate != (ver->major == 2 && ver->minor == 6 && ver->micro == 1 &&
	                   seccomp_arch_resolve_name("csky") != 0)) {
		fprintf(stderr, "bench_%s: loaded libseccomp %u.%u.%u, not the library expected\n",
		        BENCH_LIB, ver->major, ver->minor, ver->micro);
		return 1;
	}
	const char *profiles = argc > 1 ? argv[1] : "../shared/data/profiles";
	const char *only = argc > 2 ? argv[2] : NULL;
	static struct policy pol[32];
	int np = 0;
	char path[512];

	if (!is_sysgate)
		snprintf(lib_label, sizeof(lib_label), "libseccomp-%u.%u.%u", ver->major,
		         ver->minor, ver->micro);

	snprintf(path, sizeof(path), "%s/docker-default.json", profiles);
	if (load_profile(&pol[np], "docker", path, true) == 0)
		np++;
	memset(&pol[np], 0, sizeof(pol[np]));
	if (load_profile(&pol[np], "docker-3arch", path, false) == 0)
		np++;
	memset(&pol[np], 0, sizeof(pol[np]));
	if (is_sysgate && load_profile_kv(&pol[np], "docker-kv5.4", path, true, SCMP_KV_5_4) == 0)
		np++;
	memset(&pol[np], 0, sizeof(pol[np]));
	if (is_sysgate &&
	    load_profile_kv(&pol[np], "docker-3arch-kv5.4", path, false, SCMP_KV_5_4) == 0)
		np++;
	snprintf(path, sizeof(path), "%s/podman-seccomp.json", profiles);
	memset(&pol[np], 0, sizeof(pol[np]));
	if (load_profile(&pol[np], "podman", path, true) == 0)
		np++;
	memset(&pol[np], 0, sizeof(pol[np]));
	if (load_profile(&pol[np], "podman-3arch", path, false) == 0)
		np++;
	/* Docker's x86 ABIs in every add order (issue 15: x32, x86, x86_64 cost x86_64 more) */
	static const uint32_t x86s[] = {SCMP_ARCH_X86_64, SCMP_ARCH_X86, SCMP_ARCH_X32};
	static const size_t perms[6][3] = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2},
	                                   {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
	for (int k = 0; k < 6 && np > 1 && strcmp(pol[1].name, "docker-3arch") == 0; k++) {
		uint32_t tokens[3];
		char name[64] = "docker-order";
		for (int j = 0; j < 3; j++) {
			tokens[j] = x86s[perms[k][j]];
			strcat(name, j ? "," : ":");
			strcat(name, perms[k][j] == 0   ? "x86_64"
			             : perms[k][j] == 1 ? "x86"
			                                : "x32");
		}
		memset(&pol[np], 0, sizeof(pol[np]));
		arch_order_variant(&pol[np++], &pol[1], name, tokens, 3);
	}
	for (int n = 50; n <= 400; n *= 2)
		synth_allowlist(&pol[np++], n);
	for (int k = 1; k <= 8; k *= 2)
		synth_args(&pol[np++], 362, k);
	synth_args(&pol[np++], 1250, 8); /* 10^4 rules */

	/* BENCH_LOOP=N: only build+export each selected policy N times per level and print the
	 * best mean CPU time of 50 (a loop to run under `perf record`, or to compare two builds
	 * of the library on a busy machine); BENCH_OPT=N: only that level; "=NAME" selects one
	 * policy exactly */
	const char *loop = getenv("BENCH_LOOP"), *only_opt = getenv("BENCH_OPT");
	for (int i = 0; i < np; i++) {
		if (only && (only[0] == '=' ? strcmp(pol[i].name, only + 1) != 0
		                            : !strstr(pol[i].name, only)))
			continue;
		for (int opt = 1; opt <= 2; opt++) {
			if (only_opt && atoi(only_opt) != opt)
				continue;
			if (!loop) {
				run_policy(&pol[i], opt);
				continue;
			}
			/* the best of blocks of 50: the machine is shared, its noise only adds */
			long n = atol(loop);
			double best = 0;
			for (long k = 0; k < n; k += 50) {
				double t0 = cpu_us();
				for (long b = 0; b < 50; b++)
					build_once(&pol[i].log, opt);
				double t = (cpu_us() - t0) / 50;
				best = k == 0 || t < best ? t : best;
			}
			printf("LOOP policy=%s opt=%d build_us=%.1f\n", pol[i].name, opt, best);
		}
	}
	for (int i = 0; i < np; i++)
		rec_log_free(&pol[i].log);
	return 0;
}
