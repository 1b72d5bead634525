/*
 * bpf_opt.c - the bytecode optimizer: passes over an emitted program, to a fixpoint.
 *
 *  - fact threading: a forward data-flow pass computes, for every instruction, which
 *    seccomp_data word the accumulator holds and what is known about the words tested on every
 *    path to it (intervals and known bits). Each jump is then retargeted past everything its
 *    own path already decides: loads of a word the accumulator already holds, loads whose value
 *    is not needed, and compares whose outcome is known (jump threading, redundant-load and
 *    range-fact elimination in one mechanism).
 *  - rebuild: the reachable instructions are re-emitted back to front through the hash-consing
 *    builder (emit.c), which drops dead code, shares identical tails and RETs again, and turns
 *    JA chains and JA-to-RET into direct jumps or RET copies.
 *
 * Only instructions sysgate emits are handled (LD W ABS, ALU AND K, JA, JEQ/JGT/JGE/JSET K,
 * RET K); the kernel's action cache understands all of them, and no pass introduces another.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "alloc.h"
#include "bpf_opt.h"
#include "emit.h"

#define NWORDS      16   /* 32-bit words of seccomp_data */
#define ACC_UNKNOWN 0xff /* accumulator holds something else (a constant, or a masked word) */
#define MAX_FACTS   4    /* words tracked per instruction: tests are local, this is plenty */
#define WALK_STEPS  64   /* bound on one retargeting walk */

/* what is known about one word on every path reaching an instruction */
struct fact {
	uint8_t word;
	uint32_t lo, hi;      /* lo <= value <= hi */
	uint32_t zeros, ones; /* bits known to be 0 / 1 */
};

struct state {
	bool reached;
	uint8_t acc; /* word index the accumulator holds, or ACC_UNKNOWN */
	uint8_t nfacts;
	struct fact facts[MAX_FACTS];
};

/* the fact on word in s, or NULL (writable where s is: strchr's convention) */
static struct fact *fact_find(const struct state *s, uint8_t word)
{
	for (unsigned int i = 0; i < s->nfacts; i++)
		if (s->facts[i].word == word)
			return (struct fact *)&s->facts[i];
	return NULL;
}

static struct fact *fact_get(struct state *s, uint8_t word)
{
	struct fact *f = fact_find(s, word);
	if (f)
		return f;
	if (s->nfacts == MAX_FACTS) {
		/* forget the oldest: facts are only ever an optimisation */
		memmove(&s->facts[0], &s->facts[1], (MAX_FACTS - 1) * sizeof(s->facts[0]));
		s->nfacts--;
	}
	f = &s->facts[s->nfacts++];
	*f = (struct fact){.word = word, .lo = 0, .hi = UINT32_MAX};
	return f;
}

/* the outcome of a jump on a word with fact f: 1 taken, 0 not taken, -1 unknown */
static int decide(const struct fact *f, uint16_t op, uint32_t k)
{
	if (!f)
		return -1;
	switch (op) {
	case BPF_JEQ:
		if (f->lo == f->hi)
			return f->lo == k;
		if (k < f->lo || k > f->hi || (k & f->zeros) || (~k & f->ones))
			return 0;
		return -1;
	case BPF_JGT:
		return f->lo > k ? 1 : f->hi <= k ? 0 : -1;
	case BPF_JGE:
		return f->lo >= k ? 1 : f->hi < k ? 0 : -1;
	case BPF_JSET:
		if (k & f->ones)
			return 1;
		if ((k & ~f->zeros) == 0 || f->hi < (k & -k))
			return 0;
		return -1;
	}
	return -1;
}

/* what taking (taken=true) or not taking a jump on word w teaches */
static void learn(struct state *s, uint8_t w, uint16_t op, uint32_t k, bool taken)
{
	struct fact *f;

	if (w == ACC_UNKNOWN)
		return;
	f = fact_get(s, w);
	switch (op) {
	case BPF_JEQ:
		if (taken) {
			f->lo = f->hi = k;
			f->ones = k;
			f->zeros = ~k;
		} else if (k == f->lo && f->lo < f->hi) {
			f->lo++;
		} else if (k == f->hi && f->lo < f->hi) {
			f->hi--;
		}
		break;
	case BPF_JGT:
		if (taken && k < UINT32_MAX && f->lo < k + 1)
			f->lo = k + 1;
		if (!taken && f->hi > k)
			f->hi = k;
		break;
	case BPF_JGE:
		if (taken && f->lo < k)
			f->lo = k;
		if (!taken && k > 0 && f->hi > k - 1)
			f->hi = k - 1;
		break;
	case BPF_JSET:
		if (!taken)
			f->zeros |= k;
		else if ((k & (k - 1)) == 0)
			f->ones |= k;
		break;
	}
}

/* s := s meet e (what holds on both) */
static void meet(struct state *s, const struct state *e)
{
	unsigned int n = 0;

	if (!s->reached) {
		*s = *e;
		return;
	}
	if (s->acc != e->acc)
		s->acc = ACC_UNKNOWN;
	for (unsigned int i = 0; i < s->nfacts; i++) {
		struct fact f = s->facts[i];
		const struct fact *g = fact_find(e, f.word);
		if (!g)
			continue;
		f.lo = f.lo < g->lo ? f.lo : g->lo;
		f.hi = f.hi > g->hi ? f.hi : g->hi;
		f.zeros &= g->zeros;
		f.ones &= g->ones;
		if (f.lo == 0 && f.hi == UINT32_MAX && !f.zeros && !f.ones)
			continue;
		s->facts[n++] = f;
	}
	s->nfacts = (uint8_t)n;
}

static bool is_cond(const struct sock_filter *in)
{
	return BPF_CLASS(in->code) == BPF_JMP && BPF_OP(in->code) != BPF_JA;
}

/*
 * From `target`, reached with state `in_state` (acc: what the accumulator really holds),
 * follow everything the path already decides and return the furthest instruction that can be
 * jumped to directly with the same effect.
 */
static size_t walk(const struct sock_filter *prog, size_t len, size_t target,
                   const struct state *in_state)
{
	size_t pos = target, best = target;
	struct state e;                    /* what the walk learns: a copy, made when it does */
	const struct state *at = in_state; /* what holds here */
	uint8_t sym = at->acc; /* the word the original path would have in the accumulator here */
	bool same = true;      /* ...and it is the one the accumulator really holds */

	for (int step = 0; step < WALK_STEPS && pos < len; step++) {
		const struct sock_filter *in = &prog[pos];
		int out;

		switch (BPF_CLASS(in->code)) {
		case BPF_RET:
			return pos;
		case BPF_LD:
			/* a load never depends on the accumulator: always a safe place to land */
			best = pos;
			sym = (uint8_t)(in->k / 4);
			same = at->acc != ACC_UNKNOWN && sym == at->acc;
			pos++;
			if (same)
				best = pos; /* the load is redundant on this path */
			continue;
		case BPF_JMP:
			if (BPF_OP(in->code) == BPF_JA) {
				pos += 1 + in->k;
				if (same)
					best = pos;
				continue;
			}
			if (same)
				best = pos;
			out = sym == ACC_UNKNOWN
			          ? -1
			          : decide(fact_find(at, sym), BPF_OP(in->code), in->k);
			if (out < 0)
				return best;
			if (at != &e) {
				e = *at;
				at = &e;
			}
			learn(&e, sym, BPF_OP(in->code), in->k, out);
			pos += 1 + (out ? in->jt : in->jf);
			if (same)
				best = pos;
			continue;
		default:
			/* ALU: it reads the accumulator, so only land here if it holds the right
			 * word */
			return same ? pos : best;
		}
	}
	return best;
}

/* one forward sweep: data flow and retargeting together (see the file comment) */
static bool thread_jumps(struct sock_filter *prog, size_t len, struct state *st, bool *dead)
{
	bool changed = false;

	*dead = false;

	/* a state is written whole when first reached (meet): only the flags need clearing */
	for (size_t i = 0; i <= len; i++)
		st[i].reached = false;
	st[0] = (struct state){.reached = true, .acc = ACC_UNKNOWN};
	for (size_t i = 0; i < len; i++) {
		struct sock_filter *in = &prog[i];

		if (!st[i].reached) {
			*dead = true;
			continue;
		}
		if (BPF_CLASS(in->code) == BPF_RET)
			continue;
		struct state s = st[i];
		switch (BPF_CLASS(in->code)) {
		case BPF_LD:
			s.acc = (uint8_t)(in->k / 4);
			meet(&st[i + 1], &s);
			break;
		case BPF_ALU:
			s.acc = ACC_UNKNOWN;
			meet(&st[i + 1], &s);
			break;
		case BPF_JMP:
			if (!is_cond(in)) {
				size_t to = walk(prog, len, i + 1 + in->k, &s);
				if (to != i + 1 + in->k) {
					in->k = (uint32_t)(to - i - 1);
					changed = true;
				}
				meet(&st[to], &s);
				break;
			}
			for (int branch = 1; branch >= 0; branch--) {
				uint8_t *off = branch ? &in->jt : &in->jf;
				/* a RET: nothing to skip, and nothing it needs to know */
				if (BPF_CLASS(prog[i + 1 + *off].code) == BPF_RET) {
					if (!st[i + 1 + *off].reached)
						st[i + 1 + *off] = (struct state){
						    .reached = true, .acc = ACC_UNKNOWN};
					continue;
				}
				struct state e = s;
				learn(&e, s.acc, BPF_OP(in->code), in->k, branch);
				size_t to = walk(prog, len, i + 1 + *off, &e);
				if (to != i + 1 + *off && to - i - 1 <= 255) {
					*off = (uint8_t)(to - i - 1);
					changed = true;
				}
				meet(&st[i + 1 + *off], &e);
			}
			break;
		}
	}
	return changed;
}

/* re-emit the reachable program back to front through the hash-consing builder */
static int rebuild(struct sock_filter **prog, size_t *len)
{
	struct sock_filter *out;
	size_t newlen = 0;
	struct sg_emit e;
	int rc;

	/* jumps that grew longer may need trampolines: allow room, keep the result only if shorter
	 */
	rc = sg_emit_init(&e, 4 * *len + 64, *len);
	if (rc < 0)
		return rc;
	out = sg_emit_finish(&e, sg_emit_program(&e, *prog, *len), &newlen);
	rc = e.err;
	sg_emit_fini(&e);
	if (!out)
		return rc == -ENOMEM ? rc : 0; /* too long to be worth it: keep the input */
	/* never let a pass make the program longer */
	if (newlen > *len) {
		sg_free(out);
		return 0;
	}
	sg_free(*prog);
	*prog = out;
	*len = newlen;
	return 0;
}

/*
 * Rounds of threading and rebuilding, until a round finds nothing to do or gives back the
 * program it started from: a real fixpoint, so running the optimizer on its own output
 * changes nothing.
 *
 * Termination: no round makes the program longer (thread_jumps() only rewrites offsets,
 * rebuild() keeps its input rather than grow it). A round that changes the program without
 * shortening it re-lays it out: rebuild() emits the jump graph back to front in a canonical
 * order, so such rounds happen when the layout changes (in practice only the first round,
 * after the lowering's own layout) and the next round either shortens the program or
 * reproduces it. So the length strictly decreases at least every MAX_SAME_LEN + 1 rounds and
 * the loop ends after at most (MAX_SAME_LEN + 1) * len rounds. Should a program ever need
 * more non-shrinking rounds in a row than that, the argument above is wrong: that is an
 * error (-ELOOP), never a silently unfinished optimization.
 */
#define MAX_SAME_LEN 2

int sg_bpf_optimize(struct sock_filter **prog, size_t *len)
{
	unsigned int same_len = 0;
	/* no round makes the program longer: room for the first one's serves them all */
	struct sock_filter *start = sg_reallocarray(NULL, *len, sizeof(*start));
	int rc = 0;

	if (!start)
		return -ENOMEM;
	for (;;) {
		size_t before = *len, bytes = *len * sizeof(**prog);
		/* the states live for one sweep: not beside the rebuild's builder (args362x8 of
		 * `make bench`: 84 bytes for each of 10,000 instructions) */
		struct state *st = sg_reallocarray(NULL, *len + 1, sizeof(*st));
		bool dead, changed, same;

		if (!st) {
			rc = -ENOMEM;
			break;
		}
		memcpy(start, *prog, bytes);
		changed = thread_jumps(*prog, *len, st, &dead);
		sg_free(st);
		/* nothing retargeted and nothing unreachable: the builder's output is final */
		if (!changed && !dead)
			break;
		rc = rebuild(prog, len);
		same = *len == before && memcmp(start, *prog, bytes) == 0;
		if (rc < 0 || same)
			break;
		same_len = *len < before ? 0 : same_len + 1;
		if (same_len > MAX_SAME_LEN) {
			rc = -ELOOP;
			break;
		}
	}
	sg_free(start);
	return rc;
}
