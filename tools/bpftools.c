/*
 * bpftools.c - ABI selection and raw filter input for scmp_bpf_disasm and scmp_bpf_sim.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpf.h"
#include "bpftools.h"

const struct sg_arch *bt_arch(const char *tool, const char *name)
{
	const struct sg_arch *arch;

	if (name == NULL || strcmp(name, "native") == 0)
		return sg_arch_native();
	arch = sg_arch_by_name(name);
	if (arch)
		return arch;
	fprintf(stderr, "%s: unknown architecture '%s'; known:", tool, name);
	for (size_t i = 0; i < sg_arch_count; i++)
		fprintf(stderr, " %s", sg_arches[i]->name);
	fprintf(stderr, "\n");
	return NULL;
}

int bt_read_filter(const char *tool, const char *path, bool big_endian, struct sock_filter **prog,
                   size_t *len)
{
	bool use_stdin = path == NULL || strcmp(path, "-") == 0;
	const char *shown = use_stdin ? "standard input" : path;
	FILE *f = use_stdin ? stdin : fopen(path, "rb");
	unsigned char *buf = NULL;
	size_t size = 0, cap = 0;

	if (f == NULL) {
		fprintf(stderr, "%s: cannot open %s: %s\n", tool, shown, strerror(errno));
		return -1;
	}
	for (;;) {
		size_t n;

		if (size == cap) {
			unsigned char *bigger;

			cap = cap ? cap * 2 : 4096;
			bigger = realloc(buf, cap);
			if (bigger == NULL) {
				fprintf(stderr, "%s: out of memory\n", tool);
				goto fail;
			}
			buf = bigger;
		}
		n = fread(buf + size, 1, cap - size, f);
		size += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		fprintf(stderr, "%s: cannot read %s\n", tool, shown);
		goto fail;
	}
	if (size % sizeof(struct sock_filter) != 0) {
		fprintf(stderr,
		        "%s: %s: %zu bytes is not a whole number of %zu-byte BPF instructions\n",
		        tool, shown, size, sizeof(struct sock_filter));
		goto fail;
	}
	if (!use_stdin)
		fclose(f);
	*len = size / sizeof(struct sock_filter);
	*prog = (struct sock_filter *)buf;
	/* the file is in the target's byte order; conversion is its own inverse */
	sg_bpf_to_target(*prog, *len, big_endian);
	return 0;
fail:
	if (!use_stdin)
		fclose(f);
	free(buf);
	return -1;
}

int bt_cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

uint32_t *bt_abi_numbers(const char *tool, const struct sg_arch *arch, size_t *n)
{
	size_t cap = 0, count = 0;
	uint32_t *nrs = NULL;
	const char *name;

	for (size_t i = 0; (name = sg_syscall_name_at(i)) != NULL; i++) {
		int nr = sg_arch_syscall_nr(arch, name);

		if (nr < 0)
			continue;
		if (count == cap) {
			uint32_t *bigger;

			cap = cap ? 2 * cap : 512;
			bigger = realloc(nrs, cap * sizeof(*nrs));
			if (bigger == NULL) {
				fprintf(stderr, "%s: out of memory\n", tool);
				free(nrs);
				return NULL;
			}
			nrs = bigger;
		}
		nrs[count++] = (uint32_t)nr;
	}
	if (nrs == NULL && (nrs = malloc(sizeof(*nrs))) == NULL) {
		fprintf(stderr, "%s: out of memory\n", tool);
		return NULL;
	}
	qsort(nrs, count, sizeof(*nrs), bt_cmp_u32);
	*n = 0;
	for (size_t i = 0; i < count; i++)
		if (*n == 0 || nrs[*n - 1] != nrs[i])
			nrs[(*n)++] = nrs[i];
	return nrs;
}

const struct sg_arch *bt_abi_by_audit(uint32_t audit)
{
	for (size_t i = 0; i < sg_arch_count; i++)
		if (sg_arches[i]->audit == audit)
			return sg_arches[i];
	return NULL;
}

const struct sg_arch *bt_abi_of(uint32_t audit, uint32_t nr)
{
	const struct sg_arch *best = NULL;

	/* the ABI with the largest number base at or below nr (x32's 0x40000000) */
	for (size_t i = 0; i < sg_arch_count; i++) {
		const struct sg_arch *a = sg_arches[i];

		if (a->audit != audit || a->nr_base > nr)
			continue;
		if (best == NULL || a->nr_base > best->nr_base)
			best = a;
	}
	return best ? best : bt_abi_by_audit(audit);
}

void bt_abi_segment(const struct sg_arch *arch, uint32_t *lo, uint32_t *hi)
{
	*lo = arch->nr_base;
	*hi = UINT32_MAX;
	for (size_t i = 0; i < sg_arch_count; i++) {
		const struct sg_arch *a = sg_arches[i];

		if (a->audit == arch->audit && a->nr_base > arch->nr_base && a->nr_base - 1 < *hi)
			*hi = a->nr_base - 1;
	}
}

int bt_solve_except(const struct sg_sym_atom *atoms, size_t natoms, unsigned int word, uint32_t lo,
                    uint32_t hi, const uint32_t *excl, size_t nexcl, uint32_t *value)
{
	struct sg_sym_atom *all = malloc((natoms + nexcl + 1) * sizeof(*all));
	size_t n = 0;
	int rc;

	if (all == NULL)
		return -ENOMEM;
	for (size_t i = 0; i < natoms; i++)
		if (atoms[i].f.word == word)
			all[n++] = atoms[i];
	all[n++] = sg_sym_word_atom(word, SG_SYM_RANGE, lo, hi);
	for (size_t i = 0; i < nexcl; i++)
		all[n++] = sg_sym_word_atom(word, SG_SYM_NE, excl[i], 0);
	rc = sg_sym_solve_word(all, n, word, value);
	free(all);
	return rc;
}

uint32_t *bt_all_audits(size_t *n)
{
	uint32_t *a = malloc(sg_arch_count * sizeof(*a));

	if (a == NULL)
		return NULL;
	for (size_t i = 0; i < sg_arch_count; i++)
		a[i] = sg_arches[i]->audit;
	*n = sg_arch_count;
	return a;
}
