#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""Validates osiprof timelines against tests/trace_event.schema.json, plus
what a schema cannot state: slices on one track never overlap and come in
time order, and received = kept + discarded."""
import json
import os
import sys

import jsonschema


def check(path, schema):
    with open(path) as f:
        trace = json.load(f)
    jsonschema.validate(trace, schema)
    last = {}
    for e in trace["traceEvents"]:
        if e["ph"] != "X":
            continue
        track = (e["pid"], e["tid"])
        start, end = e["ts"], e["ts"] + e["dur"]
        if track in last and start < last[track] - 1e-3:
            raise ValueError(f"{path}: {e['name']} at {start} overlaps or precedes the slice before it "
                             f"on {track} (ending {last[track]})")
        last[track] = end
    o = trace["otherData"]
    if o["events_received"] != o["events_kept"] + o["events_discarded"]:
        raise ValueError(f"{path}: received != kept + discarded")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "trace_event.schema.json")) as f:
        schema = json.load(f)
    bad = 0
    for path in sys.argv[1:]:
        try:
            check(path, schema)
        except (jsonschema.ValidationError, ValueError) as e:
            print(f"{path}: {str(e).splitlines()[0]}", file=sys.stderr)
            bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
