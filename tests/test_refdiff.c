/*
 * test_refdiff.c - libseccomp as a second opinion, and an arbiter where the two disagree.
 *
 * Random policies (every operator, every action, several rules per syscall, invalid calls
 * mixed in) are built call by call in sysgate and in libseccomp (Debian's 2.5.4 by default;
 * test_refdiff_261.sh runs the same against 2.6.1), on x86_64 and on other ABIs (x86, x32,
 * aarch64, arm, s390x, ppc64, mips, and multi-ABI filters), with independent OPTIMIZE levels on
 * each side. Every rule-add return code must be the same. Both exported programs then run in
 * sysgate's interpreter on the same inputs (the policy's syscall numbers and their neighbours,
 * x32 and -1 numbers, a foreign arch, boundary arguments and values next to the rules' datums).
 *
 * Every verdict is also computed by an evaluator of the rule list of its own
 * (refdiff_oracle.c: it reads the successful calls as given, never sysgate's IR or compiler),
 * and sysgate must agree with it on every input. Where libseccomp's verdict differs, the
 * difference is arbitrated: "deliberate" when libseccomp's verdict is what libseccomp's meaning
 * gives on one point where sysgate differs on purpose (each such class is named in
 * doc/differences.md, which the test checks), otherwise "libseccomp is wrong here" (counted,
 * the first examples printed with the calls, the input and the three verdicts, and a likely
 * cause named). Return-code differences are classified by their call (diff_classes[] below).
 * A difference that is neither fails the test. A policy is dropped at its first return-code
 * difference (the two contexts no longer hold the same rules). libseccomp runs each policy in
 * a child process: it can loop forever in a rule add; a child that makes no progress for
 * SYSGATE_REFDIFF_TIMEOUT seconds (default 0.5) is killed and the hang counted.
 *
 * known_libseccomp_bugs replays the libseccomp bugs listed in doc/verification.md and checks
 * that each is caught and put in a libseccomp class.
 *
 * The reference library is not linked: its seccomp_* symbols would clash with sysgate's. It is
 * dlopen()ed with RTLD_LOCAL (and RTLD_DEEPBIND, so its internal calls bind to itself) and
 * called through dlsym() pointers. Without it the test is skipped (exit 77).
 * SYSGATE_REF_LIBSECCOMP=/path/to/libseccomp.so.2 chooses another reference build;
 * SYSGATE_SEED=N replays a run; SYSGATE_REFDIFF_ITERS=N changes the policies per ABI set;
 * SYSGATE_REFDIFF_ABI=name runs one ABI set. The random policies and the inputs they are run on
 * come from refdiff_gen.c.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <stdarg.h>
#include <sys/mman.h>
#include <unistd.h>

#include <seccomp.h>

#include "refdiff.h"
#include "refdiff_oracle.h"
#include "testcheck.h"

/* the source tree, for doc/differences.md (tests/verify.mk passes it) */
#ifndef TOP_SRCDIR
#define TOP_SRCDIR "."
#endif

/*
 * A log of the calls that built a policy, printed with any difference
 */

struct calllog {
	char *buf;
	size_t len, cap;
};

static void __attribute__((format(printf, 2, 3))) logf_(struct calllog *l, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(l->buf ? l->buf + l->len : NULL, l->buf ? l->cap - l->len : 0, fmt,
		              ap);
		va_end(ap);
		if (l->buf && l->len + (size_t)n < l->cap)
			break;
		l->cap = (l->cap + (size_t)n + 1) * 2;
		l->buf = realloc(l->buf, l->cap);
		ck_assert_ptr_nonnull(l->buf);
	}
	l->len += (size_t)n;
}

/*
 * Both libraries side by side
 */

/*
 * Every difference falls in one class. Return-code classes are decided from the call; verdict
 * classes from the input and sysgate's IR. Only the *_OTHER classes are unexplained.
 */
enum diff_class {
	RC_PNR_XLATE,
	RC_UNTESTABLE,
	RC_NAMELESS_NEG,
	RC_INERT_KEPT,
	RC_RANGE_MERGE,
	RC_PNR_ALIAS,
	RC_REF_HANG,
	RC_REF_CRASH,
	RC_SYSGATE_WRONG,
	RC_OTHER,
	V_OVERLAP,
	V_MUX_A0_HI,
	V_MIPS_FOREIGN,
	V_MUX_UNCHECKED,
	V_WIDE_DATUM,
	V_PNR_INERT,
	V_X32_MINUS1,
	V_RANGE_MERGE,
	V_REF_NO_NR_LOAD,
	V_REF_BYTEORDER,
	V_REF_WRONG,
	V_SYSGATE_WRONG,
	N_CLASSES
};

/*
 * DELIBERATE: sysgate differs on purpose; the class's name is in doc/differences.md (checked).
 * LIBSECCOMP: libseccomp is wrong here: for verdicts, the independent evaluator
 * (refdiff_oracle.c) agrees with sysgate, and libseccomp's verdict is not a deliberate
 * difference either. UNEXPLAINED: fails the test.
 */
enum diff_owner { DELIBERATE, LIBSECCOMP, UNEXPLAINED };

static const struct {
	const char *name;
	enum diff_owner owner;
	const char *what;
} diff_classes[N_CLASSES] = {
    [RC_PNR_XLATE] = {"rc:pnr-xlate", LIBSECCOMP,
                      "libseccomp fails (-EFAULT) to translate a pseudo syscall number to a "
                      "non-native ABI"},
    [RC_UNTESTABLE] = {"rc:untestable", DELIBERATE,
                       "a comparison sysgate decides without the argument (a datum beyond 32 "
                       "bits on a 32-bit ABI) or a condition on a socket/ipc call through "
                       "socketcall/ipc: libseccomp keeps the comparison, so the chains that "
                       "conflict (-EEXIST) differ"},
    [RC_NAMELESS_NEG] = {"rc:nameless-negative", DELIBERATE,
                         "a negative number that is no pseudo number: libseccomp accepts the "
                         "rule and leaves it out of the program, sysgate refuses it (-EINVAL)"},
    [RC_INERT_KEPT] = {"rc:inert-kept", DELIBERATE,
                       "a rule on a syscall an ABI lacks: libseccomp keeps it (conflicts give "
                       "-EEXIST), sysgate drops it"},
    [RC_RANGE_MERGE] = {"rc:tree-merge", LIBSECCOMP,
                        "libseccomp reports a conflict (-EEXIST) the rules do not have, or misses "
                        "one they have (it decides on its hi/lo word tree)"},
    [RC_PNR_ALIAS] = {"rc:pnr-alias", DELIBERATE,
                      "rules naming one syscall by its pseudo and by its real number: "
                      "libseccomp sees a conflict (-EEXIST) that sysgate does not"},
    [RC_REF_HANG] = {"rc:ref-hang", LIBSECCOMP,
                     "libseccomp loops forever in a rule add (range comparisons on shared "
                     "arguments; the child running it is killed)"},
    [RC_REF_CRASH] = {"rc:ref-crash", UNEXPLAINED, "libseccomp crashed"},
    [RC_SYSGATE_WRONG] = {"rc:sysgate-wrong", UNEXPLAINED,
                          "sysgate's -EEXIST disagrees with the independent evaluator"},
    [RC_OTHER] = {"rc:other", UNEXPLAINED, "unexplained return-code difference"},
    [V_OVERLAP] = {"verdict:overlap", DELIBERATE,
                   "several matching conditional rules with different actions: sysgate takes "
                   "the most restrictive, libseccomp one of them by its tree's order"},
    [V_MUX_A0_HI] = {"verdict:mux-a0-hi", DELIBERATE,
                     "socketcall/ipc call number compared in 64 bits by libseccomp (the kernel "
                     "reads an int: a deny rule is bypassed by setting the high word), and "
                     "ipc's version bits 16..31 compared (the kernel ignores them)"},
    [V_MIPS_FOREIGN] = {"verdict:mips-foreign", DELIBERATE,
                        "a number of another MIPS ABI: bad-arch for sysgate, an ordinary "
                        "number for libseccomp"},
    [V_MUX_UNCHECKED] = {"verdict:mux-unchecked", DELIBERATE,
                         "a conditional rule on a socket/ipc call, reached through "
                         "socketcall/ipc: libseccomp compares registers the caller controls; "
                         "sysgate applies a rule more restrictive than the default to every "
                         "call and a less restrictive one to none"},
    [V_WIDE_DATUM] = {"verdict:wide-datum", DELIBERATE,
                      "a datum beyond 32 bits on a 32-bit ABI: libseccomp truncates it "
                      "(LT 0x100000000 becomes LT 0); sysgate compares the 32-bit value with "
                      "it (x32: the whole register)"},
    [V_PNR_INERT] = {"verdict:pnr-inert", DELIBERATE,
                     "a pseudo number given for a syscall the ABI has under a real number: "
                     "libseccomp keeps the rule inert, sysgate applies it to the real number"},
    [V_X32_MINUS1] = {"verdict:x32-minus1", DELIBERATE,
                      "nr -1 (API_TSKIP) in a filter with both x86_64 and x32: libseccomp "
                      "applies x32's rules (low-word comparisons), sysgate x86_64's (ir.c)"},
    [V_RANGE_MERGE] = {"verdict:tree-merge", LIBSECCOMP,
                       "libseccomp merges rules that test a common argument into one tree and "
                       "loses one of them when a later test of the other fails "
                       "(GHSA-4q85-33p6-j5g6 family)"},
    [V_REF_NO_NR_LOAD] = {"verdict:ref-no-nr-load", LIBSECCOMP,
                          "libseccomp drops the `ld nr` when the first syscall of an arch block "
                          "is a pseudo syscall it skips: syscall numbers are compared with the "
                          "arch value, no rule of that block ever matches"},
    [V_REF_BYTEORDER] = {"verdict:ref-byteorder", LIBSECCOMP,
                         "libseccomp returns an action with its bytes swapped (a RET left in "
                         "host order in a big-endian program)"},
    [V_REF_WRONG] = {"verdict:ref-wrong", LIBSECCOMP,
                     "libseccomp's verdict is neither what the rules say nor a deliberate "
                     "difference (no more specific cause recognised)"},
    [V_SYSGATE_WRONG] = {"verdict:sysgate-wrong", UNEXPLAINED,
                         "sysgate's program disagrees with the independent evaluator"},
};

/* "libseccomp 2.6.1 is wrong", "deliberate", "UNEXPLAINED" */
static const char *owner_label(enum diff_class c)
{
	static char buf[48];

	switch (diff_classes[c].owner) {
	case DELIBERATE:
		return "deliberate";
	case LIBSECCOMP:
		snprintf(buf, sizeof(buf), "libseccomp %s is wrong", ref_version);
		return buf;
	default:
		return "UNEXPLAINED";
	}
}

struct pair {
	const struct script *s;
	const struct abi_set *abis;
	struct calllog log;
	bool diverged; /* a return code differed: the contexts no longer hold one policy */
	int nrs[64];   /* the syscall numbers the calls named */
	int nnrs;
	int ok[MAX_CALLS];      /* calls that succeeded on both sides */
	const struct oracle *o; /* the independent evaluator, holding the calls so far */
	long *counts;           /* per class */
	long *printed;          /* per class: examples printed */
	/* inputs to try besides the generated ones, and the class each one's difference got
	 * (-1: no difference) */
	const struct seccomp_data *extra;
	int nextra;
	int *extra_class;
};

struct stats {
	long policies, cases, ref_unchecked, calls, oracle_checked;
	long counts[N_CLASSES], printed[N_CLASSES];
	long opt[2][2];
	long sg_insns, ref_insns;
	size_t sg_max, ref_max;
};

static bool has_foreign_abi(const struct pair *p)
{
	for (int i = 0; p->abis->tokens[i]; i++)
		if (p->abis->tokens[i] != seccomp_arch_native())
			return true;
	return false;
}

/*
 * A conflict (-EEXIST) one library saw and the other did not, arbitrated by the evaluator's
 * reading of the rules kept so far: sysgate must agree with it; libseccomp's answer is a
 * deliberate difference when libseccomp's meaning of which rules exist gives it, else wrong.
 */
static enum diff_class classify_conflict(const struct pair *p, const struct call *c,
                                         bool sg_conflict, bool ref_conflict)
{
	static const struct {
		enum diff_class cls;
		struct oracle_meaning m;
	} deliberate[] = {
	    {RC_INERT_KEPT, {.libseccomp_keep_absent = true}},
	    {RC_PNR_ALIAS, {.libseccomp_pnr_native = true}},
	    {RC_UNTESTABLE, {.libseccomp_truncate_32 = true}},
	    {RC_UNTESTABLE, {.libseccomp_mux_args = true}},
	    {RC_UNTESTABLE, {.libseccomp_truncate_32 = true, .libseccomp_mux_args = true}},
	};
	const struct oracle_meaning sysgate = {0};

	if (p->o->overflow)
		return RC_OTHER;
	if (oracle_conflicts(p->o, &sysgate, c->u, c->nr, c->cnt, c->cmp) != sg_conflict)
		return RC_SYSGATE_WRONG;
	for (size_t i = 0; i < sizeof(deliberate) / sizeof(deliberate[0]); i++)
		if (oracle_conflicts(p->o, &deliberate[i].m, c->u, c->nr, c->cnt, c->cmp) ==
		    ref_conflict)
			return deliberate[i].cls;
	return RC_RANGE_MERGE;
}

static enum diff_class classify_rc(const struct pair *p, const struct call *c, int sg_rc,
                                   int ref_rc)
{
	int nr = c->nr;

	if (c->kind != C_RULE && c->kind != C_RULE_EXACT && c->kind != C_PRIO)
		return RC_OTHER;
	if (ref_rc == -EFAULT && is_pnr(nr) && has_foreign_abi(p))
		return RC_PNR_XLATE;
	if (is_pnr(nr) && !nr_name(nr) && sg_rc == -EINVAL)
		return RC_NAMELESS_NEG;
	if (c->kind != C_PRIO &&
	    ((sg_rc == 0 && ref_rc == -EEXIST) || (sg_rc == -EEXIST && ref_rc == 0)))
		return classify_conflict(p, c, sg_rc == -EEXIST, ref_rc == -EEXIST);
	return RC_OTHER;
}

/* count a difference; print the first examples of every class that is not documented */
static bool note_diff(const struct pair *p, enum diff_class c)
{
	p->counts[c]++;
	if (diff_classes[c].owner == DELIBERATE ||
	    p->printed[c] >= (diff_classes[c].owner == UNEXPLAINED ? 8 : 3))
		return false;
	p->printed[c]++;
	return true;
}

static void cmp_format(char *buf, size_t size, const struct scmp_arg_cmp *c)
{
	snprintf(buf, size, "{%u, %d, 0x%" PRIx64 ", 0x%" PRIx64 "}", c->arg, (int)c->op,
	         (uint64_t)c->datum_a, (uint64_t)c->datum_b);
}

static void call_format(char *buf, size_t size, const struct call *c)
{
	char one[96];
	size_t off;

	switch (c->kind) {
	case C_ARCH_REMOVE:
		snprintf(buf, size, "seccomp_arch_remove(ctx, 0x%08x)", c->u);
		return;
	case C_ARCH_ADD:
		snprintf(buf, size, "seccomp_arch_add(ctx, 0x%08x)", c->u);
		return;
	case C_ATTR:
		snprintf(buf, size, "seccomp_attr_set(ctx, %d, 0x%x)", c->attr, c->u);
		return;
	case C_PRIO:
		snprintf(buf, size, "seccomp_syscall_priority(ctx, %d, %u)", c->nr, c->u);
		return;
	default:
		break;
	}
	off = (size_t)snprintf(buf, size, "seccomp_rule_add%s_array(ctx, 0x%08x, %d, %u, {",
	                       c->kind == C_RULE_EXACT ? "_exact" : "", c->u, c->nr, c->cnt);
	for (unsigned int i = 0; i < c->cnt && i < 8 && off < size; i++) {
		cmp_format(one, sizeof(one), &c->cmp[i]);
		off += (size_t)snprintf(buf + off, size - off, "%s%s", i ? ", " : "", one);
	}
	if (off < size)
		snprintf(buf + off, size - off, "})");
}

/* the first return-code difference ends the policy: the two contexts no longer agree */
static void rc_compare(struct pair *p, const struct call *c, int sg_rc, int ref_rc,
                       enum diff_class cls)
{
	char what[600];

	if (cls == RC_OTHER && sg_rc == ref_rc)
		return;
	p->diverged = true;
	if (cls == RC_OTHER)
		cls = classify_rc(p, c, sg_rc, ref_rc);
	if (note_diff(p, cls)) {
		call_format(what, sizeof(what), c);
		printf("refdiff[%s]: RETURN CODE DIFFERENCE (%s) in %s: sysgate %d, libseccomp "
		       "%d\n",
		       p->abis->name, diff_classes[cls].name, what, sg_rc, ref_rc);
		if (p->printed[cls] == 1)
			printf("policy so far:\n%s\n", p->log.buf ? p->log.buf : "");
	}
}

static void note_nr(struct pair *p, int nr)
{
	for (int i = 0; i < p->nnrs; i++)
		if (p->nrs[i] == nr)
			return;
	if (p->nnrs < 64)
		p->nrs[p->nnrs++] = nr;
}

/* the conditional rules of the syscall that (arch, nr) selects, or NULL */
static const struct sg_sysrules *cond_rules(const struct sg_filter *f, const struct seccomp_data *d)
{
	const struct sg_archdb *db = sg_ir_select(f, d->arch, (uint32_t)d->nr);
	const struct sg_sysrules *s = db ? sg_archdb_find(db, d->nr) : NULL;
	return s && !s->has_uncond ? s : NULL;
}

/* two conditional rules of the syscall compare a common argument */
static bool shared_argument(const struct sg_filter *f, const struct seccomp_data *d)
{
	const struct sg_sysrules *s = cond_rules(f, d);

	for (uint32_t i = 0; s && i < s->nrules; i++)
		for (uint32_t j = i + 1; j < s->nrules; j++) {
			const struct sg_rule *a = &s->rules[i], *b = &s->rules[j];
			for (unsigned int x = 0; x < a->ncond; x++)
				for (unsigned int y = 0; y < b->ncond; y++)
					if (a->cond[x].arg == b->cond[y].arg)
						return true;
		}
	return false;
}

/* trace: a jump compares the accumulator still holding the arch with a non-arch constant */
struct arch_cmp_trace {
	const struct sg_filter *f;
	bool a_is_arch, bad;
};

static void arch_cmp_step(void *ctx, const struct sg_bpf_step *st)
{
	struct arch_cmp_trace *t = ctx;
	const struct sock_filter *in = st->insn;
	bool is_audit = false;

	if (in->code == (BPF_LD | BPF_W | BPF_ABS)) {
		t->a_is_arch = in->k == SG_OFF_ARCH;
		return;
	}
	if (!t->a_is_arch || !sg_bpf_insn_is_cond_jump(in))
		return;
	for (uint32_t i = 0; i < t->f->narch; i++)
		is_audit |= t->f->arch[i].arch->audit == in->k;
	t->bad |= !is_audit;
}

/*
 * A verdict difference, arbitrated. `truth` is what the rules say (the independent evaluator),
 * and sysgate agrees with it (checked before). libseccomp's verdict is a deliberate difference
 * when it is what libseccomp's meaning gives on one point where sysgate differs on purpose;
 * otherwise libseccomp is wrong here, and the class names the likely cause.
 */
static enum diff_class classify_verdict(const struct sg_filter *f, const struct oracle *o,
                                        const struct seccomp_data *d, uint32_t vr,
                                        const struct sock_filter *refp, size_t reflen, bool be)
{
	static const struct {
		enum diff_class cls;
		struct oracle_meaning m;
	} deliberate[] = {
	    {V_MUX_A0_HI, {.libseccomp_mux_a0_64 = true}},
	    {V_MIPS_FOREIGN, {.libseccomp_mips_foreign = true}},
	    {V_X32_MINUS1, {.libseccomp_minus1_x32 = true}},
	    {V_PNR_INERT, {.libseccomp_pnr_native = true}},
	    {V_WIDE_DATUM, {.libseccomp_truncate_32 = true}},
	    {V_MUX_UNCHECKED, {.libseccomp_mux_args = true}},
	    /* libseccomp's meaning on all of these points at once */
	    {V_MUX_UNCHECKED,
	     {.libseccomp_mux_args = true,
	      .libseccomp_mux_a0_64 = true,
	      .libseccomp_truncate_32 = true}},
	};
	const struct oracle_meaning sysgate = {0};
	struct arch_cmp_trace t = {f, false, false};
	uint32_t acts[16];
	int n = oracle_overlap_actions(o, &sysgate, d, acts, 16);

	for (int i = 0; i < n; i++)
		if (acts[i] == vr)
			return V_OVERLAP;
	for (size_t i = 0; i < sizeof(deliberate) / sizeof(deliberate[0]); i++)
		if (oracle_eval(o, &deliberate[i].m, d) == vr)
			return deliberate[i].cls;
	/* an overlap under libseccomp's meaning of one of those points (e.g. two rules that
	 * both match once libseccomp has truncated a datum): both differences are deliberate */
	for (size_t i = 0; i < sizeof(deliberate) / sizeof(deliberate[0]); i++) {
		n = oracle_overlap_actions(o, &deliberate[i].m, d, acts, 16);
		for (int j = 0; j < n; j++)
			if (acts[j] == vr)
				return deliberate[i].cls;
	}
	/* libseccomp is wrong here: the likely cause, for the report */
	if (sg_action_valid(vr) < 0 && sg_action_valid(__builtin_bswap32(vr)) == 0)
		return V_REF_BYTEORDER;
	sg_bpf_run_trace(refp, reflen, d, be, NULL, arch_cmp_step, &t);
	if (t.bad)
		return V_REF_NO_NR_LOAD;
	if (shared_argument(f, d))
		return V_RANGE_MERGE;
	return V_REF_WRONG;
}

static void print_input(const struct seccomp_data *d)
{
	printf("input: arch 0x%08x nr %d (0x%x) args", d->arch, d->nr, (uint32_t)d->nr);
	for (int i = 0; i < 6; i++)
		printf(" 0x%" PRIx64, (uint64_t)d->args[i]);
	printf("\n");
}

/* sysgate's program through the public export, in host byte order */
static int sg_export(scmp_filter_ctx ctx, bool big_endian, struct sock_filter **out, size_t *len)
{
	int fd = memfd_create("refdiff", 0), rc;
	off_t size;

	ck_assert_int_ge(fd, 0);
	*out = NULL;
	*len = 0;
	rc = seccomp_export_bpf(ctx, fd);
	if (rc == 0) {
		size = lseek(fd, 0, SEEK_END);
		ck_assert_int_eq(size % (off_t)sizeof(struct sock_filter), 0);
		*len = (size_t)size / sizeof(struct sock_filter);
		*out = malloc((size_t)size + 1);
		ck_assert_int_eq(pread(fd, *out, (size_t)size, 0), size);
		sg_bpf_to_target(*out, *len, big_endian);
	}
	close(fd);
	return rc;
}

static const struct lib_api api_sg = {
    seccomp_arch_add,       seccomp_arch_remove,          seccomp_attr_set,
    seccomp_rule_add_array, seccomp_rule_add_exact_array, seccomp_syscall_priority,
};

/* a call sysgate accepted, into the independent evaluator's rule list */
static void oracle_note(struct oracle *o, const struct call *c)
{
	switch (c->kind) {
	case C_ARCH_REMOVE:
		oracle_arch_remove(o, c->u);
		break;
	case C_ARCH_ADD:
		oracle_arch_add(o, c->u);
		break;
	case C_ATTR:
		if (c->attr == SCMP_FLTATR_ACT_BADARCH)
			oracle_badarch(o, c->u);
		break;
	case C_RULE:
	case C_RULE_EXACT:
		oracle_rule(o, c->u, c->nr, c->kind == C_RULE_EXACT, c->cnt, c->cmp);
		break;
	case C_PRIO:
		break;
	}
}

/* one policy: the script on both libraries, return codes, then verdicts */
static void run_policy(struct tu_rng *r, struct pair *p, struct stats *st)
{
	const struct script *sc = p->s;
	struct ref_result ref;
	scmp_filter_ctx ctx;
	struct sg_filter *f;
	struct sock_filter *sgp = NULL;
	size_t sglen = 0;
	struct inputs in = {0};
	struct oracle o;
	const struct oracle_meaning sysgate_meaning = {0};
	bool be;
	int rc;

	/* libseccomp first: its child must not inherit (and leak) sysgate's context */
	ref_run(sc, sg_arch_by_token(p->abis->tokens[0])->big_endian, &ref);
	ctx = seccomp_init(sc->def);
	f = (struct sg_filter *)ctx;
	ck_assert_ptr_nonnull(ctx);
	ck_assert_int_eq(seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, (uint32_t)sc->opt_sg), 0);
	logf_(&p->log, "  ctx = seccomp_init(0x%08x);\n  OPTIMIZE: sysgate %d, libseccomp %d\n",
	      sc->def, sc->opt_sg, sc->opt_ref);
	oracle_init(&o, sc->def);
	p->o = &o;

	for (int i = 0; i < sc->n && !p->diverged; i++) {
		const struct call *c = &sc->c[i];
		char what[600];

		if (c->kind == C_RULE || c->kind == C_RULE_EXACT || c->kind == C_PRIO) {
			note_nr(p, c->nr);
		}
		rc = call_run(&api_sg, ctx, c);
		st->calls++;
		call_format(what, sizeof(what), c);
		logf_(&p->log, "  %s = %d;\n", what, rc);
		/* every conflict sysgate reports, and every one it does not, is the evaluator's */
		if ((c->kind == C_RULE || c->kind == C_RULE_EXACT) && (rc == 0 || rc == -EEXIST) &&
		    !o.overflow &&
		    oracle_conflicts(&o, &sysgate_meaning, c->u, c->nr, c->cnt, c->cmp) !=
		        (rc == -EEXIST) &&
		    note_diff(p, RC_SYSGATE_WRONG))
			printf(
			    "refdiff[%s]: sysgate returns %d, the evaluator says the opposite, in "
			    "%s\npolicy so far:\n%s\n",
			    p->abis->name, rc, what, p->log.buf);
		if (i >= ref.ndone)
			rc_compare(p, c, rc, 1, ref.hung ? RC_REF_HANG : RC_REF_CRASH);
		else
			rc_compare(p, c, rc, ref.rcs[i], RC_OTHER);
		p->ok[i] = rc == 0 && !p->diverged;
		if (rc == 0)
			oracle_note(&o, c);
	}
	if (!p->diverged && ref.crashed)
		rc_compare(p, &sc->c[0], 0, 1, RC_REF_CRASH);
	if (p->diverged)
		goto out;

	be = f->arch[0].arch->big_endian;
	rc = sg_export(ctx, be, &sgp, &sglen);
	if (rc != ref.export_rc) {
		printf("refdiff[%s]: export: sysgate %d, libseccomp %d\npolicy:\n%s\n",
		       p->abis->name, rc, ref.export_rc, p->log.buf);
		p->counts[RC_OTHER]++;
		goto out;
	}
	if (rc != 0)
		goto out;
	ck_assert_msg(sg_bpf_check(sgp, sglen) == 0, "sysgate's program fails the checker");
	/* libseccomp does not check the kernel's limits itself */
	if (sg_bpf_check(ref.prog, ref.len) != 0)
		st->ref_unchecked++;
	st->sg_insns += (long)sglen;
	st->ref_insns += (long)ref.len;
	if (sglen > st->sg_max)
		st->sg_max = sglen;
	if (ref.len > st->ref_max)
		st->ref_max = ref.len;

	make_inputs(r, &in, f, p->nrs, p->nnrs);
	for (int i = 0; i < p->nextra; i++) {
		input_add(&in, &p->extra[i]);
		p->extra_class[i] = -1;
	}
	for (size_t i = 0; i < in.n; i++) {
		const struct seccomp_data *d = &in.d[i];
		uint32_t ir = sg_ir_eval(f, d);
		uint32_t vs = sg_bpf_run(sgp, sglen, d, be, NULL);
		uint32_t vr = sg_bpf_run(ref.prog, ref.len, d, be, NULL);
		/* what the rules say, read from the calls (never sysgate's IR or compiler) */
		uint32_t truth = o.overflow ? vs : oracle_eval(&o, &sysgate_meaning, d);
		enum diff_class c;
		size_t extra = in.n - (size_t)p->nextra;

		st->cases++;
		st->oracle_checked += !o.overflow;
		if (vs != ir) {
			printf("refdiff: sysgate program 0x%08x != IR 0x%08x\n", vs, ir);
			print_input(d);
			printf("policy (%s):\n%s", p->abis->name, p->log.buf);
			ck_abort_msg("sysgate's program disagrees with its IR");
		}
		if (vs != truth)
			c = V_SYSGATE_WRONG;
		else if (vs == vr)
			continue;
		else
			c = classify_verdict(f, &o, d, vr, ref.prog, ref.len, be);
		if (i >= extra)
			p->extra_class[i - extra] = (int)c;
		if (note_diff(p, c)) {
			printf(
			    "refdiff[%s]: VERDICT DIFFERENCE (%s, %s): sysgate 0x%08x, libseccomp "
			    "0x%08x, the rules say 0x%08x\n",
			    p->abis->name, diff_classes[c].name, owner_label(c), vs, vr, truth);
			print_input(d);
			if (p->printed[c] == 1 || diff_classes[c].owner == UNEXPLAINED)
				printf("policy:\n%s\n", p->log.buf);
		}
	}
out:
	free(in.d);
	free(sgp);
	free(ref.prog);
	seccomp_release(ctx);
}

static void run_abi_set(const struct abi_set *abis)
{
	char label[64];
	struct tu_rng r;
	struct stats st = {0};
	struct script sc;
	const char *env = getenv("SYSGATE_REFDIFF_ITERS");
	int iters = env ? atoi(env) : 80;
	int pool[64]; /* at least n_sys_names (checked) */
	size_t npool = 0;
	long by_owner[3] = {0}, rc_total = 0, v_total = 0;

	ck_assert_uint_le(n_sys_names, sizeof(pool) / sizeof(pool[0]));
	snprintf(label, sizeof(label), "refdiff[%s]", abis->name);
	if (getenv("SYSGATE_REFDIFF_ABI") && strcmp(getenv("SYSGATE_REFDIFF_ABI"), abis->name))
		return;
	r.s = tu_seed(label);
	/* the policy's syscalls, as native numbers (or pseudo numbers where native lacks them) */
	for (size_t i = 0; i < n_sys_names; i++) {
		int nr = seccomp_syscall_resolve_name(sys_names[i]);
		if (nr != __NR_SCMP_ERROR)
			pool[npool++] = nr;
	}
	ck_assert_uint_gt(npool, 10);

	for (int it = 0; it < iters; it++) {
		struct pair p = {
		    .s = &sc, .abis = abis, .counts = st.counts, .printed = st.printed};

		make_script(&r, &sc, abis, pool, npool);
		run_policy(&r, &p, &st);
		st.policies++;
		st.opt[sc.opt_sg - 1][sc.opt_ref - 1]++;
		free(p.log.buf);
	}
	for (int c = 0; c < N_CLASSES; c++) {
		if (c < V_OVERLAP)
			rc_total += st.counts[c];
		else
			v_total += st.counts[c];
		by_owner[diff_classes[c].owner] += st.counts[c];
	}
	printf(
	    "%s: %ld policies, %ld calls (OPTIMIZE sysgate/libseccomp 1/1 %ld, 1/2 %ld, 2/1 %ld, "
	    "2/2 %ld), %ld verdicts compared (%ld of them also with the independent evaluator), "
	    "%ld verdict differences, %ld return-code differences (the policy is dropped at the "
	    "first); instructions sysgate %ld (max %zu), libseccomp %ld (max %zu); %ld libseccomp "
	    "programs the kernel would refuse\n",
	    label, st.policies, st.calls, st.opt[0][0], st.opt[0][1], st.opt[1][0], st.opt[1][1],
	    st.cases, st.oracle_checked, v_total, rc_total, st.sg_insns, st.sg_max, st.ref_insns,
	    st.ref_max, st.ref_unchecked);
	printf("%s: differences: %ld where libseccomp %s is wrong, %ld deliberate "
	       "(doc/differences.md), %ld unexplained\n",
	       label, by_owner[LIBSECCOMP], ref_version, by_owner[DELIBERATE],
	       by_owner[UNEXPLAINED]);
	for (int o = LIBSECCOMP; o >= DELIBERATE; o--)
		for (int c = 0; c < N_CLASSES; c++)
			if (st.counts[c] && (int)diff_classes[c].owner == o)
				printf("%s:   %-24s %6ld  [%s] %s\n", label, diff_classes[c].name,
				       st.counts[c], owner_label((enum diff_class)c),
				       diff_classes[c].what);
	for (int c = 0; c < N_CLASSES; c++)
		if (st.counts[c] && diff_classes[c].owner == UNEXPLAINED)
			printf("%s:   %-24s %6ld  [UNEXPLAINED] %s\n", label, diff_classes[c].name,
			       st.counts[c], diff_classes[c].what);
	fflush(stdout);
	ck_assert_msg(by_owner[UNEXPLAINED] == 0, "%s: %ld unexplained differences", label,
	              by_owner[UNEXPLAINED]);
}

START_TEST(refdiff)
{
	run_abi_set(&abi_sets[_i]);
}
END_TEST

/*
 * libseccomp bugs found by the random runs, reduced by hand (doc/verification.md lists them):
 * the rules, one input, and the right verdict. Each must be caught as a difference in a
 * libseccomp class, sysgate and the independent evaluator giving the right verdict.
 */
static const struct known_bug {
	const char *what;
	int abi_set; /* index into abi_sets[] */
	uint32_t def;
	int nrules;
	struct {
		uint32_t action;
		const char *sys; /* its native number; NULL: nr */
		int nr;
		unsigned int cnt;
		struct scmp_arg_cmp cmp[3];
	} rules[3];
	uint64_t args[6];
	const char *sys; /* the input: this syscall on the first ABI of the set */
	uint32_t right;
} known_bugs[] = {
    {"two ALLOW rules whose conditions on A1 are GE with different values: libseccomp allows "
     "a call that matches neither",
     0,
     SCMP_ACT_ERRNO(1),
     2,
     {{SCMP_ACT_ALLOW,
       "mkdir",
       0,
       2,
       {{2, SCMP_CMP_MASKED_EQ, 0x6006400, 0x4006000}, {1, SCMP_CMP_GE, 0x3aa3, 0}}},
      {SCMP_ACT_ALLOW, "mkdir", 0, 2, {{1, SCMP_CMP_GE, 0xbbe7, 0}, {5, SCMP_CMP_GE, 0x11c5, 0}}}},
     {0, 0x548f, 0xf306, 0, 0, 0xb331645445bcd27},
     "mkdir",
     SCMP_ACT_ERRNO(1)},
    {"an arm filter whose first syscall is a pseudo number libseccomp does not know: it drops "
     "the load of the syscall number, and no rule of the ABI ever matches",
     4,
     SCMP_ACT_TRACE(0xffff),
     2,
     {{SCMP_ACT_TRAP, NULL, -10060, 0, {{0}}},
      {SCMP_ACT_ERRNO(1), "recvmsg", 0, 1, {{1, SCMP_CMP_GE, 0, 0}}}},
     {0},
     "recvmsg",
     SCMP_ACT_ERRNO(1)},
    {"two rules on a common argument (GT 5; LE 10 and A1 == 1): the first is lost when the "
     "second's A1 test fails",
     0,
     SCMP_ACT_ALLOW,
     2,
     {{SCMP_ACT_ERRNO(1), "socket", 0, 1, {{0, SCMP_CMP_GT, 5, 0}}},
      {SCMP_ACT_ERRNO(2), "socket", 0, 2, {{0, SCMP_CMP_LE, 10, 0}, {1, SCMP_CMP_EQ, 1, 0}}}},
     {7, 0},
     "socket",
     SCMP_ACT_ERRNO(1)},
    {"an x86 filter whose only rule is on an ipc call: the program never loads the syscall "
     "number, so the rule never matches",
     1,
     SCMP_ACT_ALLOW,
     1,
     {{SCMP_ACT_TRACE(1), "semop", 0, 1, {{2, SCMP_CMP_MASKED_EQ, 0, 0}}}},
     {1},
     "ipc",
     SCMP_ACT_TRACE(1)},
};

START_TEST(known_libseccomp_bugs)
{
	const struct known_bug *kb = &known_bugs[_i];
	struct stats st = {0};
	struct script sc;
	struct tu_rng r = {1};
	const struct abi_set *abis = &abi_sets[kb->abi_set];
	struct seccomp_data d = {.arch = abis->tokens[0]};
	int cls;
	struct pair p = {.s = &sc,
	                 .abis = abis,
	                 .counts = st.counts,
	                 .printed = st.printed,
	                 .extra = &d,
	                 .nextra = 1,
	                 .extra_class = &cls};

	if (seccomp_arch_native() != SCMP_ARCH_X86_64) {
		tu_skip_part("known_libseccomp_bugs: the cases are x86_64 filters (native here: "
		             "0x%08x)",
		             seccomp_arch_native());
		return;
	}
	memset(&sc, 0, sizeof(sc));
	sc.def = kb->def;
	sc.opt_sg = sc.opt_ref = 1;
	if (abis->tokens[0] != SCMP_ARCH_X86_64) {
		script_add(&sc, C_ARCH_REMOVE)->u = SCMP_ARCH_NATIVE;
		script_add(&sc, C_ARCH_ADD)->u = abis->tokens[0];
	}
	for (int i = 0; i < kb->nrules; i++) {
		struct call *c = script_add(&sc, C_RULE);
		c->u = kb->rules[i].action;
		c->nr = kb->rules[i].sys ? seccomp_syscall_resolve_name(kb->rules[i].sys)
		                         : kb->rules[i].nr;
		c->cnt = kb->rules[i].cnt;
		memcpy(c->cmp, kb->rules[i].cmp, sizeof(kb->rules[i].cmp));
	}
	d.nr = seccomp_syscall_resolve_name_arch(abis->tokens[0], kb->sys);
	memcpy(d.args, kb->args, sizeof(d.args));
	run_policy(&r, &p, &st);
	free(p.log.buf);
	printf("known_libseccomp_bugs[%d]: %s: libseccomp %s %s\n", _i, kb->what, ref_version,
	       cls < 0 ? "gets it right" : diff_classes[cls].name);
	ck_assert_msg(!p.diverged, "the rules must be accepted by both libraries");
	/* sysgate must be right (checked against the evaluator and kb->right) */
	ck_assert_int_ne(cls, V_SYSGATE_WRONG);
	/* 2.5.4 and 2.6.1 have the bug: it must be caught, as libseccomp's */
	if (reflib.version()->major == 2 && reflib.version()->minor <= 6) {
		ck_assert_msg(cls >= 0, "known libseccomp bug not caught: %s", kb->what);
		ck_assert_int_eq(diff_classes[cls].owner, LIBSECCOMP);
	}
	{
		struct oracle o;
		const struct oracle_meaning m = {0};
		oracle_init(&o, kb->def);
		for (int i = 0; i < sc.n; i++)
			oracle_note(&o, &sc.c[i]);
		ck_assert_uint_eq(oracle_eval(&o, &m, &d), kb->right);
	}
}
END_TEST

/* every deliberate class is named in doc/differences.md, as "`name`" */
START_TEST(deliberate_classes_documented)
{
	FILE *f = fopen(TOP_SRCDIR "/doc/differences.md", "r");
	static char doc[1 << 17];
	size_t n;

	ck_assert_ptr_nonnull(f);
	n = fread(doc, 1, sizeof(doc) - 1, f);
	doc[n] = 0;
	fclose(f);
	for (int c = 0; c < N_CLASSES; c++) {
		char quoted[64];
		if (diff_classes[c].owner != DELIBERATE)
			continue;
		snprintf(quoted, sizeof(quoted), "`%s`", diff_classes[c].name);
		ck_assert_msg(strstr(doc, quoted),
		              "deliberate difference %s is not named in "
		              "doc/differences.md",
		              quoted);
	}
}
END_TEST

int main(void)
{
	tu_api_level_from_env();
	/* under valgrind libseccomp's own kernel probes fail (seccomp(2) is not emulated), so
	 * the two libraries would not agree on what the kernel supports */
	if (getenv("SYSGATE_UNDER_VALGRIND")) {
		printf("SKIP: libseccomp probes the kernel itself, and valgrind does not emulate "
		       "seccomp(2)\n");
		return 77;
	}
	if (!ref_open())
		return 77; /* skipped: no reference library */
	Suite *s = suite_create("refdiff");
	TCase *tc = tcase_create("libseccomp");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, deliberate_classes_documented);
	tcase_add_loop_test(tc, known_libseccomp_bugs, 0,
	                    (int)(sizeof(known_bugs) / sizeof(known_bugs[0])));
	tcase_add_loop_test(tc, refdiff, 0, (int)n_abi_sets);
	suite_add_tcase(s, tc);
	return tu_run_suite(s);
}
