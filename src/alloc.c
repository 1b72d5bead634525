/*
 * alloc.c - allocation wrappers with optional failure injection (see alloc.h).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "alloc.h"

#ifdef SG_FAULT_INJECTION
/* initial-exec: no dependency on the dynamic loader for TLS (see tests/compat/abi.sh) */
static _Thread_local long fault_countdown __attribute__((tls_model("initial-exec")));
static _Thread_local int fault_fired __attribute__((tls_model("initial-exec")));

void sg_fault_arm(long n)
{
	fault_countdown = n;
	fault_fired = 0;
}

int sg_fault_fired(void)
{
	return fault_fired;
}

/* true when this allocation is the one armed to fail */
static int fault_now(void)
{
	if (fault_countdown <= 0)
		return 0;
	if (--fault_countdown > 0)
		return 0;
	fault_fired = 1;
	return 1;
}
#else
/* sg_fault_arm() and sg_fault_fired() are then stubs in fault_stub.c (libsysgate_tools.la):
 * only tests call them, and libseccomp.so must not contain them */
static inline int fault_now(void)
{
	return 0;
}
#endif

void *sg_malloc(size_t size)
{
	if (fault_now())
		return NULL;
	return malloc(size ? size : 1);
}

void *sg_calloc(size_t nmemb, size_t size)
{
	if (fault_now())
		return NULL;
	return calloc(nmemb ? nmemb : 1, size ? size : 1);
}

void *sg_reallocarray(void *ptr, size_t nmemb, size_t size)
{
	if (size && nmemb > SIZE_MAX / size)
		return NULL;
	if (fault_now())
		return NULL;
	size_t bytes = nmemb * size;
	return realloc(ptr, bytes ? bytes : 1);
}

void sg_free(void *ptr)
{
	free(ptr);
}
