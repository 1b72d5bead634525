/*
 * fuzz_api.c - libFuzzer target: libseccomp API call sequences decoded from the input.
 *
 * Two contexts; each input byte stream is a program of calls: init/reset with any action, arch
 * add/remove/exist with any token, rule adds (plain and _exact) with arbitrary actions,
 * syscall numbers, argument counts (0..8), argument indexes, operators and datums, attribute
 * get/set with any attribute and value, priorities, transactions (start/reject/commit), merge,
 * precompute, export_bpf_mem, export_bpf and export_pfc to /dev/null, the resolvers with fuzzed
 * names, and allocation-failure injection for the next call (the build defines
 * SG_FAULT_INJECTION). seccomp_load is never called.
 *
 * Invariants (abort() on violation):
 *  - no crash, no sanitizer report;
 *  - every return code is 0 (or a documented non-negative value) or one of libseccomp's
 *    errnos: -EACCES -ECANCELED -EDOM -EEXIST -EINVAL -ENOENT -ENOMEM -EOPNOTSUPP -ERANGE
 *    -ESRCH -EFAULT;
 *  - an exported program passes the kernel's checker (sg_bpf_check) and agrees with the IR
 *    (sg_ir_eval) on inputs derived from the rules and the fuzz input; every syscall the IR
 *    allows whatever the arguments is const-allow;
 *  - a failed call under allocation-failure injection returns -ENOMEM (or another listed
 *    errno) and leaves a context that still exports a correct program.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <seccomp.h>

#include "alloc.h"
#include "bpf.h"
#include "compile.h"
#include "db.h"
#include "ir.h"

struct input {
	const uint8_t *p;
	size_t n;
};

static uint8_t u8(struct input *in)
{
	if (!in->n)
		return 0;
	in->n--;
	return *in->p++;
}

static uint32_t u32(struct input *in)
{
	uint32_t v = 0;
	for (int i = 0; i < 4; i++)
		v = v << 8 | u8(in);
	return v;
}

static uint64_t u64(struct input *in)
{
	return (uint64_t)u32(in) << 32 | u32(in);
}

static const uint32_t actions[] = {
    SCMP_ACT_ALLOW,       SCMP_ACT_KILL_PROCESS,
    SCMP_ACT_KILL_THREAD, SCMP_ACT_TRAP,
    SCMP_ACT_LOG,         SCMP_ACT_NOTIFY,
    SCMP_ACT_ERRNO(0),    SCMP_ACT_ERRNO(1),
    SCMP_ACT_ERRNO(4094), SCMP_ACT_ERRNO(4095),
    SCMP_ACT_TRACE(1),    SCMP_ACT_TRACE(0xffff),
    SCMP_ACT_ALLOW | 1,   0x00010000,
    0x12345678,
};

static const uint32_t tokens[] = {
    SCMP_ARCH_NATIVE,   SCMP_ARCH_X86,      SCMP_ARCH_X86_64,
    SCMP_ARCH_X32,      SCMP_ARCH_ARM,      SCMP_ARCH_AARCH64,
    SCMP_ARCH_MIPS,     SCMP_ARCH_MIPS64,   SCMP_ARCH_MIPS64N32,
    SCMP_ARCH_MIPSEL,   SCMP_ARCH_MIPSEL64, SCMP_ARCH_MIPSEL64N32,
    SCMP_ARCH_PPC,      SCMP_ARCH_PPC64,    SCMP_ARCH_PPC64LE,
    SCMP_ARCH_S390,     SCMP_ARCH_S390X,    SCMP_ARCH_PARISC,
    SCMP_ARCH_PARISC64, SCMP_ARCH_RISCV64,  0x1234,
};

static const int syscalls[] = {0,    1,    2,      3,      41,         42,   59,   102,  117,
                               231,  435,  1000,   -1,     -2,         -99,  -100, -101, -120,
                               -201, -224, -10001, -10060, 0x40000000, 5000, 4001, 6001};

static const uint64_t datums[] = {0,
                                  1,
                                  2,
                                  0x7fffffff,
                                  0x80000000,
                                  0xffffffff,
                                  0x100000000,
                                  0x7fffffffffffffff,
                                  0x8000000000000000,
                                  0xffffffff00000000,
                                  0xffffffffffffff9c,
                                  0xffffffffffffffff};

#define PICK(in, table) (table[u8(in) % (sizeof(table) / sizeof(table[0]))])

static uint32_t action(struct input *in)
{
	return u8(in) < 240 ? PICK(in, actions) : u32(in);
}

static uint32_t token(struct input *in)
{
	return u8(in) < 240 ? PICK(in, tokens) : u32(in);
}

static int syscall_nr(struct input *in)
{
	return u8(in) < 200 ? PICK(in, syscalls) : (int)u32(in);
}

static uint64_t datum(struct input *in)
{
	uint8_t k = u8(in);
	if (k < 128)
		return PICK(in, datums) + (uint64_t)(int8_t)u8(in);
	return u64(in);
}

/* libseccomp's documented errors (_rc_filter) plus -EFAULT */
static void check_rc(int rc, const char *what)
{
	switch (rc) {
	case -EACCES:
	case -ECANCELED:
	case -EDOM:
	case -EEXIST:
	case -EINVAL:
	case -ENOENT:
	case -ENOMEM:
	case -EOPNOTSUPP:
	case -ERANGE:
	case -ESRCH:
	case -EFAULT:
		return;
	default:
		if (rc >= 0)
			return;
		fprintf(stderr, "%s returned %d, not a libseccomp errno\n", what, rc);
		abort();
	}
}

/* the exported program: checker, IR agreement, const-allow */
static void check_export(scmp_filter_ctx ctx, struct input *in)
{
	struct sg_filter *f = ctx;
	size_t bytes = 0;
	int rc = seccomp_export_bpf_mem(ctx, NULL, &bytes);
	struct sock_filter *prog;
	size_t len;
	bool be;

	check_rc(rc, "export_bpf_mem(NULL)");
	if (rc < 0) {
		if (rc != -EFAULT && rc != -EINVAL && rc != -ENOMEM)
			abort();
		return;
	}
	prog = malloc(bytes + 1);
	if (!prog)
		return;
	rc = seccomp_export_bpf_mem(ctx, prog, &bytes);
	check_rc(rc, "export_bpf_mem");
	if (rc < 0) {
		free(prog);
		return;
	}
	len = bytes / sizeof(*prog);
	be = f->arch[0].arch->big_endian;
	sg_bpf_to_target(prog, len, be);
	if (sg_bpf_check(prog, len) != 0) {
		fprintf(stderr, "exported program fails the checker\n");
		abort();
	}
	for (uint32_t a = 0; a < f->narch; a++) {
		const struct sg_archdb *db = &f->arch[a];
		for (uint32_t j = 0; j < db->nsys + 2 && j < 24; j++) {
			struct seccomp_data d = {.arch = db->arch->audit};
			const struct sg_sysrules *s = j < db->nsys ? &db->sys[j] : NULL;
			d.nr = s ? s->nr : (int)u32(in);
			for (int t = 0; t < 6; t++) {
				for (int k = 0; k < 6; k++) {
					d.args[k] = datum(in);
					if (s && s->nrules && t & 1) {
						const struct sg_rule *ru = &s->rules[t % s->nrules];
						for (unsigned int c = 0; c < ru->ncond; c++)
							if (ru->cond[c].arg == k)
								d.args[k] = ru->cond[c].datum +
								            (uint64_t)(t / 2) - 1;
					}
				}
				uint32_t ir = sg_ir_eval(f, &d);
				uint32_t run = sg_bpf_run(prog, len, &d, be, NULL);
				if (ir != run) {
					fprintf(stderr, "arch %08x nr %d: program %08x, IR %08x\n",
					        d.arch, d.nr, run, ir);
					abort();
				}
			}
			if (s && s->has_uncond && s->uncond_action == SCMP_ACT_ALLOW &&
			    sg_ir_select(f, d.arch, (uint32_t)d.nr) == db &&
			    !sg_bpf_const_allow(prog, len, d.arch, d.nr)) {
				fprintf(stderr, "arch %08x nr %d allowed but not const-allow\n",
				        d.arch, d.nr);
				abort();
			}
		}
	}
	free(prog);
}

static int devnull = -1;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = {data, size};
	scmp_filter_ctx ctx[2] = {NULL, NULL};
	long steps = 0;

	if (devnull < 0)
		devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
	ctx[0] = seccomp_init(action(&in));
	ctx[1] = seccomp_init(SCMP_ACT_ALLOW);

	while (in.n && steps++ < 200) {
		uint8_t op = u8(&in);
		scmp_filter_ctx c = ctx[op >> 7];
		int rc = 0;
		uint32_t v;

		switch (op % 20) {
		case 0: /* init again, or reset */
			if (u8(&in) & 1) {
				seccomp_release(ctx[op >> 7]);
				ctx[op >> 7] = seccomp_init(action(&in));
			} else {
				rc = seccomp_reset(c, action(&in));
				check_rc(rc, "reset");
			}
			break;
		case 1:
			check_rc(seccomp_arch_add(c, token(&in)), "arch_add");
			break;
		case 2:
			check_rc(seccomp_arch_remove(c, token(&in)), "arch_remove");
			break;
		case 3:
			check_rc(seccomp_arch_exist(c, token(&in)), "arch_exist");
			break;
		case 4:
		case 5:
		case 6: {
			struct scmp_arg_cmp cmp[8] = {{0}};
			uint32_t act = action(&in);
			int nr = syscall_nr(&in);
			unsigned int cnt = u8(&in) % 9;
			for (unsigned int i = 0; i < cnt; i++) {
				uint8_t b = u8(&in);
				cmp[i].arg = b < 250 ? b % 6 : b;
				b = u8(&in);
				cmp[i].op = (enum scmp_compare)(b < 250 ? 1 + b % 7 : b);
				cmp[i].datum_a = datum(&in);
				cmp[i].datum_b = datum(&in);
			}
			if (op % 20 == 6)
				rc = seccomp_rule_add_exact_array(c, act, nr, cnt, cmp);
			else if (cnt <= 6 && (u8(&in) & 1))
				rc = seccomp_rule_add(c, act, nr, cnt, cmp[0], cmp[1], cmp[2],
				                      cmp[3], cmp[4], cmp[5]);
			else
				rc = seccomp_rule_add_array(c, act, nr, cnt, cnt ? cmp : NULL);
			check_rc(rc, "rule_add");
			break;
		}
		case 7:
			/* every attribute, and one past the last */
			v = u8(&in) < 200 ? u8(&in) % 14 : u32(&in);
			check_rc(seccomp_attr_set(c, (enum scmp_filter_attr)v,
			                          u8(&in) < 200 ? u8(&in) % 4 : action(&in)),
			         "attr_set");
			break;
		case 8:
			check_rc(seccomp_attr_get(c, (enum scmp_filter_attr)(u8(&in) % 14), &v),
			         "attr_get");
			break;
		case 9:
			check_rc(seccomp_transaction_start(c), "transaction_start");
			break;
		case 10:
			seccomp_transaction_reject(c);
			break;
		case 11:
			check_rc(seccomp_transaction_commit(c), "transaction_commit");
			break;
		case 12:
			rc = seccomp_merge(ctx[0], ctx[1]);
			check_rc(rc, "merge");
			if (rc == 0)
				ctx[1] = seccomp_init(SCMP_ACT_ALLOW); /* src was freed */
			break;
		case 13:
			check_rc(seccomp_syscall_priority(c, syscall_nr(&in), u8(&in)), "priority");
			break;
		case 14:
			check_rc(seccomp_precompute(c), "precompute");
			break;
		case 15:
			if (c)
				check_export(c, &in);
			break;
		case 16:
			check_rc(seccomp_export_pfc(c, devnull), "export_pfc");
			check_rc(seccomp_export_bpf(c, devnull), "export_bpf");
			break;
		case 17: {
			/* the resolvers, with a fuzzed name */
			char name[24];
			size_t n = u8(&in) % sizeof(name);
			for (size_t i = 0; i < n; i++)
				name[i] = (char)u8(&in);
			name[n] = 0;
			v = token(&in);
			(void)seccomp_syscall_resolve_name_arch(v, name);
			(void)seccomp_syscall_resolve_name_rewrite(v, name);
			(void)seccomp_arch_resolve_name(name);
			free(seccomp_syscall_resolve_num_arch(v, syscall_nr(&in)));
			break;
		}
		case 18: {
			/* the next call runs with its n-th allocation failing */
			long nth = 1 + u8(&in) % 8;
			uint8_t what = u8(&in) % 4;
			struct scmp_arg_cmp cmp = {u8(&in) % 6,
			                           (enum scmp_compare)(1 + u8(&in) % 7), datum(&in),
			                           datum(&in)};
			sg_fault_arm(nth);
			switch (what) {
			case 0:
				rc = seccomp_rule_add_array(c, action(&in), syscall_nr(&in), 1,
				                            &cmp);
				break;
			case 1:
				rc = seccomp_transaction_start(c);
				break;
			case 2:
				rc = seccomp_precompute(c);
				break;
			default:
				rc = seccomp_arch_add(c, token(&in));
				break;
			}
			if (sg_fault_fired() && rc == 0 && what != 3) {
				fprintf(stderr, "a failed allocation went unreported\n");
				abort();
			}
			sg_fault_arm(0);
			check_rc(rc, "call under allocation failure");
			if (c)
				check_export(c, &in);
			break;
		}
		default:
			if (c)
				check_export(c, &in);
			break;
		}
	}
	for (int i = 0; i < 2; i++) {
		if (ctx[i])
			check_export(ctx[i], &in);
		seccomp_release(ctx[i]);
	}
	return 0;
}
