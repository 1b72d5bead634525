/*
 * seccomp.c - the Python module "seccomp": libseccomp 2.6.1's documented Python API over
 * sysgate's libseccomp.so.2 (what Debian's python3-seccomp provides).
 *
 * Written from the documented API (the module's docstrings, libseccomp's man pages) and from
 * black-box runs of Debian's python3-seccomp; python/README.md lists the API and the places
 * where this module deliberately differs. A C extension rather than Cython: the build needs
 * nothing but python3-dev.
 *
 * Errors follow libseccomp's binding: a library failure raises RuntimeError("Library error
 * (errno = -N)") with the positive errno in its .errno attribute; an argument the binding can
 * check itself raises ValueError or TypeError.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>

#include <errno.h>
#include <seccomp.h>
#include <stdint.h>
#include <stdlib.h>

#include "objects.h"

/* RuntimeError("Library error (errno = -N)") with .errno = N; returns NULL for the caller */
PyObject *sgpy_lib_error(int rc)
{
	PyObject *exc = PyObject_CallFunction(
	    PyExc_RuntimeError, "N", PyUnicode_FromFormat("Library error (errno = %d)", rc));
	PyObject *no = PyLong_FromLong(-rc);

	if (exc && no && PyObject_SetAttrString(exc, "errno", no) == 0)
		PyErr_SetObject(PyExc_RuntimeError, exc);
	Py_XDECREF(exc);
	Py_XDECREF(no);
	return NULL;
}

/* an int in [-2^31, 2^32) as the uint32_t the C API takes (KILL_PROCESS is negative, as
 * libseccomp's binding has it) */
int sgpy_u32(PyObject *o, uint32_t *out)
{
	long long v;

	if (!PyLong_Check(o)) {
		PyErr_SetString(PyExc_TypeError, "an integer is required");
		return -1;
	}
	v = PyLong_AsLongLong(o);
	if (v == -1 && PyErr_Occurred())
		return -1;
	if (v < INT32_MIN || v > UINT32_MAX) {
		PyErr_SetString(PyExc_OverflowError, "value does not fit in 32 bits");
		return -1;
	}
	*out = (uint32_t)v;
	return 0;
}

/* a syscall given by name (str) or number (int); a name the library does not know becomes
 * __NR_SCMP_ERROR, which the library refuses with -EINVAL as libseccomp's binding does */
int sgpy_syscall(PyObject *o, int *nr)
{
	if (PyUnicode_Check(o)) {
		const char *name = PyUnicode_AsUTF8(o);
		if (!name)
			return -1;
		*nr = seccomp_syscall_resolve_name(name);
		return 0;
	}
	if (PyLong_Check(o)) {
		long v = PyLong_AsLong(o);
		if (v == -1 && PyErr_Occurred())
			return -1;
		if (v < INT32_MIN || v > INT32_MAX) {
			PyErr_SetString(PyExc_OverflowError,
			                "syscall number does not fit in an int");
			return -1;
		}
		*nr = (int)v;
		return 0;
	}
	PyErr_SetString(PyExc_TypeError, "Syscall must either be an int or str type");
	return -1;
}

/* --- module functions --------------------------------------------------------------------- */

static PyObject *action_with_data(PyObject *arg, uint32_t base)
{
	long v;

	if (!PyLong_Check(arg)) {
		PyErr_SetString(PyExc_TypeError, "an integer is required");
		return NULL;
	}
	v = PyLong_AsLong(arg);
	if (v == -1 && PyErr_Occurred())
		return NULL;
	/* the C macros' masking: only the low 16 bits are the action's data */
	return PyLong_FromUnsignedLong(base | ((unsigned long)v & 0xffffUL));
}

static PyObject *py_errno(PyObject *mod, PyObject *arg)
{
	(void)mod;
	return action_with_data(arg, SCMP_ACT_ERRNO(0));
}

static PyObject *py_trace(PyObject *mod, PyObject *arg)
{
	(void)mod;
	return action_with_data(arg, SCMP_ACT_TRACE(0));
}

static PyObject *py_trapx(PyObject *mod, PyObject *arg)
{
	(void)mod;
	return action_with_data(arg, SCMP_ACT_TRAPX(0));
}

static PyObject *py_system_arch(PyObject *mod, PyObject *unused)
{
	(void)mod;
	(void)unused;
	return PyLong_FromUnsignedLong(seccomp_arch_native());
}

static PyObject *py_resolve_syscall(PyObject *mod, PyObject *args)
{
	PyObject *arch_o, *sys_o, *ret;
	uint32_t arch;
	char *name;
	int nr;

	(void)mod;
	if (!PyArg_ParseTuple(args, "OO:resolve_syscall", &arch_o, &sys_o))
		return NULL;
	if (sgpy_arch_token(arch_o, &arch) < 0)
		return NULL;
	if (PyUnicode_Check(sys_o)) {
		const char *s = PyUnicode_AsUTF8(sys_o);
		if (!s)
			return NULL;
		/* the number the rule would use (socket on x86: socketcall's multiplexed number) */
		return PyLong_FromLong(seccomp_syscall_resolve_name_rewrite(arch, s));
	}
	if (!PyLong_Check(sys_o)) {
		PyErr_SetString(PyExc_TypeError, "Syscall must either be an int or str type");
		return NULL;
	}
	if (sgpy_syscall(sys_o, &nr) < 0)
		return NULL;
	name = seccomp_syscall_resolve_num_arch(arch, nr);
	if (!name)
		return PyErr_Format(PyExc_ValueError, "Unknown syscall %d on arch %d", nr,
		                    (int32_t)arch);
	/* bytes, as libseccomp's binding returns the C string */
	ret = PyBytes_FromString(name);
	free(name);
	return ret;
}

static PyObject *py_get_api(PyObject *mod, PyObject *unused)
{
	(void)mod;
	(void)unused;
	return PyLong_FromUnsignedLong(seccomp_api_get());
}

static PyObject *py_set_api(PyObject *mod, PyObject *arg)
{
	uint32_t level;

	(void)mod;
	if (sgpy_u32(arg, &level) < 0)
		return NULL;
	if (seccomp_api_set(level) < 0)
		return PyErr_Format(PyExc_ValueError, "Invalid level");
	Py_RETURN_NONE;
}

static PyMethodDef module_methods[] = {
    {"ERRNO", py_errno, METH_O,
     "The action ERRNO(x) means that the syscall will return (x).\n"
     "To conform to Linux syscall calling conventions, the syscall return\n"
     "value should almost always be a negative number."},
    {"TRACE", py_trace, METH_O,
     "The action TRACE(x) means that, if the process is being traced, (x)\n"
     "will be returned to the tracing process via PTRACE_EVENT_SECCOMP\n"
     "and the PTRACE_GETEVENTMSG option."},
    {"TRAPX", py_trapx, METH_O,
     "The action TRAPX(x) throws SIGSYS like TRAP, with (x) in the signal's\n"
     "si_errno (SCMP_ACT_TRAPX)."},
    {"system_arch", py_system_arch, METH_NOARGS,
     "Return the system architecture value.\n\n"
     "Description:\nReturns the native system architecture value."},
    {"resolve_syscall", py_resolve_syscall, METH_VARARGS,
     "Resolve the syscall.\n\n"
     "Arguments:\narch - the architecture value, e.g. Arch.*\n"
     "syscall - the syscall name or number\n\n"
     "Description:\nResolve an architecture's syscall name to the correct number or the\n"
     "syscall number to the correct name (bytes)."},
    {"get_api", py_get_api, METH_NOARGS,
     "Query the level of API support\n\n"
     "Description:\nReturns the API level value indicating the current supported\n"
     "functionality."},
    {"set_api", py_set_api, METH_O,
     "Set the level of API support\n\n"
     "Arguments:\nlevel - the API level\n\n"
     "Description:\nThis function forcibly sets the API level at runtime.  General use\n"
     "of this function is strongly discouraged."},
    {NULL, NULL, 0, NULL},
};

PyDoc_STRVAR(module_doc,
             "Python bindings for the libseccomp library (sysgate)\n\n"
             "The libseccomp API over sysgate's libseccomp.so.2 (sysgate: python/README.md).\n\n"
             "Filter action values:\n"
             "    KILL_PROCESS - kill the process\n"
             "    KILL - kill the thread\n"
             "    LOG - allow the syscall to be executed after the action has been logged\n"
             "    ALLOW - allow the syscall to execute\n"
             "    TRAP - a SIGSYS signal will be thrown\n"
             "    NOTIFY - a notification event will be sent via the notification API\n"
             "    ERRNO(x) - syscall will return (x)\n"
             "    TRACE(x) - if the process is being traced, (x) will be returned to the\n"
             "               tracing process via PTRACE_EVENT_SECCOMP\n"
             "    TRAPX(x) - like TRAP, with (x) in the signal's si_errno\n\n"
             "Argument comparison values (see the Arg class):\n"
             "    NE, LT, LE, EQ, GT, GE - arg OP datum_a\n"
             "    MASKED_EQ - (arg & datum_a) == datum_b\n");

static struct PyModuleDef module_def = {
    PyModuleDef_HEAD_INIT, "seccomp", module_doc, -1, module_methods, NULL, NULL, NULL, NULL,
};

/* libseccomp's binding exports the actions as C ints: KILL_PROCESS is negative */
static const struct {
	const char *name;
	long long value;
} module_ints[] = {
    {"KILL_PROCESS", (int32_t)SCMP_ACT_KILL_PROCESS},
    {"KILL", SCMP_ACT_KILL},
    {"TRAP", SCMP_ACT_TRAP},
    {"NOTIFY", SCMP_ACT_NOTIFY},
    {"LOG", SCMP_ACT_LOG},
    {"ALLOW", SCMP_ACT_ALLOW},
    {"NE", SCMP_CMP_NE},
    {"LT", SCMP_CMP_LT},
    {"LE", SCMP_CMP_LE},
    {"EQ", SCMP_CMP_EQ},
    {"GE", SCMP_CMP_GE},
    {"GT", SCMP_CMP_GT},
    {"MASKED_EQ", SCMP_CMP_MASKED_EQ},
#ifdef SECCOMP_USER_NOTIF_FLAG_CONTINUE
    {"NOTIFY_FLAG_CONTINUE", SECCOMP_USER_NOTIF_FLAG_CONTINUE},
#endif
#ifdef SECCOMP_ADDFD_FLAG_SETFD
    {"ADDFD_FLAG_SETFD", SECCOMP_ADDFD_FLAG_SETFD},
#endif
#ifdef SECCOMP_ADDFD_FLAG_SEND
    {"ADDFD_FLAG_SEND", SECCOMP_ADDFD_FLAG_SEND},
#endif
};

PyMODINIT_FUNC PyInit_seccomp(void);
PyMODINIT_FUNC PyInit_seccomp(void)
{
	PyObject *m = PyModule_Create(&module_def);

	if (!m)
		return NULL;
	for (size_t i = 0; i < sizeof(module_ints) / sizeof(module_ints[0]); i++)
		if (PyModule_AddObject(m, module_ints[i].name,
		                       PyLong_FromLongLong(module_ints[i].value)) < 0)
			goto fail;
	if (PyModule_AddStringConstant(m, "SYSGATE_VERSION", SYSGATE_VERSION) < 0 ||
	    sgpy_add_types(m) < 0)
		goto fail;
	return m;
fail:
	Py_DECREF(m);
	return NULL;
}
