# arch: syscall tables (and their generator), resolver functions and scmp_sys_resolver
# (test_arch_tables reads ../shared/data/syscall-tables, or $SYSGATE_TABLES; skips without it)
if HAVE_CHECK
check_PROGRAMS += tests/test_arch_tables
TESTS += tests/test_arch_tables
tests_test_arch_tables_SOURCES = tests/test_arch_tables.c
tests_test_arch_tables_CPPFLAGS = $(AM_CPPFLAGS) -DTOP_SRCDIR='"$(abs_top_srcdir)"'
tests_test_arch_tables_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_test_arch_tables_LDADD = libsysgate.la $(CHECK_LIBS)
endif

# differential test against Debian's libseccomp 2.5.4 and its scmp_sys_resolver. The dumper must
# see the system's <seccomp.h> (so no AM_CPPFLAGS, which has our include dirs) and load the
# system's libseccomp.so.2: it is linked without libtool, whose wrapper would put our
# libseccomp.so.2 (same soname) first on LD_LIBRARY_PATH.
if HAVE_REFSECCOMP
check_PROGRAMS += tests/ref_resolver_dump
tests_ref_resolver_dump_SOURCES = tests/ref_resolver_dump.c
tests_ref_resolver_dump_CPPFLAGS = $(REFSECCOMP_CFLAGS)
tests_ref_resolver_dump_LDADD = $(REFSECCOMP_LIBS)
tests_ref_resolver_dump_LINK = $(CCLD) $(AM_CFLAGS) $(CFLAGS) $(AM_LDFLAGS) $(LDFLAGS) -o $@
else
EXTRA_DIST += tests/ref_resolver_dump.c
endif
TESTS += tests/test_resolver_debian.sh
dist_check_SCRIPTS += tests/test_resolver_debian.sh

# the generator's CORRECTIONS must name the kernel release they were checked against
TESTS += tests/test_gen_syscalls.sh
dist_check_SCRIPTS += tests/test_gen_syscalls.sh
