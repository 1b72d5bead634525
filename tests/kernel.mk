# kernel interface tests (issue 5): API levels, filter flags, TSYNC, allocation-free load
# (test_kernel_iface); user notification, WAITKILL (test_kernel_notify); transactions,
# precompute, thread safety (test_kernel_ctx); fault injection; valgrind
if HAVE_CHECK
check_PROGRAMS += tests/test_kernel_iface
TESTS += tests/test_kernel_iface
tests_test_kernel_iface_SOURCES = tests/test_kernel_iface.c tests/kiproc.c tests/kiproc.h \
	tests/kiutil.h tests/testutil.h
tests_test_kernel_iface_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_test_kernel_iface_LDADD = $(TV_LIBS) libsysgate_tools.la libsysgate.la $(CHECK_LIBS) -lpthread
check_PROGRAMS += tests/test_kernel_notify
TESTS += tests/test_kernel_notify
tests_test_kernel_notify_SOURCES = tests/test_kernel_notify.c tests/kiproc.c tests/kiproc.h \
	tests/kiutil.h tests/testutil.h
tests_test_kernel_notify_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_test_kernel_notify_LDADD = $(TV_LIBS) libsysgate_tools.la libsysgate.la $(CHECK_LIBS) -lpthread
check_PROGRAMS += tests/test_kernel_ctx
TESTS += tests/test_kernel_ctx
tests_test_kernel_ctx_SOURCES = tests/test_kernel_ctx.c tests/kiutil.h tests/testutil.h
tests_test_kernel_ctx_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_test_kernel_ctx_LDADD = $(TV_LIBS) libsysgate_tools.la libsysgate.la $(CHECK_LIBS) -lpthread

# allocation-failure injection: a visible SKIP (exit 77) unless --enable-fault-injection
check_PROGRAMS += tests/test_faults
TESTS += tests/test_faults
tests_test_faults_SOURCES = tests/test_faults.c tests/kiutil.h
tests_test_faults_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_test_faults_LDADD = $(TV_LIBS) libsysgate_tools.la libsysgate.la $(CHECK_LIBS) -lpthread

# the fault and core tests again under valgrind's leak checker (SKIP without valgrind);
# after the programs it runs, so a parallel make does not start it early
dist_check_SCRIPTS += tests/valgrind.sh
TESTS += tests/valgrind.sh
tests/valgrind.log: tests/test_faults.log tests/test_core.log
endif
CLEANFILES += tests/valgrind-test_faults.out tests/valgrind-test_core.out \
	tests/valgrind-test_faults.res tests/valgrind-test_core.res
