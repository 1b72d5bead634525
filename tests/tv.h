/*
 * tv.h - translation validation in the Check programs (tests/tv.c): what a test can ask of it.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef SYSGATE_TESTS_TV_H
#define SYSGATE_TESTS_TV_H

#include <stdbool.h>
#include <stdint.h>

#include "bpf_sym.h"
#include "compile.h"

/* p against the reference lowering of f: sg_sym_equiv()'s answer (1 proven, 0 a difference at
 * *w, -EAGAIN undecided), or -ENOENT when the reference lowering cannot be compiled */
int tv_prove(const struct sg_filter *f, const struct sg_program *p, uint32_t w[SG_SYM_WORDS]);

/* programs this process's sg_compile() calls proved so far */
unsigned long tv_proven(void);

/* does sg_compile() validate here (budget above 0, not under valgrind or fault injection)? */
bool tv_enabled(void);

#endif
