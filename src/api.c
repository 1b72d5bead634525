/*
 * api.c - the public libseccomp API: argument checking and errno mapping, nothing else.
 * (The resolver functions live in api_resolve.c, the notification ones in notify.c.)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>

#include "api.h"
#include "compile.h"
#include "arch/kvers.h"
#include "ctx.h"
#include "db.h"
#include "export.h"
#include "system.h"

int sg_rc_filter(int rc)
{
	if (rc >= 0)
		return rc;
	switch (-rc) {
	case EACCES:
	case ECANCELED:
	case EDOM:
	case EEXIST:
	case EINVAL:
	case ENOENT:
	case ENOMEM:
	case EOPNOTSUPP:
	case ERANGE:
	case ESRCH:
		return rc;
	default:
		return -EFAULT;
	}
}

/* a context argument, or NULL when it is not a live context */
static struct sg_filter *ctx_get(const scmp_filter_ctx ctx)
{
	struct sg_filter *f = (struct sg_filter *)ctx;
	return sg_filter_valid(f) ? f : NULL;
}

/* the context, if it is live and has at least one architecture (needed to compile) */
static struct sg_filter *ctx_get_arch(const scmp_filter_ctx ctx)
{
	struct sg_filter *f = ctx_get(ctx);
	return f && f->narch > 0 ? f : NULL;
}

/* valid action value that this kernel (or the forced API level) supports */
static bool action_ok(uint32_t action)
{
	return sg_action_valid(action) == 0 && sg_sys_action_supported(action);
}

SG_API const struct scmp_version *seccomp_version(void)
{
	static const struct scmp_version version = {SCMP_VER_MAJOR, SCMP_VER_MINOR, SCMP_VER_MICRO};
	return &version;
}

SG_API unsigned int seccomp_api_get(void)
{
	return sg_sys_api_level();
}

SG_API int seccomp_api_set(unsigned int level)
{
	return sg_sys_api_level_set(level);
}

SG_API scmp_filter_ctx seccomp_init(uint32_t def_action)
{
	if (!action_ok(def_action))
		return NULL;
	return sg_ctx_new(def_action);
}

SG_API int seccomp_reset(scmp_filter_ctx ctx, uint32_t def_action)
{
	struct sg_filter *f;

	if (!ctx) {
		/* process-wide state only: the listener fd and the probe results */
		sg_sys_reset();
		return 0;
	}
	f = ctx_get(ctx);
	if (!f || !action_ok(def_action))
		return -EINVAL;
	return sg_rc_filter(sg_filter_reset(f, def_action));
}

SG_API void seccomp_release(scmp_filter_ctx ctx)
{
	struct sg_filter *f = ctx_get(ctx);
	if (f)
		sg_ctx_free(f);
}

SG_API int seccomp_merge(scmp_filter_ctx ctx_dst, scmp_filter_ctx ctx_src)
{
	struct sg_filter *dst = ctx_get(ctx_dst), *src = ctx_get(ctx_src);
	int rc;

	if (!dst || !src)
		return -EINVAL;
	rc = sg_filter_merge(dst, src);
	if (rc == 0)
		sg_ctx_free(src); /* its rules now belong to dst */
	return sg_rc_filter(rc);
}

SG_API int seccomp_arch_exist(const scmp_filter_ctx ctx, uint32_t arch_token)
{
	struct sg_filter *f = ctx_get(ctx);
	const struct sg_arch *arch = sg_arch_by_token(arch_token);

	if (!f || !arch)
		return -EINVAL;
	return sg_filter_archdb(f, arch) ? 0 : -EEXIST;
}

SG_API int seccomp_arch_add(scmp_filter_ctx ctx, uint32_t arch_token)
{
	struct sg_filter *f = ctx_get(ctx);
	const struct sg_arch *arch = sg_arch_by_token(arch_token);

	if (!f || !arch)
		return -EINVAL;
	return sg_rc_filter(sg_filter_arch_add(f, arch));
}

SG_API int seccomp_arch_remove(scmp_filter_ctx ctx, uint32_t arch_token)
{
	struct sg_filter *f = ctx_get(ctx);
	const struct sg_arch *arch = sg_arch_by_token(arch_token);

	if (!f || !arch)
		return -EINVAL;
	return sg_rc_filter(sg_filter_arch_remove(f, arch));
}

SG_API int seccomp_load(const scmp_filter_ctx ctx)
{
	struct sg_filter *f = ctx_get_arch(ctx);
	const struct sg_program *prog;
	int rc;

	if (!f)
		return -EINVAL;
	/* everything that allocates happens here, before the filter is in force */
	rc = sg_filter_program(f, &prog);
	if (rc < 0)
		return sg_rc_filter(rc);
	/* kernel errors are already -ECANCELED, or the raw errno the caller asked for */
	return sg_sys_load(f, prog);
}

SG_API int seccomp_attr_get(const scmp_filter_ctx ctx, enum scmp_filter_attr attr, uint32_t *value)
{
	struct sg_filter *f = ctx_get(ctx);

	if (!f || !value)
		return -EINVAL;
	switch (attr) {
	case SCMP_FLTATR_ACT_DEFAULT:
		*value = f->act_default;
		break;
	case SCMP_FLTATR_ACT_BADARCH:
		*value = f->act_badarch;
		break;
	case SCMP_FLTATR_CTL_NNP:
		*value = f->nnp;
		break;
	case SCMP_FLTATR_CTL_TSYNC:
		*value = f->tsync;
		break;
	case SCMP_FLTATR_API_TSKIP:
		*value = f->tskip;
		break;
	case SCMP_FLTATR_CTL_LOG:
		*value = f->log;
		break;
	case SCMP_FLTATR_CTL_SSB:
		*value = f->ssb;
		break;
	case SCMP_FLTATR_CTL_OPTIMIZE:
		*value = f->optimize;
		break;
	case SCMP_FLTATR_API_SYSRAWRC:
		*value = f->rawrc;
		break;
	case SCMP_FLTATR_CTL_WAITKILL:
		*value = f->waitkill;
		break;
	case SCMP_FLTATR_ACT_ENOSYS:
		*value = f->act_enosys;
		break;
	case SCMP_FLTATR_CTL_KVERMAX:
		*value = f->kvermax;
		break;
	default:
		return -EINVAL;
	}
	return 0;
}

SG_API int seccomp_attr_set(scmp_filter_ctx ctx, enum scmp_filter_attr attr, uint32_t value)
{
	struct sg_filter *f = ctx_get(ctx);
	struct sg_features feat;
	bool on = value != 0;

	if (!f)
		return -EINVAL;
	feat = sg_sys_features();
	switch (attr) {
	case SCMP_FLTATR_ACT_DEFAULT:
		return -EACCES; /* fixed by seccomp_init() / seccomp_reset() */
	case SCMP_FLTATR_ACT_BADARCH:
		if (!action_ok(value))
			return -EINVAL;
		f->act_badarch = value;
		sg_filter_invalidate(f);
		break;
	case SCMP_FLTATR_CTL_NNP:
		f->nnp = on;
		break;
	case SCMP_FLTATR_CTL_TSYNC:
		/* TSYNC, LOG, SSB: refused on a kernel without the flag, whatever the value */
		if (!feat.flag_tsync)
			return -EOPNOTSUPP;
		/* without TSYNC_ESRCH the kernel cannot combine TSYNC with a listener */
		if (on && f->notify_used && !feat.flag_tsync_esrch)
			return -EINVAL;
		f->tsync = on;
		break;
	case SCMP_FLTATR_API_TSKIP:
		f->tskip = on;
		sg_filter_invalidate(f);
		break;
	case SCMP_FLTATR_CTL_LOG:
		if (!feat.flag_log)
			return -EOPNOTSUPP;
		f->log = on;
		break;
	case SCMP_FLTATR_CTL_SSB:
		if (!feat.flag_spec_allow)
			return -EOPNOTSUPP;
		f->ssb = on;
		break;
	case SCMP_FLTATR_CTL_OPTIMIZE:
		if (value != 1 && value != 2)
			return -EOPNOTSUPP;
		f->optimize = value;
		sg_filter_invalidate(f);
		break;
	case SCMP_FLTATR_API_SYSRAWRC:
		f->rawrc = on;
		break;
	case SCMP_FLTATR_CTL_WAITKILL:
		f->waitkill = on;
		break;
	case SCMP_FLTATR_ACT_ENOSYS:
		/* a listener would have to be requested for it: not worth the interplay with
		 * TSYNC, and "the kernel lacks this call" is an answer, not a question */
		if (!action_ok(value) || value == SCMP_ACT_NOTIFY)
			return -EINVAL;
		f->act_enosys = value;
		sg_filter_invalidate(f);
		break;
	case SCMP_FLTATR_CTL_KVERMAX:
		/* SCMP_KV_UNDEF turns the limit off; any release of the enum turns it on */
		if (value != SCMP_KV_UNDEF && !sg_kver_is_release(value))
			return -EINVAL;
		f->kvermax = value;
		sg_filter_invalidate(f);
		break;
	default:
		return -EINVAL;
	}
	return 0;
}

SG_API int seccomp_syscall_priority(scmp_filter_ctx ctx, int syscall, uint8_t priority)
{
	struct sg_filter *f = ctx_get_arch(ctx);

	if (!f)
		return -EINVAL;
	return sg_rc_filter(sg_filter_priority(f, syscall, priority));
}

static int rule_add(scmp_filter_ctx ctx, uint32_t action, int syscall, unsigned int arg_cnt,
                    const struct scmp_arg_cmp *args, bool exact)
{
	struct sg_filter *f = ctx_get_arch(ctx);

	if (!f || !action_ok(action))
		return -EINVAL;
	if (action == SCMP_ACT_NOTIFY && f->tsync && !sg_sys_features().flag_tsync_esrch)
		return -EINVAL;
	return sg_rc_filter(sg_filter_rule_add(f, action, syscall, arg_cnt, args, exact));
}

SG_API int seccomp_rule_add_array(scmp_filter_ctx ctx, uint32_t action, int syscall,
                                  unsigned int arg_cnt, const struct scmp_arg_cmp *arg_array)
{
	return rule_add(ctx, action, syscall, arg_cnt, arg_array, false);
}

SG_API int seccomp_rule_add_exact_array(scmp_filter_ctx ctx, uint32_t action, int syscall,
                                        unsigned int arg_cnt, const struct scmp_arg_cmp *arg_array)
{
	return rule_add(ctx, action, syscall, arg_cnt, arg_array, true);
}

/* the varargs forms: struct scmp_arg_cmp passed by value, at most SG_MAX_ARGS of them */
static int rule_add_va(scmp_filter_ctx ctx, uint32_t action, int syscall, unsigned int arg_cnt,
                       va_list ap, bool exact)
{
	struct scmp_arg_cmp args[SG_MAX_ARGS];

	if (arg_cnt > SG_MAX_ARGS)
		return -EINVAL;
	for (unsigned int i = 0; i < arg_cnt; i++)
		args[i] = va_arg(ap, struct scmp_arg_cmp);
	return rule_add(ctx, action, syscall, arg_cnt, args, exact);
}

SG_API int seccomp_rule_add(scmp_filter_ctx ctx, uint32_t action, int syscall, unsigned int arg_cnt,
                            ...)
{
	va_list ap;
	va_start(ap, arg_cnt);
	int rc = rule_add_va(ctx, action, syscall, arg_cnt, ap, false);
	va_end(ap);
	return rc;
}

SG_API int seccomp_rule_add_exact(scmp_filter_ctx ctx, uint32_t action, int syscall,
                                  unsigned int arg_cnt, ...)
{
	va_list ap;
	va_start(ap, arg_cnt);
	int rc = rule_add_va(ctx, action, syscall, arg_cnt, ap, true);
	va_end(ap);
	return rc;
}

SG_API int seccomp_export_pfc(const scmp_filter_ctx ctx, int fd)
{
	struct sg_filter *f = ctx_get_arch(ctx);

	if (!f)
		return -EINVAL;
	/* write errors are -ECANCELED, or raw with SCMP_FLTATR_API_SYSRAWRC */
	return sg_export_pfc(f, fd);
}

SG_API int seccomp_export_bpf(const scmp_filter_ctx ctx, int fd)
{
	struct sg_filter *f = ctx_get_arch(ctx);
	const struct sg_program *prog;
	int rc;

	if (!f)
		return -EINVAL;
	rc = sg_filter_program(f, &prog);
	if (rc < 0)
		return sg_rc_filter(rc);
	/* write errors are -ECANCELED, or raw with SCMP_FLTATR_API_SYSRAWRC */
	return sg_export_bpf(f, fd);
}

SG_API int seccomp_export_bpf_mem(const scmp_filter_ctx ctx, void *buf, size_t *len)
{
	struct sg_filter *f = ctx_get_arch(ctx);

	if (!f || !len)
		return -EINVAL;
	return sg_rc_filter(sg_export_bpf_mem(f, buf, len));
}

SG_API int seccomp_precompute(const scmp_filter_ctx ctx)
{
	struct sg_filter *f = ctx_get_arch(ctx);
	const struct sg_program *prog;

	if (!f)
		return -EINVAL;
	return sg_rc_filter(sg_filter_program(f, &prog));
}

SG_API int seccomp_transaction_start(const scmp_filter_ctx ctx)
{
	struct sg_filter *f = ctx_get(ctx);

	if (!f)
		return -EINVAL;
	return sg_rc_filter(sg_filter_txn_start(f));
}

SG_API void seccomp_transaction_reject(const scmp_filter_ctx ctx)
{
	struct sg_filter *f = ctx_get(ctx);
	if (f)
		sg_filter_txn_reject(f);
}

SG_API int seccomp_transaction_commit(const scmp_filter_ctx ctx)
{
	struct sg_filter *f = ctx_get(ctx);

	if (!f)
		return -EINVAL;
	sg_filter_txn_commit(f);
	return 0;
}
