# test suite: Check unit tests and shell-driven tests; each area keeps its own fragment
TEST_EXTENSIONS = .sh
SH_LOG_COMPILER = $(SHELL)
AM_TESTS_ENVIRONMENT = top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)'; export top_srcdir top_builddir;
EXTRA_DIST += tests/testutil.h

include tests/arch.mk
include tests/bpf.mk
include tests/core.mk
include tests/kernel.mk
include tests/profile.mk
include tests/crossarch.mk
include tests/compat.mk
include tests/verify.mk
include tests/bench.mk
include tests/dist.mk
