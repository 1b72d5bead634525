/*
 * bpf_opt.h - bytecode passes over an emitted program (see bpf_opt.c).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef SYSGATE_BPF_OPT_H
#define SYSGATE_BPF_OPT_H

#include <stddef.h>
#include <linux/filter.h>

/*
 * Optimise a program (host byte order, malloc'd with sg_malloc) in place, to a fixpoint:
 * optimizing the result again changes nothing. The result means exactly what the input
 * meant, is never longer, and uses no instruction the input did not. Returns 0, -ENOMEM, or
 * -ELOOP if the passes did not converge as they must (an optimizer bug, see bpf_opt.c); on
 * error the program is still valid and means the same.
 */
int sg_bpf_optimize(struct sock_filter **prog, size_t *len);

#endif
