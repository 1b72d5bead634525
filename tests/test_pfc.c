/*
 * test_pfc.c - seccomp_export_pfc() says what the filter means.
 *
 * PFC is pseudo code a person reads to learn what a filter does, so it must be exactly as
 * strong as the filter. This test reads sysgate's PFC back with a small interpreter of its own
 * (the obvious reading of the text: `if (...)` runs the lines indented under it, `else` the
 * lines under it when the test failed, the first `action X;` reached is the verdict) and checks
 * that it gives the verdict of the IR (sg_ir_eval) on every input tried: random policies on
 * every ABI alone and in the combinations programs use; inputs on every syscall number with
 * rules and its neighbours, the x32 bit both ways, -1, a foreign arch value, and argument
 * values at and next to every datum of the syscall's rules.
 *
 * SYSGATE_SEED=N replays a run.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <check.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <seccomp.h>

#include "testcheck.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/*
 * The PFC interpreter
 */

enum pfc_kind { PFC_IF, PFC_ELSE, PFC_ACTION };

/* what an `if` tests: $arch, $syscall, or a word of an argument (optionally masked) */
enum pfc_word { W_ARCH, W_SYSCALL, W_ARG, W_ARG_HI, W_ARG_LO };

/* one comparison: `word op value`, or `word & mask == value` */
struct pfc_test {
	enum pfc_word word;
	unsigned int arg;
	char op[3];    /* "==", ">", ">=", "<=" */
	bool masked;   /* `word & mask == value` */
	uint32_t mask; /* for masked */
	int64_t value; /* the constant (a syscall number may be negative) */
};

struct pfc_line {
	int depth; /* indentation, in steps of two spaces */
	enum pfc_kind kind;
	int ntests; /* an `if` holds when all its tests do (`A && B`) */
	struct pfc_test t[2];
	uint32_t action;
};

struct pfc {
	struct pfc_line *l;
	size_t n, cap;
};

static uint32_t parse_action(const char *s)
{
	unsigned int v;

	if (sscanf(s, "ERRNO(%u)", &v) == 1)
		return SCMP_ACT_ERRNO(v);
	if (sscanf(s, "TRACE(%u)", &v) == 1)
		return SCMP_ACT_TRACE(v);
	if (sscanf(s, "TRAP(%u)", &v) == 1)
		return SECCOMP_RET_TRAP | (v & SECCOMP_RET_DATA);
	if (sscanf(s, "0x%x", &v) == 1)
		return v;
	if (!strncmp(s, "KILL_PROCESS", 12))
		return SCMP_ACT_KILL_PROCESS;
	if (!strncmp(s, "KILL", 4))
		return SCMP_ACT_KILL_THREAD;
	if (!strncmp(s, "TRAP", 4))
		return SCMP_ACT_TRAP;
	if (!strncmp(s, "LOG", 3))
		return SCMP_ACT_LOG;
	if (!strncmp(s, "ALLOW", 5))
		return SCMP_ACT_ALLOW;
	if (!strncmp(s, "NOTIFY", 6))
		return SCMP_ACT_NOTIFY;
	ck_abort_msg("PFC: unknown action '%s'", s);
	return 0;
}

/* one comparison at s; returns where it ends */
static const char *parse_test(const char *s, const char *text, struct pfc_test *t)
{
	char word[32];
	int n = 0;

	ck_assert_msg(sscanf(s, "%31s %n", word, &n) == 1, "PFC: cannot read: %s", text);
	s += n;
	if (!strcmp(word, "$arch"))
		t->word = W_ARCH;
	else if (!strcmp(word, "$syscall"))
		t->word = W_SYSCALL;
	else {
		char part[8] = "";
		ck_assert_msg(sscanf(word, "$a%u.%7s", &t->arg, part) >= 1 && t->arg < 6,
		              "PFC: unknown word: %s", text);
		t->word = !part[0] ? W_ARG : !strcmp(part, "hi32") ? W_ARG_HI : W_ARG_LO;
		ck_assert_msg(!part[0] || !strcmp(part, "hi32") || !strcmp(part, "lo32"),
		              "PFC: unknown word: %s", text);
	}
	n = 0;
	if (sscanf(s, "& 0x%x == %" SCNd64 "%n", &t->mask, &t->value, &n) == 2 && n > 0) {
		t->masked = true;
		strcpy(t->op, "==");
		return s + n;
	}
	n = 0;
	ck_assert_msg(sscanf(s, "%2s %" SCNd64 "%n", t->op, &t->value, &n) == 2 && n > 0,
	              "PFC: cannot read: %s", text);
	ck_assert_msg(!strcmp(t->op, "==") || !strcmp(t->op, ">") || !strcmp(t->op, ">=") ||
	                  !strcmp(t->op, "<="),
	              "PFC: unknown operator: %s", text);
	return s + n;
}

/* one line of the text; false for comments and blank lines */
static bool parse_line(const char *text, struct pfc_line *l)
{
	const char *s = text;

	memset(l, 0, sizeof(*l));
	while (*s == ' ')
		s++;
	ck_assert_msg((s - text) % 2 == 0, "PFC: odd indentation: %s", text);
	l->depth = (int)(s - text) / 2;
	if (*s == '#' || *s == '\n' || *s == 0)
		return false;
	if (!strncmp(s, "action ", 7)) {
		l->kind = PFC_ACTION;
		l->action = parse_action(s + 7);
		ck_assert_msg(strchr(s, ';'), "PFC: action without ';': %s", text);
		return true;
	}
	if (!strncmp(s, "else", 4)) {
		l->kind = PFC_ELSE;
		return true;
	}
	l->kind = PFC_IF;
	ck_assert_msg(!strncmp(s, "if (", 4), "PFC: cannot read: %s", text);
	s += 4;
	for (;;) {
		ck_assert_msg(l->ntests < 2, "PFC: too many tests: %s", text);
		s = parse_test(s, text, &l->t[l->ntests++]);
		if (!strncmp(s, " && ", 4)) {
			s += 4;
			continue;
		}
		ck_assert_msg(*s == ')', "PFC: cannot read: %s", text);
		return true;
	}
}

static void pfc_read(struct pfc *p, FILE *in)
{
	char text[512];

	p->n = 0;
	while (fgets(text, sizeof(text), in)) {
		struct pfc_line l;
		if (!parse_line(text, &l))
			continue;
		if (p->n == p->cap) {
			p->cap = p->cap ? 2 * p->cap : 256;
			p->l = realloc(p->l, p->cap * sizeof(*p->l));
			ck_assert_ptr_nonnull(p->l);
		}
		p->l[p->n++] = l;
	}
}

/* the value a word names, for an input */
static uint64_t word_value(const struct pfc_test *t, const struct seccomp_data *d)
{
	switch (t->word) {
	case W_ARCH:
		return d->arch;
	case W_SYSCALL:
		return (uint64_t)(int64_t)d->nr;
	case W_ARG:
	case W_ARG_LO:
		return (uint32_t)d->args[t->arg];
	case W_ARG_HI:
		return (uint32_t)(d->args[t->arg] >> 32);
	}
	return 0;
}

static bool test_holds(const struct pfc_test *t, const struct seccomp_data *d)
{
	uint64_t v = word_value(t, d);
	int64_t k = t->value;

	/* `$syscall == N` prints N signed; `$syscall >= N`, `>`, `<=` compare unsigned, as BPF */
	if (t->word == W_SYSCALL && !strcmp(t->op, "=="))
		return (int64_t)v == k;
	if (t->word == W_SYSCALL)
		v = (uint32_t)v;
	if (t->masked)
		v &= t->mask;
	if (!strcmp(t->op, "=="))
		return (int64_t)v == k;
	if (!strcmp(t->op, ">"))
		return (int64_t)v > k;
	if (!strcmp(t->op, "<="))
		return (int64_t)v <= k;
	return (int64_t)v >= k;
}

static bool line_holds(const struct pfc_line *l, const struct seccomp_data *d)
{
	for (int i = 0; i < l->ntests; i++)
		if (!test_holds(&l->t[i], d))
			return false;
	return true;
}

/* the end of the block of lines indented under line i (its first line at depth <= i's) */
static size_t block_end(const struct pfc *p, size_t i)
{
	size_t j = i + 1;
	while (j < p->n && p->l[j].depth > p->l[i].depth)
		j++;
	return j;
}

/*
 * Run the lines [from, to), all at one depth: returns true and *act when an action is reached,
 * false when the lines fall through.
 */
static bool pfc_run(const struct pfc *p, size_t from, size_t to, const struct seccomp_data *d,
                    uint32_t *act)
{
	size_t i = from;

	while (i < to) {
		const struct pfc_line *l = &p->l[i];
		size_t end = block_end(p, i);

		switch (l->kind) {
		case PFC_ACTION:
			*act = l->action;
			return true;
		case PFC_ELSE:
			ck_abort_msg("PFC: `else` without its `if`");
			break;
		case PFC_IF: {
			bool has_else =
			    end < to && p->l[end].kind == PFC_ELSE && p->l[end].depth == l->depth;
			size_t else_end = has_else ? block_end(p, end) : end;

			if (line_holds(l, d)) {
				if (pfc_run(p, i + 1, end, d, act))
					return true;
			} else if (has_else && pfc_run(p, end + 1, else_end, d, act)) {
				return true;
			}
			i = else_end;
			continue;
		}
		}
		i = end;
	}
	return false;
}

static uint32_t pfc_eval(const struct pfc *p, const struct seccomp_data *d)
{
	uint32_t act = 0;

	ck_assert_msg(pfc_run(p, 0, p->n, d, &act), "PFC: an input reaches no action");
	return act;
}

/*
 * Random policies
 */

static const uint32_t actions[] = {
    SCMP_ACT_ALLOW, SCMP_ACT_ERRNO(1), SCMP_ACT_ERRNO(2), SCMP_ACT_KILL_PROCESS, SCMP_ACT_KILL,
    SCMP_ACT_TRAP,  SCMP_ACT_LOG,      SCMP_ACT_TRACE(3), SCMP_ACT_ERRNO(0),     SCMP_ACT_NOTIFY,
};

/* names with a number on the filter's first ABI, and the socket/ipc families */
static const char *const names[] = {
    "read",        "write", "openat", "close",  "mmap",   "socket", "connect", "sendto",
    "recvmsg",     "bind",  "semop",  "semget", "shmctl", "msgsnd", "clone",   "kill",
    "personality", "futex", "getpid", "execve", "prctl",  "ioctl",  "fcntl",   "dup3",
};

static void random_policy(struct tu_rng *r, scmp_filter_ctx ctx)
{
	int nrules = 1 + (int)tu_below(r, 20);
	const char *used[6];
	int nused = 1 + (int)tu_below(r, NELEM(used));

	ck_assert_int_eq(
	    seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, actions[tu_below(r, NELEM(actions))]),
	    0);
	/* now and then a kernel-version limit: the PFC then lists the numbers it gives ENOSYS */
	if (tu_below(r, 3) == 0) {
		static const uint32_t kvers[] = {SCMP_KV_3_0, SCMP_KV_4_0, SCMP_KV_5_4,
		                                 SCMP_KV_6_1};
		ck_assert_int_eq(seccomp_attr_set(ctx, SCMP_FLTATR_ACT_ENOSYS, SCMP_ACT_ERRNO(38)),
		                 0);
		ck_assert_int_eq(seccomp_attr_set(ctx, SCMP_FLTATR_CTL_KVERMAX,
		                                  kvers[tu_below(r, NELEM(kvers))]),
		                 0);
	}
	for (int i = 0; i < nused; i++)
		used[i] = names[tu_below(r, NELEM(names))];
	for (int i = 0; i < nrules; i++) {
		struct scmp_arg_cmp cmp[6];
		unsigned int n = (unsigned int)tu_below(r, 4), mask = 0, k = 0;
		int nr = seccomp_syscall_resolve_name(used[tu_below(r, (uint64_t)nused)]);

		for (unsigned int j = 0; j < n; j++) {
			unsigned int arg = (unsigned int)tu_below(r, 6), op;
			if (mask & (1u << arg))
				continue;
			mask |= 1u << arg;
			op = (unsigned int)(1 + tu_below(r, 7));
			if (tu_below(r, 8) == 0)
				op |= SCMP_CMP_32BIT;
			cmp[k] = (struct scmp_arg_cmp){arg, (enum scmp_compare)op, tu_value(r),
			                               tu_value(r)};
			if ((op & 0xff) == SCMP_CMP_MASKED_EQ && tu_below(r, 2))
				cmp[k].datum_b &= cmp[k].datum_a;
			k++;
		}
		/* conflicts are part of the game (-EEXIST, -EACCES): the context stays valid */
		(void)seccomp_rule_add_array(ctx, actions[tu_below(r, NELEM(actions))], nr, k, cmp);
	}
}

/* argument vectors at and next to the datums of the rules on (arch, nr) */
static void args_near(struct tu_rng *r, const struct sg_filter *f, const struct seccomp_data *in,
                      struct seccomp_data *d)
{
	const struct sg_archdb *db = sg_ir_select(f, in->arch, (uint32_t)in->nr);
	const struct sg_sysrules *s = db ? sg_archdb_find(db, in->nr) : NULL;

	*d = *in;
	for (int a = 0; a < 6; a++) {
		d->args[a] = tu_value(r);
		if (!s || !s->nrules || tu_below(r, 4) == 0)
			continue;
		const struct sg_rule *ru = &s->rules[tu_below(r, s->nrules)];
		for (unsigned int c = 0; c < ru->ncond; c++)
			if (ru->cond[c].arg == a) {
				d->args[a] = tu_value_near(r, ru->cond[c].datum);
				if (ru->cond[c].op == SCMP_CMP_MASKED_EQ && tu_below(r, 2))
					d->args[a] =
					    ru->cond[c].datum | (tu_next(r) & ~ru->cond[c].mask);
			}
	}
}

struct tally {
	long policies, inputs, bad;
};

static void check_input(const struct sg_filter *f, const struct pfc *p, const char *pfc_text,
                        const struct seccomp_data *d, struct tally *t)
{
	uint32_t want = sg_ir_eval(f, d), got = pfc_eval(p, d);

	t->inputs++;
	if (want == got)
		return;
	if (t->bad++ < 3)
		printf("PFC says 0x%08x, the filter 0x%08x: arch 0x%08x nr %d args 0x%" PRIx64
		       " 0x%" PRIx64 " 0x%" PRIx64 " 0x%" PRIx64 " 0x%" PRIx64 " 0x%" PRIx64
		       "\n%s\n",
		       got, want, d->arch, d->nr, (uint64_t)d->args[0], (uint64_t)d->args[1],
		       (uint64_t)d->args[2], (uint64_t)d->args[3], (uint64_t)d->args[4],
		       (uint64_t)d->args[5], t->bad == 1 ? pfc_text : "");
}

/* one policy on these ABIs: its PFC, read back, against the IR */
static void check_policy(struct tu_rng *r, const struct sg_arch *const *abis, size_t nabi,
                         struct tally *t)
{
	scmp_filter_ctx ctx = seccomp_init(actions[tu_below(r, NELEM(actions))]);
	struct sg_filter *f = (struct sg_filter *)ctx;
	struct pfc p = {0};
	char *text;
	long size;
	/* in memory: the test writes no file */
	int fd = memfd_create("test_pfc", 0);
	FILE *in = fd >= 0 ? fdopen(fd, "w+") : NULL;

	ck_assert_ptr_nonnull(ctx);
	ck_assert_ptr_nonnull(in);
	ck_assert_int_eq(seccomp_arch_remove(ctx, SCMP_ARCH_NATIVE), 0);
	for (size_t i = 0; i < nabi; i++)
		ck_assert_int_eq(seccomp_arch_add(ctx, abis[i]->token), 0);
	random_policy(r, ctx);
	ck_assert_int_eq(seccomp_export_pfc(ctx, fileno(in)), 0);
	size = lseek(fd, 0, SEEK_END);
	ck_assert_int_ge(size, 0);
	text = malloc((size_t)size + 1);
	ck_assert_ptr_nonnull(text);
	rewind(in);
	ck_assert_uint_eq(fread(text, 1, (size_t)size, in), (size_t)size);
	text[size] = 0;
	rewind(in);
	pfc_read(&p, in);
	fclose(in);

	for (uint32_t a = 0; a < f->narch; a++) {
		const struct sg_archdb *db = &f->arch[a];
		for (uint32_t j = 0; j <= db->nsys; j++) {
			/* the numbers with rules, their neighbours, the x32 bit both ways; and 0 */
			int32_t base = j < db->nsys ? db->sys[j].nr : 0;
			for (int delta = -1; delta <= 1; delta++)
				for (int x = 0; x < 2; x++) {
					struct seccomp_data in0 = {.arch = db->arch->audit}, d;
					in0.nr = (int32_t)((uint32_t)(base + delta) ^
					                   (x ? 0x40000000u : 0));
					for (int k = 0; k < (delta == 0 && !x ? 24 : 2); k++) {
						args_near(r, f, &in0, &d);
						check_input(f, &p, text, &d, t);
					}
				}
		}
		struct seccomp_data d = {.arch = db->arch->audit, .nr = -1};
		check_input(f, &p, text, &d, t);
		/* numbers across the ABI's table, for the kernel-version limit's ranges */
		for (int k = 0; k < 24; k++) {
			struct seccomp_data in0 = {.arch = db->arch->audit};
			in0.nr = (int32_t)(db->arch->nr_base + (uint32_t)tu_below(r, 480));
			args_near(r, f, &in0, &d);
			check_input(f, &p, text, &d, t);
		}
	}
	{
		struct seccomp_data d = {.arch = 0x12345678, .nr = 1};
		check_input(f, &p, text, &d, t);
	}
	t->policies++;
	free(p.l);
	free(text);
	seccomp_release(ctx);
}

static void tally_end(const char *what, const struct tally *t)
{
	printf("%s: %ld policies, %ld inputs: %ld where the PFC says something else\n", what,
	       t->policies, t->inputs, t->bad);
	fflush(stdout);
	ck_assert_msg(t->bad == 0, "%s: the PFC disagrees with the filter on %ld inputs", what,
	              t->bad);
}

START_TEST(every_abi_alone)
{
	struct tu_rng r = {tu_seed("pfc_every_abi")};
	struct tally t = {0};

	for (size_t i = 0; i < sg_arch_count; i++)
		for (int k = 0; k < 12; k++)
			check_policy(&r, &sg_arches[i], 1, &t);
	tally_end("every_abi_alone", &t);
}
END_TEST

/* the combinations programs use */
static const char *const combos[][3] = {
    {"x86_64", "x86", "x32"},
    {"x86_64", "x32"},
    {"x32", "x86_64"},
    {"aarch64", "arm"},
    {"s390x", "s390"},
    {"ppc64", "ppc"},
    {"mips64", "mips64n32", "mips"},
    {"riscv64", "riscv32"},
};

START_TEST(combinations)
{
	struct tu_rng r = {tu_seed("pfc_combinations")};
	struct tally t = {0};

	for (size_t i = 0; i < NELEM(combos); i++) {
		const struct sg_arch *abis[3];
		size_t n = 0;
		for (; n < 3 && combos[i][n]; n++)
			ck_assert_ptr_nonnull(abis[n] = sg_arch_by_name(combos[i][n]));
		for (int k = 0; k < 12; k++)
			check_policy(&r, abis, n, &t);
	}
	tally_end("combinations", &t);
}
END_TEST

START_TEST(reader_negative_control)
{
	/* the reader is not too lenient: a PFC with one comparison flipped is caught */
	static const char text[] = "if ($arch == 3221225534)\n"
	                           "  if ($syscall == 2)\n"
	                           "    if ($a0 > 5)\n"
	                           "      action ERRNO(1);\n"
	                           "  action ALLOW;\n"
	                           "action KILL;\n";
	FILE *in = fmemopen((void *)text, sizeof(text) - 1, "r");
	struct pfc p = {0};
	struct seccomp_data d = {.arch = 0xc000003e, .nr = 2, .args = {6}};

	ck_assert_ptr_nonnull(in);
	pfc_read(&p, in);
	fclose(in);
	ck_assert_uint_eq(pfc_eval(&p, &d), SCMP_ACT_ERRNO(1));
	d.args[0] = 5;
	ck_assert_uint_eq(pfc_eval(&p, &d), SCMP_ACT_ALLOW);
	d.arch = 1;
	ck_assert_uint_eq(pfc_eval(&p, &d), SCMP_ACT_KILL);
	free(p.l);
}
END_TEST

int main(void)
{
	tu_api_level_from_env();
	Suite *s = suite_create("pfc");
	TCase *tc = tcase_create("pfc");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, reader_negative_control);
	tcase_add_test(tc, every_abi_alone);
	tcase_add_test(tc, combinations);
	suite_add_tcase(s, tc);
	return tu_run_suite(s);
}
