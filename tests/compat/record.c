/*
 * record.c - LD_PRELOAD shim that records a program's libseccomp calls as a C reproducer.
 *
 * When a real client misbehaves on sysgate, this turns its exact sequence of libseccomp calls
 * into a standalone C program that uses only the public API:
 *
 *   cc -shared -fPIC -o record.so tests/compat/record.c -ldl
 *   SYSGATE_RECORD=/tmp/repro LD_PRELOAD=$PWD/record.so LD_LIBRARY_PATH=.libs man -l page.1
 *   # → /tmp/repro.<pid>.<n>.c: one complete program per seccomp_load() of each process; build
 *   #   it against either library and compare its output (export rc and PFC)
 *
 * Every filter-building call is forwarded to the next definition (the library under test) and
 * written out with its return value as a comment. Variadic rule-adds are forwarded through the
 * _array variants (same semantics). Calls from a process that forks are recorded per PID.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#define _GNU_SOURCE
#include <dlfcn.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <seccomp.h>

#define API __attribute__((visibility("default")))

static FILE *out;
static pid_t out_pid;
static int seq;
static void *ctxs[64];
static int nctx;

static char cur_path[4096];

static FILE *rec(void)
{
	const char *base = getenv("SYSGATE_RECORD");
	char path[4096], buf[4096];
	FILE *parent = NULL;
	size_t n;

	if (!base)
		return NULL;
	if (out && out_pid == getpid())
		return out;
	/* a forked child continues its parent's recording: start from a copy of it */
	if (out && cur_path[0])
		parent = fopen(cur_path, "r");
	snprintf(path, sizeof(path), "%s.%d.%d.c", base, (int)getpid(), seq++);
	out = fopen(path, "w");
	out_pid = getpid();
	if (!out) {
		if (parent)
			fclose(parent);
		return NULL;
	}
	snprintf(cur_path, sizeof(cur_path), "%s", path);
	setvbuf(out, NULL, _IOLBF, 0);
	if (parent) {
		while ((n = fread(buf, 1, sizeof(buf), parent)) > 0)
			fwrite(buf, 1, n, out);
		fclose(parent);
		fprintf(out, "\t/* --- fork: process %d --- */\n", (int)getpid());
	} else {
		fprintf(out, "/* recorded by tests/compat/record.c */\n#include <errno.h>\n#include <stdio.h>\n"
			     "#include <seccomp.h>\n\nint main(void)\n{\n\tscmp_filter_ctx c[64] = {0};\n"
			     "\tint rc;\n\t(void)rc;\n");
	}
	return out;
}

static int ctx_id(void *ctx)
{
	for (int i = 0; i < nctx; i++)
		if (ctxs[i] == ctx)
			return i;
	if (nctx < 64) {
		ctxs[nctx] = ctx;
		return nctx++;
	}
	return 63;
}

#define NEXT(name) ((__typeof__(&name))dlsym(RTLD_NEXT, #name))

static void cmps(FILE *f, unsigned int n, const struct scmp_arg_cmp *a)
{
	fprintf(f, "(const struct scmp_arg_cmp[]){");
	for (unsigned int i = 0; i < n; i++)
		fprintf(f, "%s{%u, %d, 0x%" PRIx64 "ULL, 0x%" PRIx64 "ULL}", i ? ", " : "", a[i].arg,
			(int)a[i].op, a[i].datum_a, a[i].datum_b);
	fprintf(f, n ? "}" : "{0}}");
}

API scmp_filter_ctx seccomp_init(uint32_t def_action)
{
	scmp_filter_ctx r = NEXT(seccomp_init)(def_action);
	FILE *f = rec();
	if (f)
		fprintf(f, "\tc[%d] = seccomp_init(0x%08" PRIx32 "U); /* %s */\n", ctx_id(r), def_action,
			r ? "ok" : "NULL");
	return r;
}

API int seccomp_reset(scmp_filter_ctx ctx, uint32_t def_action)
{
	int r = NEXT(seccomp_reset)(ctx, def_action);
	FILE *f = rec();
	if (f)
		fprintf(f, "\trc = seccomp_reset(c[%d], 0x%08" PRIx32 "U); /* = %d */\n", ctx ? ctx_id(ctx) : 63,
			def_action, r);
	return r;
}

API void seccomp_release(scmp_filter_ctx ctx)
{
	FILE *f = rec();
	if (f && ctx)
		fprintf(f, "\tseccomp_release(c[%d]);\n", ctx_id(ctx));
	NEXT(seccomp_release)(ctx);
}

API int seccomp_arch_add(scmp_filter_ctx ctx, uint32_t a)
{
	int r = NEXT(seccomp_arch_add)(ctx, a);
	FILE *f = rec();
	if (f)
		fprintf(f, "\trc = seccomp_arch_add(c[%d], 0x%08" PRIx32 "U); /* = %d */\n", ctx_id(ctx), a, r);
	return r;
}

API int seccomp_arch_remove(scmp_filter_ctx ctx, uint32_t a)
{
	int r = NEXT(seccomp_arch_remove)(ctx, a);
	FILE *f = rec();
	if (f)
		fprintf(f, "\trc = seccomp_arch_remove(c[%d], 0x%08" PRIx32 "U); /* = %d */\n", ctx_id(ctx), a, r);
	return r;
}

API int seccomp_attr_set(scmp_filter_ctx ctx, enum scmp_filter_attr attr, uint32_t v)
{
	int r = NEXT(seccomp_attr_set)(ctx, attr, v);
	FILE *f = rec();
	if (f)
		fprintf(f, "\trc = seccomp_attr_set(c[%d], %d, 0x%" PRIx32 "); /* = %d */\n", ctx_id(ctx), (int)attr, v, r);
	return r;
}

API int seccomp_syscall_priority(scmp_filter_ctx ctx, int sc, uint8_t prio)
{
	int r = NEXT(seccomp_syscall_priority)(ctx, sc, prio);
	FILE *f = rec();
	if (f)
		fprintf(f, "\trc = seccomp_syscall_priority(c[%d], %d, %u); /* = %d */\n", ctx_id(ctx), sc, prio, r);
	return r;
}

static int add(int exact, scmp_filter_ctx ctx, uint32_t act, int sc, unsigned int n,
	       const struct scmp_arg_cmp *a)
{
	int r = exact ? NEXT(seccomp_rule_add_exact_array)(ctx, act, sc, n, a)
		      : NEXT(seccomp_rule_add_array)(ctx, act, sc, n, a);
	FILE *f = rec();
	if (f) {
		fprintf(f, "\trc = seccomp_rule_add%s_array(c[%d], 0x%08" PRIx32 "U, %d, %u, ",
			exact ? "_exact" : "", ctx_id(ctx), act, sc, n);
		cmps(f, n, a);
		fprintf(f, "); /* = %d */\n", r);
	}
	return r;
}

API int seccomp_rule_add_array(scmp_filter_ctx ctx, uint32_t act, int sc, unsigned int n,
			       const struct scmp_arg_cmp *a)
{
	return add(0, ctx, act, sc, n, a);
}

API int seccomp_rule_add_exact_array(scmp_filter_ctx ctx, uint32_t act, int sc, unsigned int n,
				     const struct scmp_arg_cmp *a)
{
	return add(1, ctx, act, sc, n, a);
}

static int add_va(int exact, scmp_filter_ctx ctx, uint32_t act, int sc, unsigned int n, va_list ap)
{
	struct scmp_arg_cmp a[8];
	if (n > 6) /* let the library reject it */
		return add(exact, ctx, act, sc, n, NULL);
	for (unsigned int i = 0; i < n; i++)
		a[i] = va_arg(ap, struct scmp_arg_cmp);
	return add(exact, ctx, act, sc, n, a);
}

API int seccomp_rule_add(scmp_filter_ctx ctx, uint32_t act, int sc, unsigned int n, ...)
{
	va_list ap;
	va_start(ap, n);
	int r = add_va(0, ctx, act, sc, n, ap);
	va_end(ap);
	return r;
}

API int seccomp_rule_add_exact(scmp_filter_ctx ctx, uint32_t act, int sc, unsigned int n, ...)
{
	va_list ap;
	va_start(ap, n);
	int r = add_va(1, ctx, act, sc, n, ap);
	va_end(ap);
	return r;
}

API int seccomp_merge(scmp_filter_ctx dst, scmp_filter_ctx src)
{
	int d = ctx_id(dst), s = ctx_id(src);
	int r = NEXT(seccomp_merge)(dst, src);
	FILE *f = rec();
	if (f)
		fprintf(f, "\trc = seccomp_merge(c[%d], c[%d]); /* = %d */\n", d, s, r);
	return r;
}

API int seccomp_load(const scmp_filter_ctx ctx)
{
	FILE *f = rec();
	if (f)
		fprintf(f, "\t/* the original program loaded this filter: */\n"
			   "\trc = seccomp_export_bpf_mem(c[%d], NULL, &(size_t){0});\n"
			   "\tfprintf(stderr, \"load-equivalent: export rc=%%d\\n\", rc);\n"
			   "\tseccomp_export_pfc(c[%d], 1);\n",
			ctx_id(ctx), ctx_id(ctx));
	int r = NEXT(seccomp_load)(ctx);
	if (f) {
		/* one reproducer per load: close this one, later calls start the next file */
		fprintf(f, "\t/* seccomp_load(c[%d]) returned %d in the original program */\n"
			   "\treturn 0;\n}\n", ctx_id(ctx), r);
		fclose(f);
		out = NULL;
		cur_path[0] = 0;
	}
	return r;
}

API int seccomp_export_bpf(const scmp_filter_ctx ctx, int fd)
{
	int r = NEXT(seccomp_export_bpf)(ctx, fd);
	FILE *f = rec();
	if (f)
		fprintf(f, "\trc = seccomp_export_bpf(c[%d], 1); /* = %d */\n", ctx_id(ctx), r);
	return r;
}

API int seccomp_export_bpf_mem(const scmp_filter_ctx ctx, void *buf, size_t *len)
{
	int r = NEXT(seccomp_export_bpf_mem)(ctx, buf, len);
	FILE *f = rec();
	if (f)
		fprintf(f, "\t/* seccomp_export_bpf_mem(c[%d], ...) = %d, len %zu */\n", ctx_id(ctx), r,
			len ? *len : 0);
	return r;
}
