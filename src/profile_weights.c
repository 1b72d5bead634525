/*
 * profile_weights.c - the built-in syscall frequency profile of "a typical daemon".
 *
 * Relative call frequencies (per mille, rounded) in the spirit of strace -c summaries of
 * long-running network services (web servers, databases, container runtimes at steady state).
 * Used only to shape the dispatch tree at SCMP_FLTATR_CTL_OPTIMIZE=1; with the kernel's
 * action cache, unconditionally allowed syscalls cost nothing anyway, so this matters for
 * syscalls with argument rules, denied ones, and kernels without the cache.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "compile.h"

const struct sg_hot_syscall sg_hot_syscalls[] = {
    {"futex", 120},
    {"epoll_wait", 90},
    {"epoll_pwait", 60},
    {"read", 80},
    {"write", 70},
    {"recvfrom", 50},
    {"sendto", 45},
    {"recvmsg", 35},
    {"sendmsg", 30},
    {"poll", 25},
    {"ppoll", 20},
    {"clock_gettime", 20},
    {"openat", 25},
    {"close", 25},
    {"fstat", 15},
    {"newfstatat", 15},
    {"statx", 10},
    {"mmap", 15},
    {"munmap", 12},
    {"mprotect", 8},
    {"madvise", 8},
    {"brk", 5},
    {"lseek", 8},
    {"pread64", 12},
    {"pwrite64", 10},
    {"readv", 6},
    {"writev", 12},
    {"ioctl", 10},
    {"fcntl", 8},
    {"getpid", 5},
    {"gettid", 5},
    {"rt_sigprocmask", 10},
    {"rt_sigaction", 3},
    {"nanosleep", 8},
    {"clock_nanosleep", 8},
    {"select", 5},
    {"pselect6", 5},
    {"accept4", 6},
    {"accept", 4},
    {"getrandom", 3},
    {"sched_yield", 6},
    {"io_uring_enter", 10},
    {"socket", 3},
    {"connect", 3},
    {"getsockopt", 3},
    {"setsockopt", 3},
    {"epoll_ctl", 12},
    {"getdents64", 3},
    {"clone", 1},
    {"clone3", 1},
    {"wait4", 1},
    {"exit", 1},
    {"exit_group", 1},
    {"rt_sigreturn", 2},
    {"restart_syscall", 1},
    {"uname", 1},
    {NULL, 0},
};
