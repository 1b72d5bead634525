# compat: sysgate as a drop-in libseccomp.so.2 (doc/compat.md)
#
# make check:        tests/compat/abi.sh (exports, SONAME, no versioning, header values and
#                    layouts vs Debian's libseccomp, abidiff; seconds) and
#                    tests/compat/clients-quick.sh (the real clients that are already installed
#                    and take a few seconds: scmp_sys_resolver, man, ctags, systemd's
#                    test-seccomp; nothing is installed, missing programs are skipped)
# make check-compat: every real client (installs the Debian packages it needs when run as
#                    root), each with its negative controls; COMPAT_CLIENTS selects clients,
#                    e.g. make check-compat COMPAT_CLIENTS="crun tor"
TESTS += tests/compat/abi.sh tests/compat/clients-quick.sh
EXTRA_DIST += tests/compat/abi.sh tests/compat/layout.c tests/compat/probe.c \
	tests/compat/clients.sh tests/compat/clients-quick.sh tests/compat/probe-helper.c \
	tests/compat/stub.c tests/compat/record.c

COMPAT_CLIENTS =
check-compat: libseccomp.la
	top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' CC='$(CC)' \
		$(SHELL) $(abs_top_srcdir)/tests/compat/clients.sh $(COMPAT_CLIENTS)
.PHONY: check-compat
