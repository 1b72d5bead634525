/*
 * record.h - a log of libseccomp API calls, recorded once and replayed against any library.
 *
 * The benchmark compiles tools/profile_build.c with its mutating seccomp_*() calls renamed to
 * the rec_*() recorders below, so JSON parsing happens once and only the library's own work
 * (building the filter and exporting it) is timed, identically for sysgate and libseccomp.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef SYSGATE_BENCH_RECORD_H
#define SYSGATE_BENCH_RECORD_H

#include <stdint.h>

#include <seccomp.h>

enum rec_type {
	REC_INIT,
	REC_ARCH_ADD,
	REC_ARCH_REMOVE,
	REC_ATTR,
	REC_RULE,
	REC_MERGE,
	REC_RELEASE
};

struct rec_op {
	enum rec_type type;
	int ctx, ctx2;    /* recorded context ids */
	uint32_t value;   /* action, arch token or attribute value */
	int attr;         /* REC_ATTR: the attribute */
	int syscall;      /* REC_RULE */
	unsigned int cnt; /* REC_RULE */
	struct scmp_arg_cmp args[6];
};

struct rec_log {
	struct rec_op *ops;
	size_t n, cap;
	int nctx;
	int result; /* the context id the profile compiler returned */
};

/* the log the recorders append to */
extern struct rec_log *rec_current;

void rec_log_add(struct rec_log *log, const struct rec_op *op);
void rec_log_free(struct rec_log *log);
/* drop every arch the log adds except `keep` (native-only variant of a multi-arch profile) */
void rec_log_native_only(struct rec_log *log);
/* replay against the linked library; returns the resulting context or NULL */
scmp_filter_ctx rec_replay(const struct rec_log *log);

scmp_filter_ctx rec_seccomp_init(uint32_t def_action);
int rec_seccomp_arch_add(scmp_filter_ctx ctx, uint32_t token);
int rec_seccomp_arch_remove(scmp_filter_ctx ctx, uint32_t token);
int rec_seccomp_attr_set(scmp_filter_ctx ctx, enum scmp_filter_attr attr, uint32_t value);
int rec_seccomp_rule_add_array(scmp_filter_ctx ctx, uint32_t action, int syscall, unsigned int cnt,
                               const struct scmp_arg_cmp *args);
int rec_seccomp_merge(scmp_filter_ctx dst, scmp_filter_ctx src);
void rec_seccomp_release(scmp_filter_ctx ctx);

#endif
