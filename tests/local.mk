# test suite: Check unit tests and shell-driven tests; each area keeps its own fragment
TEST_EXTENSIONS = .sh
SH_LOG_COMPILER = $(SHELL)
AM_TESTS_ENVIRONMENT = top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)'; export top_srcdir top_builddir;
# shared by the C tests (testcheck.h: those using Check) and sourced by the shell tests
EXTRA_DIST += tests/testutil.h tests/testcheck.h tests/lib.sh tests/.shellcheckrc

# translation validation (tests/tv.c): every Check program is linked with TV_LIBS, which wraps
# sg_compile() so that each program a test compiles is proven equivalent to the reference
# lowering (up to a budget of programs per process; doc/verification.md)
check_LTLIBRARIES = tests/libsgtv.la
tests_libsgtv_la_SOURCES = tests/tv.c tests/tv.h
TV_LIBS = tests/libsgtv.la $(TV_WRAP)

include tests/arch.mk
include tests/bpf.mk
include tests/core.mk
include tests/kvers.mk
include tests/kernel.mk
include tests/profile.mk
include tests/record.mk
include tests/crossarch.mk
include tests/compat.mk
include tests/verify.mk
include tests/bench.mk
include tests/dist.mk

# the tree's shape: no hand-written file over 1,000 lines, every src/ file in README's layout
TESTS += tests/test_tree.sh
dist_check_SCRIPTS += tests/test_tree.sh
