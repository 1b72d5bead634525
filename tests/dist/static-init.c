/*
 * static-init.c - the argument macros as initialisers of static objects. Compound literals
 * there are a GNU C extension (gcc -pedantic rejects them, for libseccomp's header too), so
 * tests/install.sh compiles this with -std=c99 without -pedantic; header-c99 use at block
 * scope is covered by installed.c.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <seccomp.h>

static const struct scmp_arg_cmp one = SCMP_A0(SCMP_CMP_EQ, 1);
static const struct scmp_arg_cmp table[] = {
    SCMP_A1(SCMP_CMP_NE, 2),
    SCMP_A2_32(SCMP_CMP_EQ, -1),
    SCMP_CMP(3, SCMP_CMP_MASKED_EQ, 0xff, 3),
    SCMP_CMP32(4, SCMP_CMP_GE, -2),
    SCMP_A5_LO32(SCMP_CMP_LE, -100),
};

int count_args(void);
int count_args(void)
{
	return (int)(one.arg + sizeof(table) / sizeof(table[0]));
}
