# documentation: man pages are listed in dist_man_MANS by the fragment of what they document
EXTRA_DIST += doc
include doc/man/api.mk
include doc/man/kernel.mk
