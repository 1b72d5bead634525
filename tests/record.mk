# scmp_record: real programs recorded and run under their generated profiles, with each
# recording method
if HAVE_JSONC
TESTS += tests/test_record.sh tests/test_record_ptrace.sh tests/test_record_daemons.sh
endif
dist_check_SCRIPTS += tests/test_record.sh tests/test_record_ptrace.sh \
	tests/test_record_daemons.sh
# `make bench` also measures what recording costs (tests/bench/record-overhead.sh)
EXTRA_DIST += tests/bench/record-overhead.sh
if HAVE_JSONC
bench: bench-record
bench-record: tools/scmp_record
	$(SHELL) $(top_srcdir)/tests/bench/record-overhead.sh $(top_builddir)/tools/scmp_record $(abs_top_srcdir)
endif
.PHONY: bench-record
