#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""Checks every figure osiprof wrote against another one.

Given directories, walks every *.json and *.jsonl file in them. Every file must
be strict UTF-8 JSON (no NaN, no Infinity, no invalid bytes); every event-log
line too. In every report and daemon snapshot (and each of a snapshot's
intervals) the sums must hold exactly:

  categories -> totals         count, errors, total_ns, offcpu_ns, bytes,
                               io_size.count; io_size.count <= count and
                               mean_bytes x count = bytes (in `record`)
  syscalls   -> categories     count, errors, total_ns, bytes per category
  errnos     -> errors         per syscall
  processes + exited_processes + unattributed -> totals
                               syscalls and time per category, context
                               switches, task-clock, off-CPU, migrations,
                               forks, threads, execs
  cgroups + unattributed -> totals, the same per category; cgroups'
                               processes = processes + exited ones
  processes + exited_processes -> memory.page_faults
  phases     -> totals         per category, when every call had a phase
  stacks     -> syscalls       per syscall, captured calls and their time
                               never exceed the syscall's; off-CPU within time

unattributed must never be negative, and is zero in `record` reports (the
probes are stopped before the last read). Prints one line per violation and
exits 1 if there is any; prints how many files it checked.
"""
import json
import os
import sys

errors = []


def fail(path, what):
    errors.append(f"{path}: {what}")


def strict_constant(name):
    raise ValueError(f"non-standard JSON constant {name}")


def load_strict(data, path):
    text = data.decode("utf-8")  # strict: invalid UTF-8 raises
    return json.loads(text, parse_constant=strict_constant)


def num(o, *keys, default=0):
    for k in keys:
        if not isinstance(o, dict) or o.get(k) is None:
            return default
        o = o[k]
    return o


def eq(path, what, a, b):
    if a != b:
        fail(path, f"{what}: {a} != {b}")


def check_stats(path, r, where):
    cats = r.get("categories") or []
    sysc = r.get("syscalls") or []
    tot = r.get("totals") or {}
    for f in ("count", "errors", "total_ns", "bytes"):
        eq(path, f"{where}sum of categories' {f} vs totals", sum(num(c, f) for c in cats), num(tot, f))
    io = lambda e: (e.get("io_size") or {}).get("count", 0)
    if "io_size" in tot:
        eq(path, f"{where}sum of categories' io_size.count vs totals", sum(io(c) for c in cats), io(tot))
    for e in cats + [tot]:
        if io(e) > num(e, "count"):
            fail(path, f"{where}{e.get('name', 'totals')}: more I/O sizes than calls")
        if "daemon" not in r and io(e) and abs(e["io_size"]["mean_bytes"] * io(e) - num(e, "bytes")) > \
                1e-6 * num(e, "bytes") + 1:
            fail(path, f"{where}{e.get('name', 'totals')}: io_size mean x count != bytes")
    if all(c.get("offcpu_ns") is not None for c in cats) and tot.get("offcpu_ns") is not None:
        eq(path, f"{where}sum of categories' offcpu_ns vs totals",
           sum(c["offcpu_ns"] for c in cats), tot["offcpu_ns"])
    by_cat = {}
    for s in sysc:
        d = by_cat.setdefault(s.get("category"), {"count": 0, "errors": 0, "total_ns": 0, "bytes": 0})
        for f in d:
            d[f] += num(s, f)
        errnos = s.get("errnos")
        if isinstance(errnos, dict) and not num(r, "dropped", "errno_map_full"):
            eq(path, f"{where}errnos of {s.get('name')} vs its errors", sum(errnos.values()), num(s, "errors"))
    for c in cats:
        d = by_cat.get(c.get("name"), {"count": 0, "errors": 0, "total_ns": 0, "bytes": 0})
        for f in d:
            eq(path, f"{where}syscalls of category {c.get('name')}: {f}", d[f], num(c, f))


def proc_sum(entries, *keys):
    return sum(num(e, *keys) for e in entries)


def check_processes(path, r, is_record):
    procs = r.get("processes")
    if procs is None or "exited_processes" not in r:
        return
    un = r.get("unattributed") or {}
    parts = procs + [r["exited_processes"], un]
    cats = {c["name"]: c for c in r.get("categories", [])}
    # unattributed is a difference: never below zero, zero once frozen.
    for k in ("syscalls", "syscall_ns", "task_clock_ns", "offcpu_ns", "cpu_migrations",
              "forks", "threads_created", "execs"):
        v = num(un, k)
        if v < 0 or v >= 1 << 63:
            fail(path, f"unattributed {k} is negative ({v})")
        elif is_record and v:
            fail(path, f"unattributed {k} is {v} in a record report (must be 0)")
    for name, c in (un.get("categories") or {}).items():
        for f in ("count", "total_ns", "bytes"):
            v = num(c, f)
            if v < 0 or v >= 1 << 63 or (is_record and v):
                fail(path, f"unattributed {name}.{f} is {v}")
    eq(path, "processes' syscalls vs totals", proc_sum(parts, "syscalls"), num(r, "totals", "count"))
    eq(path, "processes' syscall_ns vs totals", proc_sum(parts, "syscall_ns"), num(r, "totals", "total_ns"))
    for name, c in cats.items():
        for f in ("count", "total_ns", "bytes"):
            eq(path, f"processes' {name}.{f}", proc_sum(parts, "categories", name, f), num(c, f))
    eq(path, "processes' bytes vs totals", proc_sum(parts, "bytes"), num(r, "totals", "bytes"))
    # Objects: a process's calls on them are some of its calls.
    by_pid = {num(p, "pid"): p for p in procs}
    for pid in {num(o, "pid") for o in r.get("objects") or []}:
        calls = sum(num(o, "count") for o in r["objects"] if num(o, "pid") == pid)
        if pid in by_pid and calls > num(by_pid[pid], "syscalls"):
            fail(path, f"objects of process {pid}: {calls} calls, more than its {num(by_pid[pid], 'syscalls')}")
    # The same processes grouped by cgroup.
    if "cgroups" in r:
        groups = r["cgroups"] + [un]
        eq(path, "cgroups' syscalls vs totals", proc_sum(groups, "syscalls"), num(r, "totals", "count"))
        eq(path, "cgroups' processes vs processes", sum(num(g, "processes") for g in r["cgroups"]),
           sum(1 for p in procs if num(p, "pid")) + num(r, "exited_processes", "count"))
        for name, c in cats.items():
            for f in ("count", "total_ns", "bytes"):
                eq(path, f"cgroups' {name}.{f}", proc_sum(groups, "categories", name, f), num(c, f))
    sched = r.get("sched") or {}
    if sched.get("collected"):
        for kind in ("voluntary", "involuntary"):
            eq(path, f"processes' {kind} context switches",
               proc_sum(parts, "context_switches", kind), num(sched, "context_switches", kind))
        eq(path, "processes' task-clock", proc_sum(parts, "task_clock_ns"), num(sched, "task_clock_ns"))
        eq(path, "processes' migrations", proc_sum(parts, "cpu_migrations"), num(sched, "cpu_migrations"))
        eq(path, "processes' off-CPU", proc_sum(parts, "offcpu_ns"),
           num(sched, "offcpu_ns", "in_syscalls") + num(sched, "offcpu_ns", "outside_syscalls"))
    life = r.get("lifecycle") or {}
    eq(path, "processes' forks", proc_sum(parts, "forks"), num(life, "forks"))
    eq(path, "processes' threads", proc_sum(parts, "threads_created"), num(life, "threads_created"))
    eq(path, "processes' execs", proc_sum(parts, "execs"), num(life, "execs"))
    mem = r.get("memory") or {}
    for kind in ("minor", "major"):
        eq(path, f"processes' {kind} faults", proc_sum(procs + [r["exited_processes"]], "page_faults", kind),
           num(mem, "page_faults", kind))


def check_phases(path, r):
    ph = r.get("phases") or {}
    if not ph.get("collected") or not ph.get("list") or ph.get("window"):
        return
    if num(r, "dropped", "phases_full"):
        return  # calls of phases that did not fit are counted, not phased
    for c in r.get("categories", []):
        eq(path, f"phases' {c['name']}.count", sum(num(p, "categories", c["name"], "count") for p in ph["list"]),
           num(c, "count"))


def check_stacks(path, r):
    if not r.get("stacks_collected"):
        if r.get("stacks"):
            fail(path, "stacks without stacks_collected")
        return
    by_sys = {}
    for st in r.get("stacks") or []:
        b = by_sys.setdefault(st["syscall"], [0, 0])
        b[0] += num(st, "count")
        b[1] += num(st, "total_ns")
        if st.get("offcpu_ns") is not None and num(st, "offcpu_ns") > num(st, "total_ns"):
            fail(path, f"a {st['syscall']} stack: off-CPU {num(st, 'offcpu_ns')} > time {num(st, 'total_ns')}")
    for name, (count, ns) in by_sys.items():
        sc = next((x for x in r.get("syscalls", []) if x.get("name") == name), None)
        if sc is None:
            fail(path, f"stacks of {name}, which has no syscall entry")
        elif count > num(sc, "count") or ns > num(sc, "total_ns"):
            fail(path, f"stacks of {name}: {count} calls {ns} ns, more than its {num(sc, 'count')} calls "
                       f"{num(sc, 'total_ns')} ns")


def check_report(path, r):
    if not isinstance(r, dict) or "schema_version" not in r or not isinstance(r.get("categories"), list):
        return False
    is_record = "daemon" not in r
    check_stats(path, r, "")
    check_processes(path, r, is_record)
    check_phases(path, r)
    check_stacks(path, r)
    for i, iv in enumerate(r.get("intervals") or []):
        if isinstance(iv, dict) and isinstance(iv.get("categories"), list):
            check_stats(path, iv, f"interval {i}: ")
    return True


def main(dirs):
    files = reports = lines = 0
    for top in dirs:
        for root, _, names in os.walk(top):
            for n in names:
                p = os.path.join(root, n)
                if not (n.endswith(".json") or n.endswith(".jsonl")) or os.path.islink(p):
                    continue
                if "/fuzz/" in p or "/bad" in p or n.startswith("bad"):
                    continue  # inputs made malformed on purpose
                try:
                    data = open(p, "rb").read()
                except OSError:
                    continue
                if not data:
                    continue  # an empty file a test planted, not osiprof's
                files += 1
                try:
                    if n.endswith(".jsonl"):
                        for k, line in enumerate(data.splitlines()):
                            load_strict(line, p)
                            lines += 1
                        continue
                    obj = load_strict(data, p)
                except (UnicodeDecodeError, ValueError) as e:
                    fail(p, f"not strict UTF-8 JSON: {e}")
                    continue
                reports += check_report(p, obj)
    for e in errors:
        print(f"# invariant: {e}")
    print(f"# invariants: {files} files ({reports} reports, {lines} event lines), {len(errors)} violations")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
