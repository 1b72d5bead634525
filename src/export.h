/*
 * export.h - writing a filter out: raw BPF in the target's byte order, or PFC text.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef SYSGATE_EXPORT_H
#define SYSGATE_EXPORT_H

#include <stddef.h>

#include "db.h"

int sg_export_bpf(struct sg_filter *f, int fd);
int sg_export_bpf_mem(struct sg_filter *f, void *buf, size_t *len);
int sg_export_pfc(const struct sg_filter *f, int fd);

#endif
