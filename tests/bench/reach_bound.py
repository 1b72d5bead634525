#!/usr/bin/env python3
"""A lower bound on the dispatch of a program whose search tree does not fit in a jump's reach.

doc/benchmark.md uses it for args362x8 (`make bench`): 362 syscalls with 8 `A1 == value`
rules each, about 3700 instructions, x86_64. The bench's bound (tests/bench/bound.h) is the
optimal search tree over the ranges; it ignores that a conditional jump reaches only 255
instructions forward. This is the same kind of bound with the reach counted, under a relaxed
model (so it is a lower bound on any program of the model, not a program):

- a call's dispatch is the arch check and the load of the number (3), the instructions on
  its path to its leaf, and 1 for the leaf (as bound.h counts it);
- a leaf reached with c instructions and no JA starts at most at 3 + 256 * c; one reached
  through a JA costs one more than the conditional jumps on its path;
- the conditional jumps on the paths satisfy Kraft's inequality (sum 2^-d <= 1; this also
  allows trees that are not alphabetic, so it only relaxes);
- each syscall's own code is at least `size` instructions (its 8 compares and the load of
  A1: 9), and N leaves need at least N - 1 compares placed before the last of them, so at
  most 256 * c // (size + 1) + 1 leaves start within reach of paths of c instructions;
- the numbers without a syscall rule (the deny range above 361: `heavy` table numbers) are
  one leaf that costs no code (a RET).

The minimum of that model is bounded from below by Lagrangian relaxation of Kraft's
inequality: for every lam >= 0, the least of cost + lam * (sum 2^-d - 1) with Kraft's
inequality dropped is at most the model's minimum, and without it the leaves decouple (each
takes its cheapest depth, near within the capacities or behind a JA; greedy is exact for
the nested capacities). The bound printed is the best over a grid of lam. `--search` also
searches the model's configurations (the counts at depths 7 to 9 exhaustively, the rest as
shallow as Kraft allows; about two minutes): a configuration found is an upper bound on the
model's minimum, so the two together say how tight the bound is.

`--alphabetic` is not a bound but an estimate of what planning the tree with the reach counted
could reach when the code is laid out in the order of the numbers (as sysgate's layouts
mostly do): args362x8's numbers 0..361 in order, each a leaf of `size` instructions and one
compare (those outside the table, LEAVES..361, weigh nothing and go last), the deny range and
x32's numbers (which x86_64's block tells apart) one leaf each of no code; a leaf at depth d
whose code starts beyond d reaches pays one JA. The optimal alphabetic tree under that cost
is a DP with the depth as a dimension (Knuth's bounds on the roots kept as a heuristic: 0.003
above the exact DP, checked in C). It prints the dispatch with reaches of 256 and 238 (the
layout's 256 less its slack) and without the reach (the bench's bound: 12.091 by default).

usage: reach_bound.py [--search | --alphabetic] [LEAVES HEAVY SIZE]
(default: 337 48 9, args362x8 on x86_64: 337 of its syscalls are x86_64 table numbers, 48
table numbers lie above 361 (424..471); 385 in all)
"""
import sys


def capacity(size, reach=256):
    return lambda c: reach * c // (size + 1) + 1


def lagrangian_bound(leaves, heavy, size, dmax=30):
    cap = capacity(size)
    best = None
    lam = 1.0
    while lam < 16384:
        f = lambda d: d + lam * 2.0 ** -d
        cost = min(heavy * h + lam * 2.0 ** -h for h in range(dmax + 1))
        behind_ja = min(f(d) for d in range(dmax + 1)) + 1
        near = [0] * (dmax + 1)  # near leaves per depth, within every capacity
        for _ in range(leaves):
            pick, at = behind_ja, None
            for d in range(1, dmax + 1):
                fits = all(sum(near[1:e + 1]) < cap(e) for e in range(d, dmax + 1))
                if f(d) < pick and fits:
                    pick, at = f(d), d
            if at is not None:
                near[at] += 1
            cost += pick
        value = 3 + (cost - lam) / (leaves + heavy) + 1
        if best is None or value > best[0]:
            best = (value, lam)
        lam *= 1.05
    return best


def search(leaves, heavy, size, depths=range(7, 13)):
    total = leaves + heavy
    cap = capacity(size)
    best = None
    depths = list(depths)
    # enumerate how many leaves sit at each of the first three depths; the rest go as
    # shallow as Kraft allows (deeper only costs more), the heavy leaf at depth h
    for h in range(1, 12):
        room = 1.0 - 2.0 ** -h
        for n0 in range(0, 2 ** depths[0] + 1):
            k0 = n0 / 2 ** depths[0]
            if k0 > room or n0 > leaves:
                break
            for n1 in range(0, 2 ** depths[1] + 1):
                k1 = k0 + n1 / 2 ** depths[1]
                if k1 > room or n0 + n1 > leaves:
                    break
                for n2 in range(0, 2 ** depths[2] + 1):
                    k2 = k1 + n2 / 2 ** depths[2]
                    if k2 > room + 1e-12 or n0 + n1 + n2 > leaves:
                        break
                    counts, left, k = [n0, n1, n2], leaves - n0 - n1 - n2, k2
                    for d in depths[3:]:
                        n = min(left, int((room - k) * 2 ** d + 1e-9))
                        counts.append(n)
                        left -= n
                        k += n / 2 ** d
                    if left:
                        continue
                    cost, near = heavy * h, 0
                    for d, n in zip(depths, counts):
                        fit = min(n, max(0, cap(d) - near))
                        near += fit
                        cost += n * d + (n - fit)  # a JA for those out of reach
                    if best is None or cost < best[0]:
                        best = (cost, h, counts)
    cost, h, counts = best
    return 3 + cost / total + 1, h, counts


def alphabetic(size, reach, table, last=361, dmax=16):
    """the alphabetic-layout estimate (see the module's comment) for one reach"""
    w = [1 if nr in table else 0 for nr in range(last + 1)]
    heavy = sum(1 for nr in table if nr > last)
    sizes = [size] * len(w) + [0, 0]
    w += [heavy, 0]  # the deny range, then x32's numbers (a range the bench's bound has too)
    n, place, at = len(w), [], 0
    for u in range(n):
        place.append(at)
        if w[u] and sizes[u]:
            at += sizes[u] + 1

    def leaf(u, d):
        ja = 1 if sizes[u] and w[u] and place[u] > reach * d else 0
        return w[u] * (d + ja)

    big = float("inf")
    cost, root = {}, {}
    for i in range(n):
        cost[i, i] = [leaf(i, d) for d in range(dmax)]
        root[i, i] = [i] * dmax
    for length in range(2, n + 1):
        for i in range(n - length + 1):
            j = i + length - 1
            cs, rs = [big] * dmax, [i + 1] * dmax
            for d in range(dmax - 1):
                a, b = i + 1, j
                if length > 2:
                    a, b = max(a, root[i, j - 1][d]), min(b, root[i + 1, j][d])
                    a, b = min(a, b), max(a, b)
                for k in range(a, b + 1):
                    c = cost[i, k - 1][d + 1] + cost[k, j][d + 1]
                    if c < cs[d]:
                        cs[d], rs[d] = c, k
            cost[i, j], root[i, j] = cs, rs
    return 3 + cost[0, n - 1][0] / sum(w) + 1


if __name__ == "__main__":
    args = sys.argv[1:]
    flags = {a for a in args if a.startswith("--")}
    args = [a for a in args if not a.startswith("--")]
    leaves, heavy, size = (int(a) for a in args[:3]) if len(args) >= 3 else (337, 48, 9)
    if "--alphabetic" in flags:
        # the numbers the bench weighs: the first LEAVES, and HEAVY from 424 on (x86_64's)
        table = set(range(leaves)) | set(range(424, 424 + heavy))
        for reach in (256, 238, 10 ** 9):
            value = alphabetic(size, reach, table)
            print(f"alphabetic layout, reach {reach if reach < 10 ** 9 else 'unlimited'}: "
                  f"dispatch {value:.4f}")
        sys.exit(0)
    value, lam = lagrangian_bound(leaves, heavy, size)
    print(f"dispatch >= {value:.4f} (Lagrangian bound, lambda {lam:.0f})")
    if "--search" in flags:
        value, h, counts = search(leaves, heavy, size)
        print(f"a configuration of the model: {value:.4f} (heavy leaf at depth {h}; "
              f"leaves per depth 7..12: {counts})")
