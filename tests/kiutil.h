/*
 * kiutil.h - helpers shared by the kernel-interface and fault-injection tests: a context's
 * complete observable state (raw BPF export + PFC text), compared byte for byte, and the
 * choice of a second architecture with the native byte order, and checks inside forked
 * children.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef SYSGATE_KIUTIL_H
#define SYSGATE_KIUTIL_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <seccomp.h>

/* skip the rest of a test on a kernel below an API level (each program keeps its kernel_level) */
#define SKIP_BELOW(level, what)                                                                    \
	do {                                                                                       \
		if (kernel_level < (level)) {                                                      \
			tu_skip_part("%s: kernel API level %u < %u", (what), kernel_level,         \
			             (unsigned int)(level));                                       \
			return;                                                                    \
		}                                                                                  \
	} while (0)

/* unassigned syscall numbers: allowed calls fail with ENOSYS */
#define NR_BASE 1000

/* checks inside forked children: report the line and exit non-zero */
#define REQUIRE(c)                                                                                 \
	do {                                                                                       \
		if (!(c)) {                                                                        \
			fprintf(stderr, "%s:%d: child: %s failed (errno %d)\n", __FILE__,          \
			        __LINE__, #c, errno);                                              \
			_exit(1);                                                                  \
		}                                                                                  \
	} while (0)
#define REQUIRE_EQ(a, b)                                                                           \
	do {                                                                                       \
		long a_ = (long)(a), b_ = (long)(b);                                               \
		if (a_ != b_) {                                                                    \
			fprintf(stderr, "%s:%d: child: %s is %ld, expected %ld\n", __FILE__,       \
			        __LINE__, #a, a_, b_);                                             \
			_exit(1);                                                                  \
		}                                                                                  \
	} while (0)

/* what a context looks like from outside: its program and its pseudo code */
struct ki_blob {
	int rc; /* 0, or the first export error */
	size_t bpf_len, pfc_len;
	unsigned char *bpf;
	char *pfc;
};

static inline void ki_blob_free(struct ki_blob *b)
{
	free(b->bpf);
	free(b->pfc);
	memset(b, 0, sizeof(*b));
}

/* read a whole (temporary) file back */
static inline char *ki_slurp(FILE *fp, size_t *len)
{
	long size;
	char *buf;

	fflush(fp);
	size = ftell(fp);
	if (size < 0)
		return NULL;
	buf = malloc((size_t)size + 1);
	if (!buf)
		return NULL;
	rewind(fp);
	if (fread(buf, 1, (size_t)size, fp) != (size_t)size) {
		free(buf);
		return NULL;
	}
	buf[size] = '\0';
	*len = (size_t)size;
	return buf;
}

/* export the program (seccomp_export_bpf_mem) and the PFC text of ctx */
static inline struct ki_blob ki_export(scmp_filter_ctx ctx)
{
	struct ki_blob b = {0};
	size_t len = 0;
	FILE *fp;

	b.rc = seccomp_export_bpf_mem(ctx, NULL, &len);
	if (b.rc < 0)
		return b;
	b.bpf = malloc(len ? len : 1);
	b.bpf_len = len;
	if (!b.bpf) {
		b.rc = -ENOMEM;
		return b;
	}
	b.rc = seccomp_export_bpf_mem(ctx, b.bpf, &b.bpf_len);
	if (b.rc < 0)
		return b;
	fp = tmpfile();
	if (!fp) {
		b.rc = -errno;
		return b;
	}
	b.rc = seccomp_export_pfc(ctx, fileno(fp));
	/* seccomp_export_pfc writes through its own dup()ed descriptor: seek to the end */
	fseek(fp, 0, SEEK_END);
	if (b.rc == 0) {
		b.pfc = ki_slurp(fp, &b.pfc_len);
		if (!b.pfc)
			b.rc = -ENOMEM;
	}
	fclose(fp);
	return b;
}

static inline bool ki_blob_eq(const struct ki_blob *a, const struct ki_blob *b)
{
	return a->rc == 0 && b->rc == 0 && a->bpf_len == b->bpf_len &&
	       memcmp(a->bpf, b->bpf, a->bpf_len) == 0 && a->pfc_len == b->pfc_len &&
	       memcmp(a->pfc, b->pfc, a->pfc_len) == 0;
}

/* a second architecture with the native byte order (multi-arch contexts), or 0 */
static inline uint32_t ki_other_arch(void)
{
	static const uint32_t le[] = {SCMP_ARCH_X86, SCMP_ARCH_X86_64, SCMP_ARCH_AARCH64,
	                              SCMP_ARCH_ARM, SCMP_ARCH_RISCV64};
	static const uint32_t be[] = {SCMP_ARCH_S390X, SCMP_ARCH_S390, SCMP_ARCH_PPC64,
	                              SCMP_ARCH_PPC};
	const int one = 1;
	bool little = *(const char *)&one == 1;
	const uint32_t *list = little ? le : be;
	size_t n = little ? sizeof(le) / sizeof(le[0]) : sizeof(be) / sizeof(be[0]);

	for (size_t i = 0; i < n; i++)
		if (list[i] != seccomp_arch_native())
			return list[i];
	return 0;
}

#endif
