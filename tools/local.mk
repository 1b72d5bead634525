# command-line tools; each tool keeps its own fragment
include tools/resolver.mk
include tools/bpftools.mk
include tools/profile.mk
include tools/record.mk
EXTRA_DIST += tools/demo.sh
