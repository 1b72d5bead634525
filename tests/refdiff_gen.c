/*
 * refdiff_gen.c - test_refdiff's random material (refdiff.h): its vocabulary (ABI sets,
 * syscalls, actions), random policies as scripts of calls, and the inputs both libraries'
 * programs are run on.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <seccomp.h>

#include "refdiff.h"
#include "testcheck.h"

/*
 * The test's vocabulary: ABI sets, syscalls, actions
 */

const struct abi_set abi_sets[] = {
    {"x86_64", {SCMP_ARCH_X86_64}},
    {"x86", {SCMP_ARCH_X86}},
    {"x32", {SCMP_ARCH_X32}},
    {"aarch64", {SCMP_ARCH_AARCH64}},
    {"arm", {SCMP_ARCH_ARM}},
    {"s390x", {SCMP_ARCH_S390X}},
    {"ppc64", {SCMP_ARCH_PPC64}},
    {"mips", {SCMP_ARCH_MIPS}},
    {"x86_64+x86+x32", {SCMP_ARCH_X86_64, SCMP_ARCH_X86, SCMP_ARCH_X32}},
    {"aarch64+arm", {SCMP_ARCH_AARCH64, SCMP_ARCH_ARM}},
    {"s390x+ppc64+mips", {SCMP_ARCH_S390X, SCMP_ARCH_PPC64, SCMP_ARCH_MIPS}},
};
const size_t n_abi_sets = sizeof(abi_sets) / sizeof(abi_sets[0]);

/* arch values that no ABI set above shares with all others: inputs for the bad-arch path */
static const uint32_t foreign_audits[] = {0xc000003e, 0x40000003, 0xc00000b7, 0x40000028,
                                          0x80000016, 0x80000015, 0x00000008, 0x12345678};

/* syscalls with every kind of cross-ABI fate: common ones, ones missing on some ABIs,
 * socket/ipc calls (multiplexed on x86, s390x, ppc64, mips), ABI-private ones */
const char *const sys_names[] = {
    "read",       "write",       "open",    "close",   "ioctl",   "mmap",       "mmap2",
    "socket",     "connect",     "accept4", "sendto",  "recvmsg", "bind",       "socketcall",
    "semop",      "semget",      "shmctl",  "msgsnd",  "ipc",     "clone",      "clone3",
    "kill",       "personality", "futex",   "openat",  "getpid",  "arch_prctl", "set_tls",
    "cacheflush", "fstat",       "stat64",  "_llseek", "time",    "execve",     "prctl",
};

static const uint32_t actions[] = {
    SCMP_ACT_ALLOW,       SCMP_ACT_ERRNO(0), SCMP_ACT_ERRNO(1),      SCMP_ACT_ERRNO(2),
    SCMP_ACT_ERRNO(4094), SCMP_ACT_KILL,     SCMP_ACT_KILL_PROCESS,  SCMP_ACT_TRAP,
    SCMP_ACT_LOG,         SCMP_ACT_TRACE(1), SCMP_ACT_TRACE(0xffff), SCMP_ACT_NOTIFY,
};
#define N_ACTIONS (sizeof(actions) / sizeof(actions[0]))

static uint32_t pick_action(struct tu_rng *r, bool allow_invalid)
{
	if (allow_invalid && tu_below(r, 60) == 0)
		return tu_below(r, 2) ? SCMP_ACT_ERRNO(4095) : 0x12345678u;
	return actions[tu_below(r, N_ACTIONS)];
}
const size_t n_sys_names = sizeof(sys_names) / sizeof(sys_names[0]);

bool is_pnr(int nr)
{
	return nr <= -100;
}

/* the name a client's syscall number stands for (native number or pseudo number) */
const char *nr_name(int nr)
{
	return nr >= 0 ? sg_arch_syscall_name(sg_arch_native(), nr) : sg_syscall_pnr_name(nr);
}

/*
 * Random policies
 */

/* a random comparison; now and then an invalid one (bad arg index or operator) */
static struct scmp_arg_cmp random_cmp(struct tu_rng *r, unsigned int arg, const uint64_t *pool,
                                      size_t npool)
{
	struct scmp_arg_cmp c;
	uint64_t v =
	    npool && tu_below(r, 2) ? tu_value_near(r, pool[tu_below(r, npool)]) : tu_value(r);

	c.arg = arg;
	c.op = (enum scmp_compare)(1 + tu_below(r, 7));
	c.datum_a = v;
	c.datum_b = tu_value(r);
	if (c.op == SCMP_CMP_MASKED_EQ) {
		/* a useful mask: datum inside the mask most of the time */
		if (tu_below(r, 3) == 0)
			c.datum_a = tu_below(r, 2) ? 0xffffffffull : 0xffffffff00000000ull;
		if (tu_below(r, 4))
			c.datum_b &= c.datum_a;
	}
	if (tu_below(r, 80) == 0)
		c.arg = 6 + (unsigned int)tu_below(r, 3);
	if (tu_below(r, 80) == 0)
		c.op = tu_below(r, 2) ? _SCMP_CMP_MIN : _SCMP_CMP_MAX;
	return c;
}

/* a syscall number as a client would pass it: native numbers, pseudo numbers, odd ones */
static int pick_syscall(struct tu_rng *r, const int *pool, size_t npool, bool tskip)
{
	switch (tu_below(r, 60)) {
	case 0:
		return 1000 + (int)tu_below(r, 3); /* nameless: native only */
	case 1:
		return tskip ? -1
		             : -1 - (int)tu_below(r, 99); /* -1 needs API_TSKIP; -2..-99 never */
	case 2:
		return -101 - (int)tu_below(r, 20); /* socket-family pseudo numbers */
	case 3:
		return -201 - (int)tu_below(r, 24); /* ipc-family (and a few unassigned) */
	default:
		return pool[tu_below(r, npool)];
	}
}

struct call *script_add(struct script *s, enum call_kind kind)
{
	struct call *c = &s->c[s->n++];
	memset(c, 0, sizeof(*c));
	c->kind = kind;
	return c;
}

/* one random policy as a script of calls */
void make_script(struct tu_rng *r, struct script *s, const struct abi_set *abis, const int *pool,
                 size_t npool)
{
	uint64_t datums[32];
	size_t ndatums = 0;
	int nrules = 1 + (int)tu_below(r, 24);
	/* few syscalls and many rules: overlaps, prefixes and conflicts are the interesting part */
	int sys_used[6];
	int nsys = 1 + (int)tu_below(r, 6);
	struct call *c;

	memset(s, 0, sizeof(*s));
	s->def = pick_action(r, false);
	s->opt_sg = 1 + (int)tu_below(r, 2);
	s->opt_ref = 1 + (int)tu_below(r, 2);
	s->tskip = tu_below(r, 8) == 0;
	for (int i = 0; i < nsys; i++)
		sys_used[i] = pick_syscall(r, pool, npool, s->tskip);

	for (int i = 0; abis->tokens[i]; i++) {
		if (i == 0 && abis->tokens[i] != seccomp_arch_native())
			script_add(s, C_ARCH_REMOVE)->u = SCMP_ARCH_NATIVE;
		if (abis->tokens[i] != seccomp_arch_native())
			script_add(s, C_ARCH_ADD)->u = abis->tokens[i];
	}
	if (tu_below(r, 4) == 0) {
		c = script_add(s, C_ATTR);
		c->attr = SCMP_FLTATR_ACT_BADARCH;
		c->u = pick_action(r, true);
	}
	if (s->tskip) {
		c = script_add(s, C_ATTR);
		c->attr = SCMP_FLTATR_API_TSKIP;
		c->u = 1;
	}

	for (int i = 0; i < nrules && s->n < MAX_CALLS - 3; i++) {
		unsigned int used = 0;
		unsigned int want = (unsigned int)(tu_below(r, 5) == 0 ? 0 : 1 + tu_below(r, 3));
		int nr = tu_below(r, 10) == 0 ? pick_syscall(r, pool, npool, s->tskip)
		                              : sys_used[tu_below(r, (uint64_t)nsys)];

		if (tu_below(r, 12) == 0) {
			c = script_add(s, C_PRIO);
			c->nr = nr;
			c->u = (uint8_t)tu_next(r);
		}
		c = script_add(s, tu_below(r, 10) == 0 ? C_RULE_EXACT : C_RULE);
		c->nr = nr;
		c->u = pick_action(r, true);
		if (tu_below(r, 30) == 0)
			want = 4 + (unsigned int)tu_below(r, 4); /* up to 7: 7 is -EINVAL */
		for (unsigned int j = 0; j < want; j++) {
			unsigned int arg = (unsigned int)tu_below(r, 6);
			/* one comparison per argument, except now and then (-EINVAL) */
			if ((used & (1u << arg)) && tu_below(r, 20) != 0) {
				for (arg = 0; arg < 6 && (used & (1u << arg)); arg++)
					;
				if (arg == 6)
					break;
			}
			used |= 1u << arg;
			c->cmp[c->cnt] = random_cmp(r, arg, datums, ndatums);
			if (ndatums < 32)
				datums[ndatums++] = c->cmp[c->cnt].datum_a;
			c->cnt++;
		}
		/* the same conditions again: a duplicate, a conflict, or a prefix of the rule */
		if (tu_below(r, 5) == 0) {
			struct call *again = script_add(s, C_RULE);
			*again = *c;
			again->kind = C_RULE;
			if (tu_below(r, 2))
				again->u = pick_action(r, false);
			if (again->cnt > 1 && tu_below(r, 2))
				again->cnt--;
		}
	}
}

/*
 * Inputs
 */

void input_add(struct inputs *in, const struct seccomp_data *d)
{
	if (in->n == in->cap) {
		in->cap = in->cap ? in->cap * 2 : 256;
		in->d = realloc(in->d, in->cap * sizeof(*in->d));
		ck_assert_ptr_nonnull(in->d);
	}
	in->d[in->n++] = *d;
}

/* argument vectors for (arch, nr): boundaries, and values next to the datums of its rules */
static void add_arg_vectors(struct tu_rng *r, struct inputs *in, const struct sg_filter *f,
                            uint32_t audit, uint32_t nr, int count)
{
	const struct sg_archdb *db = sg_ir_select(f, audit, nr);
	const struct sg_sysrules *s = db ? sg_archdb_find(db, (int32_t)nr) : NULL;
	struct seccomp_data d = {.nr = (int)nr, .arch = audit};

	input_add(in, &d); /* all zero */
	for (int t = 1; t < count; t++) {
		for (int a = 0; a < 6; a++) {
			d.args[a] = tu_value(r);
			if (s && s->nrules && tu_below(r, 4) != 0) {
				const struct sg_rule *ru = &s->rules[tu_below(r, s->nrules)];
				for (unsigned int c = 0; c < ru->ncond; c++) {
					const struct sg_cond *co = &ru->cond[c];
					if (co->arg != a)
						continue;
					d.args[a] = tu_value_near(r, co->datum);
					if (co->op == SCMP_CMP_MASKED_EQ && tu_below(r, 2))
						d.args[a] = co->datum | (tu_next(r) & ~co->mask);
				}
			}
		}
		input_add(in, &d);
	}
}

static void add_number(struct tu_rng *r, struct inputs *in, const struct sg_filter *f,
                       uint32_t audit, uint32_t nr, bool x86)
{
	for (int delta = -1; delta <= 1; delta++) {
		uint32_t n = nr + (uint32_t)delta;
		add_arg_vectors(r, in, f, audit, n, delta == 0 ? 24 : 2);
		if (x86) /* the x32 bit, both ways */
			add_arg_vectors(r, in, f, audit, n ^ SG_X32_BIT, delta == 0 ? 6 : 1);
	}
}

void make_inputs(struct tu_rng *r, struct inputs *in, const struct sg_filter *f, const int *nrs,
                 int nnrs)
{
	in->n = 0;
	for (uint32_t i = 0; i < f->narch; i++) {
		const struct sg_archdb *db = &f->arch[i];
		uint32_t audit = db->arch->audit, tok = db->arch->token;
		bool x86 = audit == 0xc000003eu;

		/* the numbers sysgate's rules sit on */
		for (uint32_t j = 0; j < db->nsys; j++)
			add_number(r, in, f, audit, (uint32_t)db->sys[j].nr, x86);
		/* the numbers libseccomp puts the policy's syscalls on, as it resolves them */
		for (int j = 0; j < nnrs; j++) {
			const char *name = nr_name(nrs[j]);
			if (!name)
				continue;
			int n1 = reflib.resolve_name_arch(tok, name),
			    n2 = reflib.resolve_name_rewrite(tok, name);
			if (n1 >= 0 && !sg_archdb_find(db, n1))
				add_number(r, in, f, audit, (uint32_t)n1, false);
			if (n2 >= 0 && n2 != n1 && !sg_archdb_find(db, n2))
				add_number(r, in, f, audit, (uint32_t)n2, false);
		}
		add_number(r, in, f, audit, 0, x86);
		add_number(r, in, f, audit, 0xffffffffu, false);
		add_arg_vectors(r, in, f, audit, (uint32_t)tu_next(r), 2);
	}
	for (size_t i = 0; i < sizeof(foreign_audits) / sizeof(foreign_audits[0]); i++) {
		bool mine = false;
		for (uint32_t j = 0; j < f->narch; j++)
			mine |= f->arch[j].arch->audit == foreign_audits[i];
		if (!mine)
			add_arg_vectors(r, in, f, foreign_audits[i], (uint32_t)tu_below(r, 400), 2);
	}
}
