#!/usr/bin/env python3
# test_seccomp.py - the Python module "seccomp" over sysgate's libseccomp.so.2.
#
# Unit tests of every function, class and method, with their errors (the exception types and
# messages of libseccomp's binding), and live tests: filters loaded from Python in forked
# children deny what they should (ERRNO by argument value, KILL_PROCESS, TRAP, transactions,
# merged filters), and the notification API answers a child's call and installs a file
# descriptor in it (notify_addfd). Run by python/run-tests.sh (make check with
# --enable-python), which points the interpreter at the build tree.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
import errno
import io
import os
import signal
import socket
import sys
import tempfile
import unittest

import seccomp
from seccomp import (ALLOW, EQ, ERRNO, GE, GT, KILL, KILL_PROCESS, LE, LOG, LT, MASKED_EQ, NE,
                     NOTIFY, TRACE, TRAP, TRAPX, Arch, Arg, Attr, Notification,
                     NotificationResponse, SyscallFilter)

NATIVE = Arch()


def lib_error(test, errnum):
    """assertRaises for a library failure: RuntimeError with libseccomp's message"""
    ctx = test.assertRaisesRegex(RuntimeError, r"^Library error \(errno = -%d\)$" % errnum)
    return ctx


class TestModule(unittest.TestCase):
    def test_is_sysgate(self):
        # the module of this build, over the library of this build
        builddir = os.environ.get("SYSGATE_BUILDDIR")
        if builddir:
            self.assertTrue(os.path.realpath(seccomp.__file__).startswith(
                os.path.realpath(builddir)), seccomp.__file__)
            with open("/proc/self/maps") as maps:
                libs = {line.split()[-1] for line in maps if "libseccomp.so" in line}
            self.assertTrue(libs, "libseccomp.so is not mapped")
            for lib in libs:
                self.assertTrue(os.path.realpath(lib).startswith(os.path.realpath(builddir)),
                                lib)
        self.assertIsInstance(seccomp.SYSGATE_VERSION, str)

    def test_actions(self):
        self.assertEqual(KILL_PROCESS, -0x80000000)
        self.assertEqual(KILL, 0)
        self.assertEqual(TRAP, 0x00030000)
        self.assertEqual(NOTIFY, 0x7fc00000)
        self.assertEqual(LOG, 0x7ffc0000)
        self.assertEqual(ALLOW, 0x7fff0000)
        self.assertEqual(ERRNO(5), 0x00050005)
        self.assertEqual(ERRNO(-1), 0x0005ffff)  # the C macro's masking
        self.assertEqual(ERRNO(70000), 0x00050000 | (70000 & 0xffff))
        self.assertEqual(TRACE(5), 0x7ff00005)
        self.assertEqual(TRAPX(3), 0x00030003)
        for f in (ERRNO, TRACE, TRAPX):
            with self.assertRaises(TypeError):
                f("a")

    def test_comparisons(self):
        self.assertEqual((NE, LT, LE, EQ, GE, GT, MASKED_EQ), (1, 2, 3, 4, 5, 6, 7))

    def test_system_arch(self):
        self.assertEqual(seccomp.system_arch(), int(NATIVE) & 0xffffffff)
        self.assertGreater(seccomp.system_arch(), 0)

    def test_resolve_syscall(self):
        r = seccomp.resolve_syscall
        self.assertEqual(r(Arch.X86_64, "read"), 0)
        self.assertEqual(r(Arch.X86_64, 0), b"read")
        self.assertEqual(r(Arch.AARCH64, "openat"), 56)
        self.assertEqual(r(Arch("aarch64"), 56), b"openat")
        self.assertEqual(r(Arch.X86_64, "nope"), -1)  # __NR_SCMP_ERROR
        self.assertEqual(r(123, "read"), -1)
        # socket on x86 is reached through socketcall: the rewritten number
        self.assertEqual(r(Arch.X86, "socket"), 102)
        self.assertEqual(r(Arch.NATIVE, 0), r(NATIVE, 0))
        with self.assertRaisesRegex(ValueError, "^Unknown syscall 99999 on arch -1073741762$"):
            r(Arch.X86_64, 99999)
        with self.assertRaises(TypeError):
            r(Arch.X86_64, b"read")
        with self.assertRaises(TypeError):
            r(Arch.X86_64, 1.5)
        with self.assertRaises(TypeError):
            r("x86_64", "read")

    def test_api(self):
        level = seccomp.get_api()
        self.assertGreaterEqual(level, 1)
        try:
            seccomp.set_api(3)
            self.assertEqual(seccomp.get_api(), 3)
            with self.assertRaisesRegex(ValueError, "^Invalid level$"):
                seccomp.set_api(0)
            with self.assertRaisesRegex(ValueError, "^Invalid level$"):
                seccomp.set_api(99)
            self.assertEqual(seccomp.get_api(), 3)
            with self.assertRaises(TypeError):
                seccomp.set_api("3")
        finally:
            seccomp.set_api(level)
        self.assertEqual(seccomp.get_api(), level)


class TestClasses(unittest.TestCase):
    def test_arch(self):
        self.assertEqual(Arch.NATIVE, 0)
        self.assertEqual(Arch.X86_64, -1073741762)
        self.assertEqual(Arch.X86, 0x40000003)
        for name in ("X86", "X86_64", "X32", "ARM", "AARCH64", "LOONGARCH64", "M68K", "MIPS",
                     "MIPS64", "MIPS64N32", "MIPSEL", "MIPSEL64", "MIPSEL64N32", "PARISC",
                     "PARISC64", "PPC", "PPC64", "PPC64LE", "S390", "S390X", "RISCV64", "SHEB",
                     "SH"):
            token = getattr(Arch, name)
            self.assertEqual(int(Arch(token)), token, name)
        self.assertEqual(int(Arch("x86_64")), Arch.X86_64)
        self.assertEqual(int(Arch("mipsel64n32")), Arch.MIPSEL64N32)
        self.assertEqual(Arch(Arch.X86), Arch("x86"))
        self.assertNotEqual(Arch(Arch.X86), Arch("x86_64"))
        self.assertEqual(int(Arch(Arch.NATIVE)), int(NATIVE))
        self.assertEqual(int(Arch(arch="arm")), Arch.ARM)
        self.assertIn("Arch(", repr(NATIVE))
        for bad in ("foo", "", 5, 0x12345678):
            with self.assertRaisesRegex(ValueError, "^Invalid architecture$"):
                Arch(bad)
        with self.assertRaises(TypeError):
            Arch(1.5)

    def test_attr(self):
        self.assertEqual((Attr.ACT_DEFAULT, Attr.ACT_BADARCH, Attr.CTL_NNP, Attr.CTL_TSYNC,
                          Attr.API_TSKIP, Attr.CTL_LOG, Attr.CTL_SSB, Attr.CTL_OPTIMIZE,
                          Attr.API_SYSRAWRC, Attr.CTL_WAITKILL, Attr.ACT_ENOSYS,
                          Attr.CTL_KVERMAX), tuple(range(1, 13)))

    def test_arg(self):
        a = Arg(1, MASKED_EQ, 0xf0, 0x10)
        self.assertEqual((a.arg, a.op, a.datum_a, a.datum_b), (1, MASKED_EQ, 0xf0, 0x10))
        self.assertEqual(Arg(0, EQ, 2**64 - 1).datum_b, 0)
        self.assertEqual(Arg(arg=2, op=LE, datum_a=3).arg, 2)
        # the index and the operator are checked when the rule is added, as libseccomp's
        self.assertEqual(Arg(7, EQ, 1).arg, 7)
        self.assertEqual(Arg(0, 99, 1).op, 99)
        self.assertIn("Arg(1, 7, 240, 16)", repr(a))
        with self.assertRaises(TypeError):
            Arg(0, EQ)
        with self.assertRaises(OverflowError):
            Arg(0, EQ, -1)
        with self.assertRaises(OverflowError):
            Arg(0, EQ, 2**64)
        with self.assertRaises(OverflowError):
            Arg(-1, EQ, 0)
        with self.assertRaises(AttributeError):
            a.arg = 2

    def test_notification(self):
        n = Notification(7, 100, 0, 39, Arch.X86_64 & 0xffffffff, 0x1234, [1, 2, 3, 4, 5, 6])
        self.assertEqual((n.id, n.pid, n.flags, n.syscall, n.syscall_ip),
                         (7, 100, 0, 39, 0x1234))
        self.assertEqual(n.syscall_arch, Arch.X86_64 & 0xffffffff)
        self.assertEqual(n.syscall_args, [1, 2, 3, 4, 5, 6])
        with self.assertRaises(AttributeError):
            n.id = 8
        with self.assertRaises(ValueError):
            Notification(7, 100, 0, 39, 0, 0, [1, 2])
        with self.assertRaises(TypeError):
            Notification(7, 100, 0, 39, 0, 0, 7)

    def test_response(self):
        n = Notification(7, 100, 0, 39, 0, 0, [0] * 6)
        r = NotificationResponse(n)
        self.assertEqual((r.id, r.val, r.error, r.flags), (7, 0, 0, 0))
        r = NotificationResponse(n, 1, -2, 3)
        self.assertEqual((r.id, r.val, r.error, r.flags), (7, 1, -2, 3))
        r = NotificationResponse(n, val=4)
        self.assertEqual(r.val, 4)
        r.val, r.error, r.flags, r.id = -5, -errno.EPERM, 1, 9
        self.assertEqual((r.id, r.val, r.error, r.flags), (9, -5, -errno.EPERM, 1))
        with self.assertRaisesRegex(AttributeError, "'NoneType' object has no attribute 'id'"):
            NotificationResponse(None)


class TestFilter(unittest.TestCase):
    def test_init(self):
        f = SyscallFilter(ALLOW)
        self.assertEqual(f.get_attr(Attr.ACT_DEFAULT), ALLOW)
        self.assertEqual(SyscallFilter(defaction=KILL_PROCESS).get_attr(Attr.ACT_DEFAULT),
                         0x80000000)
        with self.assertRaisesRegex(RuntimeError, "^Library error$"):
            SyscallFilter(0x12345678)
        with self.assertRaises(TypeError):
            SyscallFilter()
        with self.assertRaises(TypeError):
            SyscallFilter("allow")
        with self.assertRaises(OverflowError):
            SyscallFilter(2**40)

    def test_reset(self):
        f = SyscallFilter(ALLOW)
        f.add_rule(ERRNO(1), "read")
        f.add_arch(Arch.X86 if int(NATIVE) != Arch.X86 else Arch.X86_64)
        f.reset()
        self.assertEqual(f.get_attr(Attr.ACT_DEFAULT), ALLOW)
        self.assertEqual(f.export_bpf_mem(), SyscallFilter(ALLOW).export_bpf_mem())
        f.reset(ERRNO(3))
        self.assertEqual(f.get_attr(Attr.ACT_DEFAULT), ERRNO(3))
        f.reset(-1)
        self.assertEqual(f.get_attr(Attr.ACT_DEFAULT), ERRNO(3))
        with self.assertRaisesRegex(ValueError, "^Invalid action$"):
            f.reset(0x12345678)
        self.assertEqual(f.get_attr(Attr.ACT_DEFAULT), ERRNO(3))

    def test_add_rule(self):
        f = SyscallFilter(ALLOW)
        f.add_rule(ERRNO(1), "read")
        f.add_rule(ERRNO(1), "read")  # the same rule again
        f.add_rule(ERRNO(2), "write", Arg(0, EQ, 1), Arg(2, GT, 10))
        f.add_rule(ERRNO(2), seccomp.resolve_syscall(NATIVE, "close"))
        f.add_rule(ERRNO(2), 99999999)  # a number the library does not know: accepted
        f.add_rule(ERRNO(3), "lseek", *[Arg(i, EQ, i) for i in range(6)])
        f.add_rule_exactly(ERRNO(1), "dup")
        with lib_error(self, errno.EINVAL):
            f.add_rule(ALLOW, "nope")
        with lib_error(self, errno.EACCES):
            f.add_rule(ALLOW, "read")  # the default action
        with lib_error(self, errno.EINVAL):
            f.add_rule(0x12345678, "read")
        with lib_error(self, errno.EINVAL):
            f.add_rule(ERRNO(1), "read", Arg(7, EQ, 1))
        with lib_error(self, errno.EINVAL):
            f.add_rule(ERRNO(1), "read", Arg(1, 99, 1))
        with lib_error(self, errno.EINVAL):
            f.add_rule(ERRNO(2), "write", Arg(0, EQ, 1), Arg(0, EQ, 2))
        with lib_error(self, errno.EINVAL):
            f.add_rule(ERRNO(1), -5)
        with self.assertRaisesRegex(RuntimeError, "^Maximum number of arguments exceeded$"):
            f.add_rule(ERRNO(2), "write", *[Arg(i % 6, EQ, 1) for i in range(7)])
        with self.assertRaisesRegex(TypeError, "^Cannot convert int to seccomp.Arg$"):
            f.add_rule(ERRNO(2), "write", 5)
        with self.assertRaises(TypeError):
            f.add_rule(ERRNO(2), "write", None)
        with self.assertRaises(TypeError):
            f.add_rule(ERRNO(2), b"write")
        with self.assertRaises(TypeError):
            f.add_rule(ERRNO(2))
        with self.assertRaises(TypeError):
            f.add_rule_exactly("allow", "read")
        # a failed rule leaves the filter as it was
        before = f.export_bpf_mem()
        with lib_error(self, errno.EINVAL):
            f.add_rule(ERRNO(1), "read", Arg(7, EQ, 1))
        self.assertEqual(f.export_bpf_mem(), before)
        e = None
        try:
            f.add_rule(ALLOW, "nope")
        except RuntimeError as exc:
            e = exc
        self.assertEqual(e.errno, errno.EINVAL)

    def test_add_rule_exactly(self):
        if int(NATIVE) != Arch.X86_64:
            self.skipTest("the socketcall case is checked on x86_64 hosts")
        f = SyscallFilter(ALLOW)
        f.add_arch(Arch.X86)
        # socket() on x86 exists only as socketcall(): add_rule() rewrites, exact refuses
        f.add_rule(ERRNO(1), "socket", Arg(0, EQ, 2))
        with self.assertRaisesRegex(RuntimeError, r"^Library error \(errno = -\d+\)$"):
            f.add_rule_exactly(ERRNO(1), "socket", Arg(0, EQ, 2))

    def test_arches(self):
        other = Arch.X86 if int(NATIVE) != Arch.X86 else Arch.X86_64
        f = SyscallFilter(ALLOW)
        self.assertTrue(f.exist_arch(NATIVE))
        self.assertTrue(f.exist_arch(Arch.NATIVE))
        self.assertFalse(f.exist_arch(other))
        f.add_arch(other)
        self.assertTrue(f.exist_arch(Arch(other)))
        with lib_error(self, errno.EEXIST):
            f.add_arch(other)
        f.remove_arch(other)
        self.assertFalse(f.exist_arch(other))
        with lib_error(self, errno.EEXIST):
            f.remove_arch(other)
        with self.assertRaisesRegex(ValueError, "^Invalid architecture$"):
            f.exist_arch(12345)
        with lib_error(self, errno.EINVAL):
            f.add_arch(12345)
        with self.assertRaises(TypeError):
            f.add_arch("x86")
        with self.assertRaises(TypeError):
            f.exist_arch("x86_64")

    def test_attrs(self):
        f = SyscallFilter(ALLOW)
        self.assertEqual(f.get_attr(Attr.ACT_BADARCH), KILL)
        f.set_attr(Attr.ACT_BADARCH, ERRNO(5))
        self.assertEqual(f.get_attr(Attr.ACT_BADARCH), ERRNO(5))
        self.assertEqual(f.get_attr(Attr.CTL_NNP), 1)
        f.set_attr(Attr.CTL_NNP, 0)
        self.assertEqual(f.get_attr(Attr.CTL_NNP), 0)
        for attr in (Attr.CTL_TSYNC, Attr.API_TSKIP, Attr.CTL_LOG, Attr.API_SYSRAWRC):
            f.set_attr(attr, 1)
            self.assertEqual(f.get_attr(attr), 1, attr)
        f.set_attr(Attr.CTL_OPTIMIZE, 2)
        self.assertEqual(f.get_attr(Attr.CTL_OPTIMIZE), 2)
        with lib_error(self, errno.EOPNOTSUPP):  # libseccomp 2.6.1's errno for a bad level
            f.set_attr(Attr.CTL_OPTIMIZE, 7)
        with self.assertRaisesRegex(ValueError, "^Invalid attribute$"):
            f.get_attr(99)
        with self.assertRaisesRegex(ValueError, "^Invalid attribute$"):
            f.set_attr(99, 1)
        with lib_error(self, errno.EACCES):
            f.set_attr(Attr.ACT_DEFAULT, KILL)  # read-only
        with self.assertRaises(TypeError):
            f.set_attr(Attr.CTL_NNP)
        # API_TSKIP: a rule for syscall -1 is then accepted
        f.add_rule(ERRNO(1), -1)
        # the kernel-version limit: SCMP_KV_UNDEF (1, off) by default; 64 is SCMP_KV_6_1
        self.assertEqual(f.get_attr(Attr.CTL_KVERMAX), 1)
        f.set_attr(Attr.CTL_KVERMAX, 64)
        self.assertEqual(f.get_attr(Attr.CTL_KVERMAX), 64)
        f.set_attr(Attr.ACT_ENOSYS, ERRNO(errno.ENOSYS))
        self.assertEqual(f.get_attr(Attr.ACT_ENOSYS), ERRNO(errno.ENOSYS))
        with self.assertRaisesRegex(ValueError, "^Invalid attribute$"):
            f.set_attr(Attr.ACT_ENOSYS, NOTIFY)
        with self.assertRaisesRegex(ValueError, "^Invalid attribute$"):
            f.set_attr(Attr.CTL_KVERMAX, 100000)

    def test_syscall_priority(self):
        f = SyscallFilter(ALLOW)
        f.syscall_priority("read", 3)
        f.syscall_priority(seccomp.resolve_syscall(NATIVE, "write"), 255)
        f.syscall_priority("close", 0)
        for bad in (-1, 256, 300):
            with self.assertRaisesRegex(ValueError,
                                        "^Syscall priority must be between 0 and 255$"):
                f.syscall_priority("read", bad)
        with lib_error(self, errno.EINVAL):
            f.syscall_priority("nope", 3)
        with self.assertRaises(TypeError):
            f.syscall_priority(b"read", 3)

    def test_export(self):
        f = SyscallFilter(ALLOW)
        f.add_rule(ERRNO(1), "read", Arg(0, EQ, 5))
        mem = f.export_bpf_mem()
        self.assertIsInstance(mem, bytes)
        self.assertEqual(len(mem) % 8, 0)
        with tempfile.TemporaryFile() as tmp:
            f.export_bpf(tmp)
            tmp.seek(0)
            self.assertEqual(tmp.read(), mem)
        with tempfile.TemporaryFile("w+") as tmp:
            tmp.write("before\n")  # buffered by Python: flushed before the library writes
            f.export_pfc(tmp)
            tmp.seek(0)
            pfc = tmp.read()
        self.assertTrue(pfc.startswith("before\n"), pfc[:40])
        self.assertIn('"read"', pfc)
        self.assertIn("ERRNO(1)", pfc)
        with self.assertRaises(io.UnsupportedOperation):
            f.export_bpf(io.BytesIO())
        with self.assertRaises(TypeError):
            f.export_pfc(None)
        r, w = os.pipe()
        os.close(r)
        os.close(w)
        # a closed descriptor: -ECANCELED, the raw errno with API_SYSRAWRC (libseccomp's rule)
        with lib_error(self, errno.ECANCELED):
            f.export_bpf(w)
        f.set_attr(Attr.API_SYSRAWRC, 1)
        with lib_error(self, errno.EBADF):
            f.export_bpf(w)

    def test_merge(self):
        other = Arch.X86 if int(NATIVE) != Arch.X86 else Arch.X86_64
        a = SyscallFilter(ALLOW)
        a.add_rule(ERRNO(1), "read")
        b = SyscallFilter(ALLOW)
        b.remove_arch(NATIVE)
        b.add_arch(other)
        b.add_rule(ERRNO(2), "write")
        a.merge(b)
        self.assertTrue(a.exist_arch(other))
        self.assertTrue(a.exist_arch(NATIVE))
        # the merged filter object starts afresh, usable
        self.assertTrue(b.exist_arch(NATIVE))
        self.assertFalse(b.exist_arch(other))
        b.add_rule(ERRNO(3), "close")
        with lib_error(self, errno.EEXIST):
            a.merge(SyscallFilter(ALLOW))  # both have the native architecture
        with lib_error(self, errno.EINVAL):
            a.merge(SyscallFilter(KILL))  # different default actions
        with lib_error(self, errno.EEXIST):
            a.merge(a)  # the library's answer: the same architectures
        self.assertTrue(a.exist_arch(other))  # and the filter is intact
        with self.assertRaisesRegex(TypeError, "SyscallFilter"):
            a.merge(5)

    def test_transactions(self):
        f = SyscallFilter(ALLOW)
        f.add_rule(ERRNO(1), "read")
        before = f.export_bpf_mem()
        f.start_transaction()
        f.add_rule(ERRNO(2), "write")
        f.reject_transaction()
        self.assertEqual(f.export_bpf_mem(), before)
        f.start_transaction()
        f.add_rule(ERRNO(2), "write")
        f.commit_transaction()
        self.assertNotEqual(f.export_bpf_mem(), before)
        after = f.export_bpf_mem()
        f.reject_transaction()  # none open: nothing happens
        self.assertEqual(f.export_bpf_mem(), after)

    def test_precompute(self):
        f = SyscallFilter(ALLOW)
        f.add_rule(ERRNO(1), "read")
        f.precompute()
        self.assertGreater(len(f.export_bpf_mem()), 0)

    def test_notify_unloaded(self):
        f = SyscallFilter(ALLOW)
        f.add_rule(NOTIFY, "getppid")
        for call in (f.get_notify_fd, f.receive_notify):
            with self.assertRaisesRegex(RuntimeError, "^Notifications not enabled/active$"):
                call()
        n = Notification(1, 1, 0, 0, 0, 0, [0] * 6)
        with self.assertRaisesRegex(RuntimeError, "^Notifications not enabled/active$"):
            f.respond_notify(NotificationResponse(n))
        with self.assertRaisesRegex(RuntimeError, "^Notifications not enabled/active$"):
            f.notify_addfd(n, 0)
        with self.assertRaises(TypeError):
            f.respond_notify(n)


# --- live: filters loaded in forked children ------------------------------------------------

def in_child(body):
    """runs body() in a forked child; returns its wait status"""
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        code = 100
        try:
            code = body()
        except BaseException:  # noqa: B902 - the child must never return into unittest
            import traceback
            traceback.print_exc()
        os._exit(code if isinstance(code, int) else 101)
    return os.waitpid(pid, 0)[1]


def seccomp_works():
    def body():
        SyscallFilter(ALLOW).load()
        return 0
    return in_child(body) == 0


LIVE = seccomp_works()


@unittest.skipUnless(LIVE, "this kernel does not load seccomp filters")
class TestLive(unittest.TestCase):
    def assert_exit(self, status, code=0):
        self.assertTrue(os.WIFEXITED(status), "child status 0x%x" % status)
        self.assertEqual(os.WEXITSTATUS(status), code)

    def test_errno_by_argument(self):
        # lseek() fails with EPERM only when whence is SEEK_END (argument 2)
        def body():
            f = SyscallFilter(ALLOW)
            f.add_rule(ERRNO(errno.EPERM), "lseek", Arg(2, EQ, os.SEEK_END))
            fd = os.open("/dev/null", os.O_RDONLY)
            f.load()
            os.lseek(fd, 0, os.SEEK_SET)
            try:
                os.lseek(fd, 0, os.SEEK_END)
            except OSError as e:
                return 0 if e.errno == errno.EPERM else 2
            return 3
        self.assert_exit(in_child(body))

    def test_negative_control(self):
        # the same call without the filter succeeds: the test above can fail
        def body():
            fd = os.open("/dev/null", os.O_RDONLY)
            os.lseek(fd, 0, os.SEEK_END)
            return 0
        self.assert_exit(in_child(body))

    def test_masked_and_ranges(self):
        # lseek() offsets (argument 1): EACCES when bits 8-15 are 0x01 (MASKED_EQ), EPERM from
        # 2^40 up (GE, a 64-bit datum; only where the offset is 64-bit)
        wide = sys.maxsize > 2**32

        def body():
            f = SyscallFilter(ALLOW)
            f.add_rule(ERRNO(errno.EACCES), "lseek", Arg(1, MASKED_EQ, 0xff00, 0x100))
            if wide:
                f.add_rule(ERRNO(errno.EPERM), "lseek", Arg(1, GE, 1 << 40))
            fd = os.open("/dev/null", os.O_RDONLY)
            f.load()
            results = []
            for off in (0x150, 0x250, 5, 1 << 41, (1 << 40) - 1):
                try:
                    os.lseek(fd, off, os.SEEK_SET)
                    results.append(0)
                except OSError as e:
                    results.append(e.errno)
            want = [errno.EACCES, 0, 0, errno.EPERM if wide else 0, 0]
            return 0 if results == want else 2
        self.assert_exit(in_child(body))

    def test_kill_process(self):
        def body():
            f = SyscallFilter(ALLOW)
            f.add_rule(KILL_PROCESS, "chdir")
            f.load()
            os.chdir("/")
            return 0
        status = in_child(body)
        self.assertTrue(os.WIFSIGNALED(status), "child status 0x%x" % status)
        self.assertEqual(os.WTERMSIG(status), signal.SIGSYS)

    def test_trap(self):
        def body():
            got = []
            signal.signal(signal.SIGSYS, lambda s, f: got.append(s))
            f = SyscallFilter(ALLOW)
            f.add_rule(TRAPX(7), "chdir")
            f.load()
            try:
                os.chdir("/")
            except OSError:
                pass
            for _ in range(10):  # Python runs its handler at the next check: a loop is one
                pass
            return 0 if got == [signal.SIGSYS] else 2
        self.assert_exit(in_child(body))

    def test_default_action_and_transaction(self):
        # default ERRNO; the rejected transaction's ALLOW rule must not be in the filter
        def body():
            f = SyscallFilter(ERRNO(errno.EROFS))
            for name in ("read", "write", "close", "exit_group", "exit", "rt_sigreturn",
                         "rt_sigaction", "rt_sigprocmask", "brk", "mmap", "munmap", "mprotect",
                         "futex", "madvise", "fstat", "newfstatat", "lseek", "getpid",
                         "gettid", "getrandom", "sigaltstack"):
                try:
                    f.add_rule(ALLOW, name)
                except RuntimeError:
                    pass  # a name this architecture lacks
            f.start_transaction()
            f.add_rule(ALLOW, "chdir")
            f.reject_transaction()
            f.load()
            try:
                os.chdir("/")
            except OSError as e:
                return 0 if e.errno == errno.EROFS else 2
            return 3
        self.assert_exit(in_child(body))

    def test_kvermax(self):
        # a policy that knows Linux 3.0 (SCMP_KV_3_0 = 2): getrandom() (3.17) gets ENOSYS
        def body(limit):
            f = SyscallFilter(ALLOW)
            if limit:
                f.set_attr(Attr.CTL_KVERMAX, 2)
                f.set_attr(Attr.ACT_ENOSYS, ERRNO(errno.ENOSYS))
            f.load()
            try:
                os.getrandom(1)
            except OSError as e:
                return 0 if e.errno == errno.ENOSYS else 2
            return 3
        self.assert_exit(in_child(lambda: body(True)))
        self.assert_exit(in_child(lambda: body(False)), 3)  # negative control: it runs

    def test_merged_filter(self):
        def body():
            a = SyscallFilter(ALLOW)
            a.add_rule(ERRNO(errno.EPERM), "chdir")
            other = Arch.X86 if int(NATIVE) != Arch.X86 else Arch.X86_64
            b = SyscallFilter(ALLOW)
            b.remove_arch(NATIVE)
            b.add_arch(other)
            b.add_rule(ERRNO(errno.EPERM), "getcwd")
            a.merge(b)
            a.load()
            try:
                os.chdir("/")
            except OSError as e:
                return 0 if e.errno == errno.EPERM else 2
            return 3
        self.assert_exit(in_child(body))

    def test_notify(self):
        # the child loads a filter that notifies getppid(); its own child calls getppid() and
        # gets the answer the supervisor gives: first an error, then a file descriptor
        # installed in it with notify_addfd() whose number getppid() returns
        def body():
            f = SyscallFilter(ALLOW)
            f.add_rule(NOTIFY, "getppid")
            try:
                f.load()
            except RuntimeError as e:
                return 77 if e.errno in (errno.EINVAL, errno.EOPNOTSUPP) else 2
            fd = f.get_notify_fd()
            if fd < 0:
                return 3
            r, w = os.pipe()
            pid = os.fork()
            if pid == 0:
                first = os.getppid()  # the supervisor answers -EACCES
                installed = os.getppid()  # the supervisor answers with a new descriptor
                ok = first == -errno.EACCES and installed >= 0
                if ok:
                    os.write(installed, b"via addfd")
                os._exit(0 if ok else 4)
            os.close(w)
            n = f.receive_notify()
            if n.syscall != seccomp.resolve_syscall(NATIVE, "getppid") or n.pid != pid:
                return 5
            if n.syscall_arch != seccomp.system_arch() or len(n.syscall_args) != 6:
                return 6
            f.respond_notify(NotificationResponse(n, 0, -errno.EACCES, 0))
            n = f.receive_notify()
            a, b = socket.socketpair()
            try:
                target = f.notify_addfd(n, b.fileno())
            except RuntimeError as e:
                a.close()
                b.close()
                # kernels before 5.9 have no SECCOMP_IOCTL_NOTIF_ADDFD
                f.respond_notify(NotificationResponse(n, 0, -errno.ENOSYS, 0))
                os.waitpid(pid, 0)
                return 77 if e.errno in (errno.ENOTTY, errno.EINVAL, errno.EOPNOTSUPP) else 7
            f.respond_notify(NotificationResponse(n, target, 0, 0))
            status = os.waitpid(pid, 0)[1]
            got = a.recv(64)
            a.close()
            b.close()
            if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
                return 8
            return 0 if got == b"via addfd" else 9
        status = in_child(body)
        if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 77:
            self.skipTest("this kernel has no user notification (or no addfd)")
        self.assert_exit(status)


if __name__ == "__main__":
    unittest.main(verbosity=2)
