/*
 * live_mux.c - multiplexed socketcall(2) and ipc(2) in a real kernel (live.h): a rule on a
 * socket or ipc call catches the multiplexer and the direct syscall where the ABI has both.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/reboot.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <seccomp.h>

#include "../testutil.h"
#include "arch/kvers.h"
#include "live.h"

/*
 * multiplexed socketcall(2) / ipc(2): a rule on socket must catch socketcall(SYS_SOCKET, ...)
 * and the direct socket syscall where the ABI has both
 */

#ifdef __NR_socketcall

static long socketcall_raw(uint64_t call, unsigned long *argv)
{
	return sys6(__NR_socketcall, (uint64_t[6]){call, (uint64_t)(uintptr_t)argv});
}
#endif

#ifdef __NR_socketcall
void socketcall_child(void *p)
{
	const struct mux_arg *ma = p;
	bool ok = true;
	scmp_filter_ctx ctx = new_ctx(SCMP_ACT_ALLOW);
	unsigned long sock_args[3] = {AF_UNIX, SOCK_STREAM, 0};
	int sv[2];
	unsigned long pair_args[4] = {AF_UNIX, SOCK_STREAM, 0, (unsigned long)(uintptr_t)sv};
	int socket_nr = ma->by_pnr ? sg_syscall_pnr("socket") : SCMP_SYS(socket);
	long rc;

	/* both forms work before the filter */
	rc = socketcall_raw(MUX_SOCKET, sock_args);
	if (rc < 0) {
		child_fail("socketcall(SYS_SOCKET) before the filter: %ld", rc);
		_exit(6);
	}
	close((int)rc);
#ifdef __NR_socket
	rc = sys6(__NR_socket, (uint64_t[6]){AF_UNIX, SOCK_STREAM, 0});
	if (rc < 0) {
		child_fail("socket() before the filter: %ld", rc);
		_exit(6);
	}
	close((int)rc);
#endif
	/* the kernel reads `int call`: with a high word set, it is still SYS_SOCKET */
	bool hi_runs = false;
	if (sizeof(long) == 8 || native->token == SCMP_ARCH_X32) {
		rc = socketcall_raw(0x100000000ull | MUX_SOCKET, sock_args);
		hi_runs = rc >= 0;
		if (rc >= 0)
			close((int)rc);
	}
	must(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(21), socket_nr, 0), "rule on socket");
	must(seccomp_load(ctx), "seccomp_load");
	ok &= expect("socketcall(SYS_SOCKET)", __NR_socketcall,
	             (uint64_t[6]){MUX_SOCKET, (uint64_t)(uintptr_t)sock_args}, -21);
	if (sizeof(long) == 8 || native->token == SCMP_ARCH_X32) {
		/* the kernel reads `int call`: a high word must not get past the filter */
		rc = socketcall_raw(0x100000000ull | MUX_SOCKET, sock_args);
		if (rc != -21) {
			child_fail("socketcall(0x1_00000001): got %ld, want -21", rc);
			ok = false;
		}
	}
#ifdef __NR_socket
	ok &= expect("socket()", __NR_socket, (uint64_t[6]){AF_UNIX, SOCK_STREAM, 0}, -21);
#endif
	rc = socketcall_raw(MUX_SOCKETPAIR, pair_args);
	if (rc != 0) {
		child_fail("socketcall(SYS_SOCKETPAIR) must be allowed: %ld", rc);
		ok = false;
	}
#ifdef __NR_socketpair
	ok &= expect("socketpair()", __NR_socketpair,
	             (uint64_t[6]){AF_UNIX, SOCK_STREAM, 0, (uint64_t)(uintptr_t)sv}, 0);
#endif
	if (ok && hi_runs)
		child_fail("unfiltered, socketcall(0x1_00000001) creates a socket");
	if (ok)
		child_fail("by %s number; socketcall%s", ma->by_pnr ? "pseudo" : "direct",
#ifdef __NR_socket
		           " and socket()"
#else
		           " only"
#endif
		);
	_exit(ok ? 0 : 1);
}

/*
 * A socket rule with a condition on the domain (A0): through socketcall, A0 is the call number
 * and the domain sits behind a pointer, so libseccomp (and sysgate) match every
 * socketcall(SYS_SOCKET) there: the rule fails closed. The direct syscall is filtered exactly.
 */
void socketcall_arg_child(void *p)
{
	(void)p;
	scmp_filter_ctx ctx = new_ctx(SCMP_ACT_ALLOW);
	struct sg_filter *f = (struct sg_filter *)ctx;
	unsigned long unix_args[3] = {AF_UNIX, SOCK_STREAM, 0};
	uint64_t mux[6] = {MUX_SOCKET, (uint64_t)(uintptr_t)unix_args};
	bool ok = true;

	must(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(24), SCMP_SYS(socket), 1,
	                      SCMP_A0(SCMP_CMP_EQ, AF_INET)),
	     "rule on socket(AF_INET)");
	struct seccomp_data d = data_for(__NR_socketcall, mux);
	long want_mux = outcome(sg_ir_eval(f, &d), 0);
	if (want_mux != -24) {
		child_fail("IR: socketcall(SYS_SOCKET, AF_UNIX) gives %ld, want -24 (fail closed)",
		           want_mux);
		ok = false;
	}
	must(seccomp_load(ctx), "seccomp_load");
	ok &= expect("socketcall(SYS_SOCKET, AF_UNIX)", __NR_socketcall, mux, -24);
#ifdef __NR_socket
	ok &= expect("socket(AF_INET)", __NR_socket, (uint64_t[6]){AF_INET, SOCK_DGRAM, 0}, -24);
	long rc = sys6(__NR_socket, (uint64_t[6]){AF_UNIX, SOCK_STREAM, 0});
	if (rc < 0) {
		child_fail("socket(AF_UNIX) must be allowed: %ld", rc);
		ok = false;
	}
#endif
	_exit(ok ? 0 : 1);
}
#endif

#ifdef __NR_socketcall
/*
 * A conditional ALLOW on socket (AF_UNIX only) under a default that denies. Through socketcall
 * the domain is in memory, out of the filter's reach, so socketcall(SYS_SOCKET) gets the
 * default whatever it asks for (libseccomp 2.6.1 compares socketcall's own registers instead
 * and lets AF_INET through). An unconditional ALLOW still reaches socketcall, and the direct
 * socket() keeps the exact test.
 */
void socketcall_allow_child(void *p)
{
	bool uncond = *(const bool *)p;
	scmp_filter_ctx ctx = new_ctx(SCMP_ACT_ERRNO(30));
	struct sg_filter *f = (struct sg_filter *)ctx;
	unsigned long inet[3] = {AF_INET, SOCK_DGRAM, 0}, unix_[3] = {AF_UNIX, SOCK_STREAM, 0};
	uint64_t mux_inet[6] = {MUX_SOCKET, (uint64_t)(uintptr_t)inet};
	uint64_t mux_unix[6] = {MUX_SOCKET, (uint64_t)(uintptr_t)unix_};
	uint32_t want = uncond ? SCMP_ACT_ALLOW : SCMP_ACT_ERRNO(30);
	bool ok = true;
	long rc;

	/* the control: unfiltered, socketcall creates an AF_INET socket */
	rc = socketcall_raw(MUX_SOCKET, inet);
	if (rc < 0) {
		child_fail("socketcall(SYS_SOCKET, AF_INET) before the filter: %ld", rc);
		_exit(6);
	}
	close((int)rc);
	must(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(exit_group), 0), "rule on exit_group");
	must(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(exit), 0), "rule on exit");
	must(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(close), 0), "rule on close");
	if (uncond)
		must(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(socket), 0), "rule on socket");
	else
		must(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(socket), 1,
		                      SCMP_A0(SCMP_CMP_EQ, AF_UNIX)),
		     "rule on socket(AF_UNIX)");
	struct seccomp_data d = data_for(__NR_socketcall, mux_inet);
	if (sg_ir_eval(f, &d) != want) {
		child_fail("IR: socketcall(SYS_SOCKET, AF_INET) gives 0x%08x, want 0x%08x",
		           sg_ir_eval(f, &d), want);
		ok = false;
	}
	must(seccomp_load(ctx), "seccomp_load");
	const uint64_t *calls[2] = {mux_inet, mux_unix};
	for (int i = 0; i < 2; i++) {
		rc = sys6(__NR_socketcall, calls[i]);
		if (uncond ? rc < 0 : rc != -30) {
			child_fail("socketcall(SYS_SOCKET, %s): got %ld, want %s",
			           i ? "AF_UNIX" : "AF_INET", rc, uncond ? "a socket" : "-30");
			ok = false;
		}
	}
#ifdef __NR_socket
	rc = sys6(__NR_socket, (uint64_t[6]){AF_UNIX, SOCK_STREAM, 0});
	if (rc < 0) {
		child_fail("socket(AF_UNIX): got %ld, want a socket", rc);
		ok = false;
	}
	rc = sys6(__NR_socket, (uint64_t[6]){AF_INET, SOCK_DGRAM, 0});
	if (uncond ? rc < 0 : rc != -30) {
		child_fail("socket(AF_INET): got %ld, want %s", rc, uncond ? "a socket" : "-30");
		ok = false;
	}
#endif
	if (ok)
		child_fail("%s ALLOW: socketcall %s%s", uncond ? "unconditional" : "AF_UNIX-only",
		           uncond ? "allowed" : "denied (fails closed)",
#ifdef __NR_socket
		           "; socket() exact"
#else
		           ""
#endif
		);
	_exit(ok ? 0 : 1);
}
#endif

#ifdef __NR_ipc
/*
 * ipc(2) reads a version from bits 16..31 of the call number and runs the call whatever the
 * version: a deny rule on semget must catch ipc(7<<16 | SEMGET) too.
 */
void ipc_version_child(void *p)
{
	(void)p;
	scmp_filter_ctx ctx = new_ctx(SCMP_ACT_ALLOW);
	struct sg_filter *f = (struct sg_filter *)ctx;
	uint64_t v7[6] = {(7u << 16) | MUX_SEMGET, 0 /* IPC_PRIVATE */, 1, 0600};
	bool ok = true;

	/* the control: unfiltered, the kernel runs ipc(7<<16 | SEMGET) as semget (s390's
	 * kernel refuses any version with EINVAL: there the test only costs such calls) */
	long rc = sys6(__NR_ipc, v7);
	bool refused = rc == -EINVAL;
	if (rc < 0 && !refused) {
		child_fail("ipc(7<<16|SEMGET) before the filter: %ld", rc);
		_exit(6);
	}
	must(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(26), SCMP_SYS(semget), 0), "rule on semget");
	struct seccomp_data d = data_for(__NR_ipc, v7);
	if (sg_ir_eval(f, &d) != SCMP_ACT_ERRNO(26)) {
		child_fail("IR: ipc(7<<16|SEMGET) gives 0x%08x", sg_ir_eval(f, &d));
		ok = false;
	}
	must(seccomp_load(ctx), "seccomp_load");
	ok &= expect("ipc(7<<16|SEMGET)", __NR_ipc, v7, -26);
	ok &= expect("ipc(SEMGET)", __NR_ipc, (uint64_t[6]){MUX_SEMGET, 0, 1, 0600}, -26);
	if (ok)
		child_fail("%s", refused
		                     ? "this kernel refuses ipc versions (EINVAL)"
		                     : "the kernel runs versioned calls; the filter denies them");
	_exit(ok ? 0 : 1);
}
#endif
