# scmp_record: records what a command does and writes its policy. It uses the public API,
# the profile module's architecture names (json-c, like scmp_compile) and, for
# --enosys-after, the library's first-release data (libsysgate.la, as scmp_compile).
if HAVE_JSONC
bin_PROGRAMS += tools/scmp_record
tools_scmp_record_SOURCES = tools/scmp_record.c tools/record.h tools/record_engine.c \
	tools/record_model.c
tools_scmp_record_LDADD = libsysgate_profile.la libsysgate_tools.la libsysgate.la

dist_man_MANS += doc/man/scmp_record.1
endif
