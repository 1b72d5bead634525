/*
 * record.h - scmp_record: run a command, see every system call it makes, and turn what was
 * seen into a policy.
 *
 * Two layers: the engine (record_engine.c) runs the command under a filter that reports
 * each syscall (user-space notification with the CONTINUE response, or SECCOMP_RET_TRACE
 * with ptrace) and hands each one to a callback; the model (record_model.c) keeps what was
 * seen per ABI and syscall, reads and writes raw recordings, and writes the policy as an
 * OCI/Docker JSON profile, C code or PFC.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef SYSGATE_TOOLS_RECORD_H
#define SYSGATE_TOOLS_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <seccomp.h>

/* ---- engine ---- */

enum rec_method {
	REC_AUTO,   /* notification if the kernel has it (5.5+ CONTINUE, 5.6+ pidfd_getfd) */
	REC_NOTIFY, /* SCMP_ACT_NOTIFY + SECCOMP_USER_NOTIF_FLAG_CONTINUE */
	REC_PTRACE, /* SCMP_ACT_TRACE + PTRACE_O_TRACESECCOMP + PTRACE_GET_SYSCALL_INFO */
};

/* one syscall as the kernel reported it */
struct rec_call {
	uint32_t arch;    /* seccomp_data.arch (AUDIT_ARCH_*) */
	int32_t nr;       /* seccomp_data.nr (x32 numbers carry 0x40000000) */
	uint64_t args[6]; /* the argument registers (pointer arguments are never followed) */
	int32_t pid;      /* the thread that made it */
};

/* called for every syscall from the command's first execve on; a negative return stops the
 * recording (the command is killed) and is returned by rec_run */
typedef int (*rec_sink_fn)(void *ctx, const struct rec_call *call);

struct rec_result {
	enum rec_method method; /* the method that was used */
	int status;             /* the command's wait status (as from waitpid) */
	uint64_t calls;         /* syscalls seen */
	bool exec_failed;       /* rec_run failed because the command could not be run */
};

/*
 * Run argv (argv[0] searched in PATH) with every syscall reported to sink, following forks,
 * threads and execs, until every process of the command has exited. Returns 0 and fills
 * *res, or a negative errno with a message in err (nothing could be recorded: the method is
 * unavailable, the command could not be started, ...).
 */
int rec_run(char *const argv[], enum rec_method method, rec_sink_fn sink, void *sink_ctx,
            struct rec_result *res, char *err, size_t errlen);

const char *rec_method_name(enum rec_method m);

/* ---- model ---- */

struct rec_model;

/* how a policy is written from a model */
#define REC_KV_AUTO (-1)

struct rec_policy_opts {
	bool args;               /* constrain the learnable arguments (--args) */
	unsigned int max_values; /* at most this many distinct argument tuples per syscall */
	uint32_t def_action;     /* SCMP_ACT_* for everything not recorded */
	/* kernel-version limit (SCMP_FLTATR_CTL_KVERMAX): an SCMP_KV_* release, REC_KV_AUTO for
	 * the newest release among the recorded syscalls, or 0 for none */
	int kvmax;
	const char *command; /* the recorded command, for the header comment (or NULL) */
};

struct rec_model *rec_model_new(void);
void rec_model_free(struct rec_model *m);

/* the rec_sink_fn that adds a call to a model (ctx is the model) */
int rec_model_sink(void *ctx, const struct rec_call *call);

/* raw recordings: a text file of "ABI SYSCALL COUNT [aN=VALUE ...|many]" lines */
int rec_model_write_raw(const struct rec_model *m, FILE *out, const char *command);
int rec_model_read_raw(struct rec_model *m, FILE *in, const char *name, char *err, size_t errlen);

/* number of distinct (ABI, syscall) pairs */
size_t rec_model_count(const struct rec_model *m);

/* the policy as a filter context (for PFC, and to check that what is written compiles);
 * resolves o->kvmax == REC_KV_AUTO to the release it picks */
int rec_model_build(const struct rec_model *m, struct rec_policy_opts *o, scmp_filter_ctx *out);
/* the policy as an OCI/Docker JSON profile, or as C code */
int rec_model_write_json(const struct rec_model *m, const struct rec_policy_opts *o, FILE *out);
int rec_model_write_c(const struct rec_model *m, const struct rec_policy_opts *o, FILE *out);

#endif
