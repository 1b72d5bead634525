# verification: libseccomp as a second opinion, optimizer equivalence, limits, fuzzing
# (see doc/verification.md)
if HAVE_CHECK
# Debian's libseccomp (2.5.4) is dlopen()ed at run time (never linked: its seccomp_* would clash
# with sysgate's); the test skips (77) without it. test_refdiff_261.sh runs it again against
# the libseccomp 2.6.1 build in ../shared/ref (skips without it). Differences are arbitrated by
# an evaluator of the rule list of its own (refdiff_oracle.c).
check_PROGRAMS += tests/test_refdiff
TESTS += tests/test_refdiff tests/test_refdiff_261.sh
dist_check_SCRIPTS += tests/test_refdiff_261.sh
tests_test_refdiff_SOURCES = tests/test_refdiff.c tests/refdiff.h tests/refdiff_ref.c \
	tests/refdiff_gen.c tests/refdiff_oracle.c tests/refdiff_oracle.h \
	tests/testutil.h
tests_test_refdiff_CPPFLAGS = $(AM_CPPFLAGS) -DTOP_SRCDIR='"$(abs_top_srcdir)"'
tests_test_refdiff_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_test_refdiff_LDADD = $(TV_LIBS) libsysgate_tools.la libsysgate.la $(CHECK_LIBS) -ldl
endif

if HAVE_CHECK
# OPTIMIZE=1 and =2 programs agree with each other and with the IR; checker; action cache
check_PROGRAMS += tests/test_optequiv
TESTS += tests/test_optequiv
tests_test_optequiv_SOURCES = tests/test_optequiv.c tests/testutil.h
tests_test_optequiv_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_test_optequiv_LDADD = $(TV_LIBS) libsysgate_tools.la libsysgate.la $(CHECK_LIBS)
endif

if HAVE_CHECK
# sizes past every limit: -EFAULT, no crash, work (allocations, counted through --wrap) that
# grows no faster than the input
check_PROGRAMS += tests/test_limits
TESTS += tests/test_limits
tests_test_limits_SOURCES = tests/test_limits.c tests/testutil.h
tests_test_limits_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_test_limits_LDADD = $(TV_LIBS) libsysgate_tools.la libsysgate.la $(CHECK_LIBS)
tests_test_limits_LDFLAGS = -Wl,--wrap=sg_malloc,--wrap=sg_calloc,--wrap=sg_reallocarray,--wrap=sg_free
endif

# libFuzzer targets (clang; run outside `make check`): `make check-fuzz` runs each target for
# FUZZ_SECONDS (make check-fuzz FUZZ_SECONDS=600); see tests/fuzz/README.md
FUZZ_SECONDS = 30
EXTRA_DIST += tests/fuzz/README.md tests/fuzz/run.sh tests/fuzz/fuzz_api.c tests/fuzz/fuzz_bpf.c \
	tests/fuzz/fuzz_profile.c tests/fuzz/corpus tests/sanitize.sh tests/tsan.sh
check-fuzz:
	FUZZ_BUILD='$(abs_top_builddir)/tests/fuzz/build' bash '$(abs_top_srcdir)/tests/fuzz/run.sh' $(FUZZ_SECONDS)
.PHONY: check-fuzz

if HAVE_CHECK
# seccomp_export_pfc() read back by an interpreter of its own: the PFC says what the IR says
check_PROGRAMS += tests/test_pfc
TESTS += tests/test_pfc
tests_test_pfc_SOURCES = tests/test_pfc.c tests/testutil.h
tests_test_pfc_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_test_pfc_LDADD = $(TV_LIBS) libsysgate_tools.la libsysgate.la $(CHECK_LIBS)
endif

if HAVE_CHECK
# libseccomp 2.6.1 (../shared/ref, dlopen()ed) on its errno ladders: the intended verdicts,
# the ones sysgate gives; skips (77) without the reference build
check_PROGRAMS += tests/test_ladder_ref
TESTS += tests/test_ladder_ref
tests_test_ladder_ref_SOURCES = tests/test_ladder_ref.c tests/ladders.h tests/testutil.h
tests_test_ladder_ref_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_test_ladder_ref_LDADD = $(TV_LIBS) libsysgate_tools.la libsysgate.la $(CHECK_LIBS) -ldl
endif
