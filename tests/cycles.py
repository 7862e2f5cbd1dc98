#!/usr/bin/env python3
"""No two files of a library call each other in a loop (docs/ARCHITECTURE.md).

tests/cycles.py LIB.a|DIR...: reads the symbols of each archive (or of the objects of a
directory: an executable's) with nm, draws an edge from a file to
every other file of the same archive that defines a symbol it uses, and fails naming each
cycle (its files and the symbols of its edges). Exits 0 when there is none."""
import collections
import os
import subprocess
import sys


def graph(archive):
    paths = [archive]
    if os.path.isdir(archive):
        paths = sorted(os.path.join(archive, f) for f in os.listdir(archive) if f.endswith(".o"))
    out = subprocess.run(["nm", "-A"] + paths, capture_output=True, text=True, check=True).stdout
    defined, used = {}, collections.defaultdict(set)
    for line in out.splitlines():
        where, _, rest = line.rpartition(":")
        member = where.split(":")[-1]
        parts = rest.split()
        if len(parts) == 3 and parts[1] in "TDBRV":
            defined[parts[2]] = member
        elif len(parts) == 2 and parts[0] == "U":
            used[member].add(parts[1])
    edges = collections.defaultdict(dict)
    for member, symbols in used.items():
        for sym in symbols:
            d = defined.get(sym)
            if d and d != member:
                edges[member].setdefault(d, []).append(sym)
    return edges


def cycles(edges):
    """Strongly connected components of more than one file (Tarjan, iterative)."""
    index, low, on, stack, found, counter = {}, {}, set(), [], [], [0]
    for root in list(edges):
        if root in index:
            continue
        work = [(root, iter(edges.get(root, {})))]
        index[root] = low[root] = counter[0]
        counter[0] += 1
        stack.append(root)
        on.add(root)
        while work:
            v, it = work[-1]
            advanced = False
            for w in it:
                if w not in index:
                    index[w] = low[w] = counter[0]
                    counter[0] += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(edges.get(w, {}))))
                    advanced = True
                    break
                if w in on:
                    low[v] = min(low[v], index[w])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                if len(comp) > 1:
                    found.append(sorted(comp))
    return found


def main():
    bad = 0
    for archive in sys.argv[1:]:
        edges = graph(archive)
        if not edges:
            print(f"cycles: {archive}: no calls between files found (nm read nothing?)")
            return 1
        for comp in cycles(edges):
            bad += 1
            print(f"cycles: {archive}: these files call each other in a loop: {', '.join(comp)}")
            for m in comp:
                for d, syms in sorted(edges[m].items()):
                    if d in comp:
                        print(f"    {m} -> {d}: {', '.join(sorted(syms)[:5])}")
        print(f"cycles: {archive}: {len(edges)} files call others, no loop" if not bad else "")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
