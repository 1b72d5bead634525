/*
 * arch.c - ABI descriptors and syscall name <-> number lookups over the generated tables.
 *
 * Every lookup is a binary search: names are sorted in sg_sys, pseudo numbers in sg_sys_by_pnr
 * and each table's numbers in sg_nr_sorted (see syscalls.h for the layout).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stdlib.h>
#include <string.h>

#include <seccomp.h>

#include "arch/arch.h"
#include "arch/sorted.h"
#include "arch/syscalls.h"

/* multiplexed families follow from the table: an ABI multiplexes what it has a mux call for */
#define MUX_OF(tbl)                                                                                \
	(uint8_t)((SG_TBL_##tbl##_SOCKETCALL >= 0 ? SG_MUX_SOCKET : 0) |                           \
	          (SG_TBL_##tbl##_IPC >= 0 ? SG_MUX_IPC : 0))

/*
 * The ABI partition: which numbers, reported under its arch value (AUDIT_ARCH_*), each ABI
 * owns. This is the one place that says it; selection (ir.c), gap handling and weighting
 * (lower.c) read it through sg_arch_owns/sg_arch_precedes/sg_arch_claim_end.
 *
 * - Most ABIs are alone on their arch value and own every number (the kernel returns ENOSYS
 *   for numbers outside its table: the filter's default action decides them).
 * - x86_64 and x32 share AUDIT_ARCH_X86_64. x32 calls carry the x32 bit, and so does every
 *   "negative" number, which x86_64 refuses: x32 owns [bit, 2^32). nr -1 (a syscall a tracer
 *   skipped, or syscall(-1)) is x86_64's when the filter has x86_64, since x32 is secondary.
 * - A MIPS64 kernel runs a syscall by its number whatever the caller's ABI: an n64 task that
 *   calls 4020 gets o32's getpid, reported under n64's arch value. The 1000-number blocks of
 *   the other MIPS ABIs (o32 4000, n64 5000, n32 6000) are therefore foreign to each MIPS
 *   ABI: bad-arch, like x32 numbers in a filter that has only x86_64.
 */
static const struct sg_nr_span owns_all[] = {{0, 0xffffffffu}};
static const struct sg_nr_span owns_x86_64[] = {{0, SG_X32_BIT - 1}, {0xffffffffu, 0xffffffffu}};
static const struct sg_nr_span owns_x32[] = {{SG_X32_BIT, 0xffffffffu}};
static const struct sg_nr_span owns_mips_o32[] = {{0, 4999}, {7000, 0xffffffffu}};
static const struct sg_nr_span owns_mips_n64[] = {{0, 3999}, {5000, 5999}, {7000, 0xffffffffu}};
static const struct sg_nr_span owns_mips_n32[] = {{0, 3999}, {6000, 0xffffffffu}};

/* base: what the table's numbers already include (MIPS ABI offsets, the x32 bit); owns and
 * secondary: the ABI's part of its arch value (above) */
#define ARCH_PART(var, tok, aud, nm, bits, be, sext, tbl, base, own, second)                       \
	static const struct sg_arch var = {                                                        \
	    .token = (tok),                                                                        \
	    .audit = (aud),                                                                        \
	    .name = (nm),                                                                          \
	    .arg_bits = (bits),                                                                    \
	    .big_endian = (be),                                                                    \
	    .sign_extends = (sext),                                                                \
	    .nr_base = (base),                                                                     \
	    .socketcall_nr = SG_TBL_##tbl##_SOCKETCALL,                                            \
	    .ipc_nr = SG_TBL_##tbl##_IPC,                                                          \
	    .mux = MUX_OF(tbl),                                                                    \
	    .table_index = SG_TBL_##tbl,                                                           \
	    .owns = (own),                                                                         \
	    .nowns = sizeof(own) / sizeof((own)[0]),                                               \
	    .secondary = (second),                                                                 \
	}

#define ARCH(var, tok, aud, nm, bits, be, sext, tbl)                                               \
	ARCH_PART(var, tok, aud, nm, bits, be, sext, tbl, 0, owns_all, false)
#define ARCH_MIPS(var, tok, aud, nm, bits, be, sext, tbl, base, own)                               \
	ARCH_PART(var, tok, aud, nm, bits, be, sext, tbl, base, own, false)

ARCH(arch_x86, SCMP_ARCH_X86, AUDIT_ARCH_I386, "x86", 32, false, false, X86);
ARCH_PART(arch_x86_64, SCMP_ARCH_X86_64, AUDIT_ARCH_X86_64, "x86_64", 64, false, false, X86_64, 0,
          owns_x86_64, false);
/* x32 shares x86_64's audit value; its numbers carry __X32_SYSCALL_BIT */
ARCH_PART(arch_x32, SCMP_ARCH_X32, AUDIT_ARCH_X86_64, "x32", 32, false, false, X32, SG_X32_BIT,
          owns_x32, true);
ARCH(arch_arm, SCMP_ARCH_ARM, AUDIT_ARCH_ARM, "arm", 32, false, false, ARM);
ARCH(arch_aarch64, SCMP_ARCH_AARCH64, AUDIT_ARCH_AARCH64, "aarch64", 64, false, false, AARCH64);
ARCH(arch_loongarch64, SCMP_ARCH_LOONGARCH64, AUDIT_ARCH_LOONGARCH64, "loongarch64", 64, false,
     false, LOONGARCH64);
ARCH(arch_m68k, SCMP_ARCH_M68K, AUDIT_ARCH_M68K, "m68k", 32, true, false, M68K);
ARCH_MIPS(arch_mips, SCMP_ARCH_MIPS, AUDIT_ARCH_MIPS, "mips", 32, true, true, MIPSO32, 4000,
          owns_mips_o32);
ARCH_MIPS(arch_mipsel, SCMP_ARCH_MIPSEL, AUDIT_ARCH_MIPSEL, "mipsel", 32, false, true, MIPSO32,
          4000, owns_mips_o32);
ARCH_MIPS(arch_mips64, SCMP_ARCH_MIPS64, AUDIT_ARCH_MIPS64, "mips64", 64, true, false, MIPS64, 5000,
          owns_mips_n64);
ARCH_MIPS(arch_mipsel64, SCMP_ARCH_MIPSEL64, AUDIT_ARCH_MIPSEL64, "mipsel64", 64, false, false,
          MIPS64, 5000, owns_mips_n64);
ARCH_MIPS(arch_mips64n32, SCMP_ARCH_MIPS64N32, AUDIT_ARCH_MIPS64N32, "mips64n32", 32, true, true,
          MIPS64N32, 6000, owns_mips_n32);
ARCH_MIPS(arch_mipsel64n32, SCMP_ARCH_MIPSEL64N32, AUDIT_ARCH_MIPSEL64N32, "mipsel64n32", 32, false,
          true, MIPS64N32, 6000, owns_mips_n32);
ARCH(arch_parisc, SCMP_ARCH_PARISC, AUDIT_ARCH_PARISC, "parisc", 32, true, false, PARISC);
ARCH(arch_parisc64, SCMP_ARCH_PARISC64, AUDIT_ARCH_PARISC64, "parisc64", 64, true, false, PARISC64);
ARCH(arch_ppc, SCMP_ARCH_PPC, AUDIT_ARCH_PPC, "ppc", 32, true, false, PPC);
ARCH(arch_ppc64, SCMP_ARCH_PPC64, AUDIT_ARCH_PPC64, "ppc64", 64, true, false, PPC64);
ARCH(arch_ppc64le, SCMP_ARCH_PPC64LE, AUDIT_ARCH_PPC64LE, "ppc64le", 64, false, false, PPC64);
ARCH(arch_riscv64, SCMP_ARCH_RISCV64, AUDIT_ARCH_RISCV64, "riscv64", 64, false, false, RISCV64);
ARCH(arch_s390, SCMP_ARCH_S390, AUDIT_ARCH_S390, "s390", 32, true, false, S390);
ARCH(arch_s390x, SCMP_ARCH_S390X, AUDIT_ARCH_S390X, "s390x", 64, true, false, S390X);
/* libseccomp's "sh" is little-endian (SHEL) and "sheb" big-endian; one table for both */
ARCH(arch_sh, SCMP_ARCH_SH, AUDIT_ARCH_SHEL, "sh", 32, false, false, SH);
ARCH(arch_sheb, SCMP_ARCH_SHEB, AUDIT_ARCH_SH, "sheb", 32, true, false, SH);
/* sysgate additions */
ARCH(arch_riscv32, SCMP_ARCH_RISCV32, AUDIT_ARCH_RISCV32, "riscv32", 32, false, false, RISCV32);
ARCH(arch_csky, SCMP_ARCH_CSKY, AUDIT_ARCH_CSKY, "csky", 32, false, false, CSKY);
/* AUDIT_ARCH_XTENSA carries no LE bit, but Linux on xtensa is little-endian in practice */
ARCH(arch_xtensa, SCMP_ARCH_XTENSA, AUDIT_ARCH_XTENSA, "xtensa", 32, false, false, XTENSA);

const struct sg_arch *const sg_arches[] = {
    &arch_x86,         &arch_x86_64,    &arch_x32,         &arch_arm,     &arch_aarch64,
    &arch_loongarch64, &arch_m68k,      &arch_mips,        &arch_mipsel,  &arch_mips64,
    &arch_mipsel64,    &arch_mips64n32, &arch_mipsel64n32, &arch_parisc,  &arch_parisc64,
    &arch_ppc,         &arch_ppc64,     &arch_ppc64le,     &arch_riscv64, &arch_s390,
    &arch_s390x,       &arch_sh,        &arch_sheb,        &arch_riscv32, &arch_csky,
    &arch_xtensa,
};
const size_t sg_arch_count = sizeof(sg_arches) / sizeof(sg_arches[0]);

/* the ABI of the compiler building this file */
#if defined(__x86_64__) && defined(__ILP32__)
#define NATIVE arch_x32
#elif defined(__x86_64__)
#define NATIVE arch_x86_64
#elif defined(__i386__)
#define NATIVE arch_x86
#elif defined(__aarch64__)
#define NATIVE arch_aarch64
#elif defined(__arm__)
#define NATIVE arch_arm
#elif defined(__loongarch64)
#define NATIVE arch_loongarch64
#elif defined(__m68k__)
#define NATIVE arch_m68k
#elif defined(__mips__) && defined(_MIPS_SIM) && defined(_ABIO32) && _MIPS_SIM == _ABIO32
#if defined(__MIPSEB__)
#define NATIVE arch_mips
#else
#define NATIVE arch_mipsel
#endif
#elif defined(__mips__) && defined(_MIPS_SIM) && defined(_ABI64) && _MIPS_SIM == _ABI64
#if defined(__MIPSEB__)
#define NATIVE arch_mips64
#else
#define NATIVE arch_mipsel64
#endif
#elif defined(__mips__) && defined(_MIPS_SIM) && defined(_ABIN32) && _MIPS_SIM == _ABIN32
#if defined(__MIPSEB__)
#define NATIVE arch_mips64n32
#else
#define NATIVE arch_mipsel64n32
#endif
#elif defined(__hppa64__)
#define NATIVE arch_parisc64
#elif defined(__hppa__)
#define NATIVE arch_parisc
#elif defined(__powerpc64__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define NATIVE arch_ppc64le
#elif defined(__powerpc64__)
#define NATIVE arch_ppc64
#elif defined(__powerpc__)
#define NATIVE arch_ppc
#elif defined(__riscv) && defined(__riscv_xlen) && __riscv_xlen == 64
#define NATIVE arch_riscv64
#elif defined(__riscv) && defined(__riscv_xlen) && __riscv_xlen == 32
#define NATIVE arch_riscv32
#elif defined(__s390x__)
#define NATIVE arch_s390x
#elif defined(__s390__)
#define NATIVE arch_s390
#elif defined(__sh__) && defined(__BIG_ENDIAN__)
#define NATIVE arch_sheb
#elif defined(__sh__)
#define NATIVE arch_sh
#elif defined(__csky__)
#define NATIVE arch_csky
#elif defined(__xtensa__)
#define NATIVE arch_xtensa
#else
#error "sysgate does not know this architecture's seccomp ABI"
#endif

const struct sg_arch *sg_arch_native(void)
{
	return &NATIVE;
}

const struct sg_arch *sg_arch_by_token(uint32_t token)
{
	if (token == SCMP_ARCH_NATIVE)
		return &NATIVE;
	for (size_t i = 0; i < sg_arch_count; i++)
		if (sg_arches[i]->token == token)
			return sg_arches[i];
	return NULL;
}

const struct sg_arch *sg_arch_by_name(const char *name)
{
	if (name == NULL)
		return NULL;
	for (size_t i = 0; i < sg_arch_count; i++)
		if (strcmp(sg_arches[i]->name, name) == 0)
			return sg_arches[i];
	return NULL;
}

const char *sg_sys_name(size_t idx)
{
	return sg_sys_pool + sg_sys[idx].name;
}

static bool name_below(const void *name, size_t i)
{
	const unsigned char *a = (const unsigned char *)sg_sys_name(i), *b = name;

	/* most steps of the search are decided by the first byte: no call for them */
	if (*a != *b)
		return *a < *b;
	return strcmp((const char *)a, name) < 0;
}

int sg_sys_by_name(const char *name)
{
	size_t pos;

	if (name == NULL)
		return -1;
	pos = sg_lower_bound(0, SG_SYS_COUNT, name_below, name);
	return pos < SG_SYS_COUNT && strcmp(sg_sys_name(pos), name) == 0 ? (int)pos : -1;
}

static bool pnr_below(const void *pnr, size_t i)
{
	return sg_sys[sg_sys_by_pnr[i]].pnr < *(const int *)pnr;
}

/* first position in sg_sys_by_pnr whose pseudo number is >= pnr */
static size_t pnr_lower_bound(int pnr)
{
	/* the lowest pseudo numbers run down without a gap: the entry is usually at its
	 * distance from the lowest (the first of its value, as the search below would find) */
	size_t at = (size_t)((long)pnr - sg_sys[sg_sys_by_pnr[0]].pnr);

	if (at < SG_SYS_COUNT && sg_sys[sg_sys_by_pnr[at]].pnr == pnr &&
	    (at == 0 || sg_sys[sg_sys_by_pnr[at - 1]].pnr != pnr))
		return at;
	return sg_lower_bound(0, SG_SYS_COUNT, pnr_below, &pnr);
}

static bool enc_below(const void *enc, size_t i)
{
	return sg_nr_sorted[i].nr < *(const int *)enc;
}

/* the sg_sys index of encoded number `enc` in table t (see encode_nr()), or -1 */
static int enc_find(unsigned t, int enc)
{
	size_t start = sg_nr_sorted_start[t], end = sg_nr_sorted_start[t + 1];
	size_t at = start + (size_t)enc;

	/* most tables number their calls densely from 0: the entry is usually at position enc
	 * (the first of its number, as the search below would find) */
	if (at < end && sg_nr_sorted[at].nr == enc &&
	    (at == start || sg_nr_sorted[at - 1].nr != enc))
		return (int)sg_nr_sorted[at].sys;
	/* ...and the newest run up to the last without a gap (x86_64's 424.. after 335..423) */
	if (end > start && enc <= sg_nr_sorted[end - 1].nr &&
	    (size_t)(sg_nr_sorted[end - 1].nr - enc) < end - start) {
		at = end - 1 - (size_t)(sg_nr_sorted[end - 1].nr - enc);
		if (sg_nr_sorted[at].nr == enc && (at == start || sg_nr_sorted[at - 1].nr != enc))
			return (int)sg_nr_sorted[at].sys;
	}
	size_t pos = sg_lower_bound(start, end, enc_below, &enc);

	return pos < end && sg_nr_sorted[pos].nr == enc ? (int)sg_nr_sorted[pos].sys : -1;
}

const char *sg_syscall_pnr_name(int pnr)
{
	size_t pos;

	if (pnr >= 0)
		return NULL;
	pos = pnr_lower_bound(pnr);
	if (pos < SG_SYS_COUNT && sg_sys[sg_sys_by_pnr[pos]].pnr == pnr)
		return sg_sys_name(sg_sys_by_pnr[pos]);
	return NULL;
}

/* the real number of sg_sys[idx] on the ABI, or -1 if the ABI lacks it */
static int column_nr(const struct sg_arch *arch, size_t idx)
{
	unsigned t = arch->table_index;
	uint16_t v = sg_sys_nr[t][idx];

	return v == SG_NR_NONE ? -1 : (int)sg_table_nr(t, v);
}

/* the number of sg_sys[idx] on the ABI: its real number, or its pseudo number where it lacks
 * one */
static int nr_or_pnr(const struct sg_arch *arch, size_t idx)
{
	int nr = column_nr(arch, idx);

	return nr >= 0 ? nr : sg_sys[idx].pnr;
}

int sg_arch_syscall_nr(const struct sg_arch *arch, const char *name)
{
	int idx = sg_sys_by_name(name);

	if (arch == NULL || idx < 0)
		return __NR_SCMP_ERROR;
	return nr_or_pnr(arch, (size_t)idx);
}

/* the multiplexed family a pseudo number belongs to (0 if none) */
static uint8_t pnr_family(int pnr)
{
	if (pnr <= -101 && pnr >= -120)
		return SG_MUX_SOCKET;
	if (pnr <= -201 && pnr >= -224)
		return SG_MUX_IPC;
	return 0;
}

int sg_arch_resolve_name(const struct sg_arch *arch, const char *name)
{
	int idx = sg_sys_by_name(name);

	if (arch == NULL || idx < 0)
		return __NR_SCMP_ERROR;
	/* libseccomp steers multiplexed calls to their pseudo number even where a direct
	 * number exists, so rules cover both the mux call and the direct one */
	if (arch->mux & pnr_family(sg_sys[idx].pnr))
		return sg_sys[idx].pnr;
	return nr_or_pnr(arch, (size_t)idx);
}

/* encode a real number as a column entry of table t; -1 if it cannot be in the table */
static int encode_nr(unsigned t, int nr)
{
	uint32_t n = (uint32_t)nr;

	if (nr < 0)
		return -1;
	if (n >= sg_table_base[t] && n - sg_table_base[t] < SG_NR_HI)
		return (int)(n - sg_table_base[t]);
	if (sg_table_hibase[t] != 0 && n >= sg_table_hibase[t] &&
	    n - sg_table_hibase[t] < SG_NR_NONE - SG_NR_HI)
		return (int)(SG_NR_HI + (n - sg_table_hibase[t]));
	return -1;
}

const char *sg_arch_syscall_name(const struct sg_arch *arch, int nr)
{
	int sys;

	if (nr < 0)
		return sg_syscall_pnr_name(nr);
	sys = sg_sys_by_nr(arch, nr);
	return sys < 0 ? NULL : sg_sys_name((size_t)sys);
}

const char *sg_arch_pnr_name(const struct sg_arch *arch, int pnr)
{
	if (arch == NULL || pnr >= 0)
		return NULL;
	/* several names may share a value (switch_endian, sys_debug_setcontext): take the first,
	 * in preference order, that this ABI really resolves to it */
	for (size_t pos = pnr_lower_bound(pnr);
	     pos < SG_SYS_COUNT && sg_sys[sg_sys_by_pnr[pos]].pnr == pnr; pos++) {
		const char *name = sg_sys_name(sg_sys_by_pnr[pos]);

		if (sg_arch_resolve_name(arch, name) == pnr)
			return name;
	}
	return NULL;
}

int sg_sys_by_nr(const struct sg_arch *arch, int nr)
{
	unsigned t;
	int v;

	if (arch == NULL)
		return -1;
	if (nr < 0) {
		size_t pos = pnr_lower_bound(nr);
		return pos < SG_SYS_COUNT && sg_sys[sg_sys_by_pnr[pos]].pnr == nr
			       ? (int)sg_sys_by_pnr[pos]
			       : -1;
	}
	t = arch->table_index;
	v = encode_nr(t, nr);
	return v < 0 ? -1 : enc_find(t, v);
}

int sg_sys_pnr(int sys)
{
	return sg_sys[sys].pnr;
}

int sg_sys_arch_nr(const struct sg_arch *arch, int sys)
{
	return column_nr(arch, (size_t)sys);
}

int sg_mux_call(int pnr, uint8_t *family)
{
	uint8_t fam = pnr_family(pnr);

	/* only values that name a call: ipc has gaps (-205..-210, -215..-220) */
	if (fam == 0 || sg_syscall_pnr_name(pnr) == NULL)
		return 0;
	if (family != NULL)
		*family = fam;
	return fam == SG_MUX_SOCKET ? -pnr - 100 : -pnr - 200;
}

bool sg_arch_passes_high_word(const struct sg_arch *arch)
{
	return arch->token == SCMP_ARCH_X32;
}

uint32_t sg_arch_claim_end(uint32_t audit, uint32_t nr)
{
	uint32_t end = 0xffffffffu;

	for (size_t i = 0; i < sg_arch_count; i++) {
		const struct sg_arch *a = sg_arches[i];
		if (a->audit != audit)
			continue;
		for (uint8_t k = 0; k < a->nowns; k++) {
			/* a claim that starts after nr, or one that stops at or after it */
			if (a->owns[k].lo > nr && a->owns[k].lo - 1 < end)
				end = a->owns[k].lo - 1;
			if (a->owns[k].hi >= nr && a->owns[k].hi < end)
				end = a->owns[k].hi;
		}
	}
	return end;
}
