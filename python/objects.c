/*
 * objects.c - the small classes of the Python module "seccomp": Arch, Attr, Arg,
 * Notification and NotificationResponse (SyscallFilter is in filter.c).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>

#include <stddef.h>

#include "objects.h"

/* --- Arch --------------------------------------------------------------------------------- */

typedef struct {
	PyObject_HEAD uint32_t token;
} sgpy_arch;

/* every architecture token of seccomp.h, under the names of libseccomp's binding */
static const struct {
	const char *name;
	uint32_t token;
} arches[] = {
    {"NATIVE", SCMP_ARCH_NATIVE},
    {"X86", SCMP_ARCH_X86},
    {"X86_64", SCMP_ARCH_X86_64},
    {"X32", SCMP_ARCH_X32},
    {"ARM", SCMP_ARCH_ARM},
    {"AARCH64", SCMP_ARCH_AARCH64},
    {"LOONGARCH64", SCMP_ARCH_LOONGARCH64},
    {"M68K", SCMP_ARCH_M68K},
    {"MIPS", SCMP_ARCH_MIPS},
    {"MIPS64", SCMP_ARCH_MIPS64},
    {"MIPS64N32", SCMP_ARCH_MIPS64N32},
    {"MIPSEL", SCMP_ARCH_MIPSEL},
    {"MIPSEL64", SCMP_ARCH_MIPSEL64},
    {"MIPSEL64N32", SCMP_ARCH_MIPSEL64N32},
    {"PARISC", SCMP_ARCH_PARISC},
    {"PARISC64", SCMP_ARCH_PARISC64},
    {"PPC", SCMP_ARCH_PPC},
    {"PPC64", SCMP_ARCH_PPC64},
    {"PPC64LE", SCMP_ARCH_PPC64LE},
    {"S390", SCMP_ARCH_S390},
    {"S390X", SCMP_ARCH_S390X},
    {"RISCV64", SCMP_ARCH_RISCV64},
    {"SHEB", SCMP_ARCH_SHEB},
    {"SH", SCMP_ARCH_SH},
};

int sgpy_arch_token(PyObject *o, uint32_t *token)
{
	if (PyObject_TypeCheck(o, &sgpy_arch_type)) {
		*token = ((sgpy_arch *)o)->token;
		return 0;
	}
	return sgpy_u32(o, token);
}

static int arch_init(PyObject *self, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = {"arch", NULL};
	PyObject *o = NULL;
	uint32_t token = SCMP_ARCH_NATIVE;

	if (!PyArg_ParseTupleAndKeywords(args, kw, "|O:Arch", kwlist, &o))
		return -1;
	if (o && PyUnicode_Check(o)) {
		const char *name = PyUnicode_AsUTF8(o);
		if (!name)
			return -1;
		token = seccomp_arch_resolve_name(name);
		if (token == 0) {
			PyErr_SetString(PyExc_ValueError, "Invalid architecture");
			return -1;
		}
	} else if (o) {
		size_t i;
		if (sgpy_arch_token(o, &token) < 0)
			return -1;
		for (i = 0; i < sizeof(arches) / sizeof(arches[0]); i++)
			if (arches[i].token == token)
				break;
		if (i == sizeof(arches) / sizeof(arches[0])) {
			PyErr_SetString(PyExc_ValueError, "Invalid architecture");
			return -1;
		}
	}
	if (token == SCMP_ARCH_NATIVE)
		token = seccomp_arch_native();
	((sgpy_arch *)self)->token = token;
	return 0;
}

/* int(Arch(...)): the token as a C int, like the Arch.* values */
static PyObject *arch_int(PyObject *self)
{
	return PyLong_FromLong((int32_t)((sgpy_arch *)self)->token);
}

static PyObject *arch_repr(PyObject *self)
{
	return PyUnicode_FromFormat("Arch(%ld)", (long)(int32_t)((sgpy_arch *)self)->token);
}

static PyObject *arch_richcompare(PyObject *a, PyObject *b, int op)
{
	uint32_t x, y;

	if ((op != Py_EQ && op != Py_NE) || !PyObject_TypeCheck(b, &sgpy_arch_type))
		Py_RETURN_NOTIMPLEMENTED;
	x = ((sgpy_arch *)a)->token;
	y = ((sgpy_arch *)b)->token;
	return PyBool_FromLong((x == y) == (op == Py_EQ));
}

static PyNumberMethods arch_number = {
    .nb_int = arch_int,
    .nb_index = arch_int,
};

PyTypeObject sgpy_arch_type = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "seccomp.Arch",
    .tp_basicsize = sizeof(sgpy_arch),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Python object representing the SyscallFilter architecture values.\n\n"
              "Arch(arch=NATIVE): arch is a name (\"x86_64\") or an Arch.* value;\n"
              "int() gives the token. Data values: NATIVE, X86, X86_64, X32, ARM,\n"
              "AARCH64, LOONGARCH64, M68K, MIPS, MIPS64, MIPS64N32, MIPSEL, MIPSEL64,\n"
              "MIPSEL64N32, PARISC, PARISC64, PPC, PPC64, PPC64LE, S390, S390X,\n"
              "RISCV64, SHEB, SH.",
    .tp_init = arch_init,
    .tp_new = PyType_GenericNew,
    .tp_as_number = &arch_number,
    .tp_repr = arch_repr,
    .tp_richcompare = arch_richcompare,
};

/* --- Attr --------------------------------------------------------------------------------- */

static const struct {
	const char *name;
	int value;
} attrs[] = {
    {"ACT_DEFAULT", SCMP_FLTATR_ACT_DEFAULT},   {"ACT_BADARCH", SCMP_FLTATR_ACT_BADARCH},
    {"CTL_NNP", SCMP_FLTATR_CTL_NNP},           {"CTL_TSYNC", SCMP_FLTATR_CTL_TSYNC},
    {"API_TSKIP", SCMP_FLTATR_API_TSKIP},       {"CTL_LOG", SCMP_FLTATR_CTL_LOG},
    {"CTL_SSB", SCMP_FLTATR_CTL_SSB},           {"CTL_OPTIMIZE", SCMP_FLTATR_CTL_OPTIMIZE},
    {"API_SYSRAWRC", SCMP_FLTATR_API_SYSRAWRC}, {"CTL_WAITKILL", SCMP_FLTATR_CTL_WAITKILL},
    {"ACT_ENOSYS", SCMP_FLTATR_ACT_ENOSYS},     {"CTL_KVERMAX", SCMP_FLTATR_CTL_KVERMAX},
};

PyTypeObject sgpy_attr_type = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "seccomp.Attr",
    .tp_basicsize = sizeof(PyObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Python object representing the SyscallFilter attributes.\n\n"
              "Data values:\n"
              "ACT_DEFAULT - the filter's default action (read-only)\n"
              "ACT_BADARCH - the filter's bad architecture action\n"
              "CTL_NNP - set NO_NEW_PRIVS on load\n"
              "CTL_TSYNC - sync threads on filter load\n"
              "API_TSKIP - allow rules with a -1 syscall number\n"
              "CTL_LOG - log not-allowed actions\n"
              "CTL_SSB - disable SSB mitigations\n"
              "CTL_OPTIMIZE - the filter's optimization level (1 or 2)\n"
              "API_SYSRAWRC - return the raw syscall codes\n"
              "CTL_WAITKILL - wait-killable notifications\n"
              "ACT_ENOSYS - the action for syscalls newer than CTL_KVERMAX\n"
              "CTL_KVERMAX - the newest kernel release the policy knows (an SCMP_KV_*\n"
              "              value of <seccomp-kvers.h>, e.g. 64 for Linux 6.1)",
    .tp_new = PyType_GenericNew,
};

/* --- Arg ---------------------------------------------------------------------------------- */

static int arg_init(PyObject *self, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = {"arg", "op", "datum_a", "datum_b", NULL};
	sgpy_arg *a = (sgpy_arg *)self;
	PyObject *arg_o, *a_o, *b_o = NULL;
	unsigned long arg;
	int op;

	if (!PyArg_ParseTupleAndKeywords(args, kw, "OiO|O:Arg", kwlist, &arg_o, &op, &a_o, &b_o))
		return -1;
	arg = PyLong_AsUnsignedLong(arg_o);
	if (arg == (unsigned long)-1 && PyErr_Occurred())
		return -1;
	if (arg > UINT32_MAX) {
		PyErr_SetString(PyExc_OverflowError, "argument index too large");
		return -1;
	}
	a->cmp.arg = (unsigned int)arg;
	/* the library checks the index and the operator when the rule is added */
	a->cmp.op = (enum scmp_compare)op;
	a->cmp.datum_a = PyLong_AsUnsignedLongLong(a_o);
	if (a->cmp.datum_a == (scmp_datum_t)-1 && PyErr_Occurred())
		return -1;
	a->cmp.datum_b = b_o ? PyLong_AsUnsignedLongLong(b_o) : 0;
	if (a->cmp.datum_b == (scmp_datum_t)-1 && PyErr_Occurred())
		return -1;
	return 0;
}

static PyObject *arg_repr(PyObject *self)
{
	const struct scmp_arg_cmp *c = &((sgpy_arg *)self)->cmp;
	return PyUnicode_FromFormat("Arg(%u, %d, %llu, %llu)", c->arg, (int)c->op,
	                            (unsigned long long)c->datum_a, (unsigned long long)c->datum_b);
}

static PyMemberDef arg_members[] = {
    {"arg", T_UINT, offsetof(sgpy_arg, cmp.arg), READONLY, "the argument index"},
    {"op", T_INT, offsetof(sgpy_arg, cmp.op), READONLY, "the comparison operator"},
    {"datum_a", T_ULONGLONG, offsetof(sgpy_arg, cmp.datum_a), READONLY, "the first datum"},
    {"datum_b", T_ULONGLONG, offsetof(sgpy_arg, cmp.datum_b), READONLY, "the second datum"},
    {NULL, 0, 0, 0, NULL},
};

PyTypeObject sgpy_arg_type = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "seccomp.Arg",
    .tp_basicsize = sizeof(sgpy_arg),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Python object representing a SyscallFilter syscall argument.\n\n"
              "Arg(arg, op, datum_a, datum_b=0): argument index 0-5, a comparison (EQ, NE,\n"
              "LT, LE, GT, GE, MASKED_EQ) and the 64-bit data.",
    .tp_init = arg_init,
    .tp_new = PyType_GenericNew,
    .tp_repr = arg_repr,
    .tp_members = arg_members,
};

/* --- Notification ------------------------------------------------------------------------- */

static int notification_init(PyObject *self, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = {"id",           "pid",        "flags",        "syscall",
	                         "syscall_arch", "syscall_ip", "syscall_args", NULL};
	sgpy_notification *n = (sgpy_notification *)self;
	PyObject *list, *seq;

	if (!PyArg_ParseTupleAndKeywords(args, kw, "KIIiIKO:Notification", kwlist, &n->id, &n->pid,
	                                 &n->flags, &n->syscall, &n->syscall_arch, &n->syscall_ip,
	                                 &seq))
		return -1;
	list = PySequence_List(seq);
	if (!list)
		return -1;
	if (PyList_GET_SIZE(list) != 6) {
		Py_DECREF(list);
		PyErr_SetString(PyExc_ValueError, "syscall_args must have six elements");
		return -1;
	}
	Py_XSETREF(n->syscall_args, list);
	return 0;
}

PyObject *sgpy_notification_new(const struct seccomp_notif *req)
{
	sgpy_notification *n = PyObject_New(sgpy_notification, &sgpy_notification_type);

	if (!n)
		return NULL;
	n->id = req->id;
	n->pid = req->pid;
	n->flags = req->flags;
	n->syscall = req->data.nr;
	n->syscall_arch = req->data.arch;
	n->syscall_ip = req->data.instruction_pointer;
	n->syscall_args = PyList_New(6);
	if (!n->syscall_args) {
		Py_DECREF(n);
		return NULL;
	}
	for (Py_ssize_t i = 0; i < 6; i++) {
		PyObject *v = PyLong_FromUnsignedLongLong(req->data.args[i]);
		if (!v) {
			Py_DECREF(n);
			return NULL;
		}
		PyList_SET_ITEM(n->syscall_args, i, v);
	}
	return (PyObject *)n;
}

static void notification_dealloc(PyObject *self)
{
	Py_XDECREF(((sgpy_notification *)self)->syscall_args);
	Py_TYPE(self)->tp_free(self);
}

#define NOTIF_MEMBER(name, type, doc)                                                              \
	{                                                                                          \
#name, type, offsetof(sgpy_notification, name), READONLY, doc                      \
	}
static PyMemberDef notification_members[] = {
    NOTIF_MEMBER(id, T_ULONGLONG, "Get the seccomp notification ID."),
    NOTIF_MEMBER(pid, T_UINT, "Get the seccomp notification process ID."),
    NOTIF_MEMBER(flags, T_UINT, "Get the seccomp notification flags."),
    NOTIF_MEMBER(syscall, T_INT, "Get the seccomp notification syscall."),
    NOTIF_MEMBER(syscall_arch, T_UINT, "Get the seccomp notification syscall architecture."),
    NOTIF_MEMBER(syscall_ip, T_ULONGLONG,
                 "Get the seccomp notification syscall instruction pointer."),
    NOTIF_MEMBER(syscall_args, T_OBJECT,
                 "Get the seccomp notification syscall arguments in a six element list."),
    {NULL, 0, 0, 0, NULL},
};

PyTypeObject sgpy_notification_type = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "seccomp.Notification",
    .tp_basicsize = sizeof(sgpy_notification),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Python object representing a seccomp notification.",
    .tp_init = notification_init,
    .tp_new = PyType_GenericNew,
    .tp_dealloc = notification_dealloc,
    .tp_members = notification_members,
};

/* --- NotificationResponse ----------------------------------------------------------------- */

static int response_init(PyObject *self, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = {"notify", "val", "error", "flags", NULL};
	sgpy_response *r = (sgpy_response *)self;
	PyObject *notify, *id;

	r->val = 0;
	r->error = 0;
	r->flags = 0;
	if (!PyArg_ParseTupleAndKeywords(args, kw, "O|LiI:NotificationResponse", kwlist, &notify,
	                                 &r->val, &r->error, &r->flags))
		return -1;
	/* the notification answered: anything with an id (a Notification, as a rule) */
	id = PyObject_GetAttrString(notify, "id");
	if (!id)
		return -1;
	r->id = PyLong_AsUnsignedLongLong(id);
	Py_DECREF(id);
	return r->id == (unsigned long long)-1 && PyErr_Occurred() ? -1 : 0;
}

static PyMemberDef response_members[] = {
    {"id", T_ULONGLONG, offsetof(sgpy_response, id), 0, "The seccomp notification ID."},
    {"val", T_LONGLONG, offsetof(sgpy_response, val), 0, "The return value of the syscall."},
    {"error", T_INT, offsetof(sgpy_response, error), 0,
     "The error of the syscall (a negative errno, 0 for none)."},
    {"flags", T_UINT, offsetof(sgpy_response, flags), 0,
     "The response flags (NOTIFY_FLAG_CONTINUE)."},
    {NULL, 0, 0, 0, NULL},
};

PyTypeObject sgpy_response_type = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "seccomp.NotificationResponse",
    .tp_basicsize = sizeof(sgpy_response),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Python object representing a seccomp notification response.\n\n"
              "NotificationResponse(notify, val=0, error=0, flags=0)",
    .tp_init = response_init,
    .tp_new = PyType_GenericNew,
    .tp_members = response_members,
};

/* --- registration ------------------------------------------------------------------------- */

static int set_class_int(PyTypeObject *t, const char *name, long value)
{
	PyObject *v = PyLong_FromLong(value);
	int rc = v ? PyDict_SetItemString(t->tp_dict, name, v) : -1;

	Py_XDECREF(v);
	return rc;
}

int sgpy_add_types(PyObject *m)
{
	PyTypeObject *types[] = {&sgpy_arch_type,         &sgpy_attr_type,     &sgpy_arg_type,
	                         &sgpy_notification_type, &sgpy_response_type, &sgpy_filter_type};

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (PyType_Ready(types[i]) < 0)
			return -1;
	/* class attributes, added after PyType_Ready (static types: nothing else writes them) */
	for (size_t i = 0; i < sizeof(arches) / sizeof(arches[0]); i++)
		if (set_class_int(&sgpy_arch_type, arches[i].name, (int32_t)arches[i].token) < 0)
			return -1;
	for (size_t i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++)
		if (set_class_int(&sgpy_attr_type, attrs[i].name, attrs[i].value) < 0)
			return -1;
	PyType_Modified(&sgpy_arch_type);
	PyType_Modified(&sgpy_attr_type);
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		const char *name = strrchr(types[i]->tp_name, '.') + 1;
		Py_INCREF(types[i]);
		if (PyModule_AddObject(m, name, (PyObject *)types[i]) < 0) {
			Py_DECREF(types[i]);
			return -1;
		}
	}
	return 0;
}
