# packaging (issue 10): the README tutorial's example program; what `make install` gives a
# distribution and a program built against it with pkg-config (tests/install.sh); man page
# lint (tests/manlint.sh)

# doc/examples/tiny-daemon.c, built and run as the README shows it (skips without seccomp)
check_PROGRAMS += tests/test_tiny_daemon
TESTS += tests/test_tiny_daemon
tests_test_tiny_daemon_SOURCES = tests/dist/tiny-daemon.c
tests_test_tiny_daemon_LDADD = libseccomp.la

# release files the top-level Makefile.am does not list
EXTRA_DIST += CHANGELOG CONTRIBUTING.md tests/run-all.sh

TESTS += tests/install.sh tests/manlint.sh tests/static.sh
dist_check_SCRIPTS += tests/install.sh tests/manlint.sh tests/static.sh
EXTRA_DIST += tests/dist/installed.c tests/dist/static-init.c tests/dist/header.cpp \
	tests/dist/debian-files.txt

# what tests/install.sh needs to know about this build (shell assignments)
if HAVE_JSONC
SYSGATE_HAVE_JSONC = yes
else
SYSGATE_HAVE_JSONC =
endif
sysgate-build-vars:
	@echo "prefix='$(prefix)'"
	@echo "bindir='$(bindir)'"
	@echo "libdir='$(libdir)'"
	@echo "includedir='$(includedir)'"
	@echo "mandir='$(mandir)'"
	@echo "pkgconfigdir='$(pkgconfigdir)'"
	@echo "CC='$(CC)'"
	@echo "PACKAGE_VERSION='$(PACKAGE_VERSION)'"
	@echo "VERSION_MAJOR='$(VERSION_MAJOR)'"
	@echo "VERSION_MINOR='$(VERSION_MINOR)'"
	@echo "VERSION_MICRO='$(VERSION_MICRO)'"
	@echo "bin_programs='$(bin_PROGRAMS)'"
	@echo "man_pages='$(dist_man_MANS)'"
	@echo "have_jsonc='$(SYSGATE_HAVE_JSONC)'"
	@echo "static_libs='$(lib_LIBRARIES)'"
	@echo "NM='$(NM)'"
	@echo "CFLAGS='$(CFLAGS)'"
	@echo "LDFLAGS='$(LDFLAGS)'"
	@echo "pyexecdir='$(pyexecdir)'"
	@echo "python_ext_suffix='$(PYTHON_EXT_SUFFIX)'"
.PHONY: sysgate-build-vars

# distcheck installs with a multiarch-style libdir, as Debian does (/usr/lib/<triplet>)
AM_DISTCHECK_CONFIGURE_FLAGS = --libdir='$${prefix}/lib/$(host_cpu)-$(host_os)'
# a tree configured with the Python module checks the distribution with it too
if ENABLE_PYTHON
AM_DISTCHECK_CONFIGURE_FLAGS += --enable-python
endif

# `make check-cross`: the library and the tools cross-built with -Werror for the nine Debian
# libseccomp architectures (tests/cross-build.sh; tests/run-all.sh runs it). Not part of
# `make check`: it needs the cross compilers (installed when root) and takes about two minutes.
EXTRA_DIST += tests/cross-build.sh tests/parallel.sh
.PHONY: check-cross
check-cross:
	@rc=0; top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' \
		$(SHELL) $(top_srcdir)/tests/cross-build.sh $(CROSS_TARGETS) || rc=$$?; \
	if test $$rc -eq 77; then echo "check-cross: SKIPPED (see above)"; rc=0; fi; exit $$rc
