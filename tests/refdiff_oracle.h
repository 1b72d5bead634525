/*
 * refdiff_oracle.h - what a rule list means, read straight from the calls that built it.
 *
 * test_refdiff arbitrates with it where sysgate and libseccomp disagree. It is deliberately
 * independent of sysgate's rule database, IR and compiler: it keeps the successful calls as
 * given (actions, syscall numbers, comparisons) and answers one input at a time by walking
 * them, using only the syscall tables (src/arch, which have their own tests against the
 * kernel's tables). Small and slow on purpose: obviously right beats fast.
 *
 * Each point of meaning is one named function in refdiff_oracle.c, so a change of meaning
 * (issue 18: which overlapping rule wins; exact 64-bit datums on 32-bit ABIs; socketcall
 * rules) is a change in one place:
 *   oracle_abi_for_input()   which ABI's rules handle (arch, nr), or bad-arch
 *   oracle_rule_lands_on()   where a rule given for a syscall number lands on an ABI
 *   oracle_condition()       what one comparison tests on an ABI
 *   oracle_rule_add()        which rules are kept when rules on one syscall meet
 *   oracle_precedence()      which action wins among the rules that match
 *
 * The `libseccomp_*` switches of struct oracle_meaning select libseccomp's meaning on one
 * point where sysgate differs on purpose (doc/differences.md): the test asks whether
 * libseccomp's verdict is that deliberate difference before it calls it a libseccomp bug.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef SYSGATE_REFDIFF_ORACLE_H
#define SYSGATE_REFDIFF_ORACLE_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/seccomp.h>

#include <seccomp.h>

#define ORACLE_MAX_RULES 96
#define ORACLE_MAX_ABIS  4

/* one successful rule-add call, as given */
struct oracle_call {
	uint32_t action;
	int nr;
	bool exact;
	unsigned int cnt;
	struct scmp_arg_cmp cmp[6];
};

struct oracle {
	uint32_t def, badarch;
	uint32_t tokens[ORACLE_MAX_ABIS]; /* the filter's ABIs */
	int nabi;
	struct oracle_call rules[ORACLE_MAX_RULES];
	int nrules;
	bool overflow; /* more rules than it can hold: no opinion */
};

/* libseccomp's meaning on the points where sysgate deliberately differs (all false: sysgate's) */
struct oracle_meaning {
	bool libseccomp_mux_a0_64;    /* socketcall/ipc call number compared in 64 bits */
	bool libseccomp_mips_foreign; /* other MIPS ABIs' numbers are ordinary numbers */
	bool libseccomp_minus1_x32;   /* nr -1 in an x86_64 + x32 filter goes to x32 */
	bool libseccomp_pnr_native;   /* a pseudo number stays pseudo on the native ABI */
	bool libseccomp_keep_absent;  /* a rule on a syscall an ABI lacks stays, under its pseudo
	                               * number (it can conflict, never match) */
	bool libseccomp_truncate_32;  /* 32-bit ABIs: every datum truncated to its low word */
	bool libseccomp_mux_args;     /* through socketcall/ipc the rule's A0 test is dropped and
	                               * its other comparisons test the multiplexer's registers */
};

/* a filter as seccomp_init(def) makes it: the native ABI, bad-arch action KILL */
void oracle_init(struct oracle *o, uint32_t def);
/* the successful calls, in order */
void oracle_arch_add(struct oracle *o, uint32_t token);
void oracle_arch_remove(struct oracle *o, uint32_t token);
void oracle_badarch(struct oracle *o, uint32_t action);
void oracle_rule(struct oracle *o, uint32_t action, int nr, bool exact, unsigned int cnt,
                 const struct scmp_arg_cmp *cmp);

/*
 * Would this rule add conflict (-EEXIST) with the rules kept so far: on some ABI and number it
 * lands on, a kept rule with the same comparisons, or one that the new rule is a prefix of,
 * has another action (seccomp_rule_add(3))?
 */
bool oracle_conflicts(const struct oracle *o, const struct oracle_meaning *m, uint32_t action,
                      int nr, unsigned int cnt, const struct scmp_arg_cmp *cmp);

/* the verdict for one input */
uint32_t oracle_eval(const struct oracle *o, const struct oracle_meaning *m,
                     const struct seccomp_data *d);

/*
 * The actions of the conditional rules that match d on its syscall when more than one rule
 * matches with different actions (the "overlap" case, where libseccomp's answer depends on
 * its decision tree), under meaning m: fills acts[] and returns how many; 0 when there is no
 * such overlap.
 */
int oracle_overlap_actions(const struct oracle *o, const struct oracle_meaning *m,
                           const struct seccomp_data *d, uint32_t *acts, int max);

#endif
