# scmp_compile: OCI / Docker seccomp profiles (JSON) to BPF, PFC or a C array, or a command run
# under one. libsysgate_profile.la holds the compiler; it uses only the public API (<seccomp.h>)
# and json-c, so programs link it together with libseccomp.la.
if HAVE_JSONC
noinst_LTLIBRARIES += libsysgate_profile.la
libsysgate_profile_la_SOURCES = tools/profile.h tools/profile_int.h tools/profile_json.c \
	tools/profile_cond.c tools/profile_build.c
libsysgate_profile_la_CFLAGS = $(AM_CFLAGS) $(JSONC_CFLAGS)
libsysgate_profile_la_LIBADD = $(JSONC_LIBS)

bin_PROGRAMS += tools/scmp_compile
tools_scmp_compile_SOURCES = tools/scmp_compile.c
# libsysgate.la: --enosys-after reads the first-release data and the filter's rules (the
# question it asks of them, sg_ir_newest_named_kver, is in libsysgate_tools.la)
tools_scmp_compile_LDADD = libsysgate_profile.la libsysgate_tools.la libsysgate.la

dist_man_MANS += doc/man/scmp_compile.1
endif
