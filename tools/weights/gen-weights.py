#!/usr/bin/env python3
"""Turn the raw per-workload syscall counts (raw/FAMILY/*.txt, written by record.sh) into
src/profile_weights.c, the frequency profiles OPTIMIZE=1 and 2 weigh with: one table per ABI
family, and sg_hot_profile(), which gives each ABI of src/arch/arch.c its family's table. The
families, what each was measured on and which ABIs it weighs, are listed in `families` beside
this script (the one place that says so).

Each workload counts the same (its calls are normalised to shares, then averaged), so that a
compiler build's millions of calls do not drown the web server's thousands; a table measured
on several machines averages them the same way. Weights are per mille of all calls, rounded;
syscalls under 0.5 per mille are left out (they weigh as much as any other number of the
table).

usage: gen-weights.py [--families FILE] [--arches ARCH_C] [RAW_DIR] > src/profile_weights.c"""
import argparse
import os
import re
import sys
import textwrap

here = os.path.dirname(os.path.abspath(__file__))
ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
ap.add_argument("raw", nargs="?", default=os.path.join(here, "raw"))
ap.add_argument("--families", default=os.path.join(here, "families"))
ap.add_argument("--arches", default=os.path.join(here, "..", "..", "src", "arch", "arch.c"),
                help="arch.c, whose ABI names every family line together must cover")
ap.add_argument("--pnr", default=os.path.join(here, "..", "..", "src", "arch", "pnr.txt"),
                help="pnr.txt, the pseudo numbers the tables carry beside each name")
args = ap.parse_args()


def die(msg):
    sys.exit(f"gen-weights.py: {msg}")


QEMU_HEADER = "# calls per guest syscall name, from qemu-user -strace"
VDSO = {"clock_gettime", "clock_gettime64", "gettimeofday", "clock_getres", "time"}


def counts(path):
    """syscall -> calls from one summary: `strace -c -f`, or record.sh's `CALLS NAME` lines
    for a family traced with qemu-user's -strace. A summary with a 32-bit personality section
    (an i386 chroot traced on x86_64) counts that section only: the 64-bit one before it is
    the host's chroot(8) starting the workload."""
    lines = open(path).read().splitlines()
    # qemu-user 7.2 gives the guest no vDSO: glibc then makes syscalls of the clock reads a
    # real machine answers in the vDSO without entering the kernel (or the filter)
    vdso = VDSO if lines and lines[0].startswith(QEMU_HEADER) else set()
    for i, line in enumerate(lines):
        if line.startswith("System call usage summary for 32 bit mode"):
            lines = lines[i + 1:]
            break
    out = {}
    for line in lines:
        f = line.split()
        if line.startswith("#"):
            continue
        if len(f) == 2 and f[0].isdigit():
            if f[1] not in vdso:
                out[f[1]] = out.get(f[1], 0) + int(f[0])
            continue
        # "% time seconds usecs/call calls [errors] syscall"
        if len(f) < 5 or not f[0].replace(".", "").isdigit() or f[-1] == "total":
            continue
        try:
            calls = int(f[3])
        except ValueError:
            continue
        out[f[-1]] = out.get(f[-1], 0) + calls
    return out


# the calls socketcall(2) multiplexes, which strace -c names by the subcall
SOCKETCALL = {"socket", "bind", "connect", "listen", "accept", "accept4", "getsockname",
              "getpeername", "socketpair", "send", "recv", "sendto", "recvfrom", "shutdown",
              "setsockopt", "getsockopt", "sendmsg", "recvmsg", "sendmmsg", "recvmmsg"}


def measured(name):
    """one machine's measurements: (syscall -> share, [(workload, calls)], VERSIONS lines)"""
    d = os.path.join(args.raw, name)
    workloads = sorted(n[:-4] for n in os.listdir(d) if n.endswith(".txt")) \
        if os.path.isdir(d) else []
    if not workloads:
        die(f"no measurements in {d}")
    # raw/NAME/MUX (record.sh's probe): the C library makes its socket calls through
    # socketcall, so that is the number the filter sees them under
    mux = os.path.join(d, "MUX")
    socketcall = os.path.exists(mux) and open(mux).read().startswith("socketcall:")
    share = {}
    totals = []
    for w in workloads:
        c = {}
        for sc, n in counts(os.path.join(d, w + ".txt")).items():
            sc = "socketcall" if socketcall and sc in SOCKETCALL else sc
            c[sc] = c.get(sc, 0) + n
        total = sum(c.values())
        if total == 0:
            die(f"{name}/{w}.txt holds no counts")
        totals.append((w, total))
        for sc, n in c.items():
            share[sc] = share.get(sc, 0.0) + n / total / len(workloads)
    vpath = os.path.join(d, "VERSIONS")
    versions = open(vpath).read().strip().splitlines() if os.path.exists(vpath) else []
    if socketcall:
        versions.append(open(mux).read().split("(")[0].strip())
    return share, totals, versions


# each name's pseudo number (a value that never changes): the compiler finds the syscall by it
# without comparing strings. A name the tables do not know gets 0 and weighs nothing.
pnr = {}
for line in open(args.pnr):
    f = line.split("#")[0].split()
    if len(f) == 2:
        pnr[f[0]] = int(f[1])
if not pnr:
    die(f"no pseudo number in {args.pnr}")

# TABLE MEASURED[,MEASURED...] ABI... (one line per family, # comments)
families = []
for line in open(args.families):
    f = line.split("#")[0].split()
    if not f:
        continue
    if len(f) < 3 or not re.fullmatch(r"[a-z0-9_]+", f[0]):
        die(f"{args.families}: bad line: {line.strip()}")
    families.append((f[0], f[1].split(","), f[2:]))

# every ABI of arch.c in exactly one family: an ABI left out would silently weigh nothing
known = re.findall(r'^ARCH\w*\(\s*\w+,\s*\w+,\s*\w+,\s*"(\w+)"', open(args.arches).read(), re.M)
if not known:
    die(f"no ABI found in {args.arches}")
seen = {}
for table, _, abis in families:
    for a in abis:
        if a not in known:
            die(f"{args.families}: {a} is not an ABI of {args.arches}")
        if a in seen:
            die(f"{args.families}: {a} is in both {seen[a]} and {table}")
        seen[a] = table
missing = [a for a in known if a not in seen]
if missing:
    die(f"{args.families}: no family for {' '.join(missing)}")
# measurements no family reads are a table someone forgot to add
used = {m for _, machines, _ in families for m in machines}
unused = sorted(d for d in os.listdir(args.raw)
                if os.path.isdir(os.path.join(args.raw, d)) and d not in used)
if unused:
    die(f"{args.families}: no family reads raw/{' raw/'.join(unused)}")

print("""/*
 * profile_weights.c - the syscall frequency profiles the dispatch tree is shaped by.
 *
 * GENERATED by tools/weights/gen-weights.py from tools/weights/raw/ and tools/weights/families
 * (do not edit; the method is in tools/weights/README.md): per mille of all calls, each
 * workload counting the same, one table per ABI family, applied by name to its ABIs. Beside
 * each name its pseudo number (src/arch/pnr.txt; 0: a name the tables do not know).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "arch/arch.h"
#include "compile.h"
""", end="")
for table, machines, abis in families:
    share = {}
    print("\n/*")
    for wrapped in textwrap.wrap(f"{table}: measured on {', '.join(machines)}; weighs "
                                 f"{' '.join(abis)}", 93):
        print(" * " + wrapped)
    for m in machines:
        s, totals, versions = measured(m)
        for sc, v in s.items():
            share[sc] = share.get(sc, 0.0) + v / len(machines)
        print(" *")
        for wrapped in textwrap.wrap(f"{m} workloads (calls traced): " +
                                     ", ".join(f"{w} ({n})" for w, n in totals), 93):
            print(" * " + wrapped)
        for v in versions:
            # the first words say which version; long build strings do not fit a comment line
            print(" * " + (v if len(v) <= 93 else " ".join(v.split()[:3])))
    print(" */")
    weights = sorted(((round(1000 * s), sc) for sc, s in share.items() if round(1000 * s) >= 1),
                     key=lambda t: (-t[0], t[1]))
    print(f"static const struct sg_hot_syscall hot_{table}[] = {{")
    for wt, sc in weights:
        print(f'    {{"{sc}", {pnr.get(sc, 0)}, {wt}}},')
    print("    {NULL, 0, 0},\n};")

print("""
/* ABI name -> its family's table (tools/weights/families) */
static const struct {
	const char *abi;
	const struct sg_hot_syscall *table;
} profiles[] = {""")
for table, _, abis in families:
    for a in abis:
        print(f'    {{"{a}", hot_{table}}},')
print("""};

const struct sg_hot_syscall *sg_hot_profile(const struct sg_arch *a)
{
	static const struct sg_hot_syscall none[] = {{NULL, 0, 0}};

	for (size_t i = 0; a && i < sizeof(profiles) / sizeof(profiles[0]); i++)
		if (!strcmp(profiles[i].abi, a->name))
			return profiles[i].table;
	return none;
}""")
