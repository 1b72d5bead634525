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
