/*
 * test_bpf_live.c - the classic-BPF model against the running kernel, in forked children (so
 * this process stays unfiltered): sg_bpf_check against the kernel's checker on random and
 * hand-made programs, and the interpreter's verdicts against the kernel's.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define _GNU_SOURCE
#include <check.h>
#include <endian.h>
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "bpf.h"
#include "bpf_testdata.h"
#include "testcheck.h"

static uint64_t rng_state;

static uint64_t rnd(void)
{
	/* xorshift64* */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

static uint32_t rnd_below(uint32_t n)
{
	return n ? (uint32_t)(rnd() % n) : 0;
}

static uint64_t test_seed(void)
{
	const char *env = getenv("SYSGATE_SEED");
	uint64_t seed =
	    env ? strtoull(env, NULL, 0) : (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 20);

	return seed ? seed : 1;
}

static long install(const struct sock_filter *p, size_t len)
{
	struct sock_fprog prog = {.len = (unsigned short)len, .filter = (struct sock_filter *)p};

	return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) == 0 ? 0 : errno;
}

/* Can this process install filters at all? Checked in a child; on failure, say why. */
static bool live_available(const char *what)
{
	static const struct sock_filter allow[] = {RETK(ALLOW)};
	int status;
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		long err;

		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
			_exit(100);
		err = install(allow, 1);
		_exit(err > 99 ? 99 : (int)err);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return true;
	tu_skip_part("%s: cannot install a seccomp filter here (%s)", what,
	             WIFEXITED(status) ? strerror(WEXITSTATUS(status)) : "child died");
	return false;
}

static void read_all(int fd, void *buf, size_t size)
{
	size_t got = 0;

	while (got < size) {
		ssize_t n = read(fd, (char *)buf + got, size - got);

		if (n < 0 && errno == EINTR)
			continue;
		ck_assert_int_gt(n, 0);
		got += (size_t)n;
	}
}

static void write_all(int fd, const void *buf, size_t size)
{
	while (size > 0) {
		ssize_t n = write(fd, buf, size);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			_exit(98);
		buf = (const char *)buf + n;
		size -= (size_t)n;
	}
}

/* --- kernel acceptance vs sg_bpf_check ---
 * The child first fills its filter chain with ALLOW filters (always cached, harmless) up to the
 * kernel's per-path instruction budget. After that, seccomp(SET_MODE_FILTER) runs the checker
 * on a new program (EINVAL when it is refused) and then fails in attach with ENOMEM when it was
 * accepted, so nothing more is ever installed and thousands of programs can be tried. */

#define RAND_PROGS 6000

static const uint16_t valid_codes[] = {
    BPF_LD | BPF_W | BPF_ABS,
    BPF_LD | BPF_W | BPF_LEN,
    BPF_LDX | BPF_W | BPF_LEN,
    BPF_LD | BPF_IMM,
    BPF_LDX | BPF_IMM,
    BPF_LD | BPF_MEM,
    BPF_LDX | BPF_MEM,
    BPF_ST,
    BPF_STX,
    BPF_ALU | BPF_ADD | BPF_K,
    BPF_ALU | BPF_ADD | BPF_X,
    BPF_ALU | BPF_SUB | BPF_K,
    BPF_ALU | BPF_SUB | BPF_X,
    BPF_ALU | BPF_MUL | BPF_K,
    BPF_ALU | BPF_MUL | BPF_X,
    BPF_ALU | BPF_DIV | BPF_K,
    BPF_ALU | BPF_DIV | BPF_X,
    BPF_ALU | BPF_AND | BPF_K,
    BPF_ALU | BPF_AND | BPF_X,
    BPF_ALU | BPF_OR | BPF_K,
    BPF_ALU | BPF_OR | BPF_X,
    BPF_ALU | BPF_XOR | BPF_K,
    BPF_ALU | BPF_XOR | BPF_X,
    BPF_ALU | BPF_LSH | BPF_K,
    BPF_ALU | BPF_LSH | BPF_X,
    BPF_ALU | BPF_RSH | BPF_K,
    BPF_ALU | BPF_RSH | BPF_X,
    BPF_ALU | BPF_NEG,
    BPF_MISC | BPF_TAX,
    BPF_MISC | BPF_TXA,
    BPF_JMP | BPF_JA,
    BPF_JMP | BPF_JEQ | BPF_K,
    BPF_JMP | BPF_JEQ | BPF_X,
    BPF_JMP | BPF_JGE | BPF_K,
    BPF_JMP | BPF_JGE | BPF_X,
    BPF_JMP | BPF_JGT | BPF_K,
    BPF_JMP | BPF_JGT | BPF_X,
    BPF_JMP | BPF_JSET | BPF_K,
    BPF_JMP | BPF_JSET | BPF_X,
    BPF_RET | BPF_K,
    BPF_RET | BPF_A,
};

static const uint16_t near_codes[] = {
    BPF_LD | BPF_H | BPF_ABS,  BPF_LD | BPF_B | BPF_ABS,  BPF_LD | BPF_W | BPF_IND,
    BPF_LDX | BPF_B | BPF_MSH, BPF_ALU | BPF_MOD | BPF_K, BPF_ALU | BPF_MOD | BPF_X,
    BPF_RET | BPF_X,           BPF_LDX | BPF_W | BPF_ABS, BPF_JMP | 0x50 | BPF_K,
    BPF_ALU | 0xb0 | BPF_K,    BPF_ALU | BPF_NEG | BPF_X, 0x0106,
};

static uint32_t rnd_k(size_t room)
{
	static const uint32_t ks[] = {0,  1,  2,  3,          4,          8,         12,
	                              15, 16, 17, 31,         32,         33,        56,
	                              60, 61, 64, 0xfffff000, 0xfffff004, 0xffffffff};

	switch (rnd_below(4)) {
	case 0:
		return rnd_below((uint32_t)room + 1); /* a jump offset near the edge */
	case 1:
		return (uint32_t)rnd();
	default:
		return ks[rnd_below(ARRAY_SIZE(ks))];
	}
}

static size_t gen_any(struct sock_filter *p)
{
	size_t len = 1 + rnd_below(8);

	for (size_t i = 0; i < len; i++) {
		uint32_t pick = rnd_below(100);
		uint16_t code;

		if (pick < 78)
			code = valid_codes[rnd_below(ARRAY_SIZE(valid_codes))];
		else if (pick < 92)
			code = near_codes[rnd_below(ARRAY_SIZE(near_codes))];
		else
			code = (uint16_t)rnd_below(0x120);
		p[i].code = code;
		p[i].k = rnd_k(len - i);
		p[i].jt = (uint8_t)rnd_below((uint32_t)(len - i) + 1);
		p[i].jf = (uint8_t)rnd_below((uint32_t)(len - i) + 1);
	}
	if (rnd_below(100) < 85)
		p[len - 1].code = rnd_below(2) ? BPF_RET | BPF_K : BPF_RET | BPF_A;
	return len;
}

struct agree_report {
	int setup_error; /* 0, or where the setup failed */
	long setup_errno;
	unsigned tried, accepted, disagreements;
};

static void dump_prog(const char *tag, const struct sock_filter *p, size_t len)
{
	fprintf(stderr, "%s (%zu insns):", tag, len);
	for (size_t i = 0; i < len; i++)
		fprintf(stderr, " {0x%04x,%u,%u,0x%08x}", p[i].code, p[i].jt, p[i].jf, p[i].k);
	fprintf(stderr, "\n");
}

static void agree_one(struct agree_report *r, const char *why, const struct sock_filter *p,
                      size_t len)
{
	long err = install(p, len);
	int mine = sg_bpf_check(p, len);
	bool kernel_ok = err == ENOMEM;

	r->tried++;
	if (err != ENOMEM && err != EINVAL) {
		/* neither verdict: installed by mistake, or some other failure; stop here */
		fprintf(stderr, "%s: unexpected seccomp() result %ld\n", why, err);
		dump_prog("program", p, len);
		r->disagreements++;
		write_all(3, r, sizeof(*r));
		_exit(0);
	}
	if (kernel_ok)
		r->accepted++;
	if (kernel_ok != (mine == 0)) {
		r->disagreements++;
		fprintf(stderr, "DISAGREEMENT (%s): kernel %s, sg_bpf_check %s\n", why,
		        kernel_ok ? "accepts" : "refuses", mine == 0 ? "accepts" : "refuses");
		dump_prog("program", p, len);
	}
}

static void agree_child(int fd, uint64_t seed)
{
	static struct sock_filter allow[SG_BPF_MAXINSNS + 1];
	static const struct sock_filter good[] = {RETK(ALLOW)};
	static const struct sock_filter bad[] = {LDW(2), RETA};
	struct agree_report r = {0};
	long err = 0;

	if (dup2(fd, 3) != 3)
		_exit(97);
	for (size_t i = 0; i < ARRAY_SIZE(allow); i++)
		allow[i] = (struct sock_filter)RETK(ALLOW);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
		r.setup_error = 1;
		r.setup_errno = errno;
		goto report;
	}
	/* fill the per-path budget greedily: the largest filters first, down to one insn */
	for (size_t len = SG_BPF_MAXINSNS; len >= 1; len /= 2)
		while ((err = install(allow, len)) == 0)
			;
	if (err != ENOMEM || install(good, 1) != ENOMEM || install(bad, 2) != EINVAL) {
		r.setup_error = 2;
		r.setup_errno = err;
		goto report;
	}

	for (size_t i = 0; i < n_check_cases; i++)
		agree_one(&r, check_cases[i].why, check_cases[i].p, check_cases[i].len);
	agree_one(&r, "4096 instructions", allow, SG_BPF_MAXINSNS);
	agree_one(&r, "4097 instructions", allow, SG_BPF_MAXINSNS + 1);
	/* every opcode byte alone and before a RET, every ABS offset */
	for (uint32_t code = 0; code < 0x100; code++) {
		struct sock_filter p[] = {S(code, 0), RETK(0)};
		struct sock_filter q[] = {S(code, 1), RETK(0)};

		agree_one(&r, "single opcode", p, 2);
		agree_one(&r, "single opcode, k=1", q, 2);
	}
	for (uint32_t k = 0; k < 70; k++) {
		struct sock_filter p[] = {LDW(k), RETA};

		agree_one(&r, "abs offset", p, 2);
	}

	rng_state = seed;
	for (unsigned n = 0; n < RAND_PROGS; n++) {
		struct sock_filter p[MAXP];
		size_t len = gen_any(p);

		agree_one(&r, "random", p, len);
	}
report:
	write_all(3, &r, sizeof(r));
	_exit(0);
}

START_TEST(test_live_checker_agreement)
{
	struct agree_report r;
	uint64_t seed = test_seed();
	int fds[2], status;
	pid_t pid;

	if (!live_available("kernel-vs-checker agreement"))
		return;
	fprintf(stderr,
	        "kernel-vs-checker: random seed %" PRIu64 " (replay with SYSGATE_SEED=%" PRIu64
	        ")\n",
	        seed, seed);
	ck_assert_int_eq(pipe(fds), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		close(fds[0]);
		agree_child(fds[1], seed);
	}
	close(fds[1]);
	read_all(fds[0], &r, sizeof(r));
	close(fds[0]);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(r.setup_error == 0, "setup step %d failed (errno %ld)", r.setup_error,
	              r.setup_errno);
	fprintf(stderr,
	        "kernel-vs-checker: %u programs, %u accepted by the kernel, %u disagreements\n",
	        r.tried, r.accepted, r.disagreements);
	ck_assert_uint_eq(r.disagreements, 0);
	ck_assert_uint_gt(r.accepted, 100);
	ck_assert_uint_gt(r.tried - r.accepted, 100);
}
END_TEST

/* --- interpreter vs kernel verdicts ---
 * A child installs  ld nr; jge 1000 ? body : ret ALLOW  so that only syscall numbers >= 1000
 * (unassigned) are decided by the program under test, then calls syscall(nr, args...) and
 * reports what happened: a return value and errno, a SIGSYS trap with its data, or death by
 * SIGSYS. The parent predicts each outcome with sg_bpf_run(). */

struct probe {
	uint64_t ip;
	uint32_t arch;
	int32_t data;
};

static volatile sig_atomic_t trapped;
static volatile int32_t trap_data;
static volatile uint64_t trap_ip;
static volatile uint32_t trap_arch;

static void on_sigsys(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	trapped = 1;
	trap_data = si->si_errno;
	trap_ip = (uint64_t)(uintptr_t)si->si_call_addr;
	trap_arch = si->si_arch;
}

static void child_setup(void)
{
	struct sigaction sa;
	struct rlimit nocore = {0, 0};

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sigsys;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSYS, &sa, NULL);
	/* a killed child must not leave core dumps behind */
	setrlimit(RLIMIT_CORE, &nocore);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		_exit(96);
}

/* the instruction pointer and arch the kernel reports for syscall() calls from here */
static struct probe probe_kernel(void)
{
	static const struct sock_filter p[] = {LDW(0), JK(BPF_JEQ, 999, 0, 1),
	                                       RETK(SECCOMP_RET_TRAP | 0x42), RETK(ALLOW)};
	struct probe pr = {0};
	int fds[2], status;
	pid_t pid;

	ck_assert_int_eq(pipe(fds), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		close(fds[0]);
		child_setup();
		if (install(p, 4) != 0)
			_exit(95);
		syscall(999, 0, 0, 0, 0, 0, 0);
		pr.ip = trap_ip;
		pr.arch = trap_arch;
		pr.data = trapped ? trap_data : -1;
		write_all(fds[1], &pr, sizeof(pr));
		_exit(0);
	}
	close(fds[1]);
	read_all(fds[0], &pr, sizeof(pr));
	close(fds[0]);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_int_eq(pr.data, 0x42);
	return pr;
}

struct outcome {
	int kind; /* OUT_RET, OUT_TRAP, OUT_KILLED */
	long ret;
	int err;
	int32_t data;
};
enum { OUT_RET, OUT_TRAP, OUT_KILLED };

#define NSEL 3
static const uint64_t sels[NSEL] = {0, 12, 24};

/* what the kernel does with a filter result for an unassigned syscall (kernel/seccomp.c,
 * __seccomp_filter) */
static struct outcome predict(uint32_t ret)
{
	struct outcome o = {OUT_RET, -1, 0, 0};
	uint32_t data = ret & SECCOMP_RET_DATA;

	switch (ret & SECCOMP_RET_ACTION_FULL) {
	case SECCOMP_RET_ERRNO:
		if (data == 0)
			o.ret = 0;
		else
			o.err = data > 4095 ? 4095 : (int)data; /* MAX_ERRNO cap */
		break;
	case SECCOMP_RET_TRAP:
		o.kind = OUT_TRAP;
		o.data = (int32_t)data;
		break;
	case SECCOMP_RET_ALLOW:
	case SECCOMP_RET_LOG:
	case SECCOMP_RET_TRACE:      /* no tracer: ENOSYS */
	case SECCOMP_RET_USER_NOTIF: /* no listener: ENOSYS */
		o.err = ENOSYS;
		break;
	default: /* KILL_THREAD, KILL_PROCESS and unknown actions */
		o.kind = OUT_KILLED;
		break;
	}
	return o;
}

static bool same_outcome(const struct outcome *a, const struct outcome *b)
{
	if (a->kind != b->kind)
		return false;
	if (a->kind == OUT_TRAP)
		return a->data == b->data;
	if (a->kind == OUT_RET)
		return a->ret == b->ret && (a->ret == 0 || a->err == b->err);
	return true;
}

static void outcome_str(const struct outcome *o, char *buf, size_t size)
{
	if (o->kind == OUT_KILLED)
		snprintf(buf, size, "killed by SIGSYS");
	else if (o->kind == OUT_TRAP)
		snprintf(buf, size, "SIGSYS trap, data %d", o->data);
	else
		snprintf(buf, size, "returned %ld, errno %d", o->ret, o->ret == 0 ? 0 : o->err);
}

/* run `p` in a child for syscall nr with args a0..a4 and each selector in args[5] */
static int live_run(const struct sock_filter *p, size_t len, int nr, const uint64_t *args,
                    struct outcome *out)
{
	int fds[2], status, got = 0;
	pid_t pid;

	ck_assert_int_eq(pipe(fds), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		close(fds[0]);
		child_setup();
		if (install(p, len) != 0)
			_exit(95);
		for (int s = 0; s < NSEL; s++) {
			struct outcome o = {OUT_RET, 0, 0, 0};

			trapped = 0;
			errno = 0;
			o.ret = syscall(nr, args[0], args[1], args[2], args[3], args[4], sels[s]);
			o.err = errno;
			if (trapped) {
				o.kind = OUT_TRAP;
				o.data = trap_data;
			}
			write_all(fds[1], &o, sizeof(o));
		}
		_exit(0);
	}
	close(fds[1]);
	while (got < NSEL) {
		ssize_t n = read(fds[0], &out[got], sizeof(out[got]));

		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0)
			break;
		ck_assert_int_eq(n, sizeof(out[got]));
		got++;
	}
	close(fds[0]);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(!WIFEXITED(status) || WEXITSTATUS(status) == 0,
	              "child could not install the filter (status %d)", WEXITSTATUS(status));
	if (got < NSEL) {
		ck_assert_msg(WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS,
		              "child stopped early without SIGSYS");
		for (int s = got; s < NSEL; s++)
			out[s] = (struct outcome){OUT_KILLED, 0, 0, 0};
	}
	return got;
}

#define GUARD_LEN 3
#define EPI_LEN   8
#define BODY_MAX  24

static size_t wrap(struct sock_filter *p, const struct sock_filter *body, size_t n)
{
	size_t len = 0;

	p[len++] = (struct sock_filter)LDW(SG_OFF_NR);
	p[len++] = (struct sock_filter)JK(BPF_JGE, 1000, 1, 0);
	p[len++] = (struct sock_filter)RETK(ALLOW);
	memcpy(p + len, body, n * sizeof(*body));
	len += n;
	/* the epilogue turns A into ERRNO(12 bits of A), the bits chosen by args[5] */
	p[len++] = (struct sock_filter)ST(15);
	p[len++] = (struct sock_filter)LDW(sg_arg_lo_off(5, HOST_BE));
	p[len++] = (struct sock_filter)TAX;
	p[len++] = (struct sock_filter)LDM(15);
	p[len++] = (struct sock_filter)ALUX(BPF_RSH);
	p[len++] = (struct sock_filter)ALUK(BPF_AND, 0xfff);
	p[len++] = (struct sock_filter)ALUK(BPF_OR, SECCOMP_RET_ERRNO);
	p[len++] = (struct sock_filter)RETA;
	return len;
}

/* outcomes seen, by kind, for the summary line */
static unsigned seen_kinds[3];

/* compare kernel and interpreter on one program; returns the number of mismatches */
static int live_compare(const char *why, const struct sock_filter *p, size_t len,
                        const struct probe *pr, int nr, const uint64_t *args)
{
	struct outcome seen[NSEL];
	int bad = 0;

	ck_assert_msg(sg_bpf_check(p, len) == 0, "%s: test program refused by sg_bpf_check", why);
	live_run(p, len, nr, args, seen);
	for (int s = 0; s < NSEL; s++) {
		struct seccomp_data d = {.nr = nr, .arch = pr->arch, .instruction_pointer = pr->ip};
		struct outcome want;
		char w[64], g[64];

		memcpy(d.args, args, 5 * sizeof(args[0]));
		d.args[5] = sels[s];
		want = predict(sg_bpf_run(p, len, &d, HOST_BE, NULL));
		seen_kinds[seen[s].kind]++;
		if (!same_outcome(&want, &seen[s])) {
			outcome_str(&want, w, sizeof(w));
			outcome_str(&seen[s], g, sizeof(g));
			fprintf(stderr,
			        "MISMATCH (%s, nr %d, selector %" PRIu64 "): interpreter "
			        "predicts %s, kernel %s\n",
			        why, nr, sels[s], w, g);
			dump_prog("program", p, len);
			bad++;
		}
		if (want.kind == OUT_KILLED)
			break; /* the child is gone */
	}
	return bad;
}

static uint32_t pool_value(const struct seccomp_data *d)
{
	static const uint32_t fixed[] = {0,  1,  2,          31,         32,
	                                 33, 64, 0x7fffffff, 0x80000000, 0xffffffff};
	uint32_t w[16];

	for (uint32_t off = 0; off < 64; off += 4)
		w[off / 4] = word_at(d, off, HOST_BE);
	switch (rnd_below(3)) {
	case 0:
		return w[rnd_below(14)]; /* a word the program can load (not args[5]) */
	case 1:
		return fixed[rnd_below(ARRAY_SIZE(fixed))];
	default:
		return (uint32_t)rnd();
	}
}

/* a random body that passes the checker by construction (almost: retried otherwise) */
static size_t gen_body(struct sock_filter *b, const struct seccomp_data *d)
{
	static const uint16_t alu_ops[] = {BPF_ADD, BPF_SUB, BPF_MUL, BPF_DIV, BPF_AND,
	                                   BPF_OR,  BPF_XOR, BPF_LSH, BPF_RSH};
	static const uint16_t jmp_ops[] = {BPF_JEQ, BPF_JGE, BPF_JGT, BPF_JSET};
	size_t n = 1 + rnd_below(BODY_MAX);
	uint16_t stored = 0;

	for (size_t i = 0; i < n; i++) {
		size_t room = n - i; /* jump offsets up to the epilogue's first instruction */
		uint32_t pick = rnd_below(100);
		uint16_t op;

		if (pick < 20) {
			b[i] = (struct sock_filter)LDW(4 * rnd_below(14));
		} else if (pick < 26) {
			b[i] = (struct sock_filter)LDI(pool_value(d));
		} else if (pick < 32) {
			b[i] = (struct sock_filter)LDXI(pool_value(d));
		} else if (pick < 34) {
			b[i] = (struct sock_filter)S(
			    rnd_below(2) ? BPF_LD | BPF_W | BPF_LEN : BPF_LDX | BPF_W | BPF_LEN, 0);
		} else if (pick < 48) {
			op = alu_ops[rnd_below(ARRAY_SIZE(alu_ops))];
			uint32_t k = pool_value(d);

			if (op == BPF_DIV && k == 0)
				k = 3;
			if (op == BPF_LSH || op == BPF_RSH)
				k &= 31;
			b[i] = (struct sock_filter)ALUK(op, k);
		} else if (pick < 56) {
			b[i] = (struct sock_filter)ALUX(alu_ops[rnd_below(ARRAY_SIZE(alu_ops))]);
		} else if (pick < 59) {
			b[i] = (struct sock_filter)S(BPF_ALU | BPF_NEG, 0);
		} else if (pick < 63) {
			b[i] = rnd_below(2) ? (struct sock_filter)TAX : (struct sock_filter)TXA;
		} else if (pick < 69) {
			uint32_t cell = rnd_below(15);

			stored |= (uint16_t)(1u << cell);
			b[i] = rnd_below(2) ? (struct sock_filter)ST(cell)
			                    : (struct sock_filter)STX(cell);
		} else if (pick < 74 && stored) {
			uint32_t cell;

			do
				cell = rnd_below(15);
			while (!(stored & (1u << cell)));
			b[i] = rnd_below(2) ? (struct sock_filter)LDM(cell)
			                    : (struct sock_filter)LDXM(cell);
		} else if (pick < 92) {
			op = jmp_ops[rnd_below(ARRAY_SIZE(jmp_ops))];
			if (rnd_below(3) == 0)
				b[i] = (struct sock_filter)JX(op, rnd_below(room), rnd_below(room));
			else
				b[i] = (struct sock_filter)JK(op, pool_value(d), rnd_below(room),
				                              rnd_below(room));
		} else if (pick < 95) {
			b[i] = (struct sock_filter)JA(rnd_below(room));
		} else if (pick < 98) {
			static const uint32_t acts[] = {
			    SECCOMP_RET_ERRNO, SECCOMP_RET_TRAP,         SECCOMP_RET_ALLOW,
			    SECCOMP_RET_TRACE, SECCOMP_RET_KILL_PROCESS, SECCOMP_RET_KILL_THREAD,
			    0x00010000,        SECCOMP_RET_USER_NOTIF,
			};
			uint32_t a = acts[rnd_below(ARRAY_SIZE(acts))];

			if (a == SECCOMP_RET_ERRNO || a == SECCOMP_RET_TRAP ||
			    a == SECCOMP_RET_TRACE)
				a |= rnd_below(0x10000);
			b[i] = (struct sock_filter)RETK(a);
		} else {
			b[i] = (struct sock_filter)RETA;
		}
	}
	return n;
}

#define LIVE_RAND 400

START_TEST(test_live_interpreter)
{
	struct probe pr;
	uint64_t seed = test_seed();
	int bad = 0, tried = 0;
	uint64_t args[5] = {0x1, 0xffffffff80000000ull, 0x123456789abcdef0ull, 0, 42};
	struct sock_filter p[GUARD_LEN + BODY_MAX + EPI_LEN], body[BODY_MAX];
	size_t len;

	if (!live_available("interpreter vs kernel"))
		return;
	pr = probe_kernel();
	fprintf(stderr,
	        "interpreter-vs-kernel: arch 0x%08x, ip 0x%" PRIx64 ", random seed %" PRIu64
	        " (replay with SYSGATE_SEED=%" PRIu64 ")\n",
	        pr.arch, pr.ip, seed, seed);

	/* hand-written: the ERRNO comes straight from argument words */
	{
		const struct sock_filter b[] = {LDW(sg_arg_lo_off(4, HOST_BE))};

		len = wrap(p, b, 1);
		bad += live_compare("errno from args[4].lo", p, len, &pr, 1000, args);
		tried++;
	}
	{
		const struct sock_filter b[] = {LDW(sg_arg_hi_off(1, HOST_BE)), ALUK(BPF_ADD, 3)};

		len = wrap(p, b, 2);
		bad += live_compare("args[1].hi + 3", p, len, &pr, 1001, args);
		tried++;
	}
	{
		/* register shifts by >= 32 use the count modulo 32 */
		const struct sock_filter b[] = {LDXI(33), LDI(5), ALUX(BPF_LSH)};

		len = wrap(p, b, 3);
		bad += live_compare("lsh x by 33", p, len, &pr, 1002, args);
		tried++;
	}
	{
		const struct sock_filter b[] = {LDXI(0xffffffe4), LDI(0x12345678), ALUX(BPF_RSH)};

		len = wrap(p, b, 3);
		bad += live_compare("rsh x by 0xffffffe4", p, len, &pr, 1003, args);
		tried++;
	}
	{
		/* DIV X by zero kills */
		const struct sock_filter b[] = {LDXI(0), LDI(7), ALUX(BPF_DIV)};

		len = wrap(p, b, 3);
		bad += live_compare("div x by zero", p, len, &pr, 1004, args);
		tried++;
	}
	{
		/* unsigned compare against a negative-looking immediate */
		const struct sock_filter b[] = {
		    LDW(sg_arg_hi_off(1, HOST_BE)), JK(BPF_JGE, 0x80000000, 0, 1),
		    RETK(SECCOMP_RET_ERRNO | 7), RETK(SECCOMP_RET_ERRNO | 9)};

		len = wrap(p, b, 4);
		bad += live_compare("jge 0x80000000", p, len, &pr, 1005, args);
		tried++;
	}
	{
		/* ERRNO data above MAX_ERRNO is capped; ERRNO(0) returns 0 */
		const struct sock_filter b[] = {
		    LDW(sg_arg_lo_off(0, HOST_BE)), JK(BPF_JEQ, 1, 0, 1),
		    RETK(SECCOMP_RET_ERRNO | 0xffff), RETK(SECCOMP_RET_ERRNO)};
		uint64_t a2[5] = {1, 0, 0, 0, 0};

		len = wrap(p, b, 4);
		bad += live_compare("errno cap", p, len, &pr, 1006, a2);
		a2[0] = 2;
		bad += live_compare("errno 0", p, len, &pr, 1006, a2);
		tried += 2;
	}
	{
		/* TRAP data, the instruction pointer, arch, LEN and scratch memory */
		const struct sock_filter b[] = {LDW(SG_OFF_IP + (HOST_BE ? 4 : 0)),
		                                ST(0),
		                                LDW(SG_OFF_ARCH),
		                                JK(BPF_JEQ, pr.arch, 0, 4),
		                                S(BPF_LDX | BPF_W | BPF_LEN, 0),
		                                LDM(0),
		                                ALUX(BPF_ADD),
		                                JA(1),
		                                RETK(SECCOMP_RET_TRAP | 0x1234)};
		const struct sock_filter t[] = {RETK(SECCOMP_RET_TRAP | 0x1234)};

		len = wrap(p, b, 9);
		bad += live_compare("ip.lo + 64", p, len, &pr, 1007, args);
		len = wrap(p, t, 1);
		bad += live_compare("trap data", p, len, &pr, 1008, args);
		tried += 2;
	}
	{
		/* unknown action values kill (as KILL_PROCESS) */
		const struct sock_filter b[] = {RETK(0x00010000)};

		len = wrap(p, b, 1);
		bad += live_compare("unknown action", p, len, &pr, 1009, args);
		tried++;
	}

	rng_state = seed;
	for (int n = 0; n < LIVE_RAND; n++) {
		struct seccomp_data d = {
		    .nr = 1000 + (int)rnd_below(64), .arch = pr.arch, .instruction_pointer = pr.ip};
		size_t bl;

		for (int i = 0; i < 5; i++) {
			switch (rnd_below(4)) {
			case 0:
				d.args[i] = rnd_below(16);
				break;
			case 1:
				d.args[i] = (uint32_t)rnd();
				break;
			default:
				d.args[i] = rnd();
				break;
			}
		}
		do {
			bl = gen_body(body, &d);
			len = wrap(p, body, bl);
		} while (sg_bpf_check(p, len) != 0);
		bad += live_compare("random", p, len, &pr, d.nr, (const uint64_t *)d.args);
		tried++;
	}
	fprintf(stderr,
	        "interpreter-vs-kernel: %d programs x %d syscalls (%u returned, %u trapped, %u "
	        "killed), %d mismatches\n",
	        tried, NSEL, seen_kinds[OUT_RET], seen_kinds[OUT_TRAP], seen_kinds[OUT_KILLED],
	        bad);
	ck_assert_int_eq(bad, 0);
}
END_TEST

static Suite *bpf_live_suite(void)
{
	Suite *s = suite_create("bpf-live");
	TCase *tc = tcase_create("live");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_live_checker_agreement);
	tcase_add_test(tc, test_live_interpreter);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	tu_skip_under_valgrind();
	return tu_run_suite(bpf_live_suite());
}
