# libseccomp.a (issue 18): the static library, built from the same objects as libseccomp.so.
#
# A plain archive of the objects would export every internal function to the program it is
# linked into: -fvisibility=hidden only keeps a name out of a shared object's dynamic symbol
# table, so a program defining its own sg_malloc (or any other internal name) would fail to
# link, or silently get ours. Instead the convenience archives libseccomp.la is made of are
# linked into one relocatable object (ld -r, every member: the API functions need each other's
# internals) and objcopy --localize-hidden turns every hidden symbol into a local one; only the
# public API (SG_API, visibility default) stays global. The archive holds that one object.
#
# The objects are the convenience archives' PIC objects (libtool keeps them in .libs/NAME.a):
# position-independent code suits static PIE programs as well. libtool itself builds no static
# library and no non-PIC objects (--tag=disable-static, libtool's per-Makefile switch), or it
# would compile everything twice and install its plain archive under the same name.
AM_LIBTOOLFLAGS = --tag=disable-static
if BUILD_STATIC
lib_LIBRARIES += libseccomp.a
libseccomp_a_SOURCES =
libseccomp_a_LIBADD = src/libseccomp-static.o
endif
CLEANFILES += src/libseccomp-static.o

# -fno-lto: objcopy needs machine code, not LTO bytecode (with -ffat-lto-objects the fat
# objects' code is used; a build with thin LTO objects cannot make the static library)
src/libseccomp-static.o: $(libseccomp_la_LIBADD)
	$(AM_V_GEN)set -e; archives=; \
	for la in $(libseccomp_la_LIBADD); do \
		archives="$$archives `dirname $$la`/.libs/`basename $$la .la`.a"; \
	done; \
	$(CC) $(CFLAGS) $(LDFLAGS) -fno-lto -nostdlib -r -o $@.tmp \
		-Wl,--whole-archive $$archives -Wl,--no-whole-archive; \
	$(OBJCOPY) --localize-hidden $@.tmp $@; \
	rm -f $@.tmp
ARFLAGS = cr

# Debian's packages ship no libtool archive (clients link with pkg-config or -lseccomp), and
# neither does `make install`; libtool's uninstall reads the .la to find the library's files,
# so without it they are named here
install-exec-hook: sysgate-drop-libseccomp-la
sysgate-drop-libseccomp-la:
	rm -f '$(DESTDIR)$(libdir)/libseccomp.la'
uninstall-hook: sysgate-uninstall-libseccomp
sysgate-uninstall-libseccomp:
	rm -f '$(DESTDIR)$(libdir)/libseccomp.so' '$(DESTDIR)$(libdir)/libseccomp.so.$(VERSION_MAJOR)' \
		'$(DESTDIR)$(libdir)/libseccomp.so.$(VERSION_MAJOR).$(VERSION_MINOR).$(VERSION_MICRO)'
.PHONY: sysgate-drop-libseccomp-la sysgate-uninstall-libseccomp
