#!/usr/bin/env python3
"""Format the BENCH lines of bench_sysgate / bench_libseccomp (one run against each library) as
one Markdown table per policy, with sysgate's ratios against each libseccomp's better OPTIMIZE
setting for each metric, and a summary of how far sysgate is from the optimal-tree bound."""
import sys

COLS = [("insns", "insns"), ("mean", "mean"), ("bound", "bound"), ("max", "max"),
        ("wmean", "wmean"), ("amean", "allowed mean"), ("dmean", "dispatch mean"), ("djmean", "dispatch JA"), ("wdmean", "wdispatch"), ("wbound", "wbound"), ("cov", "cov %"), ("build_us", "build µs"),
        ("peak_kb", "peak heap KB"), ("getpid_ns", "getpid ns"), ("args_ns", "args ns"),
        ("denied_ns", "denied ns"), ("none_ns", "no filter ns")]
OPTS = ("1", "2")

rows, order, libs = {}, [], []
for line in open(sys.argv[1]):
    if not line.startswith("BENCH "):
        continue
    kv = dict(f.split("=", 1) for f in line.split()[1:])
    p, lib = kv["policy"], kv["lib"]
    if p not in order:
        order.append(p)
    if lib not in libs:
        libs.append(lib)
    rows[(p, lib, kv["opt"])] = kv

refs = [lib for lib in libs if lib != "sysgate"]


def ok(p, lib, opt):
    kv = rows.get((p, lib, opt))
    return kv if kv and kv.get("status") == "ok" else None


print("Instructions executed are counted by sysgate's interpreter over every syscall number of the")
print("native table (args 0); wmean weights them by the measured frequency profile; allowed mean")
print("averages them over the syscalls the policy allows unconditionally; dispatch mean counts")
print("only the instructions before the first argument load (+1 for the leaf), dispatch JA the")
print("JA trampolines among them (jumps longer than 255), wdispatch the dispatch weighted like")
print("wmean; bound/wbound are")
print("the optimal search tree over the policy's ranges (DP) plus the arch check and a RET; cov is the")
print("share of unconditionally allowed syscalls the kernel's action cache proves; build µs is the")
print("CPU time to build the filter through the API and export it (the lowest of five blocks'")
print("medians); peak heap KB is the heap the library needed for one build + export.")
print()
summary = []
for p in order:
    print(f"### {p}\n")
    print("| library | opt | " + " | ".join(c[1] for c in COLS) + " |")
    print("|---|---|" + "---|" * len(COLS))
    for lib in libs:
        for opt in OPTS:
            kv = rows.get((p, lib, opt))
            if not kv:
                continue
            if kv.get("status") != "ok":
                extra = f" (build {kv['build_us']} µs)" if "build_us" in kv else ""
                print(f"| {lib} | {opt} | {kv.get('status')}{extra} |")
                continue
            print(f"| {lib} | {opt} | " + " | ".join(kv.get(c[0], "-") for c in COLS) + " |")
    print()
    for ref in refs:
        rr = [r for r in (ok(p, ref, o) for o in OPTS) if r]
        if not rr:
            continue
        best = {k: min(float(r[k]) for r in rr)
                for k in ("insns", "mean", "max", "wmean", "build_us", "peak_kb")}
        for opt in OPTS:
            kv = ok(p, "sysgate", opt)
            if not kv:
                continue
            r = {k: float(kv[k]) / best[k] if best[k] else float("nan") for k in best}
            print(f"sysgate opt {opt} / {ref} best: size {r['insns']:.2f}x, mean {r['mean']:.2f}x, "
                  f"max {r['max']:.2f}x, wmean {r['wmean']:.2f}x, build {r['build_us']:.3f}x, "
                  f"peak memory {r['peak_kb']:.2f}x\n")
    for opt in OPTS:
        kv = ok(p, "sysgate", opt)
        if kv:
            summary.append((p, opt, float(kv["mean"]) / float(kv["bound"]),
                            float(kv["wmean"]) / float(kv["wbound"]) if float(kv["wbound"]) else 0,
                            float(kv.get("dmean", "nan")) / float(kv["bound"]),
                            (float(kv.get("dmean", "nan")) - float(kv.get("djmean", "0"))) /
                            float(kv["bound"]),
                            float(kv.get("wdmean", "nan")) / float(kv["wbound"])
                            if float(kv["wbound"]) else 0, kv["max"]))
    print()

print("### sysgate against the bound\n")
print("| policy | opt | mean / bound | wmean / wbound | dispatch mean / bound "
      "| dispatch without JA / bound | wdispatch / wbound | max |")
print("|---|---|---|---|---|---|---|---|")
for p, opt, u, w, d, dj, wd, mx in summary:
    print(f"| {p} | {opt} | {u:.3f} | {w:.3f} | {d:.3f} | {dj:.3f} | {wd:.3f} | {mx} |")
