/*
 * record.c - recording and replaying libseccomp API calls (see record.h).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "record.h"

struct rec_log *rec_current;

void rec_log_add(struct rec_log *log, const struct rec_op *op)
{
	if (log->n == log->cap) {
		log->cap = log->cap ? log->cap * 2 : 256;
		log->ops = realloc(log->ops, log->cap * sizeof(*log->ops));
		if (!log->ops)
			abort();
	}
	log->ops[log->n++] = *op;
}

void rec_log_free(struct rec_log *log)
{
	free(log->ops);
	memset(log, 0, sizeof(*log));
}

void rec_log_native_only(struct rec_log *log)
{
	size_t out = 0;
	for (size_t i = 0; i < log->n; i++)
		if (log->ops[i].type != REC_ARCH_ADD || log->ops[i].value == seccomp_arch_native())
			log->ops[out++] = log->ops[i];
	log->n = out;
}

static int id_of(scmp_filter_ctx ctx)
{
	return (int)(intptr_t)ctx - 1;
}

static scmp_filter_ctx ctx_of(int id)
{
	return (scmp_filter_ctx)(intptr_t)(id + 1);
}

scmp_filter_ctx rec_replay(const struct rec_log *log)
{
	scmp_filter_ctx ctxs[64] = {0};
	scmp_filter_ctx result;

	for (size_t i = 0; i < log->n; i++) {
		const struct rec_op *op = &log->ops[i];
		switch (op->type) {
		case REC_INIT:
			ctxs[op->ctx] = seccomp_init(op->value);
			break;
		case REC_ARCH_ADD:
			seccomp_arch_add(ctxs[op->ctx], op->value);
			break;
		case REC_ARCH_REMOVE:
			seccomp_arch_remove(ctxs[op->ctx], op->value);
			break;
		case REC_ATTR:
			seccomp_attr_set(ctxs[op->ctx], (enum scmp_filter_attr)op->attr, op->value);
			break;
		case REC_RULE:
			seccomp_rule_add_array(ctxs[op->ctx], op->value, op->syscall, op->cnt,
			                       op->args);
			break;
		case REC_MERGE:
			if (seccomp_merge(ctxs[op->ctx], ctxs[op->ctx2]) == 0)
				ctxs[op->ctx2] = NULL;
			break;
		case REC_RELEASE:
			seccomp_release(ctxs[op->ctx]);
			ctxs[op->ctx] = NULL;
			break;
		}
	}
	result = ctxs[log->result];
	for (int i = 0; i < 64; i++)
		if (i != log->result && ctxs[i])
			seccomp_release(ctxs[i]);
	return result;
}

scmp_filter_ctx rec_seccomp_init(uint32_t def_action)
{
	struct rec_op op = {.type = REC_INIT, .ctx = rec_current->nctx++, .value = def_action};
	rec_log_add(rec_current, &op);
	return ctx_of(op.ctx);
}

int rec_seccomp_arch_add(scmp_filter_ctx ctx, uint32_t token)
{
	struct rec_op op = {.type = REC_ARCH_ADD, .ctx = id_of(ctx), .value = token};
	rec_log_add(rec_current, &op);
	return 0;
}

int rec_seccomp_arch_remove(scmp_filter_ctx ctx, uint32_t token)
{
	struct rec_op op = {.type = REC_ARCH_REMOVE, .ctx = id_of(ctx), .value = token};
	rec_log_add(rec_current, &op);
	return 0;
}

int rec_seccomp_attr_set(scmp_filter_ctx ctx, enum scmp_filter_attr attr, uint32_t value)
{
	struct rec_op op = {.type = REC_ATTR, .ctx = id_of(ctx), .attr = attr, .value = value};
	rec_log_add(rec_current, &op);
	return 0;
}

int rec_seccomp_rule_add_array(scmp_filter_ctx ctx, uint32_t action, int syscall, unsigned int cnt,
                               const struct scmp_arg_cmp *args)
{
	struct rec_op op = {.type = REC_RULE,
	                    .ctx = id_of(ctx),
	                    .value = action,
	                    .syscall = syscall,
	                    .cnt = cnt > 6 ? 6 : cnt};
	memcpy(op.args, args, op.cnt * sizeof(*args));
	rec_log_add(rec_current, &op);
	return 0;
}

int rec_seccomp_merge(scmp_filter_ctx dst, scmp_filter_ctx src)
{
	struct rec_op op = {.type = REC_MERGE, .ctx = id_of(dst), .ctx2 = id_of(src)};
	rec_log_add(rec_current, &op);
	return 0;
}

void rec_seccomp_release(scmp_filter_ctx ctx)
{
	struct rec_op op = {.type = REC_RELEASE, .ctx = id_of(ctx)};
	rec_log_add(rec_current, &op);
}
