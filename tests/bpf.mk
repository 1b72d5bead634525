# the classic-BPF model (src/bpf.c, bpf_run.c, bpf_format.c): checker, interpreter, cache
# emulator, export (test_bpf), and the same against the running kernel (test_bpf_live); then
# the tools built on it (scmp_bpf_disasm, scmp_bpf_sim)
if HAVE_CHECK
check_PROGRAMS += tests/test_bpf
TESTS += tests/test_bpf
tests_test_bpf_SOURCES = tests/test_bpf.c tests/bpf_testdata.c tests/bpf_testdata.h
tests_test_bpf_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_test_bpf_LDADD = $(TV_LIBS) libsysgate_tools.la libsysgate.la $(CHECK_LIBS)
# the same model against the running kernel (forked children)
check_PROGRAMS += tests/test_bpf_live
TESTS += tests/test_bpf_live
tests_test_bpf_live_SOURCES = tests/test_bpf_live.c tests/bpf_testdata.c \
	tests/bpf_testdata.h
tests_test_bpf_live_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_test_bpf_live_LDADD = $(TV_LIBS) libsysgate_tools.la libsysgate.la $(CHECK_LIBS)
endif

TESTS += tests/test_bpftools.sh
dist_check_SCRIPTS += tests/test_bpftools.sh
EXTRA_DIST += \
	tests/golden/bpf_x86_64.disasm \
	tests/golden/bpf_s390x.disasm \
	tests/golden/bpf_misc.disasm \
	tests/golden/bpf_multi.disasm \
	tests/golden/bpf_x86_64.dot \
	tests/golden/bpf_misc.trace

# scmp_bpf_diff and scmp_bpf_decompile; ref_export builds a fixed policy's program with the
# system's libseccomp (linked like ref_resolver_dump, see arch.mk) or any other one through
# LD_LIBRARY_PATH; test_bpfdump reads the filters of a live process (root only)
if HAVE_REFSECCOMP
check_PROGRAMS += tests/ref_export
tests_ref_export_SOURCES = tests/ref_export.c
tests_ref_export_CPPFLAGS = $(REFSECCOMP_CFLAGS)
tests_ref_export_LDADD = $(REFSECCOMP_LIBS)
tests_ref_export_LINK = $(CCLD) $(AM_CFLAGS) $(CFLAGS) $(AM_LDFLAGS) $(LDFLAGS) -o $@
else
EXTRA_DIST += tests/ref_export.c
endif
TESTS += tests/test_bpfsym.sh tests/test_bpfdump.sh
dist_check_SCRIPTS += tests/test_bpfsym.sh tests/test_bpfdump.sh

# the same tools on filters sysgate did not write: Chromium's, dumped from a running browser
TESTS += tests/test_chromium_filters.sh
dist_check_SCRIPTS += tests/test_chromium_filters.sh
EXTRA_DIST += tests/data/chromium/PROVENANCE \
	tests/data/chromium/audio.bpf tests/data/chromium/audio-broker.bpf \
	tests/data/chromium/network.bpf tests/data/chromium/network-broker.bpf \
	tests/data/chromium/renderer.bpf tests/data/chromium/utility-storage.bpf

# the symbolic engine (src/bpf_sym.c) against brute force and the interpreter
if HAVE_CHECK
check_PROGRAMS += tests/test_symengine
TESTS += tests/test_symengine
tests_test_symengine_SOURCES = tests/test_symengine.c
tests_test_symengine_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_test_symengine_LDADD = $(TV_LIBS) libsysgate_tools.la libsysgate.la $(CHECK_LIBS)
endif
