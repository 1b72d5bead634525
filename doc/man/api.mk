# man pages for the filter API and the overview (issue 10): included from doc/local.mk.
# The one-line pages are .so links to the page that documents their family.
dist_man_MANS += \
	doc/man/sysgate.7 \
	doc/man/seccomp_init.3 doc/man/seccomp_reset.3 doc/man/seccomp_release.3 \
	doc/man/seccomp_rule_add.3 doc/man/seccomp_rule_add_exact.3 \
	doc/man/seccomp_rule_add_array.3 doc/man/seccomp_rule_add_exact_array.3 \
	doc/man/seccomp_arch_add.3 doc/man/seccomp_arch_remove.3 doc/man/seccomp_arch_exist.3 \
	doc/man/seccomp_export_bpf.3 doc/man/seccomp_export_pfc.3 \
	doc/man/seccomp_export_bpf_mem.3 \
	doc/man/seccomp_merge.3 \
	doc/man/seccomp_syscall_priority.3 \
	doc/man/seccomp_version.3
