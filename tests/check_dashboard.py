#!/usr/bin/python3
"""Runs every query of tools/grafana-dashboard.json against a live Prometheus:
each must be valid PromQL and succeed ($instance is matched by .*)."""
import json
import os
import sys
import urllib.parse
import urllib.request


def main():
    base = sys.argv[1]
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "..", "tools", "grafana-dashboard.json")) as f:
        dash = json.load(f)
    n = 0
    for panel in dash["panels"]:
        for t in panel["targets"]:
            q = t["expr"].replace("$instance", ".*")
            url = base + "/api/v1/query?" + urllib.parse.urlencode({"query": q})
            with urllib.request.urlopen(url, timeout=10) as r:
                body = json.load(r)
            if body.get("status") != "success":
                print(f"panel '{panel['title']}': {q}: {body}", file=sys.stderr)
                return 1
            n += 1
    print(f"{n} dashboard queries succeeded")
    return 0 if n else 1


if __name__ == "__main__":
    sys.exit(main())
