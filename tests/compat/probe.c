/*
 * probe.c - an ABI probe for abidiff: compiled with -g into a shared object, once against
 * Debian's libseccomp header and once against sysgate's (tests/compat/abi.sh), it exports one
 * variable per public function whose type is a pointer to that function's declared type, plus one
 * variable per public type. abidiff then compares the two DWARF descriptions: return and
 * parameter types, struct layouts and enumerator values, all as the compiler saw the headers.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <seccomp.h>

#define F(fn) __typeof__(fn) *const abi_##fn = fn;

F(seccomp_version)
F(seccomp_api_get)
F(seccomp_api_set)
F(seccomp_init)
F(seccomp_reset)
F(seccomp_release)
F(seccomp_merge)
F(seccomp_arch_resolve_name)
F(seccomp_arch_native)
F(seccomp_arch_exist)
F(seccomp_arch_add)
F(seccomp_arch_remove)
F(seccomp_load)
F(seccomp_attr_get)
F(seccomp_attr_set)
F(seccomp_syscall_resolve_num_arch)
F(seccomp_syscall_resolve_name_arch)
F(seccomp_syscall_resolve_name_rewrite)
F(seccomp_syscall_resolve_name)
F(seccomp_syscall_priority)
F(seccomp_rule_add)
F(seccomp_rule_add_array)
F(seccomp_rule_add_exact)
F(seccomp_rule_add_exact_array)
F(seccomp_notify_alloc)
F(seccomp_notify_free)
F(seccomp_notify_receive)
F(seccomp_notify_respond)
F(seccomp_notify_id_valid)
F(seccomp_notify_fd)
F(seccomp_export_pfc)
F(seccomp_export_bpf)
#if SCMP_VER_MAJOR > 2 || SCMP_VER_MINOR >= 6
F(seccomp_export_bpf_mem)
F(seccomp_precompute)
F(seccomp_transaction_start)
F(seccomp_transaction_reject)
F(seccomp_transaction_commit)
#endif
#if defined(SYSGATE_VERSION) || defined(SCMP_ACT_TRAPX)
F(seccomp_notify_addfd)
#endif

struct scmp_version abi_version;
struct scmp_arg_cmp abi_arg_cmp;
enum scmp_filter_attr abi_filter_attr;
enum scmp_compare abi_compare;
scmp_datum_t abi_datum;
scmp_filter_ctx abi_ctx;
