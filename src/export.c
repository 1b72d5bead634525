/*
 * export.c - raw BPF export (see export.h).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "bpf.h"
#include "compile.h"
#include "export.h"

/* every ABI of a filter shares one byte order (seccomp_arch_add enforces it) */
static bool filter_big_endian(const struct sg_filter *f)
{
	return f->arch[0].arch->big_endian;
}

int sg_export_bpf_mem(struct sg_filter *f, void *buf, size_t *len)
{
	const struct sg_program *prog;
	size_t size;
	int rc = sg_filter_program(f, &prog);

	if (rc == -E2BIG) {
		/* too long for the kernel: still tell the caller how long (scmp_compile says it),
		 * 0 when not even that is known */
		*len = sg_compile_len(f, &size) == 0 ? size * sizeof(prog->insns[0]) : 0;
		return rc;
	}
	if (rc < 0)
		return rc;
	size = prog->len * sizeof(prog->insns[0]);
	if (!buf) {
		*len = size;
		return 0;
	}
	if (*len < size) {
		*len = size;
		return -ERANGE;
	}
	memcpy(buf, prog->insns, size);
	sg_bpf_to_target(buf, prog->len, filter_big_endian(f));
	*len = size;
	return 0;
}

int sg_export_bpf(struct sg_filter *f, int fd)
{
	const struct sg_program *prog;
	struct sock_filter *copy;
	size_t size;
	ssize_t n;
	int rc = sg_filter_program(f, &prog);

	if (rc < 0)
		return rc;
	size = prog->len * sizeof(prog->insns[0]);
	copy = sg_malloc(size);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, prog->insns, size);
	sg_bpf_to_target(copy, prog->len, filter_big_endian(f));
	/* one write, as libseccomp does: a pipe reader sees the program whole */
	do
		n = write(fd, copy, size);
	while (n < 0 && errno == EINTR);
	rc = n < 0 ? (f->rawrc ? -errno : -ECANCELED) : (size_t)n != size ? -ECANCELED : 0;
	sg_free(copy);
	return rc;
}
