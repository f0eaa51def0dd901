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
       tools/plot.py --timeline TRACE.json [-o PREFIX]       (default TRACE; writes
                     PREFIX.timeline.png/.svg and PREFIX.timeline.txt)
       tools/plot.py --flame REPORT.json [--weight time|calls|offcpu] [-o PREFIX]
                     (a report recorded with --stacks; default REPORT; writes
                     PREFIX.flame.png/.svg and PREFIX.flame.txt)
"""
import argparse
import json
import os
import sys
import zlib

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


PHASE_TRACK = 1 << 30


def plot_timeline(path, prefix, width_px=1600):
    """One row per thread: slices coloured by category, off-CPU hatched,
    phases shaded. Slices closer than a pixel on a row are merged into one
    bar, and the figure says how many were merged: nothing recorded is
    silently left out."""
    try:
        with open(path) as f:
            trace = json.load(f)
    except (OSError, ValueError) as e:
        sys.exit(f"plot: {path}: {e}")
    if "traceEvents" not in trace:
        sys.exit(f"plot: {path}: not a timeline (no traceEvents)")
    events = trace["traceEvents"]
    names = {(e["pid"], e["tid"]): e["args"]["name"] for e in events
             if e["ph"] == "M" and e["name"] == "thread_name" and e["tid"] < PHASE_TRACK}
    spans = [e for e in events if e["ph"] == "X" and e["tid"] < PHASE_TRACK and e["pid"] != 0]
    phases = [e for e in events if e["ph"] == "X" and e["tid"] >= PHASE_TRACK]
    rows = sorted({(e["pid"], e["tid"]) for e in spans} | set(names))
    if not rows:
        sys.exit(f"plot: {path}: no thread has a slice")
    t0 = min([e["ts"] for e in spans + phases] or [0])
    t1 = max([e["ts"] + e["dur"] for e in spans + phases] or [1])
    pixel = max((t1 - t0) / width_px, 1e-9)
    cats = sorted({e.get("cat", "other") for e in spans})
    colour = {c: plt.cm.tab20(i % 20) for i, c in enumerate(cats)}
    fig, ax = plt.subplots(figsize=(width_px / 100, min(2 + 0.3 * len(rows), 40)))
    merged_from = merged_to = 0
    groups = {}
    for e in spans:
        groups.setdefault(((e["pid"], e["tid"]), e.get("cat", "other")), []).append((e["ts"], e["dur"]))
    for y, row in enumerate(rows):
        for cat in cats + ["offcpu"]:
            mine = sorted(groups.get((row, cat), []))
            bars = []
            for ts, dur in mine:   # a sub-pixel slice within a pixel of the last bar joins it
                if bars and dur < pixel and ts - (bars[-1][0] + bars[-1][1]) < pixel:
                    bars[-1][1] = max(bars[-1][1], ts + dur - bars[-1][0])
                else:
                    bars.append([ts, dur])
            merged_from += len(mine)
            merged_to += len(bars)
            if not bars:
                continue
            ms = [((b[0] - t0) / 1e3, max(b[1], pixel) / 1e3) for b in bars]
            if cat == "offcpu":
                ax.broken_barh(ms, (y - 0.4, 0.8), facecolors="none", edgecolors="grey", hatch="///",
                               linewidth=0.3, label=None)
            else:
                ax.broken_barh(ms, (y - 0.4, 0.8), facecolors=colour[cat], edgecolors="white",
                               linewidth=0.3, label=None)
    for e in phases:
        ax.axvspan((e["ts"] - t0) / 1e3, (e["ts"] + e["dur"] - t0) / 1e3, alpha=0.08, color="tab:purple")
        ax.text((e["ts"] - t0) / 1e3, len(rows) - 0.5, e["name"], fontsize=7, color="tab:purple")
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([names.get(r, f"{r[1]}") for r in rows], fontsize=7)
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.invert_yaxis()
    ax.set_xlabel("ms since the window's start")
    handles = [plt.Rectangle((0, 0), 1, 1, color=colour[c]) for c in cats]
    handles.append(plt.Rectangle((0, 0), 1, 1, facecolor="none", edgecolor="grey", hatch="///"))
    ax.legend(handles, cats + ["off-CPU"], fontsize=7, loc="upper right", ncol=4)
    other = trace.get("otherData", {})
    note = (f"{len(spans)} slices on {len(rows)} threads; {merged_from - merged_to} shorter than a "
            f"pixel ({pixel / 1e3:.3g} ms) merged into their neighbours; "
            f"{other.get('events_discarded', 0)} discarded, {other.get('events_lost', 0)} lost")
    ax.set_title(f"osiprof timeline: {os.path.basename(path)}\n{note}", fontsize=9)
    fig.tight_layout()
    for ext in ("png", "svg"):
        fig.savefig(f"{prefix}.timeline.{ext}", dpi=100)
        print(f"{prefix}.timeline.{ext}")
    with open(f"{prefix}.timeline.txt", "w") as f:
        f.write(f"rows: {len(rows)} threads\nslices: {len(spans)}\nbars: {merged_to}\n"
                f"phases: {len(phases)}\n{note}\n")


def frame_name(f):
    return f["symbol"] if f.get("symbol") else f"{f['module']}+0x{f['offset']:x}"


def plot_flame(path, prefix, weight="time", width_px=1600):
    """A flame graph of a report's stacks: the command at the bottom, then
    user frames outermost first, kernel frames, the syscall on top; widths
    are the weight. Frames narrower than a pixel are not labelled, and the
    text file says how many there were: nothing is silently left out."""
    try:
        with open(path) as f:
            r = json.load(f)
    except (OSError, ValueError) as e:
        sys.exit(f"plot: {path}: {e}")
    if not r.get("stacks_collected"):
        sys.exit(f"plot: {path}: no stacks (record with --stacks)")
    key = {"time": "total_ns", "calls": "count", "offcpu": "offcpu_ns"}[weight]
    root = {"n": 0, "kids": {}}
    for st in r["stacks"]:
        w = st.get(key) or 0
        if not w:
            continue
        path_names = [st["comm"] or "?"] + [frame_name(f) for f in reversed(st["frames"])]
        path_names += [frame_name(f) + " [k]" for f in reversed(st["kernel_frames"])] + [st["syscall"]]
        node = root
        node["n"] += w
        for name in path_names:
            node = node["kids"].setdefault(name, {"n": 0, "kids": {}})
            node["n"] += w
    if not root["n"]:
        sys.exit(f"plot: {path}: no stack has any {weight}")
    boxes = []

    def walk(node, x, depth):
        for name, kid in sorted(node["kids"].items()):
            boxes.append((x, depth, kid["n"], name))
            walk(kid, x, depth + 1)
            x += kid["n"]
    walk(root, 0, 0)
    depth = max(b[1] for b in boxes) + 1
    fig, ax = plt.subplots(figsize=(width_px / 100, min(1.5 + 0.25 * depth, 40)))
    pixel = root["n"] / width_px
    narrow = 0
    for x, d, w, name in boxes:
        colour = plt.cm.Oranges(0.3 + 0.5 * ((zlib.crc32(name.encode()) % 100) / 100)) if not name.endswith("[k]") \
            else plt.cm.Blues(0.3 + 0.4 * ((zlib.crc32(name.encode()) % 100) / 100))
        ax.barh(d, w, left=x, height=0.95, color=colour, edgecolor="white", linewidth=0.2)
        if w < pixel:
            narrow += 1
        elif w > 8 * pixel * max(len(name), 4) / 6:
            ax.text(x + w / 2, d, name[: int(w / pixel / 6)], ha="center", va="center", fontsize=6)
    ax.set_xlim(0, root["n"])
    ax.set_ylim(-0.5, depth - 0.5)
    ax.set_yticks([])
    unit = {"time": "ns", "calls": "calls", "offcpu": "ns off-CPU"}[weight]
    note = (f"{len(r['stacks'])} stacks, {root['n']} {unit} in all; {len(boxes)} frames drawn, "
            f"{narrow} narrower than a pixel")
    ax.set_title(f"osiprof flame graph ({weight}): {os.path.basename(path)}\n{note}", fontsize=9)
    ax.set_xlabel(unit)
    fig.tight_layout()
    for ext in ("png", "svg"):
        fig.savefig(f"{prefix}.flame.{ext}", dpi=100)
        print(f"{prefix}.flame.{ext}")
    with open(f"{prefix}.flame.txt", "w") as f:
        f.write(f"weight: {weight}\ntotal: {root['n']}\nstacks: {len(r['stacks'])}\n"
                f"frames: {len(boxes)}\nnarrow: {narrow}\n")


def main():
    if "--flame" in sys.argv:
        ap = argparse.ArgumentParser(description="Draws a flame graph of an osiprof report's stacks.")
        ap.add_argument("--flame", required=True, metavar="REPORT.json")
        ap.add_argument("--weight", choices=("time", "calls", "offcpu"), default="time")
        ap.add_argument("-o", "--output", help="output prefix")
        a = ap.parse_args()
        plot_flame(a.flame, a.output or os.path.splitext(a.flame)[0], a.weight)
        return
    if "--timeline" in sys.argv:
        ap = argparse.ArgumentParser(description="Plots an osiprof timeline trace.")
        ap.add_argument("--timeline", required=True, metavar="TRACE.json")
        ap.add_argument("-o", "--output", help="output prefix")
        a = ap.parse_args()
        plot_timeline(a.timeline, a.output or os.path.splitext(a.timeline)[0])
        return
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
