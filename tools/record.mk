# scmp_record: records what a command does and writes its policy. It uses the public API
# and the profile module's architecture names, so it needs json-c like scmp_compile.
if HAVE_JSONC
bin_PROGRAMS += tools/scmp_record
tools_scmp_record_SOURCES = tools/scmp_record.c tools/record.h tools/record_engine.c \
	tools/record_model.c
tools_scmp_record_LDADD = libsysgate_profile.la libseccomp.la

dist_man_MANS += doc/man/scmp_record.1
endif
