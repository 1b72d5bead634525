/*
 * refdiff_ref.c - the reference libseccomp for test_refdiff, as a black box: loaded with
 * dlopen(), each policy run in a child process that reports every return code and the
 * exported program through a pipe.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <check.h>
#include <dlfcn.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <seccomp.h>

#include "bpf.h"
#include "refdiff.h"
#include "testutil.h"

/*
 * The reference library
 */

struct ref_lib reflib;
char ref_version[24] = "?";

#if defined(__x86_64__) && defined(__ILP32__)
#define MULTIARCH "x86_64-linux-gnux32"
#elif defined(__x86_64__)
#define MULTIARCH "x86_64-linux-gnu"
#elif defined(__i386__)
#define MULTIARCH "i386-linux-gnu"
#elif defined(__aarch64__)
#define MULTIARCH "aarch64-linux-gnu"
#elif defined(__arm__)
#define MULTIARCH "arm-linux-gnueabihf"
#elif defined(__s390x__)
#define MULTIARCH "s390x-linux-gnu"
#elif defined(__powerpc64__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define MULTIARCH "powerpc64le-linux-gnu"
#elif defined(__riscv) && __riscv_xlen == 64
#define MULTIARCH "riscv64-linux-gnu"
#else
#define MULTIARCH "unknown"
#endif

#define REF_DLFLAGS TU_REF_DLFLAGS /* testutil.h */

static void *ref_sym(const char *name, bool *ok)
{
	void *p = dlsym(reflib.handle, name);
	if (!p) {
		printf("SKIP: the reference %s has no %s\n", reflib.path, name);
		*ok = false;
	}
	return p;
}

bool ref_open(void)
{
	static const char *const paths[] = {
	    "/lib/" MULTIARCH "/libseccomp.so.2", "/usr/lib/" MULTIARCH "/libseccomp.so.2",
	    "/usr/lib64/libseccomp.so.2",         "/lib64/libseccomp.so.2",
	    "/usr/lib/libseccomp.so.2",
	};
	const char *env = getenv("SYSGATE_REF_LIBSECCOMP");
	bool ok = true;

	for (size_t i = 0; !reflib.handle && i < (env ? 1 : sizeof(paths) / sizeof(paths[0]));
	     i++) {
		reflib.path = env ? env : paths[i];
		reflib.handle = dlopen(reflib.path, REF_DLFLAGS);
	}
	if (!reflib.handle) {
		printf("SKIP: no reference libseccomp.so.2 (%s)\n", dlerror());
		return false;
	}
	/* the function pointer casts go through void * as POSIX allows */
	*(void **)&reflib.version = ref_sym("seccomp_version", &ok);
	*(void **)&reflib.init = ref_sym("seccomp_init", &ok);
	*(void **)&reflib.release = ref_sym("seccomp_release", &ok);
	*(void **)&reflib.api.arch_add = ref_sym("seccomp_arch_add", &ok);
	*(void **)&reflib.api.arch_remove = ref_sym("seccomp_arch_remove", &ok);
	*(void **)&reflib.api.attr_set = ref_sym("seccomp_attr_set", &ok);
	*(void **)&reflib.api.rule_add_array = ref_sym("seccomp_rule_add_array", &ok);
	*(void **)&reflib.api.rule_add_exact_array = ref_sym("seccomp_rule_add_exact_array", &ok);
	*(void **)&reflib.api.priority = ref_sym("seccomp_syscall_priority", &ok);
	*(void **)&reflib.export_bpf = ref_sym("seccomp_export_bpf", &ok);
	*(void **)&reflib.resolve_name_arch = ref_sym("seccomp_syscall_resolve_name_arch", &ok);
	*(void **)&reflib.resolve_name_rewrite =
	    ref_sym("seccomp_syscall_resolve_name_rewrite", &ok);
	*(void **)&reflib.api_set = ref_sym("seccomp_api_set", &ok);
	if (!ok)
		return false;
	if (getenv("SYSGATE_TEST_API_LEVEL"))
		reflib.api_set((unsigned int)atoi(getenv("SYSGATE_TEST_API_LEVEL")));
	/* make sure we are not comparing sysgate with itself */
	if ((void *)reflib.init == (void *)seccomp_init) {
		printf("SKIP: the reference %s resolves to sysgate itself\n", reflib.path);
		return false;
	}
	const struct scmp_version *v = reflib.version();
	snprintf(ref_version, sizeof(ref_version), "%u.%u.%u", v->major, v->minor, v->micro);
	printf("refdiff: reference %s, libseccomp %s\n", reflib.path, ref_version);
	if (v->major != 2)
		printf("SKIP: the reference is libseccomp %s, not 2.x\n", ref_version);
	return v->major == 2;
}

int call_run(const struct lib_api *api, scmp_filter_ctx ctx, const struct call *c)
{
	switch (c->kind) {
	case C_ARCH_REMOVE:
		return api->arch_remove(ctx, c->u);
	case C_ARCH_ADD:
		return api->arch_add(ctx, c->u);
	case C_ATTR:
		return api->attr_set(ctx, (enum scmp_filter_attr)c->attr, c->u);
	case C_PRIO:
		return api->priority(ctx, c->nr, (uint8_t)c->u);
	case C_RULE:
		return api->rule_add_array(ctx, c->u, c->nr, c->cnt, c->cmp);
	case C_RULE_EXACT:
		return api->rule_add_exact_array(ctx, c->u, c->nr, c->cnt, c->cmp);
	}
	return -1;
}

/*
 * libseccomp in a child process: it writes each return code as the call returns, then the
 * export's return code, the program length and the program
 */
static void ref_child(const struct script *s, int fd)
{
	scmp_filter_ctx ctx = reflib.init(s->def);
	int memfd = memfd_create("refdiff", 0), rc;
	uint32_t len = 0;
	struct sock_filter *prog = NULL;

	if (!ctx || memfd < 0 ||
	    reflib.api.attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, (uint32_t)s->opt_ref))
		_exit(3);
	for (int i = 0; i < s->n; i++) {
		rc = call_run(&reflib.api, ctx, &s->c[i]);
		if (write(fd, &rc, sizeof(rc)) != sizeof(rc))
			_exit(4);
	}
	rc = reflib.export_bpf(ctx, memfd);
	if (rc == 0) {
		off_t size = lseek(memfd, 0, SEEK_END);
		len = (uint32_t)(size / (off_t)sizeof(*prog));
		prog = malloc((size_t)size + 1);
		if (!prog || pread(memfd, prog, (size_t)size, 0) != size)
			_exit(5);
	}
	if (write(fd, &rc, sizeof(rc)) != sizeof(rc) || write(fd, &len, sizeof(len)) != sizeof(len))
		_exit(4);
	reflib.release(ctx);
	for (size_t off = 0; off < len * sizeof(*prog);) {
		ssize_t n = write(fd, (char *)prog + off, len * sizeof(*prog) - off);
		if (n <= 0)
			_exit(4);
		off += (size_t)n;
	}
	free(prog);
	_exit(0);
}

/* libseccomp's calls take microseconds: no progress for this long is a hang */
static double ref_timeout(void)
{
	const char *env = getenv("SYSGATE_REFDIFF_TIMEOUT");
	return env ? atof(env) : 0.5;
}

/* run the script on libseccomp in a child; a child that takes too long is killed */
void ref_run(const struct script *s, bool big_endian, struct ref_result *res)
{
	int pfd[2], status;
	pid_t pid;
	char *buf = NULL;
	size_t len = 0, cap = 0;
	struct timespec t0, now;

	memset(res, 0, sizeof(*res));
	res->export_rc = 1;
	ck_assert_int_eq(pipe(pfd), 0);
	fflush(stdout);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		close(pfd[0]);
		ref_child(s, pfd[1]);
	}
	close(pfd[1]);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		struct pollfd pf = {.fd = pfd[0], .events = POLLIN};
		double left;
		clock_gettime(CLOCK_MONOTONIC, &now);
		left = ref_timeout() - (double)(now.tv_sec - t0.tv_sec) -
		       (double)(now.tv_nsec - t0.tv_nsec) / 1e9;
		if (left <= 0) {
			kill(pid, SIGKILL);
			res->hung = true;
			break;
		}
		if (poll(&pf, 1, (int)(left * 1000) + 1) <= 0)
			continue;
		if (len + 4096 > cap) {
			cap = cap ? cap * 2 : 65536;
			buf = realloc(buf, cap);
			ck_assert_ptr_nonnull(buf);
		}
		ssize_t n = read(pfd[0], buf + len, cap - len);
		if (n <= 0)
			break;
		len += (size_t)n;
		t0 = now; /* progress */
	}
	close(pfd[0]);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	if (!res->hung && !(WIFEXITED(status) && WEXITSTATUS(status) == 0))
		res->crashed = true;
	res->ndone = (int)(len / sizeof(int));
	if (res->ndone > s->n)
		res->ndone = s->n;
	memcpy(res->rcs, buf, (size_t)res->ndone * sizeof(int));
	if (!res->hung && !res->crashed) {
		size_t off = (size_t)s->n * sizeof(int);
		uint32_t plen;
		ck_assert_uint_ge(len, off + sizeof(int) + sizeof(plen));
		memcpy(&res->export_rc, buf + off, sizeof(int));
		memcpy(&plen, buf + off + sizeof(int), sizeof(plen));
		off += sizeof(int) + sizeof(plen);
		ck_assert_uint_eq(len, off + plen * sizeof(struct sock_filter));
		res->len = plen;
		res->prog = malloc(plen * sizeof(struct sock_filter) + 1);
		memcpy(res->prog, buf + off, plen * sizeof(struct sock_filter));
		sg_bpf_to_target(res->prog, res->len, big_endian);
	}
	free(buf);
}
