#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""make check-layout: the source tree's arrows point down the data flow.

src/ has one folder per stage, top to bottom:

    cmd      thin commands: options, wiring, exit codes
    serve    the daemon's outside world: HTTP, control socket, snapshot
             directory, pidfile, atomic outputs, service manager
    offline  reading saved reports back
    sink     formats: JSON, table, CSV, Prometheus, event log
    collect  BPF maps and ring buffer -> model
    load     the BPF object: open, size, attach, mark targets, privileges
    model    snapshot, statistics, taxonomy, history, the report view
    base     logging, time formats, /proc, filesystem trust

A file may include headers of its own folder or of folders below it (and
include/ and generated headers), never one above; headers must not include
each other in a cycle; every include of a src/ header names its folder.
Sinks render the report view and compute nothing: they call none of the
functions that compute statistics, quantiles or orders. Given the object
directory (--objects DIR), no two files call each other, directly or round
a longer cycle (from nm's defined and undefined symbols).
Exits 1 with one line per violation.
"""
import os
import re
import subprocess
import sys

ORDER = ["cmd", "serve", "offline", "sink", "collect", "load", "model", "base"]
RANK = {s: i for i, s in enumerate(ORDER)}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
# What the report view (model/report.c) computes so that sinks do not.
COMPUTING = ["figures_from_stats", "hist_quantile", "snapshot_totals", "snapshot_categories",
             "slot_stats_merge", "spread_of", "quantile_sorted", "qsort"]
CALL = re.compile(r"\b(" + "|".join(COMPUTING) + r")\s*\(")


def call_cycles(objdir, errors):
    """File-level call graph from the objects; every cycle is a violation."""
    defined, needs = {}, {}
    for dirpath, _, files in os.walk(objdir):
        for f in files:
            if not f.endswith(".o"):
                continue
            path = os.path.join(dirpath, f)
            me = os.path.relpath(path, objdir)[:-2] + ".c"
            out = subprocess.run(["nm", path], capture_output=True, text=True, check=True).stdout
            needs[me] = set()
            for line in out.splitlines():
                parts = line.split()
                if len(parts) == 3 and parts[1] in "TDBR":
                    defined[parts[2]] = me
                elif len(parts) == 2 and parts[0] == "U":
                    needs[me].add(parts[1])
    graph = {f: sorted({defined[s] for s in syms if s in defined and defined[s] != f})
             for f, syms in needs.items()}
    cycles(graph, "call cycle", errors)


def cycles(graph, what, errors):
    """Every cycle a depth-first walk of graph (node -> [nodes]) meets."""
    state = {}

    def visit(node, path):
        state[node] = 1
        for n in graph.get(node, []):
            if state.get(n) == 1:
                errors.append(f"{what}: " + " -> ".join(path[path.index(n):] + [n]))
            elif not state.get(n):
                visit(n, path + [n])
        state[node] = 2

    for node in sorted(graph):
        if not state.get(node):
            visit(node, [node])


def main(root, objdir=None):
    errors, graph = [], {}
    folders = sorted(d for d in os.listdir(root) if os.path.isdir(os.path.join(root, d)))
    for d in folders:
        if d not in RANK:
            errors.append(f"src/{d}/: not a stage folder ({', '.join(ORDER)})")
    stray = [f for f in os.listdir(root) if os.path.isfile(os.path.join(root, f))]
    for f in stray:
        errors.append(f"src/{f}: every source file belongs in a stage folder")
    headers = {f"{d}/{f}" for d in folders for f in os.listdir(os.path.join(root, d)) if f.endswith(".h")}
    for d in folders:
        for f in sorted(os.listdir(os.path.join(root, d))):
            if not f.endswith((".c", ".h")):
                continue
            me = f"{d}/{f}"
            text = open(os.path.join(root, d, f)).read()
            if d == "sink":
                for name in sorted(set(CALL.findall(text))):
                    errors.append(f"src/{me}: calls {name}(): sinks read the report view, "
                                  "computed once in model/report.c")
            for inc in INCLUDE.findall(text):
                if "/" not in inc:
                    if f"{d}/{inc}" in headers or any(h.endswith("/" + inc) for h in headers):
                        errors.append(f"src/{me}: includes \"{inc}\" without its folder")
                    continue  # include/ or a generated header
                stage = inc.split("/")[0]
                if inc not in headers:
                    continue
                if RANK.get(stage, -1) < RANK.get(d, -1):
                    errors.append(f"src/{me}: includes {inc}, which is above {d} in the flow")
                if me.endswith(".h"):
                    graph.setdefault(me, []).append(inc)
    cycles(graph, "include cycle", errors)
    if objdir:
        call_cycles(objdir, errors)
    for e in errors:
        print(f"check-layout: {e}")
    return 1 if errors else 0


if __name__ == "__main__":
    args = sys.argv[1:]
    objdir = None
    if "--objects" in args:
        i = args.index("--objects")
        objdir = args[i + 1]
        del args[i:i + 2]
    sys.exit(main(args[0] if args else "src", objdir))
