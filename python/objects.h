/*
 * objects.h - what the parts of the Python module "seccomp" share.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef SGPY_OBJECTS_H
#define SGPY_OBJECTS_H

#include <Python.h>
#include <seccomp.h>
#include <stdint.h>

/* seccomp.Arg: one argument comparison */
typedef struct {
	PyObject_HEAD struct scmp_arg_cmp cmp;
} sgpy_arg;

/* seccomp.Notification: a received notification (read-only) */
typedef struct {
	PyObject_HEAD unsigned long long id;
	unsigned int pid, flags;
	int syscall;
	unsigned int syscall_arch;
	unsigned long long syscall_ip;
	PyObject *syscall_args; /* a list of six ints */
} sgpy_notification;

/* seccomp.NotificationResponse: the answer to one (its fields may be changed) */
typedef struct {
	PyObject_HEAD unsigned long long id;
	long long val;
	int error;
	unsigned int flags;
} sgpy_response;

extern PyTypeObject sgpy_arg_type, sgpy_notification_type, sgpy_response_type;
extern PyTypeObject sgpy_arch_type, sgpy_attr_type, sgpy_filter_type;

PyObject *sgpy_lib_error(int rc);
int sgpy_u32(PyObject *o, uint32_t *out);
int sgpy_syscall(PyObject *o, int *nr);
/* an architecture: Arch object, an Arch.* value or a token; NATIVE becomes the native token */
int sgpy_arch_token(PyObject *o, uint32_t *token);
/* a Notification built from the C structure */
PyObject *sgpy_notification_new(const struct seccomp_notif *req);
/* adds the classes to the module */
int sgpy_add_types(PyObject *m);

#endif
