/*
 * filter.c - seccomp.SyscallFilter, one scmp_filter_ctx.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <errno.h>
#include <stdlib.h>

#include "objects.h"

typedef struct {
	PyObject_HEAD scmp_filter_ctx ctx;
	uint32_t defaction; /* what reset() without an argument and a merged-away filter reuse */
} sgpy_filter;

/* every method needs a context; one whose merge failed half-way has none */
static scmp_filter_ctx ctx_of(PyObject *self)
{
	scmp_filter_ctx ctx = ((sgpy_filter *)self)->ctx;

	if (!ctx)
		PyErr_SetString(PyExc_RuntimeError, "the filter has no context");
	return ctx;
}

#define CTX_OR_NULL(self)                                                                          \
	scmp_filter_ctx ctx = ctx_of(self);                                                        \
	if (!ctx)                                                                                  \
	return NULL

static PyObject *none_or_error(int rc)
{
	if (rc < 0)
		return sgpy_lib_error(rc);
	Py_RETURN_NONE;
}

static int filter_init(PyObject *self, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = {"defaction", NULL};
	sgpy_filter *f = (sgpy_filter *)self;
	PyObject *act_o;
	uint32_t act;

	if (!PyArg_ParseTupleAndKeywords(args, kw, "O:SyscallFilter", kwlist, &act_o) ||
	    sgpy_u32(act_o, &act) < 0)
		return -1;
	if (f->ctx)
		seccomp_release(f->ctx);
	f->ctx = seccomp_init(act);
	if (!f->ctx) {
		PyErr_SetString(PyExc_RuntimeError, "Library error");
		return -1;
	}
	f->defaction = act;
	return 0;
}

static void filter_dealloc(PyObject *self)
{
	sgpy_filter *f = (sgpy_filter *)self;

	if (f->ctx)
		seccomp_release(f->ctx);
	Py_TYPE(self)->tp_free(self);
}

static PyObject *filter_reset(PyObject *self, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = {"defaction", NULL};
	sgpy_filter *f = (sgpy_filter *)self;
	PyObject *act_o = NULL;
	uint32_t act = f->defaction;
	CTX_OR_NULL(self);

	if (!PyArg_ParseTupleAndKeywords(args, kw, "|O:reset", kwlist, &act_o))
		return NULL;
	/* -1: keep the default action, as libseccomp's binding's default argument */
	if (act_o && !(PyLong_Check(act_o) && PyLong_AsLong(act_o) == -1) &&
	    sgpy_u32(act_o, &act) < 0)
		return NULL;
	if (seccomp_reset(ctx, act) < 0)
		return PyErr_Format(PyExc_ValueError, "Invalid action");
	f->defaction = act;
	Py_RETURN_NONE;
}

static PyObject *filter_merge(PyObject *self, PyObject *other)
{
	sgpy_filter *src = (sgpy_filter *)other;
	int rc;
	CTX_OR_NULL(self);

	if (!PyObject_TypeCheck(other, &sgpy_filter_type)) {
		PyErr_SetString(PyExc_TypeError,
		                "Argument 'filter' must be a seccomp.SyscallFilter");
		return NULL;
	}
	if (!ctx_of(other))
		return NULL;
	rc = seccomp_merge(ctx, src->ctx);
	if (rc < 0)
		return sgpy_lib_error(rc);
	/* seccomp_merge() released the source's context: the object starts afresh, reset */
	src->ctx = seccomp_init(src->defaction);
	if (!src->ctx)
		return PyErr_NoMemory();
	Py_RETURN_NONE;
}

static PyObject *filter_exist_arch(PyObject *self, PyObject *arch_o)
{
	uint32_t arch;
	int rc;
	CTX_OR_NULL(self);

	if (sgpy_arch_token(arch_o, &arch) < 0)
		return NULL;
	rc = seccomp_arch_exist(ctx, arch);
	if (rc == 0)
		Py_RETURN_TRUE;
	if (rc == -EEXIST)
		Py_RETURN_FALSE;
	return PyErr_Format(PyExc_ValueError, "Invalid architecture");
}

static PyObject *filter_arch_op(PyObject *self, PyObject *arch_o,
                                int (*op)(scmp_filter_ctx, uint32_t))
{
	uint32_t arch;
	CTX_OR_NULL(self);

	if (sgpy_arch_token(arch_o, &arch) < 0)
		return NULL;
	return none_or_error(op(ctx, arch));
}

static PyObject *filter_add_arch(PyObject *self, PyObject *arch_o)
{
	return filter_arch_op(self, arch_o, seccomp_arch_add);
}

static PyObject *filter_remove_arch(PyObject *self, PyObject *arch_o)
{
	return filter_arch_op(self, arch_o, seccomp_arch_remove);
}

static PyObject *filter_load(PyObject *self, PyObject *unused)
{
	CTX_OR_NULL(self);
	(void)unused;
	return none_or_error(seccomp_load(ctx));
}

static PyObject *filter_get_attr(PyObject *self, PyObject *attr_o)
{
	uint32_t attr, value;
	int rc;
	CTX_OR_NULL(self);

	if (sgpy_u32(attr_o, &attr) < 0)
		return NULL;
	rc = seccomp_attr_get(ctx, (enum scmp_filter_attr)attr, &value);
	if (rc == -EINVAL)
		return PyErr_Format(PyExc_ValueError, "Invalid attribute");
	if (rc < 0)
		return sgpy_lib_error(rc);
	return PyLong_FromUnsignedLong(value);
}

static PyObject *filter_set_attr(PyObject *self, PyObject *args)
{
	PyObject *attr_o, *value_o;
	uint32_t attr, value;
	int rc;
	CTX_OR_NULL(self);

	if (!PyArg_ParseTuple(args, "OO:set_attr", &attr_o, &value_o) ||
	    sgpy_u32(attr_o, &attr) < 0 || sgpy_u32(value_o, &value) < 0)
		return NULL;
	rc = seccomp_attr_set(ctx, (enum scmp_filter_attr)attr, value);
	if (rc == -EINVAL)
		return PyErr_Format(PyExc_ValueError, "Invalid attribute");
	return none_or_error(rc);
}

static PyObject *filter_syscall_priority(PyObject *self, PyObject *args)
{
	PyObject *sys_o;
	int nr, priority;
	CTX_OR_NULL(self);

	if (!PyArg_ParseTuple(args, "Oi:syscall_priority", &sys_o, &priority) ||
	    sgpy_syscall(sys_o, &nr) < 0)
		return NULL;
	if (priority < 0 || priority > 255)
		return PyErr_Format(PyExc_ValueError, "Syscall priority must be between 0 and 255");
	return none_or_error(seccomp_syscall_priority(ctx, nr, (uint8_t)priority));
}

/* add_rule(action, syscall, *args) and add_rule_exactly(): args are Arg objects */
static PyObject *rule_add(PyObject *self, PyObject *args, int exact)
{
	struct scmp_arg_cmp cmps[6];
	Py_ssize_t n = PyTuple_GET_SIZE(args);
	uint32_t action;
	int nr, rc;
	CTX_OR_NULL(self);

	if (n < 2)
		return PyErr_Format(PyExc_TypeError, "%s() takes an action and a syscall",
		                    exact ? "add_rule_exactly" : "add_rule");
	if (sgpy_u32(PyTuple_GET_ITEM(args, 0), &action) < 0 ||
	    sgpy_syscall(PyTuple_GET_ITEM(args, 1), &nr) < 0)
		return NULL;
	if (n - 2 > 6) {
		PyErr_SetString(PyExc_RuntimeError, "Maximum number of arguments exceeded");
		return NULL;
	}
	for (Py_ssize_t i = 2; i < n; i++) {
		PyObject *a = PyTuple_GET_ITEM(args, i);
		if (!PyObject_TypeCheck(a, &sgpy_arg_type))
			return PyErr_Format(PyExc_TypeError, "Cannot convert %s to seccomp.Arg",
			                    Py_TYPE(a)->tp_name);
		cmps[i - 2] = ((sgpy_arg *)a)->cmp;
	}
	if (exact)
		rc = seccomp_rule_add_exact_array(ctx, action, nr, (unsigned int)(n - 2), cmps);
	else
		rc = seccomp_rule_add_array(ctx, action, nr, (unsigned int)(n - 2), cmps);
	return none_or_error(rc);
}

static PyObject *filter_add_rule(PyObject *self, PyObject *args)
{
	return rule_add(self, args, 0);
}

static PyObject *filter_add_rule_exactly(PyObject *self, PyObject *args)
{
	return rule_add(self, args, 1);
}

/* the notification descriptor of the loaded filter, or -1 with the exception set */
static int notify_fd(PyObject *self)
{
	int fd;
	scmp_filter_ctx ctx = ctx_of(self);

	if (!ctx)
		return -1;
	fd = seccomp_notify_fd(ctx);
	if (fd < 0)
		PyErr_SetString(PyExc_RuntimeError, "Notifications not enabled/active");
	return fd < 0 ? -1 : fd;
}

static PyObject *filter_get_notify_fd(PyObject *self, PyObject *unused)
{
	int fd = notify_fd(self);

	(void)unused;
	return fd < 0 ? NULL : PyLong_FromLong(fd);
}

static PyObject *filter_receive_notify(PyObject *self, PyObject *unused)
{
	struct seccomp_notif *req = NULL;
	PyObject *ret;
	PyThreadState *ts;
	int fd = notify_fd(self), rc;

	(void)unused;
	if (fd < 0)
		return NULL;
	rc = seccomp_notify_alloc(&req, NULL);
	if (rc < 0)
		return sgpy_lib_error(rc);
	/* it blocks until a filtered thread makes the call: other Python threads run meanwhile */
	ts = PyEval_SaveThread();
	rc = seccomp_notify_receive(fd, req);
	PyEval_RestoreThread(ts);
	ret = rc < 0 ? sgpy_lib_error(rc) : sgpy_notification_new(req);
	seccomp_notify_free(req, NULL);
	return ret;
}

static PyObject *filter_respond_notify(PyObject *self, PyObject *resp_o)
{
	struct seccomp_notif_resp *resp = NULL;
	const sgpy_response *r = (const sgpy_response *)resp_o;
	int fd, rc;

	if (!PyObject_TypeCheck(resp_o, &sgpy_response_type)) {
		PyErr_SetString(PyExc_TypeError, "response must be a seccomp.NotificationResponse");
		return NULL;
	}
	fd = notify_fd(self);
	if (fd < 0)
		return NULL;
	rc = seccomp_notify_alloc(NULL, &resp);
	if (rc < 0)
		return sgpy_lib_error(rc);
	resp->id = r->id;
	resp->val = r->val;
	resp->error = r->error;
	resp->flags = r->flags;
	rc = seccomp_notify_respond(fd, resp);
	seccomp_notify_free(NULL, resp);
	return none_or_error(rc);
}

/* notify_addfd(notify, srcfd, newfd=0, flags=0, newfd_flags=0): seccomp_notify_addfd() */
static PyObject *filter_notify_addfd(PyObject *self, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = {"notify", "srcfd", "newfd", "flags", "newfd_flags", NULL};
	struct seccomp_notif_addfd addfd = {0};
	PyObject *notify, *id;
	unsigned int srcfd, newfd = 0, flags = 0, newfd_flags = 0;
	int fd, rc;

	if (!PyArg_ParseTupleAndKeywords(args, kw, "OI|III:notify_addfd", kwlist, &notify, &srcfd,
	                                 &newfd, &flags, &newfd_flags))
		return NULL;
	/* a Notification, or its id */
	id = PyLong_Check(notify) ? (Py_INCREF(notify), notify)
	                          : PyObject_GetAttrString(notify, "id");
	if (!id)
		return NULL;
	addfd.id = PyLong_AsUnsignedLongLong(id);
	Py_DECREF(id);
	if (addfd.id == (unsigned long long)-1 && PyErr_Occurred())
		return NULL;
	addfd.srcfd = srcfd;
	addfd.newfd = newfd;
	addfd.flags = flags;
	addfd.newfd_flags = newfd_flags;
	fd = notify_fd(self);
	if (fd < 0)
		return NULL;
	rc = seccomp_notify_addfd(fd, &addfd);
	if (rc < 0)
		return sgpy_lib_error(rc);
	return PyLong_FromLong(rc);
}

/* export_pfc(file) / export_bpf(file): to the file's descriptor, after what Python buffered */
static PyObject *export_to(PyObject *self, PyObject *file, int (*op)(const scmp_filter_ctx, int))
{
	PyObject *r;
	int fd;
	CTX_OR_NULL(self);

	if (PyObject_HasAttrString(file, "flush")) {
		r = PyObject_CallMethod(file, "flush", NULL);
		if (!r)
			return NULL;
		Py_DECREF(r);
	}
	fd = PyObject_AsFileDescriptor(file);
	if (fd < 0)
		return NULL;
	return none_or_error(op(ctx, fd));
}

static PyObject *filter_export_pfc(PyObject *self, PyObject *file)
{
	return export_to(self, file, seccomp_export_pfc);
}

static PyObject *filter_export_bpf(PyObject *self, PyObject *file)
{
	return export_to(self, file, seccomp_export_bpf);
}

static PyObject *filter_export_bpf_mem(PyObject *self, PyObject *unused)
{
	PyObject *out;
	size_t len = 0;
	int rc;
	CTX_OR_NULL(self);

	(void)unused;
	rc = seccomp_export_bpf_mem(ctx, NULL, &len);
	if (rc < 0)
		return sgpy_lib_error(rc);
	out = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)len);
	if (!out)
		return NULL;
	rc = seccomp_export_bpf_mem(ctx, PyBytes_AS_STRING(out), &len);
	if (rc < 0) {
		Py_DECREF(out);
		return sgpy_lib_error(rc);
	}
	return out;
}

static PyObject *filter_simple(PyObject *self, int (*op)(const scmp_filter_ctx))
{
	CTX_OR_NULL(self);
	return none_or_error(op(ctx));
}

static PyObject *filter_start_transaction(PyObject *self, PyObject *unused)
{
	(void)unused;
	return filter_simple(self, seccomp_transaction_start);
}

static PyObject *filter_commit_transaction(PyObject *self, PyObject *unused)
{
	(void)unused;
	return filter_simple(self, seccomp_transaction_commit);
}

static PyObject *filter_reject_transaction(PyObject *self, PyObject *unused)
{
	CTX_OR_NULL(self);
	(void)unused;
	seccomp_transaction_reject(ctx);
	Py_RETURN_NONE;
}

static PyObject *filter_precompute(PyObject *self, PyObject *unused)
{
	(void)unused;
	return filter_simple(self, seccomp_precompute);
}

#define DOC_ARCH "Arguments:\narch - the architecture value, e.g. Arch.*\n\n"
static PyMethodDef filter_methods[] = {
    {"reset", (PyCFunction)(void (*)(void))filter_reset, METH_VARARGS | METH_KEYWORDS,
     "Reset the filter state.\n\nArguments:\ndefaction - the default filter action "
     "(omitted or -1: the current one)\n\nDescription:\nResets the seccomp filter state to an "
     "initial default state; filters already loaded are not affected."},
    {"merge", filter_merge, METH_O,
     "Merge two existing SyscallFilter objects.\n\nArguments:\nfilter - a valid SyscallFilter "
     "object\n\nDescription:\nMerges the filter into this one; the passed filter object is "
     "reset on success. The two must have the same attributes and no architecture in common."},
    {"exist_arch", filter_exist_arch, METH_O,
     "Check if the seccomp filter contains a given architecture.\n\n" DOC_ARCH
     "Description:\nReturn True if the architecture exists, False if it does not."},
    {"add_arch", filter_add_arch, METH_O,
     "Add an architecture to the filter.\n\n" DOC_ARCH
     "Description:\nRules added afterwards apply to it too; existing rules do not."},
    {"remove_arch", filter_remove_arch, METH_O,
     "Remove an architecture from the filter.\n\n" DOC_ARCH
     "Description:\nRemove the given architecture from the filter."},
    {"load", filter_load, METH_NOARGS,
     "Load the filter into the Linux Kernel.\n\nDescription:\nAs soon as the method returns "
     "the filter is active and enforcing."},
    {"get_attr", filter_get_attr, METH_O,
     "Get an attribute value from the filter.\n\nArguments:\nattr - the attribute, e.g. "
     "Attr.*"},
    {"set_attr", filter_set_attr, METH_VARARGS,
     "Set a filter attribute.\n\nArguments:\nattr - the attribute, e.g. Attr.*\nvalue - the "
     "attribute value"},
    {"syscall_priority", filter_syscall_priority, METH_VARARGS,
     "Set the filter priority of a syscall.\n\nArguments:\nsyscall - the syscall name or "
     "number\npriority - the priority of the syscall, 0 to 255"},
    {"add_rule", filter_add_rule, METH_VARARGS,
     "Add a new rule to filter.\n\nArguments:\naction - the rule action: KILL_PROCESS, KILL, "
     "TRAP, ERRNO(), TRACE(), LOG, or ALLOW\nsyscall - the syscall name or number\nargs - "
     "variable number of Arg objects\n\nDescription:\nRules that cannot apply as written on an "
     "architecture (socket() on 32-bit x86) are rewritten; see add_rule_exactly()."},
    {"add_rule_exactly", filter_add_rule_exactly, METH_VARARGS,
     "Add a new rule to filter, exactly as specified.\n\nArguments: as add_rule()."},
    {"receive_notify", filter_receive_notify, METH_NOARGS,
     "Receive seccomp notifications.\n\nDescription:\nWaits for a notification of the loaded "
     "filter (NOTIFY action) and returns it as a Notification."},
    {"respond_notify", filter_respond_notify, METH_O,
     "Send a seccomp notification response.\n\nArguments:\nresponse - a "
     "NotificationResponse"},
    {"get_notify_fd", filter_get_notify_fd, METH_NOARGS,
     "Get the seccomp notification file descriptor\n\nDescription:\nValid after load() of a "
     "filter that uses the NOTIFY action."},
    {"notify_addfd", (PyCFunction)(void (*)(void))filter_notify_addfd, METH_VARARGS | METH_KEYWORDS,
     "Install a file descriptor in the notifying process (seccomp_notify_addfd).\n\n"
     "Arguments:\nnotify - the Notification (or its id)\nsrcfd - our file descriptor\n"
     "newfd - its number in the target (with flags=ADDFD_FLAG_SETFD)\nflags - "
     "ADDFD_FLAG_SETFD, ADDFD_FLAG_SEND\nnewfd_flags - O_CLOEXEC\n\nDescription:\nReturns "
     "the file descriptor number in the target process."},
    {"export_pfc", filter_export_pfc, METH_O,
     "Export the filter in PFC format.\n\nArguments:\nfile - the output file"},
    {"export_bpf", filter_export_bpf, METH_O,
     "Export the filter in BPF format.\n\nArguments:\nfile - the output file"},
    {"export_bpf_mem", filter_export_bpf_mem, METH_NOARGS,
     "Export the filter in BPF format, as bytes."},
    {"start_transaction", filter_start_transaction, METH_NOARGS,
     "Start a transaction: later changes are undone by reject_transaction()."},
    {"commit_transaction", filter_commit_transaction, METH_NOARGS,
     "Commit the innermost transaction."},
    {"reject_transaction", filter_reject_transaction, METH_NOARGS,
     "Reject the innermost transaction: the filter returns to its state at its start."},
    {"precompute", filter_precompute, METH_NOARGS,
     "Generate the filter program now, so that load() only loads it."},
    {NULL, NULL, 0, NULL},
};

PyTypeObject sgpy_filter_type = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "seccomp.SyscallFilter",
    .tp_basicsize = sizeof(sgpy_filter),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Python object representing a seccomp syscall filter.\n\n"
              "SyscallFilter(defaction): a filter whose default action is defaction.",
    .tp_init = filter_init,
    .tp_new = PyType_GenericNew,
    .tp_dealloc = filter_dealloc,
    .tp_methods = filter_methods,
};
