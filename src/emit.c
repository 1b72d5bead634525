/*
 * emit.c - back-to-front classic-BPF builder with hash-consing (see emit.h).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "alloc.h"
#include "emit.h"

struct sg_emit_slot {
	long pos; /* -1: empty */
};

/* the largest distance an 8-bit conditional jump offset can cover */
#define JMP_MAX 255

/* A node's identity for sharing: RETs are equal by value wherever they sit, and a JA stands
 * for the node it jumps to. */
static uint64_t canon(const struct sg_emit *e, long pos)
{
	for (;;) {
		const struct sock_filter *in = &e->rev[pos];
		if (BPF_CLASS(in->code) == BPF_RET)
			return (1ull << 40) | in->k;
		if (in->code != (BPF_JMP | BPF_JA))
			return (uint64_t)pos;
		pos = pos - (long)in->k - 1;
	}
}

/* the nodes an instruction at pos continues to (t: true/next, f: false) */
static void successors(const struct sg_emit *e, long pos, uint64_t *t, uint64_t *f)
{
	const struct sock_filter *in = &e->rev[pos];
	*t = *f = 0;
	switch (BPF_CLASS(in->code)) {
	case BPF_RET:
		return;
	case BPF_JMP:
		if (in->code == (BPF_JMP | BPF_JA)) {
			*t = canon(e, pos - (long)in->k - 1);
			return;
		}
		*t = canon(e, pos - in->jt - 1);
		*f = canon(e, pos - in->jf - 1);
		return;
	default:
		*t = canon(e, pos - 1);
		return;
	}
}

static uint64_t hash_key(uint16_t code, uint32_t k, uint64_t t, uint64_t f)
{
	uint64_t h = 0x9e3779b97f4a7c15ull ^ code;
	h = (h ^ k) * 0xff51afd7ed558ccdull;
	h = (h ^ t) * 0xc4ceb9fe1a85ec53ull;
	h = (h ^ f) * 0xff51afd7ed558ccdull;
	return h ^ (h >> 29);
}

static bool slot_matches(const struct sg_emit *e, long pos, uint16_t code, uint32_t k, uint64_t t,
                         uint64_t f)
{
	uint64_t st, sf;
	if (e->rev[pos].code != code || e->rev[pos].k != k)
		return false;
	successors(e, pos, &st, &sf);
	return st == t && sf == f;
}

static long lookup(const struct sg_emit *e, uint16_t code, uint32_t k, uint64_t t, uint64_t f)
{
	size_t mask = e->nslots - 1;
	for (size_t i = hash_key(code, k, t, f) & mask;; i = (i + 1) & mask) {
		long pos = e->slots[i].pos;
		if (pos < 0)
			return -1;
		if (slot_matches(e, pos, code, k, t, f))
			return pos;
	}
}

/* a table of nslots slots holding the nodes of the table now that lie below e->len */
static int rehash(struct sg_emit *e, size_t nslots)
{
	struct sg_emit_slot *slots = sg_reallocarray(NULL, nslots, sizeof(*slots));
	if (!slots)
		return -ENOMEM;
	for (size_t i = 0; i < nslots; i++)
		slots[i].pos = -1;
	e->used = 0;
	for (size_t i = 0; i < e->nslots; i++) {
		long pos = e->slots[i].pos;
		uint64_t t, f;
		if (pos < 0 || pos >= (long)e->len)
			continue;
		e->used++;
		successors(e, pos, &t, &f);
		size_t j = hash_key(e->rev[pos].code, e->rev[pos].k, t, f) & (nslots - 1);
		while (slots[j].pos >= 0)
			j = (j + 1) & (nslots - 1);
		slots[j].pos = pos;
	}
	sg_free(e->slots);
	e->slots = slots;
	e->nslots = nslots;
	return 0;
}

/* remember pos under its key; a newer equal node replaces the older (it is closer to the
 * code being emitted, so jumps to it are shorter) */
static void remember(struct sg_emit *e, long pos)
{
	uint64_t t, f;
	size_t mask = e->nslots - 1;
	successors(e, pos, &t, &f);
	for (size_t i = hash_key(e->rev[pos].code, e->rev[pos].k, t, f) & mask;;
	     i = (i + 1) & mask) {
		if (e->slots[i].pos < 0) {
			e->slots[i].pos = pos;
			e->used++;
			return;
		}
		if (slot_matches(e, e->slots[i].pos, e->rev[pos].code, e->rev[pos].k, t, f)) {
			e->slots[i].pos = pos;
			return;
		}
	}
}

static void fail(struct sg_emit *e, int err)
{
	if (!e->err)
		e->err = err;
}

/* append one instruction (becoming the new first one) and return its position */
static long push(struct sg_emit *e, uint16_t code, uint8_t jt, uint8_t jf, uint32_t k)
{
	if (e->err)
		return -1;
	if (e->len >= e->limit) {
		fail(e, -E2BIG);
		return -1;
	}
	if (e->len == e->cap) {
		size_t cap = e->cap ? e->cap * 2 : e->nslots / 2;
		struct sock_filter *rev = sg_reallocarray(e->rev, cap, sizeof(*rev));
		if (!rev) {
			fail(e, -ENOMEM);
			return -1;
		}
		e->rev = rev;
		e->cap = cap;
	}
	if ((e->used + 1) * 2 > e->nslots && rehash(e, e->nslots * 2) < 0) {
		fail(e, -ENOMEM);
		return -1;
	}
	long pos = (long)e->len++;
	e->rev[pos] = (struct sock_filter){.code = code, .jt = jt, .jf = jf, .k = k};
	remember(e, pos);
	return pos;
}

int sg_emit_init(struct sg_emit *e, size_t limit, size_t expect)
{
	memset(e, 0, sizeof(*e));
	e->limit = limit;
	e->last_ja = -1;
	/* at most half full (push): room for `expect` nodes before the first rehash */
	e->nslots = 16;
	while (e->nslots < 2 * expect + 2)
		e->nslots *= 2;
	e->slots = sg_reallocarray(NULL, e->nslots, sizeof(*e->slots));
	if (!e->slots)
		return -ENOMEM;
	for (size_t i = 0; i < e->nslots; i++)
		e->slots[i].pos = -1;
	return 0;
}

int sg_emit_rewind(struct sg_emit *e, size_t mark)
{
	if (e->err)
		return e->err;
	e->len = mark;
	if (e->last_ja >= (long)mark)
		e->last_ja = -1;
	if (mark == 0) {
		/* nothing stays: an empty table, in place */
		for (size_t i = 0; i < e->nslots; i++)
			e->slots[i].pos = -1;
		e->used = 0;
		return 0;
	}
	int rc = rehash(e, e->nslots);
	if (rc < 0)
		fail(e, rc);
	return rc;
}

void sg_emit_fini(struct sg_emit *e)
{
	sg_free(e->rev);
	sg_free(e->slots);
	memset(e, 0, sizeof(*e));
}

sg_node sg_emit_ret(struct sg_emit *e, uint32_t k)
{
	if (e->err)
		return -1;
	long pos = lookup(e, BPF_RET | BPF_K, k, 0, 0);
	return pos >= 0 ? pos : push(e, BPF_RET | BPF_K, 0, 0, k);
}

/*
 * A node that continues at target and that a jump from the current top can reach: the
 * nearest copy of a RET (made if none is in range), or a JA trampoline: the latest one made,
 * when it goes to the same place and is in range (the several far jumps of one leaf, such as
 * a chain of JEQs that all continue at a shared test, then share one), else a new one.
 */
static long reach(struct sg_emit *e, long target, long max_dist)
{
	const struct sock_filter *in = &e->rev[target];
	if (BPF_CLASS(in->code) == BPF_RET) {
		long near = lookup(e, in->code, in->k, 0, 0);
		if (near >= 0 && (long)e->len - near - 1 <= max_dist)
			return near;
		return push(e, in->code, 0, 0, in->k);
	}
	if (e->last_ja >= 0 && (long)e->len - e->last_ja - 1 <= max_dist &&
	    canon(e, e->last_ja) == canon(e, target))
		return e->last_ja;
	long ja = push(e, BPF_JMP | BPF_JA, 0, 0, (uint32_t)((long)e->len - target - 1));
	if (ja >= 0)
		e->last_ja = ja;
	return ja;
}

bool sg_emit_near(const struct sg_emit *e, sg_node target)
{
	if (e->err || target < 0)
		return true;
	return BPF_CLASS(e->rev[target].code) == BPF_RET || (long)e->len - target - 1 <= JMP_MAX;
}

/* an instruction that falls through to next */
static sg_node emit_straight(struct sg_emit *e, uint16_t code, uint32_t k, sg_node next)
{
	if (e->err || next < 0)
		return -1;
	long pos = lookup(e, code, k, canon(e, next), 0);
	if (pos >= 0)
		return pos;
	if (next != (long)e->len - 1) {
		next = reach(e, next, 0);
		if (next < 0)
			return -1;
	}
	return push(e, code, 0, 0, k);
}

sg_node sg_emit_ld(struct sg_emit *e, uint32_t off, sg_node next)
{
	return emit_straight(e, BPF_LD | BPF_W | BPF_ABS, off, next);
}

sg_node sg_emit_and(struct sg_emit *e, uint32_t k, sg_node next)
{
	return emit_straight(e, BPF_ALU | BPF_AND | BPF_K, k, next);
}

sg_node sg_emit_jmp(struct sg_emit *e, uint16_t op, uint32_t k, sg_node t, sg_node f)
{
	uint16_t code = BPF_JMP | op | BPF_K;

	if (e->err || t < 0 || f < 0)
		return -1;
	/* a test whose outcomes go to the same place tests nothing */
	if (canon(e, t) == canon(e, f))
		return t;
	long pos = lookup(e, code, k, canon(e, t), canon(e, f));
	if (pos >= 0)
		return pos;
	for (;;) {
		long at = (long)e->len;
		if (at - t - 1 > JMP_MAX)
			t = reach(e, t, JMP_MAX);
		else if (at - f - 1 > JMP_MAX)
			f = reach(e, f, JMP_MAX);
		else
			break;
		if (e->err)
			return -1;
	}
	long at = (long)e->len;
	return push(e, code, (uint8_t)(at - t - 1), (uint8_t)(at - f - 1), k);
}

struct sock_filter *sg_emit_finish(struct sg_emit *e, sg_node entry, size_t *len)
{
	if (!e->err && entry < 0)
		fail(e, -EINVAL);
	if (!e->err && entry != (long)e->len - 1)
		reach(e, entry, 0);
	if (e->err)
		return NULL;
	struct sock_filter *prog = sg_reallocarray(NULL, e->len, sizeof(*prog));
	if (!prog) {
		fail(e, -ENOMEM);
		return NULL;
	}
	for (size_t i = 0; i < e->len; i++)
		prog[i] = e->rev[e->len - 1 - i];
	*len = e->len;
	return prog;
}

sg_node sg_emit_program(struct sg_emit *e, const struct sock_filter *prog, size_t len)
{
	sg_node *map;
	bool *live;
	sg_node entry;

	if (e->err)
		return -1;
	map = sg_reallocarray(NULL, len, sizeof(*map));
	live = sg_calloc(len, sizeof(*live));
	if (!map || !live) {
		sg_free(map);
		sg_free(live);
		fail(e, -ENOMEM);
		return -1;
	}
	/* jumps only go forward: one sweep marks what the entry reaches */
	live[0] = true;
	for (size_t i = 0; i < len; i++) {
		const struct sock_filter *in = &prog[i];
		if (!live[i] || BPF_CLASS(in->code) == BPF_RET)
			continue;
		if (BPF_CLASS(in->code) != BPF_JMP)
			live[i + 1] = true;
		else if (BPF_OP(in->code) == BPF_JA)
			live[i + 1 + in->k] = true;
		else
			live[i + 1 + in->jt] = live[i + 1 + in->jf] = true;
	}
	for (size_t i = len; i-- > 0;) {
		const struct sock_filter *in = &prog[i];
		if (!live[i])
			continue;
		/* only what the builder makes: anything else would be emitted as something it
		 * is not, so it is refused (-EINVAL) */
		if (in->code == (BPF_RET | BPF_K))
			map[i] = sg_emit_ret(e, in->k);
		else if (in->code == (BPF_LD | BPF_W | BPF_ABS))
			map[i] = sg_emit_ld(e, in->k, map[i + 1]);
		else if (in->code == (BPF_ALU | BPF_AND | BPF_K))
			map[i] = sg_emit_and(e, in->k, map[i + 1]);
		else if (in->code == (BPF_JMP | BPF_JA))
			map[i] = map[i + 1 + in->k];
		else if (in->code == (BPF_JMP | BPF_JEQ | BPF_K) ||
		         in->code == (BPF_JMP | BPF_JGT | BPF_K) ||
		         in->code == (BPF_JMP | BPF_JGE | BPF_K) ||
		         in->code == (BPF_JMP | BPF_JSET | BPF_K))
			map[i] = sg_emit_jmp(e, BPF_OP(in->code), in->k, map[i + 1 + in->jt],
			                     map[i + 1 + in->jf]);
		else {
			fail(e, -EINVAL);
			break;
		}
	}
	entry = e->err ? -1 : map[0];
	sg_free(map);
	sg_free(live);
	return entry;
}
