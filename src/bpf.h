/*
 * bpf.h - the classic-BPF instruction model as seccomp sees it: the kernel's checker rules and
 * byte-order conversion for export (bpf.c, in the shipped library), an interpreter that
 * executes a program exactly as the kernel does with the kernel's constant-action cache
 * emulation (bpf_run.h), and a disassembler (bpf_format.h). The last two are for tools and
 * tests: they live in the internal libsysgate_tools.la, never in libseccomp.so.2.
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

/* the kernel's BPF_MEMWORDS: scratch cells M[0..15] */
#define SG_BPF_MEMWORDS 16
/* sizeof(struct seccomp_data): what LEN loads give and the bound of ABS loads */
#define SG_DATA_SIZE 64

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

/* Convert a program between host byte order and an ABI's byte order, in place. */
void sg_bpf_to_target(struct sock_filter *prog, size_t len, bool big_endian);

/* Names for printing: an action ("ALLOW", "ERRNO(13)", "KILL_PROCESS", ...) into buf
 * (pfc.c, the library's user of these names). */
int sg_action_format(uint32_t action, char *buf, size_t size);

/* true for JEQ/JGE/JGT/JSET with K or X (the instructions with jt/jf successors) */
bool sg_bpf_insn_is_cond_jump(const struct sock_filter *insn);

/* The interpreter and the disassembler: tools and tests only (libsysgate_tools.la). */
#include "bpf_run.h"
#include "bpf_format.h"

#endif
