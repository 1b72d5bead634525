/*
 * layout.c - dump every ABI-relevant value of <seccomp.h>, one "name value" line each.
 *
 * tests/compat/abi.sh compiles this file twice: once against Debian's libseccomp 2.5.4 header
 * (/usr/include/seccomp.h) and once against sysgate's, and compares the two dumps: every line of
 * the reference dump must appear unchanged in sysgate's (a line only in sysgate's is an addition).
 *
 * What is dumped:
 *  - every object-like integer macro and every enumerator of the header (the list is generated
 *    by abi.sh from the preprocessor's view of that same header: names.h, one P(NAME) each);
 *  - sizes, alignments, field offsets and field sizes of the public structs and types;
 *  - the value of every function-like macro for a set of sample arguments (SCMP_ACT_ERRNO,
 *    SCMP_ACT_TRACE, SCMP_SYS, SCMP_CMP*, SCMP_A<n>*), including use as a static initialiser;
 *  - for each public function, whether its type matches the libseccomp 2.6 prototype written
 *    out below (checked by the compiler, so a changed parameter or return type shows up).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <seccomp.h>

#include <errno.h>
#include <stddef.h>
#include <stdio.h>

#define P(name) printf("%s %lld\n", #name, (long long)(name))
#define PU(name) printf("%s %llu\n", #name, (unsigned long long)(name))

#define FIELD(type, f)                                                                             \
	printf("offsetof(%s.%s) %zu\nsizeof(%s.%s) %zu\n", #type, #f, offsetof(type, f), #type,     \
	       #f, sizeof(((type *)0)->f))
#define TYPE(type)                                                                                 \
	printf("sizeof(%s) %zu\nalignof(%s) %zu\n", #type, sizeof(type), #type, _Alignof(type))
#define SIGNED(type) printf("signed(%s) %d\n", #type, (type)-1 < (type)0)

#define CMP(label, expr)                                                                           \
	do {                                                                                       \
		struct scmp_arg_cmp c_ = (expr);                                                   \
		printf("%s {%u,%d,0x%llx,0x%llx}\n", label, c_.arg, (int)c_.op,                   \
		       (unsigned long long)c_.datum_a, (unsigned long long)c_.datum_b);           \
	} while (0)

#define PROTO(fn, ...)                                                                             \
	printf("prototype(%s) %s\n", #fn,                                                          \
	       __builtin_types_compatible_p(__typeof__(fn), __VA_ARGS__) ? "libseccomp-2.6"       \
									 : "DIFFERENT")

/* SCMP_CMP*() must be usable as static initialisers (systemd, crun and others do this) */
static const struct scmp_arg_cmp static_cmps[] = {
	SCMP_A0(SCMP_CMP_EQ, 1),
	SCMP_A1(SCMP_CMP_MASKED_EQ, 0xff, 0x10),
	SCMP_CMP(2, SCMP_CMP_LT, 7),
	SCMP_A3_32(SCMP_CMP_EQ, -1),
};

static void dump_generated(void)
{
#include "names.h"
}

int main(void)
{
	unsigned int i;

	/* types */
	TYPE(scmp_filter_ctx);
	TYPE(scmp_datum_t);
	SIGNED(scmp_datum_t);
	TYPE(enum scmp_filter_attr);
	TYPE(enum scmp_compare);
	SIGNED(enum scmp_compare);
	TYPE(struct scmp_version);
	FIELD(struct scmp_version, major);
	FIELD(struct scmp_version, minor);
	FIELD(struct scmp_version, micro);
	TYPE(struct scmp_arg_cmp);
	FIELD(struct scmp_arg_cmp, arg);
	FIELD(struct scmp_arg_cmp, op);
	FIELD(struct scmp_arg_cmp, datum_a);
	FIELD(struct scmp_arg_cmp, datum_b);
	/* kernel structs the header provides or passes through */
	TYPE(struct seccomp_data);
	FIELD(struct seccomp_data, nr);
	FIELD(struct seccomp_data, arch);
	FIELD(struct seccomp_data, instruction_pointer);
	FIELD(struct seccomp_data, args);
	TYPE(struct seccomp_notif);
	FIELD(struct seccomp_notif, id);
	FIELD(struct seccomp_notif, pid);
	FIELD(struct seccomp_notif, flags);
	FIELD(struct seccomp_notif, data);
	TYPE(struct seccomp_notif_resp);
	FIELD(struct seccomp_notif_resp, id);
	FIELD(struct seccomp_notif_resp, val);
	FIELD(struct seccomp_notif_resp, error);
	FIELD(struct seccomp_notif_resp, flags);
	TYPE(struct seccomp_notif_sizes);
#ifdef SECCOMP_ADDFD_FLAG_SETFD
	TYPE(struct seccomp_notif_addfd);
	FIELD(struct seccomp_notif_addfd, id);
	FIELD(struct seccomp_notif_addfd, flags);
	FIELD(struct seccomp_notif_addfd, srcfd);
	FIELD(struct seccomp_notif_addfd, newfd);
	FIELD(struct seccomp_notif_addfd, newfd_flags);
#endif

	/* function-like macros */
	{
		const long long samples[] = {0, 1, EPERM, EACCES, ENOSYS, 4094, 4095, 0xffff,
					     0x10005, -1};
		for (i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
			printf("SCMP_ACT_ERRNO(%lld) 0x%llx\n", samples[i],
			       (unsigned long long)SCMP_ACT_ERRNO(samples[i]));
			printf("SCMP_ACT_TRACE(%lld) 0x%llx\n", samples[i],
			       (unsigned long long)SCMP_ACT_TRACE(samples[i]));
			printf("sizeof(SCMP_ACT_ERRNO) %zu\n", sizeof(SCMP_ACT_ERRNO(samples[i])));
		}
		printf("sizeof(SCMP_ACT_ERRNO(int)) %zu\n", sizeof(SCMP_ACT_ERRNO((int)1)));
		printf("sizeof(SCMP_ACT_ALLOW) %zu\n", sizeof(SCMP_ACT_ALLOW));
	}
	P(SCMP_SYS(read));
	P(SCMP_SYS(socket));
	P(SCMP_SYS(socketcall));
	P(SCMP_SYS(ipc));
	P(SCMP_SYS(semop));
	P(SCMP_SYS(arch_prctl));
	P(SCMP_SYS(open));
	P(SCMP_SYS(time));
	P(SCMP_SYS(breakpoint));
	P(SCMP_SYS(set_tls));
	P(SCMP_SYS(mmap2));
	P(SCMP_SYS(_llseek));
	P(SCMP_SYS(clone3));
	CMP("SCMP_CMP(1,EQ,2)", SCMP_CMP(1, SCMP_CMP_EQ, 2));
	CMP("SCMP_CMP(1,MASKED_EQ,3,4)", SCMP_CMP(1, SCMP_CMP_MASKED_EQ, 3, 4));
	CMP("SCMP_CMP64(5,GE,-1)", SCMP_CMP64(5, SCMP_CMP_GE, -1));
	CMP("SCMP_CMP32(2,EQ,-1)", SCMP_CMP32(2, SCMP_CMP_EQ, -1));
	CMP("SCMP_CMP32(2,MASKED_EQ,-1,-2)", SCMP_CMP32(2, SCMP_CMP_MASKED_EQ, -1, -2));
	CMP("SCMP_A0(NE,-1)", SCMP_A0(SCMP_CMP_NE, -1));
	CMP("SCMP_A1(LT,5)", SCMP_A1(SCMP_CMP_LT, 5));
	CMP("SCMP_A2(LE,5)", SCMP_A2(SCMP_CMP_LE, 5));
	CMP("SCMP_A3(EQ,5)", SCMP_A3(SCMP_CMP_EQ, 5));
	CMP("SCMP_A4(GT,5)", SCMP_A4(SCMP_CMP_GT, 5));
	CMP("SCMP_A5(MASKED_EQ,1,1)", SCMP_A5(SCMP_CMP_MASKED_EQ, 1, 1));
	CMP("SCMP_A0_64(EQ,-2)", SCMP_A0_64(SCMP_CMP_EQ, -2));
	CMP("SCMP_A1_64(EQ,-2)", SCMP_A1_64(SCMP_CMP_EQ, -2));
	CMP("SCMP_A2_64(EQ,-2)", SCMP_A2_64(SCMP_CMP_EQ, -2));
	CMP("SCMP_A3_64(EQ,-2)", SCMP_A3_64(SCMP_CMP_EQ, -2));
	CMP("SCMP_A4_64(EQ,-2)", SCMP_A4_64(SCMP_CMP_EQ, -2));
	CMP("SCMP_A5_64(EQ,-2)", SCMP_A5_64(SCMP_CMP_EQ, -2));
	CMP("SCMP_A0_32(EQ,-2)", SCMP_A0_32(SCMP_CMP_EQ, -2));
	CMP("SCMP_A1_32(EQ,-2)", SCMP_A1_32(SCMP_CMP_EQ, -2));
	CMP("SCMP_A2_32(EQ,-2)", SCMP_A2_32(SCMP_CMP_EQ, -2));
	CMP("SCMP_A3_32(EQ,-2)", SCMP_A3_32(SCMP_CMP_EQ, -2));
	CMP("SCMP_A4_32(EQ,-2)", SCMP_A4_32(SCMP_CMP_EQ, -2));
	CMP("SCMP_A5_32(MASKED_EQ,-2,-3)", SCMP_A5_32(SCMP_CMP_MASKED_EQ, -2, -3));
	for (i = 0; i < sizeof(static_cmps) / sizeof(static_cmps[0]); i++) {
		char label[32];
		snprintf(label, sizeof(label), "static_initialiser[%u]", i);
		CMP(label, static_cmps[i]);
	}

	/* prototypes, as libseccomp 2.6 declares them */
	PROTO(seccomp_version, const struct scmp_version *(void));
	PROTO(seccomp_api_get, unsigned int(void));
	PROTO(seccomp_api_set, int(unsigned int));
	PROTO(seccomp_init, scmp_filter_ctx(uint32_t));
	PROTO(seccomp_reset, int(scmp_filter_ctx, uint32_t));
	PROTO(seccomp_release, void(scmp_filter_ctx));
	PROTO(seccomp_merge, int(scmp_filter_ctx, scmp_filter_ctx));
	PROTO(seccomp_arch_resolve_name, uint32_t(const char *));
	PROTO(seccomp_arch_native, uint32_t(void));
	PROTO(seccomp_arch_exist, int(const scmp_filter_ctx, uint32_t));
	PROTO(seccomp_arch_add, int(scmp_filter_ctx, uint32_t));
	PROTO(seccomp_arch_remove, int(scmp_filter_ctx, uint32_t));
	PROTO(seccomp_load, int(const scmp_filter_ctx));
	PROTO(seccomp_attr_get, int(const scmp_filter_ctx, enum scmp_filter_attr, uint32_t *));
	PROTO(seccomp_attr_set, int(scmp_filter_ctx, enum scmp_filter_attr, uint32_t));
	PROTO(seccomp_syscall_resolve_num_arch, char *(uint32_t, int));
	PROTO(seccomp_syscall_resolve_name_arch, int(uint32_t, const char *));
	PROTO(seccomp_syscall_resolve_name_rewrite, int(uint32_t, const char *));
	PROTO(seccomp_syscall_resolve_name, int(const char *));
	PROTO(seccomp_syscall_priority, int(scmp_filter_ctx, int, uint8_t));
	PROTO(seccomp_rule_add, int(scmp_filter_ctx, uint32_t, int, unsigned int, ...));
	PROTO(seccomp_rule_add_array,
	      int(scmp_filter_ctx, uint32_t, int, unsigned int, const struct scmp_arg_cmp *));
	PROTO(seccomp_rule_add_exact, int(scmp_filter_ctx, uint32_t, int, unsigned int, ...));
	PROTO(seccomp_rule_add_exact_array,
	      int(scmp_filter_ctx, uint32_t, int, unsigned int, const struct scmp_arg_cmp *));
	PROTO(seccomp_notify_alloc, int(struct seccomp_notif **, struct seccomp_notif_resp **));
	PROTO(seccomp_notify_free, void(struct seccomp_notif *, struct seccomp_notif_resp *));
	PROTO(seccomp_notify_receive, int(int, struct seccomp_notif *));
	PROTO(seccomp_notify_respond, int(int, struct seccomp_notif_resp *));
	PROTO(seccomp_notify_id_valid, int(int, uint64_t));
	PROTO(seccomp_notify_fd, int(const scmp_filter_ctx));
	PROTO(seccomp_export_pfc, int(const scmp_filter_ctx, int));
	PROTO(seccomp_export_bpf, int(const scmp_filter_ctx, int));
#if SCMP_VER_MAJOR > 2 || SCMP_VER_MINOR >= 6
	/* 2.6.0 */
	PROTO(seccomp_export_bpf_mem, int(const scmp_filter_ctx, void *, size_t *));
	PROTO(seccomp_precompute, int(const scmp_filter_ctx));
	PROTO(seccomp_transaction_start, int(const scmp_filter_ctx));
	PROTO(seccomp_transaction_reject, void(const scmp_filter_ctx));
	PROTO(seccomp_transaction_commit, int(const scmp_filter_ctx));
#endif
#if defined(SYSGATE_VERSION) || defined(SCMP_ACT_TRAPX)
	/* libseccomp main (after 2.6.1) */
	PROTO(seccomp_notify_addfd, int(int, struct seccomp_notif_addfd *));
#endif

	dump_generated();
	return 0;
}
