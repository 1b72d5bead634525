/*
 * fault_stub.c - sg_fault_arm() and sg_fault_fired() (alloc.h) in a build without fault
 * injection: arming does nothing and no failure ever fires (test_faults then skips).
 *
 * This file is in libsysgate_tools.la, which tests link before libsysgate.la: only tests call
 * these, and an ordinary libseccomp.so must not contain them. With --enable-fault-injection the
 * real ones are in alloc.c (they arm the library's allocator) and this file compiles to nothing,
 * so that the two libraries never define the same name.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "alloc.h"

#ifndef SG_FAULT_INJECTION
void sg_fault_arm(long n)
{
	(void)n;
}

int sg_fault_fired(void)
{
	return 0;
}
#endif
