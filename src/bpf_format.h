/*
 * bpf_format.h - classic BPF as text (bpf_format.c; tools and tests only, in
 * libsysgate_tools.la). Include "bpf.h", which includes this.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef SYSGATE_BPF_FORMAT_H
#define SYSGATE_BPF_FORMAT_H

#include "bpf.h"

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

/* true when the instruction ends a path (RET K, RET A; also RET X and unknown RET forms) */
bool sg_bpf_insn_is_ret(const struct sock_filter *insn);

#endif
