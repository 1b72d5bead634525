/*
 * arch.h - architecture (ABI) descriptors and syscall name <-> number resolution.
 *
 * One descriptor per ABI a filter can target. The syscall tables behind them are generated
 * data (src/arch/syscalls.c, made by src/arch/gen-syscalls.py from the kernel's tables).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef SYSGATE_ARCH_H
#define SYSGATE_ARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* which multiplexed families an ABI has: socketcall(2) and/or ipc(2) */
#define SG_MUX_SOCKET 0x1
#define SG_MUX_IPC    0x2

/* the x32 syscall bit (__X32_SYSCALL_BIT): x32 and x86_64 share AUDIT_ARCH_X86_64 */
#define SG_X32_BIT 0x40000000u

/* an inclusive interval of syscall numbers */
struct sg_nr_span {
	uint32_t lo, hi;
};

struct sg_arch {
	uint32_t token;    /* SCMP_ARCH_* */
	uint32_t audit;    /* value of seccomp_data.arch the filter compares (x32: X86_64) */
	const char *name;  /* libseccomp's name: "x86_64", "mipsel64n32", ... */
	uint8_t arg_bits;  /* 64: arguments compared as hi/lo words; 32: low word only */
	bool big_endian;   /* byte order of the program and of seccomp_data's 64-bit words */
	bool sign_extends; /* the kernel sign-extends 32-bit args into the high word (MIPS64 o32/n32) */
	uint32_t nr_base;  /* number added to the table's numbers (MIPS 4000/5000/6000, x32 bit) */
	int32_t socketcall_nr; /* socketcall(2) number on this ABI, or -1 */
	int32_t ipc_nr;        /* ipc(2) number on this ABI, or -1 */
	uint8_t mux;           /* SG_MUX_* families that are multiplexed on this ABI */
	uint16_t table_index;  /* column of this ABI in the generated tables (private) */
	/* the ABI partition (arch.c): the numbers this ABI owns under `audit`, ascending */
	const struct sg_nr_span *owns;
	uint8_t nowns;
	bool secondary; /* beside its arch value's main ABI (x32 beside x86_64): see arch.c */
};

/* Every ABI, native first is NOT implied; iterate with sg_arch_count. */
extern const struct sg_arch *const sg_arches[];
extern const size_t sg_arch_count;

/* the ABI this library was built for (token SCMP_ARCH_NATIVE resolves to it) */
const struct sg_arch *sg_arch_native(void);
/* token (0 = native) -> descriptor, or NULL */
const struct sg_arch *sg_arch_by_token(uint32_t token);
/* libseccomp arch name -> descriptor, or NULL (NULL name too) */
const struct sg_arch *sg_arch_by_name(const char *name);

/*
 * The ABI partition of an arch value: which ABI a syscall number reported under it belongs to.
 * Of the ABIs in a filter that report `audit`, the one that owns nr is the one whose `owns`
 * holds it (the main ABI before a secondary one where both do); where none does, the number is
 * foreign and the bad-arch action applies. These functions are the only readers of the data.
 */

/*
 * Does the ABI hand the filter the caller's whole 64-bit registers although its arguments are
 * 32-bit (arg_bits 32)? x32 does, and the kernel uses all 64 bits of many of them (the x86_64
 * handlers of size_t, off_t and pointer arguments). Every other 32-bit ABI passes a 32-bit
 * value: zero-extended (x86, arm, ppc, s390, every 32-bit kernel) or sign-extended (o32/n32 on
 * a MIPS64 kernel), a high word the caller cannot choose.
 */
bool sg_arch_passes_high_word(const struct sg_arch *arch);

/* does the ABI claim nr under its arch value? (inline: the compiler asks for every range) */
static inline bool sg_arch_owns(const struct sg_arch *arch, uint32_t nr)
{
	for (uint8_t i = 0; i < arch->nowns; i++)
		if (arch->owns[i].lo <= nr && nr <= arch->owns[i].hi)
			return true;
	return false;
}

/* of two ABIs that both claim a number, does a own it rather than b? */
static inline bool sg_arch_precedes(const struct sg_arch *a, const struct sg_arch *b)
{
	return !a->secondary && b->secondary;
}
/* the last number m >= nr such that no ABI reporting `audit` starts or stops claiming
 * numbers in (nr, m]: ownership is constant on [nr, m], whichever of them a filter has */
uint32_t sg_arch_claim_end(uint32_t audit, uint32_t nr);

/*
 * Syscall numbers. Real numbers are >= 0 and already include nr_base (x32 numbers carry
 * 0x40000000, MIPS n64 ones 5000+). Pseudo numbers (__PNR_*, <= -100) stand for syscalls that
 * do not exist on an ABI, and for the multiplexed socket (-101..-120) / ipc (-201..-224) calls.
 */

/* the name of a pseudo number, or NULL */
const char *sg_syscall_pnr_name(int pnr);

/* the ABI's real number for name, the name's pseudo number when the ABI lacks it, or
 * __NR_SCMP_ERROR (-1) for an unknown or NULL name; no multiplexer logic */
int sg_arch_syscall_nr(const struct sg_arch *arch, const char *name);
/* libseccomp's seccomp_syscall_resolve_name_arch(): like sg_arch_syscall_nr, but socket- and
 * ipc-family names resolve to their pseudo numbers on ABIs that multiplex that family */
int sg_arch_resolve_name(const struct sg_arch *arch, const char *name);
/* the canonical name of a real number on the ABI, or of a pseudo number; NULL if unknown */
const char *sg_arch_syscall_name(const struct sg_arch *arch, int nr);
/* libseccomp's reverse lookup of a pseudo number on one ABI: the name that sg_arch_resolve_name
 * maps to pnr there, or NULL (so NULL when the ABI has a real number for that syscall) */
const char *sg_arch_pnr_name(const struct sg_arch *arch, int pnr);

/* For a multiplexed pseudo number: the call number passed in A0 (socket=1, ... shmctl=24) and
 * the family (SG_MUX_SOCKET / SG_MUX_IPC); returns 0 for any other number. */
int sg_mux_call(int pnr, uint8_t *family);

/*
 * Syscall identities without names, for hot paths (no string compares): a syscall is an
 * index into the generated name table. sg_sys_by_nr: the syscall a real or pseudo number
 * means on the ABI, or -1; sg_sys_pnr: its pseudo number; sg_sys_arch_nr: its real number on
 * an ABI, or -1 where the ABI lacks it.
 */
int sg_sys_by_nr(const struct sg_arch *arch, int nr);
int sg_sys_pnr(int sys);
int sg_sys_arch_nr(const struct sg_arch *arch, int sys);
/* the syscall a name means (kernel names and libseccomp's old aliases), or -1; its name */
int sg_sys_by_name(const char *name);
const char *sg_sys_name(size_t sys);

/*
 * For tools and tests only: these are in arch_tools.c, in libsysgate_tools.la (the library
 * never asks these questions, and libseccomp.so does not contain them).
 */

/* the pseudo number of a known syscall name (every name has one), or 0 if the name is unknown */
int sg_syscall_pnr(const char *name);
/* the idx-th known syscall name in strcmp order (kernel names and libseccomp's old aliases), or
 * NULL past the end: for iterating over every name */
const char *sg_syscall_name_at(size_t idx);
/* Translate a number valid on `from` (real or pseudo) to `to`, by name: returns the number on
 * `to` (real or pseudo). Returns __NR_SCMP_ERROR if `nr` has no name on `from`. */
int sg_arch_translate(const struct sg_arch *from, const struct sg_arch *to, int nr);

/* how many numbers of the ABI's table lie in [lo, hi], or below nr (O(log n)) */
size_t sg_arch_count_nrs(const struct sg_arch *arch, uint32_t lo, uint32_t hi);
size_t sg_arch_nrs_below(const struct sg_arch *arch, uint64_t nr);

#endif
