# scmp_bpf_disasm and scmp_bpf_sim: thin front ends over src/bpf*.c (the library's own checker,
# interpreter and instruction formatting) and src/arch (ABI names, byte order, syscall names)
bin_PROGRAMS += tools/scmp_bpf_disasm tools/scmp_bpf_sim

tools_scmp_bpf_disasm_SOURCES = tools/scmp_bpf_disasm.c tools/bpftools.c tools/bpftools.h
tools_scmp_bpf_disasm_LDADD = libsysgate_tools.la libsysgate.la

tools_scmp_bpf_sim_SOURCES = tools/scmp_bpf_sim.c tools/bpftools.c tools/bpftools.h
tools_scmp_bpf_sim_LDADD = libsysgate_tools.la libsysgate.la

dist_man_MANS += doc/man/scmp_bpf_disasm.1 doc/man/scmp_bpf_sim.1 doc/man/scmp_bpf_diff.1 \
	doc/man/scmp_bpf_decompile.1

# scmp_bpf_diff and scmp_bpf_decompile: front ends over the symbolic engine (src/bpf_sym.c, in
# libsysgate_tools.la beside the interpreter whose semantics it shares)
bin_PROGRAMS += tools/scmp_bpf_diff tools/scmp_bpf_decompile
tools_scmp_bpf_diff_SOURCES = tools/scmp_bpf_diff.c tools/bpftools.c tools/bpftools.h
tools_scmp_bpf_diff_LDADD = libsysgate_tools.la libsysgate.la
tools_scmp_bpf_decompile_SOURCES = tools/scmp_bpf_decompile.c tools/decompile.c \
	tools/decompile.h tools/lift.c tools/dump.c tools/dump.h tools/bpftools.c tools/bpftools.h
tools_scmp_bpf_decompile_LDADD = libsysgate_tools.la libsysgate.la
