#!/usr/bin/python3
"""osiprof overhead benchmark: added ns per syscall against no tracing, the
empty-program floor and peer tools, measured in one interleaved run (added =
minimum over the repetitions minus the untraced minimum). The rows the
targets compare get --target-rounds more interleaved samples.

Usage: tools/bench/bench.py --osiprof build/osiprof --bin build/bench [--reps N]
       [--target-rounds N] [--quick]
Writes BIN/bench.json, BIN/bench.png and BIN/bench.svg; prints the tables.
"""
import argparse
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

WORKLOADS = {  # name: (iterations for fast tracers, syscalls per iteration)
    "getppid": (600_000, 1),
    "futex-wake": (600_000, 1),
    "rw": (250_000, 2),
    "pingpong": (25_000, 4),
    "forkexec": (200, None),
}
# The rows the targets compare (getppid, 1 thread), each sampled as often.
TARGET_CONFIGS = ["none", "floor", "two clock reads", "+ two storage lookups", "osiprof",
                  "osiprof filtered-out", "osiprof timeline", "osiprof --objects", "osiprof --stacks",
                  "syscount -L"]
SLOW_DIVISOR = 100  # strace and perf trace run 1/100 of the iterations
PEER_WORKLOADS = ("getppid", "rw")
STACK_WORKLOADS = ("getppid", "pingpong")
STACK_CONFIGS = {  # --stacks rows: the default, and every call captured (the cost per stack)
    "osiprof --stacks": ["--stacks"],
    "osiprof --stacks every call": ["--stacks", "--stack-threshold", "0"],
    "osiprof --stacks fp every call": ["--stacks", "--unwind", "fp", "--stack-threshold", "0"],
}

BPFTRACE_SCRIPT = (
    "tracepoint:raw_syscalls:sys_enter { @start[tid] = nsecs; } "
    "tracepoint:raw_syscalls:sys_exit /@start[tid]/ { "
    "@calls[args->id] = count(); @lat[args->id] = hist(nsecs - @start[tid]); "
    "delete(@start[tid]); }"
)


def log(msg):
    print(msg, file=sys.stderr, flush=True)


class Background:
    """A tracer started in the background, used once it says it is attached."""

    def __init__(self, argv, ready, settle=0.0, timeout=60):
        self.out = tempfile.TemporaryFile(mode="w+")
        self.proc = subprocess.Popen(argv, stdout=self.out, stderr=subprocess.STDOUT,
                                     text=True, start_new_session=True)
        deadline = time.time() + timeout
        while time.time() < deadline:
            self.out.seek(0)
            if re.search(ready, self.out.read()):
                time.sleep(settle)
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.02)
        if self.proc.poll() is None:  # never leave a tracer attached behind us
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        self.out.seek(0)
        raise RuntimeError(f"{argv[0]} did not attach: {self.out.read()[-500:]}")

    def vm_hwm_kb(self):
        try:
            with open(f"/proc/{self.proc.pid}/status") as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1])
        except OSError:
            pass
        return None

    def stop(self):
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.out.seek(0)
        text = self.out.read()
        self.out.close()
        return text


def run_load(args, workload, iters, threads, prefix=()):
    argv = list(prefix) + [os.path.join(args.bin, "bench-load"), workload, str(iters), str(threads)]
    res = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    if res.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed ({res.returncode})")
    ns, _ = res.stdout.strip().splitlines()[-1].split()
    return float(ns)


def expected_calls(iters, threads):
    """bench-load's loop plus its warm-up, on every thread."""
    return threads * (iters + iters // 20 + 1)


SYSCALL_NAME = {"getppid": "getppid", "futex-wake": "futex", "rw": "read"}


class Runner:
    def __init__(self, args):
        self.args = args
        self.tmp = tempfile.mkdtemp(prefix="osiprof-bench.")
        self.accuracy = {}
        self.memory = {}
        self.idle = subprocess.Popen(["sleep", "100000"])

    def close(self):
        self.idle.kill()
        self.idle.wait()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def note_accuracy(self, config, workload, iters, threads, counted):
        if workload not in SYSCALL_NAME or counted is None:
            return
        want = expected_calls(iters, threads)
        self.accuracy.setdefault(config, {})[f"{workload}/{threads}"] = {
            "expected": want, "counted": counted}

    def osiprof_count(self, report, workload):
        with open(report) as f:
            r = json.load(f)
        self.memory["osiprof_map_bytes"] = r["self"]["map_bytes"]
        for s in r["syscalls"]:
            if s["name"] == SYSCALL_NAME.get(workload):
                return s["count"]
        return 0

    def run(self, config, workload, threads):
        a = self.args
        iters = WORKLOADS[workload][0] // (SLOW_DIVISOR if config in ("perf-trace", "strace") else 1)
        if a.quick:
            iters = max(iters // 5, 50)
        report = os.path.join(self.tmp, "r.json")
        if config == "none":
            return run_load(a, workload, iters, threads), iters
        if config == "osiprof":
            ns = run_load(a, workload, iters, threads,
                          [a.osiprof, "record", "-o", report] + a.osiprof_syscalls_only + ["--"])
            self.note_accuracy(config, workload, iters, threads, self.osiprof_count(report, workload))
            return ns, iters
        if config.startswith("osiprof timeline"):
            every = ["--timeline-threshold", "0", "--timeline-max-events", "1000"] if "every" in config else []
            ns = run_load(a, workload, iters, threads,
                          [a.osiprof, "record", "-o", report, "--timeline", os.path.join(self.tmp, "t.json")]
                          + every + a.osiprof_syscalls_only + ["--"])
            return ns, iters
        if config == "osiprof --objects":
            ns = run_load(a, workload, iters, threads, [a.osiprof, "record", "-o", report, "--objects"]
                          + a.osiprof_syscalls_only + ["--"])
            return ns, iters
        if config in STACK_CONFIGS:
            ns = run_load(a, workload, iters, threads, [a.osiprof, "record", "-o", report]
                          + STACK_CONFIGS[config] + a.osiprof_syscalls_only + ["--"])
            with open(report) as f:
                r = json.load(f)
            captured = sum(st["count"] for st in r["stacks"])
            self.memory[f"{config} {workload} stacks captured"] = captured
            self.memory[f"{config} {workload} stacks lost"] = r["dropped"]["events_lost"]
            return ns, iters
        if config == "osiprof+sched":
            ns = run_load(a, workload, iters, threads, [a.osiprof, "record", "-o", report, "--"])
            return ns, iters
        if config == "strace":
            out = os.path.join(self.tmp, "strace.txt")
            ns = run_load(a, workload, iters, threads, ["strace", "-c", "-f", "-o", out])
            self.note_accuracy(config, workload, iters, threads, parse_strace(out, SYSCALL_NAME.get(workload)))
            return ns, iters
        if config == "perf-trace":
            ns = run_load(a, workload, iters, threads, ["perf", "trace", "-s", "-o", os.devnull, "--"])
            return ns, iters
        # Background tracers: attach, run, detach.
        if config == "floor":
            bg = Background([os.path.join(a.bin, "bench-floor")], r"^ready", 0)
        elif config == "two clock reads":
            bg = Background([os.path.join(a.bin, "bench-floor"), "--clock"], r"^ready", 0)
        elif config == "+ two storage lookups":
            bg = Background([os.path.join(a.bin, "bench-floor"), "--storage"], r"^ready", 0)
        elif config == "osiprof -a":
            bg = Background([a.osiprof, "record", "-v", "-a", "-o", report] + a.osiprof_syscalls_only,
                            r"attached")
        elif config == "osiprof daemon":
            bg = Background([a.osiprof, "daemon", "-v", "-a", "--interval", "1", "--output-dir",
                             os.path.join(self.tmp, "snap"), "--pidfile", os.path.join(self.tmp, "pid")],
                            r"attached")
        elif config == "osiprof filtered-out":
            bg = Background([a.osiprof, "record", "-v", "-p", str(self.idle.pid), "-o", report]
                            + a.osiprof_syscalls_only, r"attached")
        elif config == "syscount -L":
            bg = Background(["stdbuf", "-oL", a.syscount, "-L", "-T", "50"], r"Tracing", 0.3)
        elif config == "bpftrace":
            bg = Background(["stdbuf", "-oL", "bpftrace", "-e", BPFTRACE_SCRIPT], r"Attaching", 1.5)
        else:
            raise ValueError(config)
        try:
            ns = run_load(a, workload, iters, threads)
            if config.startswith("osiprof"):
                self.memory[f"{config} peak_rss_kb"] = bg.vm_hwm_kb()
        finally:
            text = bg.stop()
        if config == "syscount -L":
            m = re.search(rf"^{SYSCALL_NAME.get(workload, '-')}\s+(\d+)", text, re.M)
            self.note_accuracy(config, workload, iters, threads, int(m.group(1)) if m else 0)
        if config == "bpftrace":
            nr = {"getppid": 110, "futex-wake": 202, "rw": 0}.get(workload)
            m = re.search(rf"^@calls\[{nr}\]: (\d+)", text, re.M) if nr is not None else None
            self.note_accuracy(config, workload, iters, threads, int(m.group(1)) if m else 0)
        return ns, iters


def parse_strace(path, name):
    if not name:
        return None
    with open(path) as f:
        for line in f:
            parts = line.split()
            if parts and parts[-1] == name and len(parts) >= 5:
                return int(parts[3])
    return 0


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure_daemon_cpu(args, seconds, tmp):
    """CPU share of `osiprof daemon -a --interval 1`, idle and under a getppid load."""
    bg = Background([args.osiprof, "daemon", "-v", "-a", "--interval", "1", "--output-dir",
                     os.path.join(tmp, "dsnap"), "--pidfile", os.path.join(tmp, "dpid")], r"attached")
    try:
        c0, t0 = cpu_seconds(bg.proc.pid), time.time()
        time.sleep(seconds)
        c1, t1 = cpu_seconds(bg.proc.pid), time.time()
        load = subprocess.Popen([os.path.join(args.bin, "bench-load"), "getppid", "100000000", "1"],
                                stdout=subprocess.DEVNULL)
        time.sleep(seconds)
        c2, t2 = cpu_seconds(bg.proc.pid), time.time()
        load.kill()
        load.wait()
        # 1,000 live processes in the process map, each polled every interval.
        sleepers = [subprocess.Popen(["sleep", "600"]) for _ in range(1000)]
        time.sleep(1.5)
        c3, t3 = cpu_seconds(bg.proc.pid), time.time()
        time.sleep(seconds)
        c4, t4 = cpu_seconds(bg.proc.pid), time.time()
        for p in sleepers:
            p.kill()
        for p in sleepers:
            p.wait()
        rss = bg.vm_hwm_kb()
    finally:
        bg.stop()
    return (100.0 * (c1 - c0) / (t1 - t0), 100.0 * (c2 - c1) / (t2 - t1),
            100.0 * (c4 - c3) / (t4 - t3), rss)


def measure_bpf_time(args, tmp):
    """Kernel-measured BPF time per traced getppid (kernel.bpf_stats_enabled)."""
    report = os.path.join(tmp, "stats.json")
    iters = 200_000
    run_load(args, "getppid", iters, 1, [args.osiprof, "record", "--bpf-stats", "-o", report]
             + args.osiprof_syscalls_only + ["--"])
    with open(report) as f:
        r = json.load(f)
    calls = r["totals"]["count"]
    run_ns, runs = r["self"].get("bpf_run_time_ns"), r["self"].get("bpf_run_count")
    if not run_ns or not runs or not calls:
        return None
    return {"ns_per_program_run": run_ns / runs, "ns_per_syscall": run_ns / calls,
            "program_runs_per_syscall": runs / calls}


def measure_stack_cost(args, tmp):
    """The cost of one captured stack, each mode, on few enough getppid calls
    (750 and 1,500) that the ring buffer holds every dwarf record: BPF time
    per captured call (kernel.bpf_stats_enabled) above plain record's, and
    the collector's own time on stacks (self.stack_collect_ns) per stack,
    from the difference between the two sizes (so the one-time reading of
    binaries and debug info drops out)."""
    report = os.path.join(tmp, "stk.json")

    def one(opts, iters):
        best = None
        for _ in range(3):
            before = os.times()
            run_load(args, "getppid", iters, 1, [args.osiprof, "record", "--bpf-stats", "-o", report]
                     + opts + args.osiprof_syscalls_only + ["--"])
            after = os.times()
            with open(report) as f:
                r = json.load(f)
            row = {"bpf_ns_per_call": (r["self"].get("bpf_run_time_ns") or 0) / max(r["totals"]["count"], 1),
                   "cpu_s": (after.children_user + after.children_system)
                   - (before.children_user + before.children_system),
                   "stacks": sum(st["count"] for st in r["stacks"]), "lost": r["dropped"]["events_lost"],
                   "collect_ns": r["self"].get("stack_collect_ns") or 0}
            if best is None or row["cpu_s"] < best["cpu_s"]:
                best = row
        return best

    plain = one([], 1500)
    out = {"plain": plain}
    for mode, opts in (("dwarf", ["--stacks", "--stack-threshold", "0"]),
                       ("fp", ["--stacks", "--unwind", "fp", "--stack-threshold", "0"])):
        small, big = one(opts, 750), one(opts, 1500)
        big["bpf_ns_per_stack"] = big["bpf_ns_per_call"] - plain["bpf_ns_per_call"]
        big["collector_us_per_stack"] = max(big["collect_ns"] - small["collect_ns"], 0) / 1e3 / max(
            big["stacks"] - small["stacks"], 1)
        big["collector_first_s"] = big["collect_ns"] / 1e9
        out[mode] = big
    return out


def collector_cost(args):
    """Per poll: bytes copied and time, for this host's CPUs and bigger ones,
    from the collector's own fold code (bench-collect-cost)."""
    rows = []
    for cpus in sorted({os.cpu_count(), 64, 128, 256}):
        out = subprocess.run([os.path.join(args.bin, "bench-collect-cost"), str(cpus), "100", "20"],
                             capture_output=True, text=True, check=True).stdout
        for line in out.splitlines():
            c, slots, mode, nbytes, ns = line.split()
            rows.append({"cpus": int(c), "slots": int(slots), "interval": mode,
                         "bytes_per_poll": int(nbytes), "ms_per_poll": float(ns) / 1e6,
                         "cpu_percent_at_1s": float(ns) / 1e7})
    return rows


def clocksource():
    try:
        with open("/sys/devices/system/clocksource/clocksource0/current_clocksource") as f:
            return f.read().strip()
    except OSError:
        return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--osiprof", required=True)
    ap.add_argument("--bin", required=True, help="directory of bench-load and bench-floor")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--target-rounds", type=int, default=10,
                    help="extra interleaved rounds of the configurations the targets compare, "
                         "on the 1-thread getppid loop (the minimum over all rounds is used)")
    ap.add_argument("--quick", action="store_true", help="fewer iterations (a smoke run)")
    args = ap.parse_args()
    if os.geteuid() != 0:
        sys.exit("bench: needs root (BPF)")
    args.syscount = shutil.which("syscount") or shutil.which("syscount-bpfcc") or (
        "/usr/sbin/syscount" if os.path.exists("/usr/sbin/syscount") else None)
    help_text = subprocess.run([args.osiprof, "record", "--help"], capture_output=True, text=True).stdout
    args.osiprof_syscalls_only = ["--no-sched"] if "--no-sched" in help_text else []
    if not os.path.ismount("/sys/kernel/tracing"):
        subprocess.run(["mount", "-t", "tracefs", "nodev", "/sys/kernel/tracing"], check=False)

    configs = ["none", "floor", "two clock reads", "+ two storage lookups", "osiprof"]
    if args.osiprof_syscalls_only:
        configs.append("osiprof+sched")
    configs += ["osiprof -a", "osiprof daemon", "osiprof filtered-out"]
    if "--timeline" in help_text:
        configs += ["osiprof timeline", "osiprof timeline every call"]
    if "--objects" in help_text:
        configs.append("osiprof --objects")
    stack_configs = list(STACK_CONFIGS) if "--stacks" in help_text else []
    peers = []
    if args.syscount:
        peers.append("syscount -L")
    if shutil.which("bpftrace"):
        peers.append("bpftrace")
    if shutil.which("perf"):
        peers.append("perf-trace")
    if shutil.which("strace"):
        peers.append("strace")
    ncpu = os.cpu_count()
    thread_counts = sorted({1, ncpu})

    runner = Runner(args)
    samples = {}
    started = time.time()
    try:
        for rep in range(args.reps):
            for workload in WORKLOADS:
                for threads in thread_counts:
                    cfgs = configs + (peers if workload in PEER_WORKLOADS else []) + \
                        (stack_configs if workload in STACK_WORKLOADS and threads == 1 else [])
                    for config in cfgs:
                        ns, _ = runner.run(config, workload, threads)
                        samples.setdefault((workload, threads, config), []).append(ns)
            log(f"bench: repetition {rep + 1}/{args.reps} done, {time.time() - started:.0f} s")
        # The targets compare a few rows whose gaps are smaller than this
        # machine's run-to-run noise: more interleaved samples of just those.
        targets = [c for c in TARGET_CONFIGS if c in configs or c in peers or c in stack_configs]
        for rnd in range(0 if args.quick else args.target_rounds):
            for config in targets:
                ns, _ = runner.run(config, "getppid", 1)
                samples[("getppid", 1, config)].append(ns)
        if targets and not args.quick:
            log(f"bench: {args.target_rounds} target rounds done, {time.time() - started:.0f} s")
        idle_cpu, load_cpu, procs_cpu, daemon_rss = measure_daemon_cpu(args, 5 if not args.quick else 2,
                                                                       runner.tmp)
        bpf_time = measure_bpf_time(args, runner.tmp)
        stack_cost = measure_stack_cost(args, runner.tmp) if stack_configs else None
        collect = collector_cost(args)
    finally:
        runner.close()

    rows = []
    for (workload, threads, config), ns in samples.items():
        # The minimum of interleaved runs: interference on a shared machine
        # only ever adds time, so the least is the least noisy estimate.
        base = min(samples[(workload, threads, "none")])
        per = WORKLOADS[workload][1]
        med = statistics.median(ns)
        added_iter = min(ns) - base
        rows.append({
            "workload": workload, "threads": threads, "config": config,
            "ns_per_iter_min": min(ns), "ns_per_iter_median": med,
            "added_ns_per_iter": added_iter,
            "added_ns_per_syscall": added_iter / per if per else None,
        })
    index = {(r["workload"], r["threads"], r["config"]): r for r in rows}
    for r in rows:
        unit = "added_ns_per_syscall" if r["added_ns_per_syscall"] is not None else "added_ns_per_iter"
        floor = index.get((r["workload"], r["threads"], "floor"))
        sysc = index.get((r["workload"], r["threads"], "syscount -L"))
        r["x_floor"] = r[unit] / floor[unit] if floor and floor[unit] > 0 else None
        r["x_syscount"] = r[unit] / sysc[unit] if sysc and sysc[unit] > 0 else None

    print_tables(rows, configs + stack_configs, peers, thread_counts)
    result = {
        "host": {"kernel": os.uname().release, "cpus": ncpu, "clocksource": clocksource()},
        "reps": args.reps, "target_rounds": 0 if args.quick else args.target_rounds, "quick": args.quick, "seconds": round(time.time() - started, 1),
        "results": rows,
        "accuracy": runner.accuracy,
        "memory": dict(runner.memory, **{"osiprof daemon peak_rss_kb": daemon_rss}),
        "daemon_cpu_percent": {"idle": idle_cpu, "getppid_load": load_cpu,
                               "1000_live_processes": procs_cpu},
        "bpf_time": bpf_time,
        "stack_cost": stack_cost,
        "collector_cost": collect,
    }
    print_targets(index, thread_counts)
    print("\nAccuracy (calls of the workload's syscall, expected vs counted):")
    for config, per in runner.accuracy.items():
        for key, v in sorted(per.items()):
            ok = "exact" if v["expected"] == v["counted"] else f"off by {v['counted'] - v['expected']:+d}"
            print(f"  {config:22s} {key:14s} expected {v['expected']:>9d}  counted {v['counted']:>9d}  {ok}")
    print("\nMemory and idle cost:")
    for k, v in result["memory"].items():
        print(f"  {k:36s} {v}")
    print(f"  {'osiprof daemon CPU at 1 s, idle':36s} {idle_cpu:.2f} % of one CPU (target < 1 %)")
    print(f"  {'osiprof daemon CPU at 1 s, loaded':36s} {load_cpu:.2f} % of one CPU")
    print(f"  {'osiprof daemon CPU at 1 s, 1000 procs':36s} {procs_cpu:.2f} % of one CPU")
    if bpf_time:
        print(f"\nBPF time per traced getppid (kernel.bpf_stats_enabled, which adds its own cost): "
              f"{bpf_time['ns_per_syscall']:.0f} ns over {bpf_time['program_runs_per_syscall']:.2f} "
              f"program runs ({bpf_time['ns_per_program_run']:.0f} ns each)")
    if stack_cost:
        for mode in ("dwarf", "fp"):
            m = stack_cost[mode]
            marginal = (f"{m['collector_us_per_stack']:.0f} us CPU per further stack"
                        if m["collector_us_per_stack"] > 0 else "per further stack below this run's noise")
            print(f"Per captured stack, --unwind {mode} (1,500 getppid, {m['stacks']} captured, {m['lost']} lost): "
                  f"BPF +{m['bpf_ns_per_stack']:.0f} ns; collector {m['collector_first_s'] * 1e3:.0f} ms on "
                  f"stacks in all (binaries read once), {marginal}")
    print("\nCollector per poll, 100 touched slots (same fold code; bigger hosts simulated):")
    print(f"  {'CPUs':>5s} {'interval':8s} {'MB copied':>10s} {'ms':>8s} {'% CPU at 1 s':>13s}")
    for c in collect:
        print(f"  {c['cpus']:5d} {c['interval']:8s} {c['bytes_per_poll'] / 1e6:10.2f} "
              f"{c['ms_per_poll']:8.2f} {c['cpu_percent_at_1s']:13.2f}")
    out = os.path.join(args.bin, "bench.json")
    with open(out, "w") as f:
        json.dump(result, f, indent=2)
    plot(rows, args.bin)
    print(f"\nwrote {out}, {os.path.join(args.bin, 'bench.png')}, .svg ({result['seconds']} s)")


def fmt(v, digits=0):
    return "-" if v is None else f"{v:.{digits}f}"


def print_tables(rows, configs, peers, thread_counts):
    order = {c: i for i, c in enumerate(configs + peers)}
    print(f"{'workload':11s} {'thr':>3s} {'config':30s} {'ns/iter med':>12s} {'ns/iter min':>12s} "
          f"{'added ns/call':>14s} {'x floor':>8s} {'x syscount':>10s}")
    for r in sorted(rows, key=lambda r: (list(WORKLOADS).index(r["workload"]), r["threads"], order[r["config"]])):
        added = r["added_ns_per_syscall"] if r["added_ns_per_syscall"] is not None else r["added_ns_per_iter"]
        unit = "" if r["added_ns_per_syscall"] is not None else " /iter"
        print(f"{r['workload']:11s} {r['threads']:3d} {r['config']:30s} {r['ns_per_iter_median']:12.1f} "
              f"{r['ns_per_iter_min']:12.1f} {fmt(added) + unit:>14s} {fmt(r['x_floor'], 2):>8s} "
              f"{fmt(r['x_syscount'], 2):>10s}")


def print_targets(index, thread_counts):
    print("\nTargets (getppid, 1 thread; minimum over the repetitions and the target rounds):")
    g = lambda c: (index.get(("getppid", 1, c)) or {}).get("added_ns_per_syscall")
    floor, osp, filt, sysc = g("floor"), g("osiprof"), g("osiprof filtered-out"), g("syscount -L")
    clock, store = g("two clock reads"), g("+ two storage lookups")
    if clock is not None and osp is not None and floor is not None:
        print(f"  two clock reads (any latency tracer's least): {clock:.0f} ns added, "
              f"{clock / floor:.2f} x floor; osiprof is {osp - clock:.0f} ns above it")
    if store is not None and clock is not None and osp is not None:
        print(f"  per step: floor {floor:.0f}, + clock reads {clock - floor:+.0f}, + storage lookups "
              f"{store - clock:+.0f}, + osiprof's accounting {osp - store:+.0f} ns")
    if floor is not None and osp is not None:
        print(f"  traced syscall: {osp:.0f} ns added, {osp / floor:.2f} x floor (target <= 2.00) "
              f"{'MET' if osp <= 2 * floor else 'MISSED'}")
    if sysc and osp is not None:
        print(f"  vs syscount -L: {osp / sysc:.2f} x (target <= 0.50) {'MET' if osp <= 0.5 * sysc else 'MISSED'}")
    if floor is not None and filt is not None:
        print(f"  filtered-out syscall: {filt:.0f} ns added, floor + {filt - floor:.0f} ns (target <= +25) "
              f"{'MET' if filt <= floor + 25 else 'MISSED'}")
    tl, every = g("osiprof timeline"), g("osiprof timeline every call")
    if tl is not None and osp is not None:
        print(f"  --timeline, calls below the threshold: {tl - osp:+.0f} ns vs plain record (target <= +5) "
              f"{'MET' if tl - osp <= 5 else 'MISSED'}")
    if every is not None and osp is not None:
        print(f"  --timeline, cost per recorded slice (threshold 0, every call a slice): {every - osp:.0f} ns")
    rw = lambda c: (index.get(("rw", 1, c)) or {}).get("added_ns_per_syscall")
    if rw("osiprof --objects") is not None and rw("osiprof") is not None:
        print(f"  --objects on the 1-byte read+write loop: {rw('osiprof --objects') - rw('osiprof'):+.0f} ns per call "
              f"(getppid, no fd: {(g('osiprof --objects') or 0) - osp:+.0f} ns)")
    stk = g("osiprof --stacks")
    if stk is not None and osp is not None:
        print(f"  --stacks on getppid (never slow): {stk - osp:+.0f} ns vs plain record (target <= +5) "
              f"{'MET' if stk - osp <= 5 else 'MISSED'}")
    pp = lambda c: (index.get(("pingpong", 1, c)) or {}).get("added_ns_per_iter")
    if pp("osiprof --stacks") is not None and pp("osiprof") is not None:
        print(f"  --stacks on the futex ping-pong: {(pp('osiprof --stacks') - pp('osiprof')) / 4:+.0f} ns per call "
              f"vs plain record (the waits that reach 10 us are captured)")
    for c in ("osiprof --stacks every call", "osiprof --stacks fp every call"):
        if g(c) is not None and osp is not None:
            print(f"  {c[8:]}: {g(c) - osp:+.0f} ns per captured call on getppid (every call a stack)")
    sched = g("osiprof+sched")
    if sched is not None and osp is not None:
        print(f"  sched programs: +{sched - osp:.0f} ns per syscall on getppid")
        pp = lambda c: (index.get(("pingpong", 1, c)) or {}).get("added_ns_per_iter")
        if pp("osiprof+sched") is not None and pp("osiprof") is not None:
            print(f"  sched programs: +{(pp('osiprof+sched') - pp('osiprof')) / 2:.0f} ns per context switch (pingpong)")


def plot(rows, outdir):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        log("bench: matplotlib missing, no plot")
        return
    sel = [r for r in rows if r["workload"] == "getppid" and r["config"] != "none"]
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.5))
    for ax, threads in zip(axes, sorted({r["threads"] for r in sel})):
        rs = sorted((r for r in sel if r["threads"] == threads), key=lambda r: r["added_ns_per_syscall"])
        vals = [max(r["added_ns_per_syscall"], 1) for r in rs]
        colors = ["tab:gray" if r["config"] == "floor" else
                  "tab:blue" if r["config"].startswith("osiprof") else "tab:orange" for r in rs]
        ax.barh([r["config"] for r in rs], vals, color=colors)
        ax.set_xscale("log")
        ax.set_xlabel("added ns per syscall (log scale)")
        ax.set_title(f"getppid loop, {threads} thread{'s' if threads > 1 else ''}")
        for y, v in enumerate(vals):
            ax.text(v, y, f" {v:.0f}", va="center", fontsize=8)
    fig.suptitle("Tracing overhead: osiprof vs the empty-program floor and peer tools")
    fig.tight_layout()
    for ext in ("png", "svg"):
        fig.savefig(os.path.join(outdir, f"bench.{ext}"), dpi=110)


if __name__ == "__main__":
    main()
