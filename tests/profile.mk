# the profile compiler (tools/profile_*.c, scmp_compile): exactness of the same-argument rewriting,
# profile errors and warnings, verdicts through scmp_bpf_sim, a hand-built filter for
# comparison, and live runs of the Docker and podman profiles (skipped without seccomp)
if HAVE_JSONC
check_PROGRAMS += tests/test_profile_args tests/syscall_probe tests/profile_handbuilt
TESTS += tests/test_profile_args tests/test_profile.sh tests/test_profile_live.sh

tests_test_profile_args_SOURCES = tests/test_profile_args.c
tests_test_profile_args_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tools
tests_test_profile_args_LDADD = libsysgate_profile.la libseccomp.la

tests_syscall_probe_SOURCES = tests/syscall_probe.c

tests_profile_handbuilt_SOURCES = tests/profile_handbuilt.c
tests_profile_handbuilt_LDADD = libseccomp.la
endif
dist_check_SCRIPTS += tests/test_profile.sh tests/test_profile_live.sh
EXTRA_DIST += tests/profiles

# dispatch of the Docker and podman profiles against the optimal-tree bound, per OPTIMIZE level
if HAVE_JSONC
if HAVE_CHECK
check_PROGRAMS += tests/test_dispatch_bound
TESTS += tests/test_dispatch_bound
tests_test_dispatch_bound_SOURCES = tests/test_dispatch_bound.c tests/bench/bound.h
tests_test_dispatch_bound_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tools -I$(top_srcdir)/tests \
	-DTOP_SRCDIR='"$(abs_top_srcdir)"'
tests_test_dispatch_bound_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_test_dispatch_bound_LDADD = libsysgate_profile.la $(TV_LIBS) libsysgate_tools.la libsysgate.la \
	$(CHECK_LIBS)
endif
endif
