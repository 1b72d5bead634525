/*
 * bpf_run.h - running classic BPF as the kernel does (bpf_run.c; tools and tests only, in
 * libsysgate_tools.la). Include "bpf.h", which includes this.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef SYSGATE_BPF_RUN_H
#define SYSGATE_BPF_RUN_H

#include "bpf.h"

/*
 * Run a program (host byte order) on `data`, laid out in memory as an ABI with the given byte
 * order would lay it out (big_endian swaps the two 32-bit words of each 64-bit field).
 * Returns the 32-bit value the program returns (SECCOMP_RET_*). `executed`, if not NULL,
 * receives the number of instructions executed. The program must have passed sg_bpf_check();
 * a program that falls off the end or jumps out of range returns SECCOMP_RET_KILL_THREAD.
 */
uint32_t sg_bpf_run(const struct sock_filter *prog, size_t len, const struct seccomp_data *data,
                    bool big_endian, size_t *executed);

/*
 * The run-time semantics of one ALU instruction (code: BPF_ALU | op | src; operand: k, or x
 * for BPF_X) and of one conditional jump's test, shared by the interpreter and the symbolic
 * engine (bpf_sym.c): one kernel model. sg_bpf_alu() returns false where the kernel's program
 * returns 0 (SECCOMP_RET_KILL_THREAD) instead: division by zero, a constant shift >= 32.
 */
bool sg_bpf_alu(uint16_t code, uint32_t a, uint32_t operand, uint32_t *out);
bool sg_bpf_cond(uint16_t code, uint32_t a, uint32_t operand);

/*
 * The kernel's constant-action cache check (seccomp_is_const_allow() in kernel/seccomp.c):
 * true when the program provably returns exactly SECCOMP_RET_ALLOW for (arch, nr) whatever
 * the other fields hold, following only the path taken and understanding only LD W ABS of nr
 * and arch, JA, JEQ/JGE/JGT/JSET K, ALU AND K and RET K.
 */
bool sg_bpf_const_allow(const struct sock_filter *prog, size_t len, uint32_t arch, int32_t nr);

/*
 * Tracing: sg_bpf_run_trace() calls `trace` after each instruction it executes, with the
 * registers as that instruction left them. It is the same interpreter as sg_bpf_run().
 */
struct sg_bpf_step {
	size_t pc;                      /* the instruction just executed */
	const struct sock_filter *insn; /* prog + pc */
	uint32_t a, x;                  /* the accumulator and index register after it */
	size_t next;                    /* the next pc; len after a RET */
};
typedef void (*sg_bpf_trace_fn)(void *ctx, const struct sg_bpf_step *step);
uint32_t sg_bpf_run_trace(const struct sock_filter *prog, size_t len,
                          const struct seccomp_data *data, bool big_endian, size_t *executed,
                          sg_bpf_trace_fn trace, void *ctx);

#endif
