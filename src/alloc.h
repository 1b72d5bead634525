/*
 * alloc.h - the library's only way to allocate memory.
 *
 * Every allocation goes through these wrappers so that a test build (--enable-fault-injection)
 * can make the N-th allocation fail and prove that every API call fails cleanly.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef SYSGATE_ALLOC_H
#define SYSGATE_ALLOC_H

#include <stddef.h>

void *sg_malloc(size_t size);
void *sg_calloc(size_t nmemb, size_t size);
/* like realloc(), but also fails (NULL, block untouched) when nmemb * size overflows */
void *sg_reallocarray(void *ptr, size_t nmemb, size_t size);
void sg_free(void *ptr);

/*
 * Fault injection (only with SG_FAULT_INJECTION): after sg_fault_arm(n), the n-th following
 * allocation on this thread fails (n >= 1); sg_fault_arm(0) disarms. sg_fault_fired() tells
 * whether the armed failure happened. Thread-local, so tests on different threads don't mix.
 * Only tests call these: with SG_FAULT_INJECTION they are in alloc.c (the library's allocator
 * is what they arm), without it they are do-nothing stubs in fault_stub.c, in
 * libsysgate_tools.la, so that an ordinary libseccomp.so does not contain them.
 */
void sg_fault_arm(long n);
int sg_fault_fired(void);

#endif
