/*
 * bpf.h - the classic-BPF instruction model as seccomp sees it: the kernel's checker rules,
 * an interpreter that executes a program exactly as the kernel does, the kernel's
 * constant-action cache emulation (Linux 5.11+), and byte-order conversion for export.
 *
 * Programs are held in host byte order everywhere inside sysgate; only export converts them
 * to the target's byte order.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef SYSGATE_BPF_H
#define SYSGATE_BPF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

/* the kernel's per-filter limit (BPF_MAXINSNS) */
#define SG_BPF_MAXINSNS 4096

/* offsets of the seccomp_data fields a filter loads */
#define SG_OFF_NR   0
#define SG_OFF_ARCH 4
#define SG_OFF_IP   8
#define SG_OFF_ARGS 16

/* offset of the high / low 32-bit word of args[i] for an ABI's byte order */
static inline uint32_t sg_arg_hi_off(unsigned int i, bool big_endian)
{
	return SG_OFF_ARGS + 8 * i + (big_endian ? 0 : 4);
}
static inline uint32_t sg_arg_lo_off(unsigned int i, bool big_endian)
{
	return SG_OFF_ARGS + 8 * i + (big_endian ? 4 : 0);
}

/*
 * The seccomp checker: what bpf_check_classic() + seccomp_check_filter() accept.
 * Returns 0, or -EINVAL for a program the kernel would refuse (length 0 or > 4096, an opcode
 * seccomp does not allow, a misaligned or out-of-range load, a jump past the end, a last
 * instruction that is not RET, a scratch-memory read before a write on some path, ...).
 */
int sg_bpf_check(const struct sock_filter *prog, size_t len);

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
 * The kernel's constant-action cache check (seccomp_is_const_allow() in kernel/seccomp.c):
 * true when the program provably returns exactly SECCOMP_RET_ALLOW for (arch, nr) whatever
 * the other fields hold, following only the path taken and understanding only LD W ABS of nr
 * and arch, JA, JEQ/JGE/JGT/JSET K, ALU AND K and RET K.
 */
bool sg_bpf_const_allow(const struct sock_filter *prog, size_t len, uint32_t arch, int32_t nr);

/* Convert a program between host byte order and an ABI's byte order, in place. */
void sg_bpf_to_target(struct sock_filter *prog, size_t len, bool big_endian);

/* Names for printing: an action ("ALLOW", "ERRNO(13)", "KILL_PROCESS", ...) into buf. */
int sg_action_format(uint32_t action, char *buf, size_t size);

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

/*
 * Disassembly, shared by scmp_bpf_disasm, scmp_bpf_sim -v and the tests.
 *
 * sg_bpf_data_name(): the seccomp_data word at byte offset `off` for an ABI of the given byte
 * order: "nr", "arch", "instruction_pointer.lo"/".hi", "args[i].lo"/".hi"; NULL when `off` is
 * not a 4-aligned offset below 64 (the only loads seccomp allows).
 *
 * sg_bpf_insn_format(): one instruction at `pc` as text, e.g. "ld $data.args[1].hi",
 * "jeq 0x3b true:0005 false:0004", "ja 0012", "add x", "st M[3]", "ret ERRNO(13)", "ret a".
 * Jump targets are absolute instruction numbers, printed with 4 digits. Instructions seccomp
 * refuses still get a name ("ldh $data[2]", "mod 0x3", "ret x", ...) and unknown codes print
 * as ".insn 0x..". Returns the snprintf-style length.
 */
const char *sg_bpf_data_name(uint32_t off, bool big_endian);
int sg_bpf_insn_format(const struct sock_filter *insn, size_t pc, bool big_endian, char *buf,
                       size_t size);

/* true for JEQ/JGE/JGT/JSET with K or X (the instructions with jt/jf successors) */
bool sg_bpf_insn_is_cond_jump(const struct sock_filter *insn);
/* true when the instruction ends a path (RET K, RET A; also RET X and unknown RET forms) */
bool sg_bpf_insn_is_ret(const struct sock_filter *insn);

#endif
