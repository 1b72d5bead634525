# The library. What the API needs is compiled once into an internal convenience library
# (tests and tools link it to reach internal interfaces); libseccomp.la is made of it alone and
# exports only the public API. What only tools and tests use (the BPF interpreter, the kernel
# action-cache emulation, the disassembler, the reference evaluator sg_ir_eval, the syscall-table
# lookups only tools make, the fault-injection entry points of an ordinary build) is in
# libsysgate_tools.la, which they link before libsysgate.la; tests/compat/abi.sh checks that none
# of it reaches libseccomp.so.2, and -z defs makes the link fail if library code calls any of it.
include_HEADERS = include/seccomp-syscalls.h include/seccomp-kvers.h
nodist_include_HEADERS = include/seccomp.h

noinst_LTLIBRARIES += libsysgate.la
libsysgate_la_CFLAGS = $(AM_CFLAGS) -fvisibility=hidden
libsysgate_la_SOURCES = \
	src/api.c src/api.h src/api_resolve.c \
	src/ctx.c src/ctx.h src/db.c src/db.h src/db_check.c src/db_check.h \
	src/db_index.c src/db_index.h \
	src/ir.c src/ir.h src/ir_order.c src/ir_order.h \
	src/emit.c src/emit.h \
	src/lower.c src/lower_tree.c src/lower_int.h src/compile.h src/layout.c src/layout.h \
	src/bpf.c src/bpf.h src/bpf_run.h src/bpf_format.h src/bpf_opt.c src/bpf_opt.h src/profile_weights.c \
	src/export.c src/export.h src/pfc.c src/notify.c \
	src/system.c src/system.h \
	src/alloc.c src/alloc.h
libsysgate_la_LIBADD = libsysgate_arch.la

lib_LTLIBRARIES += libseccomp.la
libseccomp_la_SOURCES =
libseccomp_la_LIBADD = libsysgate.la
# libseccomp.so.2.6.1, SONAME libseccomp.so.2, no symbol versioning (libseccomp has none)
libseccomp_la_LDFLAGS = -version-number 2:6:1 -no-undefined -Wl,-z,defs

noinst_LTLIBRARIES += libsysgate_tools.la
libsysgate_tools_la_CFLAGS = $(AM_CFLAGS) -fvisibility=hidden
libsysgate_tools_la_SOURCES = src/bpf_run.c src/bpf_format.c src/bpf_sym.c src/bpf_sym_solve.c \
	src/bpf_sym.h src/bpf_sym_int.h src/ir_eval.c src/fault_stub.c src/arch/arch_tools.c
