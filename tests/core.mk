# compiler-core tests
if HAVE_CHECK
check_PROGRAMS += tests/test_core
TESTS += tests/test_core
tests_test_core_SOURCES = tests/test_core.c tests/testutil.h
tests_test_core_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_test_core_LDADD = $(TV_LIBS) libsysgate_tools.la libsysgate.la $(CHECK_LIBS)
endif

# live kernel tests (forked children; skips visibly without seccomp)
if HAVE_CHECK
check_PROGRAMS += tests/test_live
TESTS += tests/test_live
tests_test_live_SOURCES = tests/test_live.c tests/ladders.h tests/testutil.h
tests_test_live_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_test_live_LDADD = $(TV_LIBS) libsysgate_tools.la libsysgate.la $(CHECK_LIBS) -lpthread
endif

# the rule database's invariants (src/db_check.h): only a --enable-debug build has the
# checker (tests/run-all.sh makes one)
if HAVE_CHECK
if DEBUG
check_PROGRAMS += tests/test_invariants
TESTS += tests/test_invariants
tests_test_invariants_SOURCES = tests/test_invariants.c tests/testutil.h tests/testcheck.h
tests_test_invariants_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_test_invariants_LDADD = $(TV_LIBS) libsysgate_tools.la libsysgate.la $(CHECK_LIBS)
else
EXTRA_DIST += tests/test_invariants.c
endif
else
EXTRA_DIST += tests/test_invariants.c
endif

# overlapping rules: the set algebra against brute force, libseccomp's errno ladders, cycles
if HAVE_CHECK
check_PROGRAMS += tests/test_ladder
TESTS += tests/test_ladder
tests_test_ladder_SOURCES = tests/test_ladder.c tests/ladders.h tests/testutil.h
tests_test_ladder_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_test_ladder_LDADD = $(TV_LIBS) libsysgate_tools.la libsysgate.la $(CHECK_LIBS)
endif
