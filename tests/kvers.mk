# kernel-version-aware filters (SCMP_FLTATR_CTL_KVERMAX): data, API, IR and programs in
# test_kvers; the same source built with KVERS_LIVE runs the forked-child kernel tests
if HAVE_CHECK
check_PROGRAMS += tests/test_kvers tests/test_kvers_live
TESTS += tests/test_kvers tests/test_kvers_live
tests_test_kvers_SOURCES = tests/test_kvers.c tests/testutil.h tests/testcheck.h
tests_test_kvers_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_test_kvers_CPPFLAGS = $(AM_CPPFLAGS) -DTOP_SRCDIR='"$(abs_top_srcdir)"'
tests_test_kvers_LDADD = $(TV_LIBS) libsysgate_tools.la libsysgate.la $(CHECK_LIBS)
tests_test_kvers_live_SOURCES = tests/test_kvers.c tests/testutil.h tests/testcheck.h
tests_test_kvers_live_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) -DKVERS_LIVE
tests_test_kvers_live_LDADD = $(TV_LIBS) libsysgate_tools.la libsysgate.la $(CHECK_LIBS) -lpthread
endif

# the limit in the tools (scmp_sys_resolver -k, scmp_compile --enosys-after, PFC, disasm)
TESTS += tests/test_kvers_tools.sh
dist_check_SCRIPTS += tests/test_kvers_tools.sh

# the committed kvers.c and seccomp-kvers.h are what gen-kvers.py makes from the vendored data
TESTS += tests/test_gen_kvers.sh
dist_check_SCRIPTS += tests/test_gen_kvers.sh
