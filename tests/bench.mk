# benchmark: `make bench` builds the same program against sysgate and against Debian's
# libseccomp and prints them side by side (tests/bench/run.sh). Not part of `make check`.
BENCH_COMMON = tests/bench/bench.c tests/bench/record.c tests/bench/record.h \
	tests/bench/profile_rec.c tests/bench/bound.h tools/profile_json.c tools/profile_cond.c \
	src/bpf_run.c src/bpf.c src/profile_weights.c src/arch/arch.c \
	src/arch/syscalls.c src/arch/range.c
EXTRA_DIST += tests/bench/run.sh tests/bench/table.py tests/bench/reach_bound.py
if HAVE_JSONC
EXTRA_PROGRAMS = tests/bench/bench_sysgate tests/bench/bench_libseccomp
tests_bench_bench_sysgate_SOURCES = $(BENCH_COMMON)
tests_bench_bench_sysgate_CPPFLAGS = $(AM_CPPFLAGS) -DBENCH_LIB='"sysgate"' $(JSONC_CFLAGS)
tests_bench_bench_sysgate_CFLAGS = $(AM_CFLAGS) -O2
tests_bench_bench_sysgate_LDADD = libseccomp.la $(JSONC_LIBS)
tests_bench_bench_libseccomp_SOURCES = $(BENCH_COMMON)
tests_bench_bench_libseccomp_CPPFLAGS = $(AM_CPPFLAGS) -DBENCH_LIB='"libseccomp"' $(JSONC_CFLAGS)
tests_bench_bench_libseccomp_CFLAGS = $(AM_CFLAGS) -O2
# the system's libseccomp (Debian's), through the same public API
tests_bench_bench_libseccomp_LDADD = $(REFSECCOMP_LIBS) $(JSONC_LIBS)
CLEANFILES += $(EXTRA_PROGRAMS)

if HAVE_REFSECCOMP
BENCH_BINS = tests/bench/bench_sysgate tests/bench/bench_libseccomp
else
BENCH_BINS = tests/bench/bench_sysgate
endif
bench: $(BENCH_BINS)
	$(SHELL) $(top_srcdir)/tests/bench/run.sh $(top_builddir)/tests/bench $(BENCH_PROFILES)
else
bench:
	@echo "bench: json-c is needed (apt-get install libjson-c-dev)"; exit 1
endif
BENCH_PROFILES = $(abs_top_srcdir)/doc/examples/profiles
.PHONY: bench
# the measured syscall frequencies behind src/profile_weights.c (tools/weights/README.md)
# (raw/ whole: one directory per measured machine, see tools/weights/families)
EXTRA_DIST += tools/weights/README.md tools/weights/record.sh tools/weights/gen-weights.py \
	tools/weights/families tools/weights/raw
TESTS += tests/test_weights.sh
dist_check_SCRIPTS += tests/test_weights.sh
