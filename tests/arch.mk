# arch: syscall tables, resolver functions and scmp_sys_resolver
# (test_arch_tables reads the kernel tables vendored in tests/data/syscall-tables, the generator's
# input, or $SYSGATE_TABLES)
if HAVE_CHECK
check_PROGRAMS += tests/test_arch_tables
TESTS += tests/test_arch_tables
tests_test_arch_tables_SOURCES = tests/test_arch_tables.c
tests_test_arch_tables_CPPFLAGS = $(AM_CPPFLAGS) -DTOP_SRCDIR='"$(abs_top_srcdir)"'
tests_test_arch_tables_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_test_arch_tables_LDADD = $(TV_LIBS) libsysgate_tools.la libsysgate.la $(CHECK_LIBS)
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
EXTRA_DIST += tests/data/syscall-tables/LICENSE tests/data/syscall-tables/PROVENANCE \
	tests/data/syscall-tables/syscall-names.text \
	tests/data/syscall-tables/syscalls-arm tests/data/syscall-tables/syscalls-arm64 \
	tests/data/syscall-tables/syscalls-csky tests/data/syscall-tables/syscalls-i386 \
	tests/data/syscall-tables/syscalls-loongarch64 tests/data/syscall-tables/syscalls-m68k \
	tests/data/syscall-tables/syscalls-mips64 tests/data/syscall-tables/syscalls-mips64n32 \
	tests/data/syscall-tables/syscalls-mipso32 tests/data/syscall-tables/syscalls-parisc \
	tests/data/syscall-tables/syscalls-parisc64 tests/data/syscall-tables/syscalls-powerpc \
	tests/data/syscall-tables/syscalls-powerpc64 tests/data/syscall-tables/syscalls-riscv32 \
	tests/data/syscall-tables/syscalls-riscv64 tests/data/syscall-tables/syscalls-s390 \
	tests/data/syscall-tables/syscalls-s390x tests/data/syscall-tables/syscalls-sh \
	tests/data/syscall-tables/syscalls-x32 tests/data/syscall-tables/syscalls-x86_64 \
	tests/data/syscall-tables/syscalls-xtensa

# the generator's CORRECTIONS must name the kernel release they were checked against
TESTS += tests/test_gen_syscalls.sh
dist_check_SCRIPTS += tests/test_gen_syscalls.sh
