/*
 * bpf_testdata.h - what the BPF model's tests share (test_bpf.c, test_bpf_live.c): shorthand
 * for classic-BPF instructions, the checker's hand-made cases (bpf_testdata.c) and seccomp_data
 * as an ABI stores it.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef SYSGATE_TESTS_BPF_TESTDATA_H
#define SYSGATE_TESTS_BPF_TESTDATA_H

#include <endian.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/seccomp.h>

#include "bpf.h"

#if __BYTE_ORDER == __BIG_ENDIAN
#define HOST_BE true
#else
#define HOST_BE false
#endif

#define S(c, k)         BPF_STMT((c), (k))
#define J(c, k, jt, jf) BPF_JUMP((c), (k), (jt), (jf))
#define LDW(k)          S(BPF_LD | BPF_W | BPF_ABS, (k))
#define RETK(k)         S(BPF_RET | BPF_K, (k))
#define RETA            S(BPF_RET | BPF_A, 0)
#define LDI(k)          S(BPF_LD | BPF_IMM, (k))
#define LDXI(k)         S(BPF_LDX | BPF_IMM, (k))
#define ALUK(op, k)     S(BPF_ALU | (op) | BPF_K, (k))
#define ALUX(op)        S(BPF_ALU | (op) | BPF_X, 0)
#define JK(op, k, t, f) J(BPF_JMP | (op) | BPF_K, (k), (t), (f))
#define JX(op, t, f)    J(BPF_JMP | (op) | BPF_X, 0, (t), (f))
#define JA(k)           S(BPF_JMP | BPF_JA, (k))
#define ST(k)           S(BPF_ST, (k))
#define STX(k)          S(BPF_STX, (k))
#define LDM(k)          S(BPF_LD | BPF_MEM, (k))
#define LDXM(k)         S(BPF_LDX | BPF_MEM, (k))
#define TAX             S(BPF_MISC | BPF_TAX, 0)
#define TXA             S(BPF_MISC | BPF_TXA, 0)
#define ALLOW           SECCOMP_RET_ALLOW
#define ARCH_X86_64     0xc000003eu
#define ARRAY_SIZE(a)   (sizeof(a) / sizeof((a)[0]))
#define MAXP            16

/* the checker: one case per kernel rule, with the rule it exercises */
struct check_case {
	const char *why;
	int expect;
	size_t len;
	struct sock_filter p[MAXP];
};

extern const struct check_case check_cases[];
extern const size_t n_check_cases;

/* word `off` (a byte offset) of seccomp_data as an ABI of that byte order stores it */
uint32_t word_at(const struct seccomp_data *d, uint32_t off, bool be);

#endif
