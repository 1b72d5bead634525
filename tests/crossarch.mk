# cross-architecture tests (see doc/cross-arch-testing.md)
#
# - tests/test_multiarch: every ABI in simulation, part of `make check` (a few seconds).
# - `make check-arch`: the live tests in real kernels of other architectures under
#   qemu-system (tests/crossarch/run.sh). Not part of `make check`: it needs qemu, cross
#   compilers and Debian kernels (installed/downloaded on first use when run as root; skips
#   with status 77 otherwise) and takes a few minutes. CROSSARCH_TARGETS="x86 aarch64" picks
#   targets; see run.sh for the other knobs.
if HAVE_CHECK
check_PROGRAMS += tests/test_multiarch
TESTS += tests/test_multiarch
tests_test_multiarch_SOURCES = tests/test_multiarch.c tests/multiarch_check.c \
	tests/multiarch_check.h tests/testutil.h
tests_test_multiarch_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_test_multiarch_LDADD = $(TV_LIBS) libsysgate_tools.la libsysgate.la $(CHECK_LIBS)
endif

EXTRA_DIST += tests/crossarch/live_arch.c tests/crossarch/live_harness.c tests/crossarch/live_random.c \
	tests/crossarch/live_mux.c tests/crossarch/live.h tests/crossarch/run.sh

# run.sh exits 77 when nothing could run (it says why); make treats that as a skip, not an error
.PHONY: check-arch
check-arch: all
	@rc=0; top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' \
		$(SHELL) $(top_srcdir)/tests/crossarch/run.sh $(CROSSARCH_TARGETS) || rc=$$?; \
	if test $$rc -eq 77; then echo "check-arch: SKIPPED (see above)"; rc=0; fi; exit $$rc

# the ABI partition, and dispatch independent of seccomp_arch_add's order (a few seconds)
if HAVE_CHECK
check_PROGRAMS += tests/test_abi_order
TESTS += tests/test_abi_order
tests_test_abi_order_SOURCES = tests/test_abi_order.c tests/testutil.h
tests_test_abi_order_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_test_abi_order_LDADD = $(TV_LIBS) libsysgate_tools.la libsysgate.la $(CHECK_LIBS)
endif

# no identifier named like a GNU C predefined macro (mips, unix, linux, i386): issue 15
TESTS += tests/test_predef_names.sh
dist_check_SCRIPTS += tests/test_predef_names.sh
