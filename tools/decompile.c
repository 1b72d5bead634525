/*
 * decompile.c - the model behind scmp_bpf_decompile (see decompile.h).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bpf.h"
#include "bpftools.h"
#include "decompile.h"

/* paths (cells) kept before giving up: each holds its conditions */
#define MAX_PATHS 1000000

#define W_NR   (SG_OFF_NR / 4)
#define W_ARCH (SG_OFF_ARCH / 4)

unsigned int dc_hi_word(unsigned int arg, bool big_endian)
{
	return sg_arg_hi_off(arg, big_endian) / 4;
}

unsigned int dc_lo_word(unsigned int arg, bool big_endian)
{
	return sg_arg_lo_off(arg, big_endian) / 4;
}

bool dc_word_free(const struct dc_cell *c, unsigned int word)
{
	return sg_sym_word_free(c->atoms, c->natoms, word);
}

int dc_cell_essential(const struct dc_cell *c, bool *keep)
{
	struct sg_sym_atom *set = malloc((c->natoms + 1) * sizeof(*set));

	if (set == NULL)
		return -ENOMEM;
	for (size_t i = 0; i < c->natoms; i++)
		keep[i] = true;
	/* one at a time, against the atoms still kept: each drop keeps the conjunction */
	for (size_t i = 0; i < c->natoms; i++) {
		const struct sg_sym_atom *a = &c->atoms[i];
		struct sg_sym_atom neg[2];
		size_t nneg = sg_sym_atom_negate(a, neg), n = 0;
		bool implied = true;
		uint32_t v;

		for (size_t j = 0; j < c->natoms; j++)
			if (j != i && keep[j] && c->atoms[j].f.word == a->f.word)
				set[n++] = c->atoms[j];
		for (size_t k = 0; k < nneg && implied; k++) {
			set[n] = neg[k];
			/* undecided counts as "not implied": the atom stays */
			implied = sg_sym_solve_word(set, n + 1, a->f.word, &v) == 0;
		}
		keep[i] = !implied;
	}
	free(set);
	return 0;
}

static bool word_holds(const struct dc_cell *c, unsigned int word, uint32_t v)
{
	return sg_sym_word_holds(c->atoms, c->natoms, word, v);
}

/* only nr and arch are constrained */
static bool unconditional(const struct dc_cell *c)
{
	for (size_t i = 0; i < c->natoms; i++)
		if (c->atoms[i].f.word != W_NR && c->atoms[i].f.word != W_ARCH)
			return false;
	return c->action_known;
}

static int collect(void *ctx, const struct sg_sym_path *p)
{
	struct dc_program *d = ctx;
	struct dc_cell *cells, *c;

	if ((d->ncells & (d->ncells - 1)) == 0) {
		cells = realloc(d->cells, (d->ncells ? 2 * d->ncells : 16) * sizeof(*cells));
		if (cells == NULL)
			return -ENOMEM;
		d->cells = cells;
	}
	c = &d->cells[d->ncells];
	c->atoms = malloc((p->natoms ? p->natoms : 1) * sizeof(*c->atoms));
	if (c->atoms == NULL)
		return -ENOMEM;
	memcpy(c->atoms, p->atoms, p->natoms * sizeof(*c->atoms));
	c->natoms = p->natoms;
	c->action = p->action[0];
	c->action_known = p->action_known[0];
	c->exact = p->exact;
	d->ncells++;
	return 0;
}

/* is the cell's arch condition satisfiable by a value no ABI uses? */
static int foreign_arch(const struct dc_cell *c, bool *yes)
{
	size_t n;
	uint32_t *audits = bt_all_audits(&n), v;
	int rc;

	if (audits == NULL)
		return -ENOMEM;
	rc = bt_solve_except(c->atoms, c->natoms, W_ARCH, 0, UINT32_MAX, audits, n, &v);
	free(audits);
	*yes = rc != 0; /* undecided counts as reachable */
	return rc < 0 && rc != -EAGAIN ? rc : 0;
}

/* the cells (arch, nr) reaches, into idx (room for every cell) */
static size_t cells_of(const struct dc_program *d, uint32_t audit, uint32_t nr, size_t *idx)
{
	size_t n = 0;

	for (size_t i = 0; i < d->ncells; i++)
		if (word_holds(&d->cells[i], W_ARCH, audit) && word_holds(&d->cells[i], W_NR, nr))
			idx[n++] = i;
	return n;
}

static bool same_cells(const size_t *a, size_t na, const size_t *b, size_t nb)
{
	return na == nb && memcmp(a, b, na * sizeof(*a)) == 0;
}

/* ranges of unnamed numbers of the ABI's segment [seg_lo, seg_hi] that are not default */
static int other_numbers(struct dc_program *d, struct dc_abi *abi, const uint32_t *named,
                         size_t nnamed, uint32_t seg_lo, uint32_t seg_hi, size_t *idx)
{
	uint32_t *bounds;
	size_t nb = 0, k = 0, total = 0;

	for (size_t i = 0; i < d->ncells; i++)
		total += d->cells[i].natoms;
	bounds = malloc((2 * total + 2) * sizeof(*bounds));
	if (bounds == NULL)
		return -ENOMEM;
	bounds[nb++] = seg_lo;
	for (size_t i = 0; i < d->ncells; i++) {
		const struct dc_cell *c = &d->cells[i];

		if (!word_holds(c, W_ARCH, abi->arch->audit))
			continue;
		for (size_t j = 0; j < c->natoms; j++) {
			const struct sg_sym_atom *at = &c->atoms[j];

			if (at->f.word != W_NR)
				continue;
			if (!sg_sym_form_is_plain(&at->f) || at->kind > SG_SYM_NE) {
				abi->nr_masked = true;
				free(bounds);
				return 0;
			}
			bounds[nb++] = at->lo;
			if (at->kind == SG_SYM_RANGE && at->hi != UINT32_MAX)
				bounds[nb++] = at->hi + 1;
			if (at->kind == SG_SYM_NE && at->lo != UINT32_MAX)
				bounds[nb++] = at->lo + 1;
		}
	}
	qsort(bounds, nb, sizeof(*bounds), bt_cmp_u32);
	for (size_t i = 0; i < nb; i++) {
		uint32_t lo = bounds[i], hi = i + 1 < nb ? bounds[i + 1] - 1 : UINT32_MAX, v;
		size_t n;

		if ((i + 1 < nb && bounds[i + 1] == lo) || lo < seg_lo || lo > seg_hi)
			continue;
		if (hi > seg_hi)
			hi = seg_hi;
		n = cells_of(d, abi->arch->audit, lo, idx);
		if (n == 1 && d->cells[idx[0]].action == abi->default_action &&
		    unconditional(&d->cells[idx[0]]))
			continue;
		/* the interval without the named numbers in it */
		while (k < nnamed && named[k] < lo)
			k++;
		for (v = lo;;) {
			uint32_t end = hi;

			while (k < nnamed && named[k] <= hi && named[k] == v) {
				k++;
				if (v == hi)
					goto next;
				v++;
			}
			if (k < nnamed && named[k] <= hi)
				end = named[k] - 1;
			if ((abi->nother & (abi->nother - 1)) == 0) {
				struct dc_range *o = realloc(
				    abi->other, (abi->nother ? 2 * abi->nother : 4) * sizeof(*o));
				if (o == NULL) {
					free(bounds);
					return -ENOMEM;
				}
				abi->other = o;
			}
			abi->other[abi->nother++] =
			    (struct dc_range){v, end, n == 1 ? idx[0] : SIZE_MAX};
			if (end == hi)
				break;
			v = end + 1;
		}
	next:;
	}
	free(bounds);
	return 0;
}

static int build_abi(struct dc_program *d, const struct sg_arch *arch, bool *present)
{
	struct dc_abi abi = {arch, 0, NULL, 0, false, NULL, 0};
	size_t *idx = NULL, **lists = NULL, *nlist = NULL, best = 0, bestcount = 0;
	uint32_t *nrs = NULL, seg_lo, seg_hi;
	size_t nnrs = 0, m = 0;
	int rc = -ENOMEM;

	*present = false;
	bt_abi_segment(arch, &seg_lo, &seg_hi);
	nrs = bt_abi_numbers("scmp_bpf_decompile", arch, &nnrs);
	idx = malloc((d->ncells + 1) * sizeof(*idx));
	if (nrs == NULL || idx == NULL)
		goto out;
	for (size_t i = 0; i < nnrs; i++)
		if (nrs[i] >= seg_lo && nrs[i] <= seg_hi)
			nrs[m++] = nrs[i];
	nnrs = m;
	if (nnrs == 0) {
		rc = 0;
		goto out;
	}
	lists = calloc(nnrs, sizeof(*lists));
	nlist = calloc(nnrs, sizeof(*nlist));
	if (lists == NULL || nlist == NULL)
		goto out;
	for (size_t i = 0; i < nnrs; i++) {
		nlist[i] = cells_of(d, arch->audit, nrs[i], idx);
		lists[i] = malloc((nlist[i] + 1) * sizeof(*idx));
		if (lists[i] == NULL)
			goto out;
		memcpy(lists[i], idx, nlist[i] * sizeof(*idx));
	}
	/* the default: the behaviour most numbers share */
	for (size_t i = 0; i < nnrs && bestcount <= nnrs / 2; i++) {
		size_t count = 0;

		for (size_t j = 0; j < nnrs; j++)
			count += same_cells(lists[i], nlist[i], lists[j], nlist[j]);
		if (count > bestcount) {
			bestcount = count;
			best = i;
		}
	}
	if (nlist[best] == 0) {
		rc = 0;
		goto out;
	}
	abi.default_action = d->cells[lists[best][0]].action;
	/* the number after the last named one gets the policy's default in compiled rule sets
	 * (a tree's final leaf): prefer it to the majority, which is ALLOW in deny lists */
	if (nrs[nnrs - 1] < seg_hi) {
		size_t nt = cells_of(d, arch->audit, nrs[nnrs - 1] + 1, idx);

		if (nt == 1 && unconditional(&d->cells[idx[0]]))
			abi.default_action = d->cells[idx[0]].action;
	}
	for (size_t i = 0; i < nnrs; i++) {
		struct dc_syscall *s;
		size_t n = nlist[i];

		if (n == 1 && unconditional(&d->cells[lists[i][0]]) &&
		    d->cells[lists[i][0]].action == abi.default_action)
			continue;
		if ((abi.nsys & (abi.nsys - 1)) == 0) {
			s = realloc(abi.sys, (abi.nsys ? 2 * abi.nsys : 16) * sizeof(*s));
			if (s == NULL)
				goto out;
			abi.sys = s;
		}
		s = &abi.sys[abi.nsys++];
		s->nr = nrs[i];
		s->name = sg_arch_syscall_name(arch, (int)nrs[i]);
		s->ncells = n;
		s->is_default = false;
		s->cells = lists[i];
		lists[i] = NULL;
	}
	rc = other_numbers(d, &abi, nrs, nnrs, seg_lo, seg_hi, idx);
	if (rc < 0)
		goto out;
	/* an ABI whose every named number gets what foreign arch values get is not in the
	 * filter (x86_64 filters send x32's numbers to the bad-arch action) */
	if (abi.nsys == 0 && d->has_badarch && !d->badarch_conditional &&
	    abi.default_action == d->badarch_action) {
		rc = 0;
		goto out;
	}
	{
		struct dc_abi *abis = realloc(d->abis, (d->nabis + 1) * sizeof(*abis));

		if (abis == NULL) {
			rc = -ENOMEM;
			goto out;
		}
		d->abis = abis;
		d->abis[d->nabis++] = abi;
		memset(&abi, 0, sizeof(abi));
		*present = true;
	}
	rc = 0;
out:
	for (size_t i = 0; i < abi.nsys; i++)
		free(abi.sys[i].cells);
	free(abi.sys);
	free(abi.other);
	for (size_t i = 0; lists && i < nnrs; i++)
		free(lists[i]);
	free(lists);
	free(nlist);
	free(nrs);
	free(idx);
	return rc;
}

int dc_build(const struct sock_filter *prog, size_t len, bool big_endian, struct dc_program *out)
{
	const struct sock_filter *progs[1] = {prog};
	struct sg_sym_stats st;
	size_t nforeign = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	out->big_endian = big_endian;
	rc = sg_sym_explore(progs, &len, 1, NULL, 0, MAX_PATHS, collect, out, &st);
	if (rc < 0)
		goto fail;
	out->exact = st.exact;
	out->truncated = st.truncated;
	/* what arch values of no ABI get */
	for (size_t i = 0; i < out->ncells; i++) {
		const struct dc_cell *c = &out->cells[i];
		bool foreign;

		rc = foreign_arch(c, &foreign);
		if (rc < 0)
			goto fail;
		if (!foreign)
			continue;
		if (nforeign++ == 0) {
			out->has_badarch = true;
			out->badarch_action = c->action;
		}
		if (!unconditional(c) || !dc_word_free(c, W_NR) || c->action != out->badarch_action)
			out->badarch_conditional = true;
	}
	for (size_t i = 0; i < sg_arch_count; i++) {
		bool present;

		rc = build_abi(out, sg_arches[i], &present);
		if (rc < 0)
			goto fail;
	}
	return 0;
fail:
	dc_free(out);
	return rc;
}

void dc_free(struct dc_program *p)
{
	for (size_t i = 0; i < p->ncells; i++)
		free(p->cells[i].atoms);
	free(p->cells);
	for (size_t a = 0; a < p->nabis; a++) {
		for (size_t i = 0; i < p->abis[a].nsys; i++)
			free(p->abis[a].sys[i].cells);
		free(p->abis[a].sys);
		free(p->abis[a].other);
	}
	free(p->abis);
	memset(p, 0, sizeof(*p));
}
