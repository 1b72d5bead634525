/*
 * refdiff.h - what test_refdiff.c, refdiff_ref.c and refdiff_gen.c share: a policy as a script
 * of calls, the two libraries' function tables, the reference libseccomp run as a black box, and
 * the random policies and inputs.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef SYSGATE_REFDIFF_H
#define SYSGATE_REFDIFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/filter.h>

#include <seccomp.h>

/*
 * A policy is first generated as a script of calls; libseccomp runs it in a child process
 * (libseccomp 2.5.4 can loop forever in a rule add: the child is killed after a timeout) and
 * sends back every return code and its program; sysgate runs it in the test process.
 */
enum call_kind { C_ARCH_REMOVE, C_ARCH_ADD, C_ATTR, C_PRIO, C_RULE, C_RULE_EXACT };

struct call {
	enum call_kind kind;
	uint32_t u; /* arch token, attribute value, action, priority */
	int attr;
	int nr;
	unsigned int cnt;
	struct scmp_arg_cmp cmp[8];
};

#define MAX_CALLS 80

struct script {
	uint32_t def;
	int opt_sg, opt_ref;
	bool tskip;
	int n;
	struct call c[MAX_CALLS];
};

struct ref_result {
	int rcs[MAX_CALLS];
	int ndone;     /* calls that returned */
	int export_rc; /* 1: not reached */
	struct sock_filter *prog;
	size_t len;
	bool hung, crashed;
};

/* one call on one library (the function table is sysgate's or libseccomp's) */
struct lib_api {
	int (*arch_add)(scmp_filter_ctx, uint32_t);
	int (*arch_remove)(scmp_filter_ctx, uint32_t);
	int (*attr_set)(scmp_filter_ctx, enum scmp_filter_attr, uint32_t);
	int (*rule_add_array)(scmp_filter_ctx, uint32_t, int, unsigned int,
	                      const struct scmp_arg_cmp *);
	int (*rule_add_exact_array)(scmp_filter_ctx, uint32_t, int, unsigned int,
	                            const struct scmp_arg_cmp *);
	int (*priority)(scmp_filter_ctx, int, uint8_t);
};

/* run one call on one library */
int call_run(const struct lib_api *api, scmp_filter_ctx ctx, const struct call *c);

/*
 * The reference library (refdiff_ref.c): dlopen()ed, never linked (its seccomp_* would clash
 * with sysgate's), called through these pointers.
 */
struct ref_lib {
	void *handle;
	const char *path;
	const struct scmp_version *(*version)(void);
	scmp_filter_ctx (*init)(uint32_t);
	void (*release)(scmp_filter_ctx);
	struct lib_api api; /* the calls a script makes */
	int (*export_bpf)(const scmp_filter_ctx, int);
	int (*resolve_name_arch)(uint32_t, const char *);
	int (*resolve_name_rewrite)(uint32_t, const char *);
	int (*api_set)(unsigned int);
};

extern struct ref_lib reflib;
extern char ref_version[24]; /* "2.5.4" once ref_open() succeeded */

/* load the reference: $SYSGATE_REF_LIBSECCOMP or the system's libseccomp.so.2; false (with the
 * reason printed) when there is none */
bool ref_open(void);

/* run the script on the reference in a child process (killed when it makes no progress for
 * $SYSGATE_REFDIFF_TIMEOUT seconds); the program comes back in host byte order */
void ref_run(const struct script *s, bool big_endian, struct ref_result *res);

/*
 * Random material (refdiff_gen.c)
 */

struct abi_set {
	const char *name;
	uint32_t tokens[4]; /* 0-terminated */
};

extern const struct abi_set abi_sets[];
extern const size_t n_abi_sets;
extern const char *const sys_names[]; /* every kind of cross-ABI fate */
extern const size_t n_sys_names;

/* is nr a pseudo number? */
bool is_pnr(int nr);
/* the name a client's syscall number stands for (native number or pseudo number), or NULL */
const char *nr_name(int nr);

struct tu_rng;
struct sg_filter;

/* a call appended to the script, zeroed but for its kind */
struct call *script_add(struct script *s, enum call_kind kind);
/* one random policy for the ABI set as a script of calls, on syscalls drawn from pool */
void make_script(struct tu_rng *r, struct script *s, const struct abi_set *abis, const int *pool,
                 size_t npool);

/* the inputs a policy's programs are run on */
struct inputs {
	struct seccomp_data *d;
	size_t n, cap;
};

void input_add(struct inputs *in, const struct seccomp_data *d);
/* the numbers the filter's rules sit on and those libseccomp puts the calls' syscalls (nrs) on,
 * their neighbours, both ways of the x32 bit, boundary numbers and foreign arch values, each
 * with boundary argument vectors and values next to the rules' datums */
void make_inputs(struct tu_rng *r, struct inputs *in, const struct sg_filter *f, const int *nrs,
                 int nnrs);

#endif
