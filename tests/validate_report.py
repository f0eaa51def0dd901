#!/usr/bin/python3
"""Validates osiprof reports against tests/report.schema.json, plus the
invariants a schema cannot state (min <= p50 <= p90 <= p99 <= max)."""
import json
import os
import sys

import jsonschema


def check(path, schema):
    with open(path) as f:
        report = json.load(f)
    jsonschema.validate(report, schema)
    entries = [report["totals"]] + report["categories"] + report["syscalls"]
    for e in entries:
        if e["count"] == 0:
            continue
        chain = [e["min_ns"], e["p50_ns"], e["p90_ns"], e["p99_ns"], e["max_ns"]]
        if chain != sorted(chain):
            raise ValueError(f"{path}: {e.get('name', 'totals')}: min<=p50<=p90<=p99<=max fails: {chain}")
        if not e["min_ns"] <= e["mean_ns"] <= e["max_ns"]:
            raise ValueError(f"{path}: {e.get('name', 'totals')}: mean outside [min, max]")
        io = e.get("io_size")
        if io:
            chain = [io["min_bytes"], io["p50_bytes"], io["p90_bytes"], io["p99_bytes"], io["max_bytes"]]
            if chain != sorted(chain):
                raise ValueError(f"{path}: {e.get('name', 'totals')}: I/O sizes out of order: {chain}")
        if e["errors"] > e["count"]:
            raise ValueError(f"{path}: {e.get('name', 'totals')}: more errors than calls")
    # A live daemon snapshot reads its maps one after another while the host
    # keeps running, so only a finished recording must add up exactly.
    if "daemon" not in report:
        for s in report["syscalls"]:
            if sum(s["errnos"].values()) != s["errors"]:
                raise ValueError(f"{path}: {s['name']}: errnos do not add up to errors")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "report.schema.json")) as f:
        schema = json.load(f)
    for path in sys.argv[1:]:
        try:
            check(path, schema)
        except (jsonschema.ValidationError, ValueError) as e:
            print(f"{path}: invalid: {str(e).splitlines()[0]}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
