/*
 * multiarch_check.c - test_multiarch's harness (multiarch_check.h): the target's view of an
 * exported program, the inputs that matter for an ABI and a policy, and the three evaluators
 * with the properties that hold whatever the policy.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "multiarch_check.h"

struct sg_filter *F(scmp_filter_ctx ctx)
{
	return (struct sg_filter *)ctx;
}

void tally_bad(struct tally *t, const char *fmt, ...)
{
	va_list ap;

	t->bad++;
	if (t->shown++ >= 12)
		return;
	printf("%s: MISMATCH ", t->test);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

void tally_end(struct tally *t)
{
	printf("%s: %ld cases, %ld mismatches\n", t->test, t->cases, t->bad);
	fflush(stdout);
	ck_assert_msg(t->bad == 0, "%s: %ld of %ld cases wrong (details above)", t->test, t->bad,
	              t->cases);
}

/*
 * the target's view: exported bytes and seccomp_data in the target's byte order
 */

static uint32_t get32(const uint8_t *p, bool be)
{
	return be ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]
	          : (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static uint16_t get16(const uint8_t *p, bool be)
{
	return be ? (uint16_t)(p[0] << 8 | p[1]) : (uint16_t)(p[1] << 8 | p[0]);
}

static void put32(uint8_t *p, uint32_t v, bool be)
{
	for (int i = 0; i < 4; i++)
		p[be ? i : 3 - i] = (uint8_t)(v >> (24 - 8 * i));
}

static void put64(uint8_t *p, uint64_t v, bool be)
{
	/* a 64-bit field is one 8-byte integer in the target's order */
	for (int i = 0; i < 8; i++)
		p[be ? i : 7 - i] = (uint8_t)(v >> (56 - 8 * i));
}

/* export the filter and decode it as the target kernel would */
static int target_export(scmp_filter_ctx ctx, struct tprog *tp)
{
	bool be = F(ctx)->arch[0].arch->big_endian;
	size_t len = 0;
	int rc = seccomp_export_bpf_mem(ctx, NULL, &len);

	if (rc < 0)
		return rc;
	tp->raw = malloc(len);
	tp->raw_len = len;
	ck_assert_int_eq(seccomp_export_bpf_mem(ctx, tp->raw, &len), 0);
	ck_assert_uint_eq(len % 8, 0);
	tp->len = len / 8;
	tp->insns = calloc(tp->len, sizeof(*tp->insns));
	for (size_t i = 0; i < tp->len; i++) {
		const uint8_t *b = tp->raw + 8 * i;
		/* struct sock_filter: u16 code, u8 jt, u8 jf, u32 k, each field in target order */
		tp->insns[i] = (struct tinsn){get16(b, be), b[2], b[3], get32(b + 4, be)};
	}
	return 0;
}

static void tprog_free(struct tprog *tp)
{
	free(tp->insns);
	free(tp->raw);
}

static void data_image(uint8_t img[64], const struct seccomp_data *d, bool be)
{
	put32(img, (uint32_t)d->nr, be);
	put32(img + 4, d->arch, be);
	put64(img + 8, d->instruction_pointer, be);
	for (int i = 0; i < 6; i++)
		put64(img + 16 + 8 * i, d->args[i], be);
}

#define MODEL_BAD 0xbadbad00u /* an instruction seccomp would not run */

/* classic BPF as seccomp runs it, over the target's memory image */
static uint32_t model_run(const struct tprog *tp, const struct seccomp_data *d, bool be)
{
	uint8_t img[64];
	uint32_t A = 0, X = 0, M[BPF_MEMWORDS] = {0};
	size_t pc = 0;

	data_image(img, d, be);
	for (int steps = 0; steps < 100000 && pc < tp->len; steps++) {
		const struct tinsn *in = &tp->insns[pc++];
		uint32_t k = in->k, src = BPF_SRC(in->code) == BPF_X ? X : k;

		switch (BPF_CLASS(in->code)) {
		case BPF_LD:
			if (in->code == (BPF_LD | BPF_W | BPF_ABS) && k < 64 && k % 4 == 0)
				A = get32(img + k, be);
			else if (in->code == (BPF_LD | BPF_W | BPF_LEN))
				A = 64;
			else if (in->code == (BPF_LD | BPF_IMM))
				A = k;
			else if (in->code == (BPF_LD | BPF_MEM) && k < BPF_MEMWORDS)
				A = M[k];
			else
				return MODEL_BAD | 1;
			break;
		case BPF_LDX:
			if (in->code == (BPF_LDX | BPF_W | BPF_LEN))
				X = 64;
			else if (in->code == (BPF_LDX | BPF_IMM))
				X = k;
			else if (in->code == (BPF_LDX | BPF_MEM) && k < BPF_MEMWORDS)
				X = M[k];
			else
				return MODEL_BAD | 2;
			break;
		case BPF_ST:
			if (k >= BPF_MEMWORDS)
				return MODEL_BAD | 3;
			M[k] = A;
			break;
		case BPF_STX:
			if (k >= BPF_MEMWORDS)
				return MODEL_BAD | 3;
			M[k] = X;
			break;
		case BPF_ALU:
			switch (BPF_OP(in->code)) {
			case BPF_ADD:
				A += src;
				break;
			case BPF_SUB:
				A -= src;
				break;
			case BPF_MUL:
				A *= src;
				break;
			case BPF_DIV:
				if (src == 0)
					return 0; /* the kernel returns 0: KILL_THREAD */
				A /= src;
				break;
			case BPF_AND:
				A &= src;
				break;
			case BPF_OR:
				A |= src;
				break;
			case BPF_XOR:
				A ^= src;
				break;
			case BPF_LSH:
				A = src < 32 ? A << src : 0;
				break;
			case BPF_RSH:
				A = src < 32 ? A >> src : 0;
				break;
			case BPF_NEG:
				A = -A;
				break;
			default:
				return MODEL_BAD | 4;
			}
			break;
		case BPF_JMP: {
			bool c;
			switch (BPF_OP(in->code)) {
			case BPF_JA:
				pc += k;
				continue;
			case BPF_JEQ:
				c = A == src;
				break;
			case BPF_JGT:
				c = A > src;
				break;
			case BPF_JGE:
				c = A >= src;
				break;
			case BPF_JSET:
				c = (A & src) != 0;
				break;
			default:
				return MODEL_BAD | 5;
			}
			pc += c ? in->jt : in->jf;
			break;
		}
		case BPF_RET:
			if (BPF_RVAL(in->code) == BPF_K)
				return k;
			if (BPF_RVAL(in->code) == BPF_A)
				return A;
			return MODEL_BAD | 6;
		case BPF_MISC:
			if (BPF_MISCOP(in->code) == BPF_TAX)
				X = A;
			else
				A = X;
			break;
		}
	}
	return MODEL_BAD | 7; /* fell off the end */
}

/*
 * inputs
 */

/* every real number of an ABI's table, sorted, without duplicates */
int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return x < y ? -1 : x > y;
}

size_t table_numbers(const struct sg_arch *a, int *out, size_t max)
{
	size_t n = 0, m = 0;
	const char *name;

	for (size_t i = 0; (name = sg_syscall_name_at(i)) != NULL; i++) {
		int nr = sg_arch_syscall_nr(a, name);
		if (nr >= 0 && n < max)
			out[n++] = nr;
	}
	qsort(out, n, sizeof(*out), cmp_int);
	for (size_t i = 0; i < n; i++)
		if (m == 0 || out[m - 1] != out[i])
			out[m++] = out[i];
	return m;
}

/* numbers where dispatch on nr could go wrong */
size_t boundary_numbers(const struct sg_arch *a, const int *tab, size_t ntab, int *out)
{
	static const uint32_t fixed[] = {
	    0,          1,          2,          999,        1000,       3999,       4000,
	    4999,       5000,       5999,       6000,       6999,       0xefffff,   0xf0000,
	    0xf0001,    0xf0002,    0xf0005,    0xf0006,    0xf0007,    0xf07ff,    0x3fffffff,
	    0x40000000, 0x40000001, 0x4000003c, 0x40000200, 0x4000021f, 0x40000223, 0x7fffffff,
	    0x80000000, 0x80000001, 0xbfffffff, 0xc0000000, 0xfffff000, 0xfffffffe, 0xffffffff,
	};
	size_t n = 0;

	for (size_t i = 0; i < NELEM(fixed); i++)
		out[n++] = (int)fixed[i];
	if (ntab) {
		out[n++] = tab[0] - 1;
		out[n++] = tab[ntab - 1] + 1;
		out[n++] = tab[ntab - 1] + 2;
		/* the x32 bit toggled on the first and last entries */
		out[n++] = (int)((uint32_t)tab[0] ^ SG_X32_BIT);
		out[n++] = (int)((uint32_t)tab[ntab - 1] ^ SG_X32_BIT);
	}
	out[n++] = (int)a->nr_base - 1;
	out[n++] = (int)a->nr_base;
	return n;
}

/* argument vectors: all-edges, and values near the datums of a syscall's rules */
static void arg_vector(struct tu_rng *r, const struct sg_sysrules *s, int which, __u64 a[6])
{
	if (which < (int)TU_NEDGES) {
		for (int i = 0; i < 6; i++)
			a[i] = tu_edges[(size_t)(which + i * 3) % TU_NEDGES];
		return;
	}
	for (int i = 0; i < 6; i++) {
		a[i] = tu_value(r);
		if (s && s->nrules && tu_below(r, 3)) {
			const struct sg_rule *ru = &s->rules[tu_below(r, s->nrules)];
			for (unsigned int c = 0; c < ru->ncond; c++)
				if (ru->cond[c].arg == i)
					a[i] = tu_value_near(r, ru->cond[c].datum);
		}
	}
}

/*
 * the three evaluators, and the properties that hold whatever the policy
 */

void checked_init(struct checked *c, scmp_filter_ctx ctx, const char *desc, struct tally *t)
{
	struct sg_filter *f = F(ctx);

	c->ctx = ctx;
	c->desc = desc;
	c->be = f->arch[0].arch->big_endian;
	c->p = tu_compile(f);
	ck_assert_int_eq(sg_bpf_check(c->p->insns, c->p->len), 0);
	ck_assert_int_eq(target_export(ctx, &c->tp), 0);
	/* the export is the compiled program, field by field, in the target's order */
	if (c->tp.len != c->p->len) {
		tally_bad(t, "%s: export has %zu instructions, compile %zu", desc, c->tp.len,
		          c->p->len);
		return;
	}
	for (size_t i = 0; i < c->p->len; i++) {
		const struct sock_filter *h = &c->p->insns[i];
		const struct tinsn *x = &c->tp.insns[i];
		if (h->code != x->code || h->jt != x->jt || h->jf != x->jf || h->k != x->k) {
			tally_bad(
			    t, "%s: export differs at %zu: %04x/%u/%u/%08x vs %04x/%u/%u/%08x",
			    desc, i, h->code, h->jt, h->jf, h->k, x->code, x->jt, x->jf, x->k);
			break;
		}
	}
}

void checked_fini(struct checked *c)
{
	sg_program_free(c->p);
	tprog_free(&c->tp);
}

static void dump_args(char *buf, size_t size, const struct seccomp_data *d)
{
	snprintf(buf, size,
	         "{%#" PRIx64 ",%#" PRIx64 ",%#" PRIx64 ",%#" PRIx64 ",%#" PRIx64 ",%#" PRIx64 "}",
	         (uint64_t)d->args[0], (uint64_t)d->args[1], (uint64_t)d->args[2],
	         (uint64_t)d->args[3], (uint64_t)d->args[4], (uint64_t)d->args[5]);
}

/* one input: IR == program == target model; returns the verdict */
uint32_t check_one(struct checked *c, const struct seccomp_data *d, struct tally *t)
{
	const struct sg_filter *f = F(c->ctx);
	uint32_t ir = sg_ir_eval(f, d);
	uint32_t prog = sg_bpf_run(c->p->insns, c->p->len, d, c->be, NULL);
	uint32_t model = model_run(&c->tp, d, c->be);

	t->cases++;
	if (ir != prog || ir != model) {
		char args[160];
		dump_args(args, sizeof(args), d);
		tally_bad(t,
		          "%s: arch 0x%08x nr %d (%#x) args %s: IR 0x%08x, program 0x%08x, "
		          "target model 0x%08x",
		          c->desc, d->arch, d->nr, (uint32_t)d->nr, args, ir, prog, model);
	}
	return ir;
}

/* the hand-made properties of one input */
static void check_properties(struct checked *c, struct seccomp_data d, uint32_t verdict,
                             struct tally *t)
{
	const struct sg_filter *f = F(c->ctx);
	const struct sg_archdb *db = sg_ir_select(f, d.arch, (uint32_t)d.nr);

	/* 32-bit ABIs see the low word only: zero- and sign-extension change nothing (x32 hands
	 * the filter whole registers, and a datum beyond 32 bits compares all of it there) */
	if (db && db->arch->arg_bits == 32 && db->arch->token != SCMP_ARCH_X32) {
		struct seccomp_data z = d, s = d;
		for (int i = 0; i < 6; i++) {
			z.args[i] = (uint32_t)d.args[i];
			s.args[i] = (uint64_t)(int64_t)(int32_t)d.args[i];
		}
		uint32_t vz = check_one(c, &z, t), vs = check_one(c, &s, t);
		if (vz != verdict || vs != verdict) {
			char args[160];
			dump_args(args, sizeof(args), &d);
			tally_bad(t,
			          "%s: 32-bit ABI %s nr %d args %s: 0x%08x, zero-extended 0x%08x, "
			          "sign-extended 0x%08x",
			          c->desc, db->arch->name, d.nr, args, verdict, vz, vs);
		}
	}
}

/* all table numbers of every ABI of the filter, its boundaries, and foreign arch values */
void check_filter(struct checked *c, struct tu_rng *r, int vectors, struct tally *t)
{
	const struct sg_filter *f = F(c->ctx);
	static int tab[2048], nums[4096];

	for (uint32_t ai = 0; ai < f->narch; ai++) {
		const struct sg_arch *a = f->arch[ai].arch;
		size_t ntab = table_numbers(a, tab, 2048), n = 0;
		for (size_t i = 0; i < ntab; i++)
			nums[n++] = tab[i];
		n += boundary_numbers(a, tab, ntab, nums + n);
		/* the numbers of the other ABIs that share this arch value (x86_64 / x32) */
		for (uint32_t bi = 0; bi < f->narch; bi++)
			if (bi != ai && f->arch[bi].arch->audit == a->audit) {
				size_t m = table_numbers(f->arch[bi].arch, tab, 2048);
				for (size_t i = 0; i < m && n < NELEM(nums); i++)
					nums[n++] = tab[i];
			}
		for (size_t i = 0; i < n; i++) {
			const struct sg_archdb *db = sg_ir_select(f, a->audit, (uint32_t)nums[i]);
			const struct sg_sysrules *s = db ? sg_archdb_find(db, nums[i]) : NULL;
			int nv = s && s->nrules ? vectors : 2;
			for (int v = 0; v < nv; v++) {
				struct seccomp_data d = {.nr = nums[i], .arch = a->audit};
				arg_vector(r, s, s && s->nrules ? v : (int)tu_below(r, TU_NEDGES),
				           d.args);
				d.instruction_pointer = tu_value(r);
				uint32_t verdict = check_one(c, &d, t);
				check_properties(c, d, verdict, t);
			}
			/* unconditionally allowed: the kernel's action cache must see it */
			if (s && s->has_uncond && s->uncond_action == SCMP_ACT_ALLOW &&
			    !sg_bpf_const_allow(c->p->insns, c->p->len, a->audit, nums[i]))
				tally_bad(
				    t, "%s: %s nr %d allowed unconditionally but not const-allow",
				    c->desc, a->name, nums[i]);
		}
	}
	/* arch values the filter does not know: the bad-arch action, whatever the number */
	for (size_t i = 0; i <= sg_arch_count; i++) {
		uint32_t audit = i < sg_arch_count ? sg_arches[i]->audit : 0x12345678u;
		bool known = false;
		for (uint32_t ai = 0; ai < f->narch; ai++)
			known |= f->arch[ai].arch->audit == audit;
		if (known)
			continue;
		for (int k = 0; k < 4; k++) {
			struct seccomp_data d = {.nr = k < 3 ? (int)tu_below(r, 600) : -1,
			                         .arch = audit};
			arg_vector(r, NULL, (int)tu_below(r, TU_NEDGES), d.args);
			uint32_t verdict = check_one(c, &d, t);
			if (verdict != f->act_badarch)
				tally_bad(
				    t,
				    "%s: foreign arch 0x%08x nr %d: 0x%08x, want bad-arch 0x%08x",
				    c->desc, audit, d.nr, verdict, f->act_badarch);
		}
	}
}
