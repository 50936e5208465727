#!/usr/bin/env python3
"""Kaplan–Meier interop: DeepRelief's estimator against lifelines' `KaplanMeierFitter` on generated relief episodes.

For each case the episodes go through `deeprelief benchmark kaplan-meier` (binary in, CSV table out) and through
`KaplanMeierFitter(alpha=1 - confidence).fit(durations, event_observed)`; the check asserts, row for row:
- the same timeline (day 0 and every day with an event or a censoring) and the same at-risk, event and censored counts
  (lifelines' `event_table`);
- survival (`survival_function_`) and both limits (`confidence_interval_`, exponential Greenwood / log(−log)) within 1e-9;
- the same median (`median_survival_time_`, ∞ = not reached) and the same median interval
  (`median_survival_times(confidence_interval_)`).
Cases: several seeds and sizes, heavy ties (days 0–20) and heavy censoring, durations of 0, survival reaching 0, a
median not reached, 90 % and 99 % bands, a single episode, and days spread over 0–10⁷ (the estimator's sorted path).

Usage: km_lifelines.py /path/to/deeprelief   (needs numpy and lifelines from PyPI). Exits 1 on any mismatch.
"""
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
from lifelines import KaplanMeierFitter
from lifelines.utils import median_survival_times

BIN = sys.argv[1]
TOLERANCE = 1e-9
passed = failed = 0


def check(name, cond, detail=""):
    global passed, failed
    if cond:
        passed += 1
        print(f"PASS {name}", flush=True)
    else:
        failed += 1
        print(f"FAIL {name} {str(detail)[-800:]}", flush=True)


def lognormal_case(seed, n, censored_share, median_days=60.0, cap=365):
    rng = np.random.default_rng(seed)
    relief = np.rint(rng.lognormal(np.log(median_days), 0.7, n))
    ended = rng.random(n) >= censored_share
    durations = np.where(ended, relief, np.floor(relief * rng.random(n)))
    ended &= durations <= cap
    return np.minimum(durations, cap).astype(np.int32), ended


def uniform_case(seed, n, high, event_share):
    rng = np.random.default_rng(seed)
    return rng.integers(0, high + 1, n).astype(np.int32), rng.random(n) < event_share


def cases():
    yield "lognormal, 1,000 episodes, 30 % censored (seed 1)", *lognormal_case(1, 1_000, 0.3), 0.95
    yield "lognormal, 50,000 episodes, 30 % censored (seed 2)", *lognormal_case(2, 50_000, 0.3), 0.95
    yield "lognormal, 200,000 episodes, 30 % censored (seed 3)", *lognormal_case(3, 200_000, 0.3), 0.95
    yield "heavy ties: 5,000 episodes on days 0-20, half censored (seed 4)", *uniform_case(4, 5_000, 20, 0.5), 0.95
    yield "heavy censoring: 2,000 episodes, 85 % censored (seed 5)", *lognormal_case(5, 2_000, 0.85), 0.95
    yield "median not reached: 3,000 episodes, 10 % ended (seed 6)", *uniform_case(6, 3_000, 200, 0.1), 0.95
    d, _ = uniform_case(7, 400, 30, 1.0)
    yield "survival reaches 0: 400 episodes, every one ended (seed 7)", d, np.ones(len(d), dtype=bool), 0.95
    rng = np.random.default_rng(8)
    d = np.concatenate([rng.integers(0, 50, 300), [60, 60, 60]]).astype(np.int32)
    e = np.concatenate([rng.random(300) < 0.6, [True, True, True]])
    yield "survival reaches 0 after censorings: last day all ended (seed 8)", d, e, 0.95
    yield "small samples, zero days and ties: 12 episodes on days 0-4 (seed 9)", *uniform_case(9, 12, 4, 0.6), 0.95
    yield "90 % band: 10,000 episodes (seed 10)", *lognormal_case(10, 10_000, 0.3), 0.90
    yield "99 % band: 10,000 episodes (seed 11)", *lognormal_case(11, 10_000, 0.3), 0.99
    yield "single episode, ended on day 5", np.array([5], dtype=np.int32), np.array([True]), 0.95
    yield "single episode, censored on day 0", np.array([0], dtype=np.int32), np.array([False]), 0.95
    yield "days spread over 0-10,000,000: 300 episodes (seed 12)", *uniform_case(12, 300, 10_000_000, 0.7), 0.95


def write_input(path, durations, ended):
    with open(path, "wb") as f:
        f.write(np.int64(len(durations)).astype("<i8").tobytes())
        f.write(durations.astype("<i4").tobytes())
        f.write(ended.astype(np.uint8).tobytes())


def read_table(path):
    with open(path) as f:
        header = f.readline().strip().split(",")
        rows = [line.strip().split(",") for line in f if line.strip()]
    cols = {name: [r[i] for r in rows] for i, name in enumerate(header)}
    table = {k: np.array([int(v) for v in cols[k]], dtype=np.int64) for k in ("time", "at_risk", "events", "censored")}
    table.update({k: np.array([float(v) for v in cols[k]]) for k in ("survival", "lower", "upper")})
    return table


def day(value):
    return None if np.isinf(value) else int(value)


def run_case(work, name, durations, ended, confidence):
    inp, out = os.path.join(work, "episodes.bin"), os.path.join(work, "table.csv")
    write_input(inp, durations, ended)
    run = subprocess.run([BIN, "benchmark", "kaplan-meier", "--input", inp, "--output", out, "--repeat", "1",
                          "--confidence", repr(confidence)], capture_output=True, text=True, timeout=120)
    if run.returncode != 0:
        check(f"{name}: deeprelief benchmark kaplan-meier runs", False, run.stderr)
        return
    meta = json.loads(run.stdout)
    ours = read_table(out)
    kmf = KaplanMeierFitter(alpha=1 - confidence).fit(durations, event_observed=ended)
    et = kmf.event_table
    theirs_counts = {"time": et.index.values, "at_risk": et["at_risk"].values, "events": et["observed"].values,
                     "censored": et["censored"].values}
    same_counts = all(len(v) == len(ours[k]) and np.array_equal(v.astype(np.int64), ours[k]) for k, v in theirs_counts.items())
    check(f"{name}: timeline, at-risk, events and censored equal lifelines' event_table ({len(et)} rows)", same_counts,
          {k: (v[:8].tolist(), ours[k][:8].tolist()) for k, v in theirs_counts.items()})
    if not same_counts:
        return
    theirs = {"survival": kmf.survival_function_.iloc[:, 0].values,
              "lower": kmf.confidence_interval_.iloc[:, 0].values,
              "upper": kmf.confidence_interval_.iloc[:, 1].values}
    diffs = {k: float(np.max(np.abs(v - ours[k]))) for k, v in theirs.items()}
    worst = {k: int(np.argmax(np.abs(v - ours[k]))) for k, v in theirs.items()}
    check(f"{name}: survival, lower and upper within {TOLERANCE:g} of lifelines (max |diff| "
          + ", ".join(f"{k} {d:.2g}" for k, d in diffs.items()) + ")",
          all(d <= TOLERANCE for d in diffs.values()),
          {k: (int(ours['time'][i]), theirs[k][i], ours[k][i]) for k, i in worst.items()})
    ci = median_survival_times(kmf.confidence_interval_)
    expected = (day(kmf.median_survival_time_), day(ci.iloc[0, 0]), day(ci.iloc[0, 1]))
    got = (meta["median"], meta["median_lower"], meta["median_upper"])
    check(f"{name}: median and its interval equal lifelines' {expected}", got == expected, f"ours {got}")
    return ours


def main():
    seen_zero = seen_not_reached = False
    with tempfile.TemporaryDirectory(prefix="deeprelief-km-") as work:
        for name, durations, ended, confidence in cases():
            ours = run_case(work, name, durations, ended, confidence)
            if ours is not None:
                seen_zero |= bool(ours["survival"][-1] == 0)
                seen_not_reached |= bool(ours["survival"][-1] > 0.5)
    check("the cases include a curve that reaches 0 and one whose median is not reached", seen_zero and seen_not_reached)
    print(f"{passed} passed, {failed} failed")
    if failed:
        print("Kaplan–Meier differs from lifelines: see the FAIL lines above", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
