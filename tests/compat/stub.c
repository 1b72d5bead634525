/*
 * stub.c - negative controls for tests/compat/clients.sh: two fake libseccomp.so.2 builds that
 * every client check must reject.
 *
 *   (default)      "stub": every function reports success and nothing is ever loaded:
 *                  seccomp_load() returns 0 without a syscall, seccomp_export_bpf() writes an
 *                  empty program.
 *   -DSTUB_ALLOW   "allow-everything": seccomp_load() really installs a filter, but one that
 *                  returns SECCOMP_RET_ALLOW for every call (so /proc/PID/status says Seccomp: 2),
 *                  and seccomp_export_bpf()/_mem() hand out that same one-instruction program.
 *
 * Name resolution answers are fixed "successes" too (every name is syscall 0, every number is
 * "read"): a fake library has no tables. Nothing here includes <seccomp.h>: the prototypes are
 * spelled out, as a third party writing a fake would.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define _GNU_SOURCE
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#define API __attribute__((visibility("default")))

struct scmp_version {
	unsigned int major, minor, micro;
};
static const struct scmp_version version = {2, 6, 1};

#ifdef STUB_ALLOW
static struct sock_filter allow_all[] = {BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)};
static const size_t prog_len = sizeof(allow_all);
#else
static const size_t prog_len = 0;
#endif

API const struct scmp_version *seccomp_version(void) { return &version; }
API unsigned int seccomp_api_get(void) { return 7; }
API int seccomp_api_set(unsigned int level) { (void)level; return 0; }
/* a context remembers its architectures, so that callers' sanity checks pass (systemd asserts
 * them) and the client gets as far as loading its filter */
struct ctx {
	uint32_t arch[32];
	unsigned int n;
};
#define NATIVE 0xc000003eU /* AUDIT_ARCH_X86_64 */
static uint32_t tok(uint32_t a) { return a ? a : NATIVE; }
static int find(struct ctx *c, uint32_t a)
{
	for (unsigned int i = 0; c && i < c->n; i++)
		if (c->arch[i] == tok(a))
			return (int)i;
	return -1;
}
API void *seccomp_init(uint32_t def_action)
{
	struct ctx *c = calloc(1, sizeof(*c));
	(void)def_action;
	if (c)
		c->arch[c->n++] = NATIVE;
	return c;
}
API int seccomp_reset(void *ctx, uint32_t def_action)
{
	struct ctx *c = ctx;
	(void)def_action;
	if (c) {
		c->n = 0;
		c->arch[c->n++] = NATIVE;
	}
	return 0;
}
API void seccomp_release(void *ctx) { free(ctx); }
API int seccomp_merge(void *dst, void *src) { (void)dst; free(src); return 0; }
API uint32_t seccomp_arch_native(void) { return NATIVE; }
API uint32_t seccomp_arch_resolve_name(const char *name) { (void)name; return NATIVE; }
API int seccomp_arch_exist(void *ctx, uint32_t a) { return find(ctx, a) >= 0 ? 0 : -EEXIST; }
API int seccomp_arch_add(void *ctx, uint32_t a)
{
	struct ctx *c = ctx;
	if (find(c, a) >= 0)
		return -EEXIST;
	if (c && c->n < 32)
		c->arch[c->n++] = tok(a);
	return 0;
}
API int seccomp_arch_remove(void *ctx, uint32_t a)
{
	struct ctx *c = ctx;
	int i = find(c, a);
	if (i < 0)
		return -EEXIST;
	c->arch[i] = c->arch[--c->n];
	return 0;
}
API int seccomp_load(void *ctx)
{
	(void)ctx;
#ifdef STUB_ALLOW
	struct sock_fprog prog = {1, allow_all};
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
	    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) != 0)
		return -ECANCELED;
#endif
	return 0;
}
API int seccomp_attr_get(void *ctx, int attr, uint32_t *value)
{
	(void)ctx;
	if (value)
		*value = (attr == 3 /* NNP */ || attr == 8 /* OPTIMIZE */) ? 1 : 0;
	return 0;
}
API int seccomp_attr_set(void *ctx, int attr, uint32_t value) { (void)ctx; (void)attr; (void)value; return 0; }
API char *seccomp_syscall_resolve_num_arch(uint32_t a, int num) { (void)a; (void)num; return strdup("read"); }
API int seccomp_syscall_resolve_name_arch(uint32_t a, const char *name) { (void)a; (void)name; return 0; }
API int seccomp_syscall_resolve_name_rewrite(uint32_t a, const char *name) { (void)a; (void)name; return 0; }
API int seccomp_syscall_resolve_name(const char *name) { (void)name; return 0; }
API int seccomp_syscall_priority(void *ctx, int sc, uint8_t prio) { (void)ctx; (void)sc; (void)prio; return 0; }
API int seccomp_rule_add_array(void *ctx, uint32_t act, int sc, unsigned int n, const void *a)
{
	(void)ctx; (void)act; (void)sc; (void)n; (void)a;
	return 0;
}
API int seccomp_rule_add(void *ctx, uint32_t act, int sc, unsigned int n, ...)
{
	(void)ctx; (void)act; (void)sc; (void)n;
	return 0;
}
API int seccomp_rule_add_exact_array(void *ctx, uint32_t act, int sc, unsigned int n, const void *a)
{
	(void)ctx; (void)act; (void)sc; (void)n; (void)a;
	return 0;
}
API int seccomp_rule_add_exact(void *ctx, uint32_t act, int sc, unsigned int n, ...)
{
	(void)ctx; (void)act; (void)sc; (void)n;
	return 0;
}
API int seccomp_notify_alloc(void **req, void **resp)
{
	if (req)
		*req = calloc(1, 128);
	if (resp)
		*resp = calloc(1, 64);
	return 0;
}
API void seccomp_notify_free(void *req, void *resp) { free(req); free(resp); }
API int seccomp_notify_receive(int fd, void *req) { (void)fd; (void)req; return 0; }
API int seccomp_notify_respond(int fd, void *resp) { (void)fd; (void)resp; return 0; }
API int seccomp_notify_id_valid(int fd, uint64_t id) { (void)fd; (void)id; return 0; }
API int seccomp_notify_addfd(int fd, void *addfd) { (void)fd; (void)addfd; return 0; }
API int seccomp_notify_fd(void *ctx) { (void)ctx; return -EFAULT; }
API int seccomp_export_pfc(void *ctx, int fd) { (void)ctx; (void)fd; return 0; }
API int seccomp_export_bpf(void *ctx, int fd)
{
	(void)ctx;
#ifdef STUB_ALLOW
	if (write(fd, allow_all, sizeof(allow_all)) != (ssize_t)sizeof(allow_all))
		return -ECANCELED;
#else
	(void)fd;
#endif
	return 0;
}
API int seccomp_export_bpf_mem(void *ctx, void *buf, size_t *len)
{
	(void)ctx;
	if (!len)
		return -EINVAL;
	if (buf && *len < prog_len) {
		*len = prog_len;
		return -ERANGE;
	}
#ifdef STUB_ALLOW
	if (buf)
		memcpy(buf, allow_all, sizeof(allow_all));
#endif
	*len = prog_len;
	return 0;
}
API int seccomp_precompute(void *ctx) { (void)ctx; return 0; }
API int seccomp_transaction_start(void *ctx) { (void)ctx; return 0; }
API void seccomp_transaction_reject(void *ctx) { (void)ctx; }
API int seccomp_transaction_commit(void *ctx) { (void)ctx; return 0; }
