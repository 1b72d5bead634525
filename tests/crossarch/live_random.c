/*
 * live_random.c - the kernel as oracle (live.h): random policies over unassigned numbers and
 * harmless real syscalls, the kernel's verdict for many argument vectors against the IR's.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/reboot.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <seccomp.h>

#include "../testutil.h"
#include "arch/kvers.h"
#include "live.h"

/*
 * the kernel as oracle: random policies over unassigned numbers and harmless real syscalls;
 * the kernel's verdict for many argument vectors must equal the IR's
 */

static const char *const harmless[] = {"getpid", "getppid", "getuid",      "geteuid",
                                       "getgid", "getegid", "sched_yield", "getpgrp"};

struct pool {
	long nr[32];
	const char *name[32]; /* NULL: an unassigned number (rules by number, native ABI only) */
	int n;
};

static void pool_init(struct pool *pl, bool numbers)
{
	pl->n = 0;
	if (numbers)
		for (int i = 0; i < 4; i++) {
			pl->nr[pl->n] = nr_test + i;
			pl->name[pl->n++] = NULL;
		}
	for (size_t i = 0; i < NELEM(harmless); i++) {
		int nr = sg_arch_syscall_nr(native, harmless[i]);
		if (nr < 0)
			continue;
		pl->nr[pl->n] = nr;
		pl->name[pl->n++] = harmless[i];
	}
}

struct oracle_arg {
	uint64_t seed;
	bool multi; /* add other ABIs of the same byte order, rules by name only */
};

static const uint32_t oracle_acts[] = {SCMP_ACT_ALLOW,    SCMP_ACT_ERRNO(1),    SCMP_ACT_ERRNO(2),
                                       SCMP_ACT_ERRNO(3), SCMP_ACT_ERRNO(4094), SCMP_ACT_LOG,
                                       SCMP_ACT_TRACE(1)};

/* random ABIs of the native byte order, the native one among them, in random order */
static void add_random_arches(struct tu_rng *r, scmp_filter_ctx ctx, char *desc, size_t size)
{
	const struct sg_arch *pick[4];
	int n = 0, want = 1 + (int)tu_below(r, 4), native_at;
	size_t len = 0;

	for (int tries = 0; tries < 64 && n < want - 1; tries++) {
		const struct sg_arch *a = sg_arches[tu_below(r, sg_arch_count)];
		bool dup = a == native;
		for (int i = 0; i < n; i++)
			dup |= pick[i] == a;
		if (!dup && a->big_endian == native->big_endian)
			pick[n++] = a;
	}
	/* x86: prefer Docker's trio often */
	if (native->audit == AUDIT_ARCH_X86_64 || native->audit == AUDIT_ARCH_I386) {
		if (tu_below(r, 2)) {
			static const uint32_t trio[] = {SCMP_ARCH_X86_64, SCMP_ARCH_X86,
			                                SCMP_ARCH_X32};
			n = 0;
			for (int i = 0; i < 3; i++)
				if (trio[i] != native->token)
					pick[n++] = sg_arch_by_token(trio[i]);
		}
	}
	native_at = (int)tu_below(r, (uint64_t)n + 1);
	if (native_at > 0)
		must(seccomp_arch_remove(ctx, SCMP_ARCH_NATIVE), "arch_remove native");
	for (int i = 0; i <= n; i++) {
		const struct sg_arch *a;
		if (i == native_at)
			a = native;
		else
			a = pick[i < native_at ? i : i - 1];
		if (i != 0 || native_at != 0)
			must(seccomp_arch_add(ctx, a->token), "arch_add");
		len += (size_t)snprintf(desc + len, size - len, "%s%s", i ? "+" : "", a->name);
		if (len >= size)
			break;
	}
}

static void oracle_child(void *p)
{
	const struct oracle_arg *oa = p;
	struct tu_rng r = {oa->seed};
	uint32_t def = oracle_acts[tu_below(&r, 4)];
	scmp_filter_ctx ctx = new_ctx(def);
	struct sg_filter *f = (struct sg_filter *)ctx;
	struct pool pl;
	char arches[128] = "";
	long mismatches = 0;
	enum { N = 300 };
	static uint64_t args[N][6];
	static long want[N], nrs[N], allowed_rc[64];
	static long probe_nr[64];
	int nprobe = 0;

	pool_init(&pl, !oa->multi);
	if (oa->multi)
		add_random_arches(&r, ctx, arches, sizeof(arches));
	else
		snprintf(arches, sizeof(arches), "%s", native->name);
	/* x86_64/x32 probes reach the other numbering: bad-arch must not kill */
	must(seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, oracle_acts[1 + tu_below(&r, 4)]),
	     "badarch");
	/* the child must still be able to exit under a denying default */
	if (def != SCMP_ACT_ALLOW) {
		must(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(exit_group), 0), "exit_group");
		must(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(exit), 0), "exit");
	}
	for (int i = 0; i < 12; i++) {
		struct scmp_arg_cmp cmp[6];
		unsigned int k = 0, used = 0;
		int which = (int)tu_below(&r, (uint64_t)pl.n);
		for (int j = 0; j < (int)tu_below(&r, 4); j++) {
			unsigned int arg = (unsigned int)tu_below(&r, 6);
			if (used & (1u << arg))
				continue;
			used |= 1u << arg;
			unsigned int op = (unsigned int)(1 + tu_below(&r, 7));
			if (tu_below(&r, 8) == 0)
				op |= SCMP_CMP_32BIT;
			cmp[k++] = (struct scmp_arg_cmp){arg, (enum scmp_compare)op, tu_value(&r),
			                                 tu_value(&r)};
		}
		/* conflicts (-EEXIST) are part of the game, as in libseccomp */
		(void)seccomp_rule_add_array(ctx, oracle_acts[tu_below(&r, NELEM(oracle_acts))],
		                             pl.name[which]
		                                 ? seccomp_syscall_resolve_name(pl.name[which])
		                                 : (int)pl.nr[which],
		                             k, cmp);
	}
	/* probe numbers: the pool, and on x86_64/x32 the same numbers in the other ABI's form */
	for (int i = 0; i < pl.n; i++) {
		probe_nr[nprobe++] = pl.nr[i];
		if (native->audit == AUDIT_ARCH_X86_64)
			probe_nr[nprobe++] = pl.nr[i] ^ SG_X32_BIT;
	}
	if (!oa->multi)
		probe_nr[nprobe++] = nr_test + 4;
	/* what each number returns when allowed, measured before the filter is in force */
	for (int i = 0; i < nprobe; i++)
		allowed_rc[i] = sys0(probe_nr[i]);
	for (int i = 0; i < N; i++) {
		int pi = (int)tu_below(&r, (uint64_t)nprobe);
		nrs[i] = probe_nr[pi];
		const struct sg_archdb *db = sg_ir_select(f, native->audit, (uint32_t)nrs[i]);
		const struct sg_sysrules *s = db ? sg_archdb_find(db, (int32_t)nrs[i]) : NULL;
		for (int a = 0; a < 6; a++) {
			args[i][a] = tu_value(&r);
			if (s && s->nrules && tu_below(&r, 3)) {
				const struct sg_rule *ru = &s->rules[tu_below(&r, s->nrules)];
				for (unsigned int c = 0; c < ru->ncond; c++)
					if (ru->cond[c].arg == a)
						args[i][a] = tu_value_near(&r, ru->cond[c].datum);
			}
		}
		struct seccomp_data d = data_for(nrs[i], args[i]);
		want[i] = outcome(sg_ir_eval(f, &d), allowed_rc[pi]);
	}
	if (seccomp_load(ctx) != 0) {
		child_fail("seccomp_load failed (%s)", arches);
		_exit(3);
	}
	for (int i = 0; i < N; i++) {
		long got = sys6(nrs[i], args[i]);
		if (got != want[i] && mismatches++ == 0)
			child_fail("seed %" PRIu64 " %s: nr %ld args {%#" PRIx64 ",%#" PRIx64
			           ",%#" PRIx64 ",%#" PRIx64 ",%#" PRIx64 ",%#" PRIx64
			           "}: kernel %ld, IR %ld",
			           oa->seed, arches, nrs[i], args[i][0], args[i][1], args[i][2],
			           args[i][3], args[i][4], args[i][5], got, want[i]);
	}
	_exit(mismatches ? 1 : 0);
}

void check_oracle(const char *check, bool multi, int rounds)
{
	int bad = 0;
	char first[MSG_SIZE] = "";

	for (int i = 0; i < rounds; i++) {
		struct oracle_arg oa = {
		    seed * 1000003u + (uint64_t)i * 2 + multi + 0x9e3779b97f4a7c15ull, multi};
		int st = in_child(oracle_child, &oa);
		if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
			if (bad++ == 0)
				snprintf(first, sizeof(first), "round %d: %s: %s", i,
				         status_str(st), child_msg);
		}
	}
	if (bad)
		result(check, false, "%d of %d policies diverged; first: %s", bad, rounds, first);
	else
		result(check, true, "%d policies x 300 calls", rounds);
}
