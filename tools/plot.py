#!/usr/bin/python3
"""Plots an osiprof sweep (its directory or summary.json), as the seed
experiments plot theirs: a figure against the swept parameter on a log x axis,
median with interquartile error bars, one line per category; and stacked bars
of time per category, on-CPU and off-CPU where collected. Given one report
(a record or snapshot JSON), plots each category's latency histogram. PNG and
SVG.

Usage: tools/plot.py SWEEP [--metric calls_per_kb|usec_per_kb|count|total_ns|...]
                           [--x param|peak_rss] [-o PREFIX]  (default SWEEP/plot-<metric>)
       tools/plot.py REPORT.json [-o PREFIX]                 (default REPORT-latency)
"""
import argparse
import json
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

UNITS = {
    "calls_per_kb": "syscalls per KB", "usec_per_kb": "µs per KB",
    "calls_per_iteration": "syscalls per iteration", "usec_per_iteration": "µs per iteration",
    "count": "syscalls", "total_ns": "ns in syscalls", "offcpu_ns": "ns off-CPU in syscalls",
    "errors": "failed syscalls",
}


def load(path):
    if os.path.isdir(path):
        path = os.path.join(path, "summary.json")
    try:
        with open(path) as f:
            s = json.load(f)
    except (OSError, ValueError) as e:
        sys.exit(f"plot: {path}: {e}")
    if s.get("kind") != "osiprof-sweep-summary" and "categories" not in s:
        sys.exit(f"plot: {path}: not an osiprof sweep summary or report")
    return s, path


def plot_latency(report, path, prefix):
    """One report: the latency histogram of each category that had calls."""
    cats = [c for c in report["categories"] if c["count"] and c.get("histogram")]
    if not cats:
        sys.exit(f"plot: {path}: no category has a latency histogram")
    fig, ax = plt.subplots(figsize=(10, 5))
    for c in cats:
        # Each non-empty bucket exactly where it lies; empty ones stay empty.
        lo = [max(b[0], 1) for b in c["histogram"]]
        width = [max(b[1], 2) - l for b, l in zip(c["histogram"], lo)]
        counts = [b[2] for b in c["histogram"]]
        ax.bar(lo, counts, width=width, align="edge", alpha=0.55,
               label=f"{c['name']} ({c['count']} calls)")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("syscall latency, ns (log scale)")
    ax.set_ylabel("calls per bucket (log scale)")
    ax.set_title("Latency histogram by category (buckets 12.5 % wide)")
    ax.legend(fontsize=8)
    fig.tight_layout()
    for ext in ("png", "svg"):
        fig.savefig(f"{prefix}.{ext}", dpi=100)
        print(f"{prefix}.{ext}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sweep")
    ap.add_argument("--metric", default="calls_per_kb", choices=sorted(UNITS))
    ap.add_argument("-o", "--output", help="output prefix (.png and .svg are added)")
    ap.add_argument("--x", choices=("param", "peak_rss"), default="param",
                    help="x axis: the swept parameter, or the measured peak RSS (median)")
    a = ap.parse_args()
    s, path = load(a.sweep)
    if s.get("kind") != "osiprof-sweep-summary":
        plot_latency(s, path, a.output or os.path.splitext(path)[0] + "-latency")
        return
    where = os.path.dirname(path)
    param = s["params"][0]
    points = s["points"]
    if a.x == "peak_rss":
        xs = [p["memory"]["peak_rss_bytes"]["median"] for p in points]
        xlabel = "measured peak RSS, bytes (log scale)"
    else:
        xs = [float(p["params"][param]) for p in points]
        xlabel = f"{param} (log scale)"
    cats = sorted({c for p in points for c, m in p["categories"].items()
                   if m.get("count", {}).get("median", 0) > 0 and a.metric in m})
    if not cats:
        sys.exit(f"plot: no category has {a.metric} (tag runs with bytes= or iterations=)")
    prefix = a.output or os.path.join(where, f"plot-{a.metric}")

    fig, (ax, bx) = plt.subplots(1, 2, figsize=(13, 5))
    for c in cats:
        med, lo, hi, x = [], [], [], []
        for xv, p in zip(xs, points):
            m = p["categories"].get(c, {}).get(a.metric)
            if m and m["median"] > 0:  # a log axis: zero has no place on it
                x.append(xv)
                med.append(m["median"])
                lo.append(m["median"] - m["q1"])
                hi.append(m["q3"] - m["median"])
        ax.errorbar(x, med, yerr=[lo, hi], marker="o", capsize=3, label=c)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(UNITS[a.metric])
    ax.set_title(f"{UNITS[a.metric]} by category: median, IQR error bars")
    ax.legend(fontsize=8)

    # Time per category at each point, split on/off CPU where collected.
    bottom = [0.0] * len(points)
    labels = [p["params"][param] for p in points]
    for c in cats:
        on, off = [], []
        for p in points:
            m = p["categories"].get(c, {})
            total = m.get("total_ns", {}).get("median", 0) / 1e6
            offc = m.get("offcpu_ns", {}).get("median", 0) / 1e6
            on.append(total - offc)
            off.append(offc)
        bx.bar(labels, on, bottom=bottom, label=f"{c} on-CPU")
        bottom = [b + v for b, v in zip(bottom, on)]
        if any(off):
            bx.bar(labels, off, bottom=bottom, label=f"{c} off-CPU", hatch="//", alpha=0.6)
            bottom = [b + v for b, v in zip(bottom, off)]
    bx.set_xlabel(param)
    bx.set_ylabel("ms in syscalls (median run)")
    bx.set_title("Time in the kernel by category")
    bx.legend(fontsize=7)
    fig.suptitle(f"osiprof sweep: {' '.join(s['command'])}", fontsize=9)
    fig.tight_layout()
    for ext in ("png", "svg"):
        fig.savefig(f"{prefix}.{ext}", dpi=100)
        print(f"{prefix}.{ext}")


if __name__ == "__main__":
    main()
