#!/usr/bin/env python3
"""Fixed-rate (open-loop) HTTP load generator for the chart-read latency target.

wrk is closed-loop: when the server stalls, wrk stops sending, so a stall shows up as one slow request instead of
every request that should have been sent during it ("coordinated omission"). This generator instead gives request
number k the send time start + k / rate and measures each latency from that scheduled time, not from the moment
the request actually left. A slow server (or a busy generator) therefore makes every late request count as late.

Workers are threads, each with one keep-alive http.client connection to 127.0.0.1. Any idle worker takes the next
scheduled request, sleeps until its time, sends it and reads the whole response. Standard library only.

Usage: fixed_rate.py --url http://127.0.0.1:PORT --ids FILE --token TOKEN [--rate 500] [--duration 20]
Prints one line "FIXED_RESULT key=value ..." (milliseconds) and a human-readable summary on stderr.
"""
import argparse
import http.client
import itertools
import math
import os
import sys
import threading
import time
import urllib.parse


def percentile(sorted_values, p):
    if not sorted_values:
        return float("nan")
    # Nearest-rank percentile.
    k = max(0, min(len(sorted_values) - 1, math.ceil(p / 100.0 * len(sorted_values)) - 1))
    return sorted_values[k]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--ids", required=True, help="file with one patient id per line")
    ap.add_argument("--token", default=os.environ.get("BENCH_TOKEN", ""))
    ap.add_argument("--rate", type=float, default=500.0, help="requests per second")
    ap.add_argument("--duration", type=float, default=20.0, help="seconds")
    ap.add_argument("--workers", type=int, default=32, help="connections (threads)")
    ap.add_argument("--path", default="/api/v1/patients/{id}")
    args = ap.parse_args()

    u = urllib.parse.urlparse(args.url)
    host, port = u.hostname, u.port or 80
    if host not in ("127.0.0.1", "localhost", "::1"):
        sys.exit("fixed_rate.py only sends load to the loopback interface")
    with open(args.ids) as f:
        ids = [line.strip() for line in f if line.strip()]
    if not ids:
        sys.exit("no ids")
    headers = {"Authorization": "Bearer " + args.token, "Accept": "application/json"}

    total = int(args.rate * args.duration)
    interval = 1.0 / args.rate
    counter = itertools.count()
    lock = threading.Lock()
    latencies = []      # seconds, from the scheduled send time to the end of the response
    service = []        # seconds, from the actual send to the end of the response
    lateness = []       # seconds the send started after its scheduled time (generator or queueing delay)
    errors = {"status": 0, "exception": 0}
    start = time.perf_counter() + 0.5   # let every worker connect first

    def worker():
        conn = http.client.HTTPConnection(host, port, timeout=10)
        conn.connect()
        local_lat, local_svc, local_late = [], [], []
        while True:
            with lock:
                k = next(counter)
            if k >= total:
                break
            scheduled = start + k * interval
            delay = scheduled - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            sent = time.perf_counter()
            path = args.path.replace("{id}", ids[k % len(ids)])
            try:
                conn.request("GET", path, headers=headers)
                resp = conn.getresponse()
                resp.read()
                ok = resp.status == 200
                if resp.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = http.client.HTTPConnection(host, port, timeout=10)
            except Exception:
                ok = None
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=10)
            end = time.perf_counter()
            local_lat.append(end - scheduled)
            local_svc.append(end - sent)
            local_late.append(max(0.0, sent - scheduled))
            if ok is False:
                with lock:
                    errors["status"] += 1
            elif ok is None:
                with lock:
                    errors["exception"] += 1
        conn.close()
        with lock:
            latencies.extend(local_lat)
            service.extend(local_svc)
            lateness.extend(local_late)

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(args.workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=args.duration + 60)
    elapsed = time.perf_counter() - start

    lat = sorted(latencies)
    svc = sorted(service)
    late = sorted(lateness)
    ms = lambda v: v * 1000.0
    fields = {
        "requests": len(lat),
        "target_rate": args.rate,
        "achieved_rate": round(len(lat) / elapsed, 1) if elapsed > 0 else 0,
        "p50_ms": round(ms(percentile(lat, 50)), 3),
        "p90_ms": round(ms(percentile(lat, 90)), 3),
        "p95_ms": round(ms(percentile(lat, 95)), 3),
        "p99_ms": round(ms(percentile(lat, 99)), 3),
        "p999_ms": round(ms(percentile(lat, 99.9)), 3),
        "max_ms": round(ms(lat[-1]), 3) if lat else float("nan"),
        "svc_p50_ms": round(ms(percentile(svc, 50)), 3),
        "svc_p99_ms": round(ms(percentile(svc, 99)), 3),
        "late_p99_ms": round(ms(percentile(late, 99)), 3),
        "late_max_ms": round(ms(late[-1]), 3) if late else float("nan"),
        "non200": errors["status"],
        "exceptions": errors["exception"],
    }
    print("FIXED_RESULT " + " ".join(f"{k}={v}" for k, v in fields.items()))
    sys.stdout.flush()
    return 0 if len(lat) == total and errors["status"] == 0 and errors["exception"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
