# the Python module "seccomp" (configure --enable-python): libseccomp's documented Python API
# over libseccomp.so.2, as Debian's python3-seccomp ships it (one extension module file,
# seccomp$(PYTHON_EXT_SUFFIX), e.g. seccomp.cpython-311-x86_64-linux-gnu.so)
EXTRA_DIST += python/README.md python/test_seccomp.py
if ENABLE_PYTHON
pyexec_LTLIBRARIES = python/seccomp.la
python_seccomp_la_SOURCES = python/seccomp.c python/objects.c python/filter.c python/objects.h
python_seccomp_la_CPPFLAGS = $(AM_CPPFLAGS) $(PYTHON_CFLAGS)
# -fno-strict-aliasing: CPython's object headers are cast between types by design
python_seccomp_la_CFLAGS = $(AM_CFLAGS) -fno-strict-aliasing
python_seccomp_la_LDFLAGS = -module -avoid-version -shared -shrext '$(PYTHON_EXT_SUFFIX)'
python_seccomp_la_LIBADD = libseccomp.la

TESTS += python/run-tests.sh
endif
dist_check_SCRIPTS += python/run-tests.sh

# the interpreter finds the module by its file name: the libtool archive is not installed
# (outside the conditional: automake wants hooks unconditional; they do nothing without Python)
install-exec-hook: python-drop-la
python-drop-la:
	test -z '$(PYTHON_EXT_SUFFIX)' || rm -f '$(DESTDIR)$(pyexecdir)/seccomp.la'
uninstall-hook: python-uninstall-module
.PHONY: python-drop-la python-uninstall-module
python-uninstall-module:
	test -z '$(PYTHON_EXT_SUFFIX)' || rm -f '$(DESTDIR)$(pyexecdir)/seccomp$(PYTHON_EXT_SUFFIX)'


