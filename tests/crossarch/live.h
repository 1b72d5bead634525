/*
 * live.h - what the parts of live_arch (tests/crossarch) share: the harness (live_harness.c:
 * checks in forked children, results, raw syscalls, the kernel's view of an argument), the
 * kernel as oracle for random policies (live_random.c) and the multiplexed calls
 * (live_mux.c). run.sh builds them together, statically, for every target ABI.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef SYSGATE_LIVE_H
#define SYSGATE_LIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <linux/seccomp.h>

#include <seccomp.h>

#include "arch/arch.h"

/*
 * Syscall numbers no ABI assigns, before the ABI's base (MIPS 4000/5000/6000, the x32 bit).
 * On MIPS, base + 1000 is the next ABI's first syscall, and a MIPS64 kernel runs any ABI's
 * numbers for any task (see mips_other_abis below): stay inside the ABI's own block.
 */
#if defined(__mips__)
#define NR_UNASSIGNED 900
#else
#define NR_UNASSIGNED 1000
#endif
#define COMPANION_DIR "/crossarch"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* a page shared with the children (MSG_SIZE bytes), for the reason of a failure */
#define MSG_SIZE 2048

extern const struct sg_arch *native;
extern long nr_test; /* nr_base + NR_UNASSIGNED */
extern int passed, failed;
extern uint64_t seed;
extern char *child_msg;

void child_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

void result(const char *check, bool ok, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

void skip(const char *check, const char *why);

/*
 * Issuing syscalls. On x86_64 and x32 the syscall instruction is used directly, so that all
 * 64 bits of every register reach the kernel (an x32 task's arguments are full 64-bit
 * registers: the high word is the caller's to choose). Elsewhere libc's syscall() passes
 * longs: 32-bit ABIs pass the low word only.
 */
long sys6(long nr, const uint64_t a[6]);

long sys0(long nr);

/* the value seccomp_data.args[i] holds when sys6() passed v */
uint64_t kernel_view(uint64_t v);

struct seccomp_data data_for(long nr, const uint64_t a[6]);

/* what a syscall returns under `action`, given what it returns when allowed */
long outcome(uint32_t action, long allowed);

/* run fn in a child with a watchdog; returns the wait status */
int in_child(void (*fn)(void *), void *arg);

const char *status_str(int st);

/* a check whose child exits 0 on success */
void run_check(const char *check, void (*fn)(void *), void *arg);

scmp_filter_ctx new_ctx(uint32_t def);

void must(int rc, const char *what);

/* compare one syscall's result with what is wanted; true when equal */
bool expect(const char *what, long nr, const uint64_t a[6], long want);

/* the kernel as oracle: random policies, the kernel's verdicts against the IR (live_random.c) */
void check_oracle(const char *check, bool multi, int rounds);

/* multiplexed socketcall(2) / ipc(2) (live_mux.c, and ipc_child in live_arch.c) */
#ifdef __NR_socketcall
#define MUX_SOCKET     1
#define MUX_SOCKETPAIR 8
#endif
#ifdef __NR_ipc
#define MUX_SEMGET 2
#define MUX_MSGGET 13
#endif

struct mux_arg {
	bool by_pnr; /* add the rules by pseudo number instead of the direct number */
};

#ifdef __NR_socketcall
void socketcall_child(void *p);
void socketcall_arg_child(void *p);
void socketcall_allow_child(void *p);
#endif
#ifdef __NR_ipc
void ipc_version_child(void *p);
#endif

#endif
