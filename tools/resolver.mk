# scmp_sys_resolver: libseccomp's syscall name/number resolver tool, same interface
bin_PROGRAMS += tools/scmp_sys_resolver
tools_scmp_sys_resolver_SOURCES = tools/scmp_sys_resolver.c
# libsysgate.la, not libseccomp.la: -k reads the first-release data, which is internal
tools_scmp_sys_resolver_LDADD = libsysgate.la

dist_man_MANS += doc/man/scmp_sys_resolver.1 \
	doc/man/seccomp_syscall_resolve_name.3 \
	doc/man/seccomp_syscall_resolve_name_arch.3 \
	doc/man/seccomp_syscall_resolve_name_rewrite.3 \
	doc/man/seccomp_syscall_resolve_num_arch.3 \
	doc/man/seccomp_arch_resolve_name.3 \
	doc/man/seccomp_arch_native.3
