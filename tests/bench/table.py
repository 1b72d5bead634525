#!/usr/bin/env python3
"""Format the BENCH lines of bench_sysgate / bench_libseccomp as one Markdown table per policy,
with sysgate's ratios against libseccomp's better OPTIMIZE setting for each metric."""
import sys

COLS = [("insns", "insns"), ("mean", "mean"), ("bound", "bound"), ("max", "max"),
        ("wmean", "wmean"), ("amean", "allowed mean"), ("wbound", "wbound"), ("cov", "cov %"), ("build_us", "build µs"),
        ("peak_kb", "peak heap KB"), ("getpid_ns", "getpid ns"), ("args_ns", "args ns"),
        ("denied_ns", "denied ns"), ("none_ns", "no filter ns")]

rows, order = {}, []
for line in open(sys.argv[1]):
    if not line.startswith("BENCH "):
        continue
    kv = dict(f.split("=", 1) for f in line.split()[1:])
    p = kv["policy"]
    if p not in order:
        order.append(p)
    rows[(p, kv["lib"], kv["opt"])] = kv

print("Instructions executed are counted by sysgate's interpreter over every syscall number of the")
print("native table (args 0); wmean weights them by the built-in frequency profile; allowed mean")
print("averages them over the syscalls the policy allows unconditionally; bound/wbound are")
print("the optimal search tree over the policy's ranges (DP) plus the arch check and a RET; cov is the")
print("share of unconditionally allowed syscalls the kernel's action cache proves; build µs is the")
print("median time to build the filter through the API and export it; peak heap KB is the heap the\nlibrary needed for one build + export.")
print()
for p in order:
    print(f"### {p}\n")
    print("| library | opt | " + " | ".join(c[1] for c in COLS) + " |")
    print("|---|---|" + "---|" * len(COLS))
    for lib in ("sysgate", "libseccomp"):
        for opt in ("1", "2"):
            kv = rows.get((p, lib, opt))
            if not kv:
                continue
            if kv.get("status") != "ok":
                extra = f" (build {kv['build_us']} µs)" if "build_us" in kv else ""
                print(f"| {lib} | {opt} | {kv.get('status')}{extra} |")
                continue
            print(f"| {lib} | {opt} | " + " | ".join(kv.get(c[0], "-") for c in COLS) + " |")
    ref = [rows[(p, "libseccomp", o)] for o in ("1", "2")
           if (p, "libseccomp", o) in rows and rows[(p, "libseccomp", o)].get("status") == "ok"]
    if ref:
        best = {k: min(float(r[k]) for r in ref) for k in ("insns", "mean", "max", "wmean", "build_us", "peak_kb")}
        for opt in ("1", "2"):
            kv = rows.get((p, "sysgate", opt))
            if not kv or kv.get("status") != "ok":
                continue
            r = {k: float(kv[k]) / best[k] if best[k] else float("nan") for k in best}
            print(f"\nsysgate opt {opt} / libseccomp best: size {r['insns']:.2f}x, mean {r['mean']:.2f}x, "
                  f"max {r['max']:.2f}x, wmean {r['wmean']:.2f}x, build {r['build_us']:.3f}x, "
                  f"peak memory {r['peak_kb']:.2f}x; mean vs bound {float(kv['mean']) / float(kv['bound']):.2f}")
    print()
