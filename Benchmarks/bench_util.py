#!/usr/bin/env python3
"""Small helpers for run.sh (standard library only).

  bench_util.py json EXPR              read JSON on stdin, print eval(EXPR) with the document bound to d
  bench_util.py ids                    read PatientPage JSON on stdin, print one patient id per line
  bench_util.py stats                  read one number (seconds) per line on stdin, print "n median p95 max" in ms
  bench_util.py metric ROUTE METHOD    read a Prometheus exposition on stdin, print "sum count" of the
                                       deeprelief_http_request_duration_seconds histogram for that route and method
"""
import json
import math
import re
import sys


def nearest_rank(values, p):
    k = max(0, min(len(values) - 1, math.ceil(p / 100.0 * len(values)) - 1))
    return values[k]


def main():
    cmd = sys.argv[1]
    if cmd == "json":
        d = json.load(sys.stdin)
        v = eval(sys.argv[2], {}, {"d": d})
        print("" if v is None else v)
    elif cmd == "ids":
        d = json.load(sys.stdin)
        for p in d["patients"]:
            print(p["id"])
    elif cmd == "stats":
        vals = sorted(float(x) for x in sys.stdin.read().split())
        if not vals:
            print("0 nan nan nan")
            return
        median = vals[len(vals) // 2] if len(vals) % 2 else (vals[len(vals) // 2 - 1] + vals[len(vals) // 2]) / 2
        print(f"{len(vals)} {median * 1000:.2f} {nearest_rank(vals, 95) * 1000:.2f} {vals[-1] * 1000:.2f}")
    elif cmd == "metric":
        route, method = sys.argv[2], sys.argv[3]
        total = {"sum": 0.0, "count": 0.0}
        pat = re.compile(r'^deeprelief_http_request_duration_seconds_(sum|count)\{(.*)\}\s+(\S+)\s*$')
        for line in sys.stdin:
            m = pat.match(line)
            if not m:
                continue
            labels = dict(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', m.group(2)))
            if labels.get("route") == route and labels.get("method") == method:
                total[m.group(1)] += float(m.group(3))
        print(f"{total['sum']} {int(total['count'])}")
    else:
        sys.exit("unknown command " + cmd)


if __name__ == "__main__":
    main()
