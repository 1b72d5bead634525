/*
 * fuzz_bpf.c - libFuzzer target: the classic-BPF checker, interpreter and action-cache
 * emulation on arbitrary programs.
 *
 * The input is a program (8 bytes per instruction, host byte order) after a 2-byte header
 * that selects the byte order and seeds the seccomp_data. Invariants (abort() on violation):
 *  - sg_bpf_check() never crashes, on any length (0 and more than 4096 included);
 *  - a program it accepts runs in sg_bpf_run() without crashing, in at most len steps (jumps
 *    only go forward), and ends in a RET (never "falls off the end");
 *  - sg_bpf_const_allow() never crashes, and when it says (arch, nr) is constant ALLOW, the
 *    interpreter returns ALLOW for that (arch, nr) whatever the arguments;
 *  - the disassembler formats every instruction; sg_bpf_to_target() twice is the identity;
 *  - the interpreter also survives programs the checker refused (it must not be trusted with
 *    them, but it must not crash either).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpf.h"

/* the last instruction the interpreter executed */
static void last_step(void *ctx, const struct sg_bpf_step *st)
{
	*(const struct sock_filter **)ctx = st->insn;
}

static uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	return x;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sock_filter *prog;
	size_t len, steps;
	bool be;
	uint8_t seed;
	char buf[128];

	if (size < 2)
		return 0;
	be = data[0] & 1;
	seed = data[1];
	data += 2;
	size -= 2;
	len = size / sizeof(struct sock_filter);
	if (len > 4200)
		len = 4200;
	prog = malloc(len * sizeof(*prog) + 1);
	if (!prog)
		return 0;
	memcpy(prog, data, len * sizeof(*prog));

	int accepted = sg_bpf_check(prog, len) == 0;
	if (accepted && (len == 0 || len > SG_BPF_MAXINSNS))
		abort();

	for (size_t i = 0; i < len; i++) {
		if (sg_bpf_insn_format(&prog[i], i, be, buf, sizeof(buf)) < 0)
			abort();
		(void)sg_bpf_insn_is_ret(&prog[i]);
	}

	/* arch values: the ones the program compares with, and a fixed one */
	for (int t = 0; t < 8; t++) {
		struct seccomp_data d;
		uint64_t h = mix(seed * 131u + (uint64_t)t);
		memset(&d, 0, sizeof(d));
		d.arch = t < 4 && len ? prog[(h >> 8) % len].k : 0xc000003e;
		d.nr = (int)(t & 1 && len ? prog[h % len].k : (uint32_t)h);
		for (int a = 0; a < 6; a++)
			d.args[a] = mix(h + (uint64_t)a);
		d.instruction_pointer = mix(h ^ 0x55);

		const struct sock_filter *last = NULL;
		uint32_t ret = sg_bpf_run_trace(prog, len, &d, be, &steps, last_step, &last);
		if (accepted) {
			/* jumps only go forward: at most len steps */
			if (steps > len)
				abort();
			/* a checked program cannot fall off the end: it stops at a RET (or at a
			 * division by a zero X, which returns 0) */
			if (!last || (!sg_bpf_insn_is_ret(last) &&
			              !(last->code == (BPF_ALU | BPF_DIV | BPF_X) && ret == 0)))
				abort();
		}
		bool ca = sg_bpf_const_allow(prog, len, d.arch, d.nr);
		if (ca && accepted) {
			/* const-allow: ALLOW whatever the other fields hold */
			for (int k = 0; k < 3; k++) {
				struct seccomp_data e = d;
				for (int a = 0; a < 6; a++)
					e.args[a] = mix(h + (uint64_t)(a * 7 + k));
				e.instruction_pointer = mix(h + (uint64_t)k);
				if (sg_bpf_run(prog, len, &e, be, NULL) != SECCOMP_RET_ALLOW) {
					fprintf(stderr,
					        "const-allow but the program does not allow\n");
					abort();
				}
			}
			if (ret != SECCOMP_RET_ALLOW)
				abort();
		}
	}

	/* byte-order conversion is an involution */
	struct sock_filter *copy = malloc(len * sizeof(*prog) + 1);
	if (copy) {
		memcpy(copy, prog, len * sizeof(*prog));
		sg_bpf_to_target(copy, len, !be);
		sg_bpf_to_target(copy, len, !be);
		if (memcmp(copy, prog, len * sizeof(*prog)) != 0)
			abort();
		free(copy);
	}
	free(prog);
	return 0;
}
