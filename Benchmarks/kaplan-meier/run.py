#!/usr/bin/env python3
"""Kaplan–Meier benchmark: DeepRelief's `KaplanMeier.fit` against lifelines' `KaplanMeierFitter.fit` on the same
1,000,000 synthetic relief episodes, in the same run, with the tables compared row by row.

  python run.py [--binary PATH] [--n 1000000] [--repeat 10] [--seed 20261125] [--markdown FILE]

Needs numpy and lifelines (e.g. `python3 -m venv /tmp/km-venv && /tmp/km-venv/bin/pip install lifelines`) and a
release build of deeprelief (`swift build -c release --product deeprelief --scratch-path .build-release`).
Both sides are timed from arrays in memory to the full table (times, at-risk, events, censored, survival, lower,
upper), best and median of the same number of fits after one untimed warm-up fit each. Exits non-zero when the
tables differ (counts not equal, or survival/limits more than 1e-9 apart); a missed speed target is reported, not fatal.
"""
import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
import lifelines
from lifelines import KaplanMeierFitter
from lifelines.utils import median_survival_times

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOLERANCE = 1e-9
TARGET = 10.0


def episodes(n, seed):
    """Whole-day relief durations: lognormal around 60 days (5th–95th percentile ≈ 19–190), ~70 % ended; a censored
    episode is cut at a uniform fraction of its relief (last follow-up, or a booster); follow-up stops at 365 days."""
    rng = np.random.default_rng(seed)
    relief = np.rint(rng.lognormal(mean=np.log(60.0), sigma=0.7, size=n))
    ended = rng.random(n) < 0.7
    durations = np.where(ended, relief, np.floor(relief * rng.random(n)))
    ended &= durations <= 365
    durations = np.minimum(durations, 365).astype(np.int32)
    return durations, ended


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
    ints = {k: np.array([int(v) for v in cols[k]]) for k in ("time", "at_risk", "events", "censored")}
    floats = {k: np.array([float(v) for v in cols[k]]) for k in ("survival", "lower", "upper")}
    return {**ints, **floats}


def compare(ours, kmf):
    """Max abs differences per column and a list of problems (empty when the tables agree)."""
    problems = []
    et = kmf.event_table
    expected = {
        "time": et.index.values,
        "at_risk": et["at_risk"].values,
        "events": et["observed"].values,
        "censored": et["censored"].values,
    }
    for name, values in expected.items():
        if len(values) != len(ours[name]) or not np.array_equal(values.astype(np.int64), ours[name]):
            problems.append(f"{name} differs (lifelines {len(values)} rows, ours {len(ours[name])})")
    diffs = {}
    theirs = {
        "survival": kmf.survival_function_.iloc[:, 0].values,
        "lower": kmf.confidence_interval_.iloc[:, 0].values,
        "upper": kmf.confidence_interval_.iloc[:, 1].values,
    }
    for name, values in theirs.items():
        if len(values) != len(ours[name]):
            problems.append(f"{name}: {len(values)} rows in lifelines, {len(ours[name])} in ours")
            diffs[name] = float("inf")
            continue
        d = float(np.max(np.abs(values - ours[name])))
        diffs[name] = d
        if not d <= TOLERANCE:
            problems.append(f"{name}: max |difference| {d:.3g} > {TOLERANCE:g}")
    return diffs, problems


def as_day(value):
    return None if np.isinf(value) else int(value)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--binary", default=os.path.join(ROOT, ".build-release", "release", "deeprelief"))
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=10)
    ap.add_argument("--seed", type=int, default=20261125)
    ap.add_argument("--markdown", help="also write the result table (Markdown) to this file")
    args = ap.parse_args()

    durations, ended = episodes(args.n, args.seed)
    with tempfile.TemporaryDirectory(prefix="km-bench-") as tmp:
        inp, out = os.path.join(tmp, "episodes.bin"), os.path.join(tmp, "table.csv")
        write_input(inp, durations, ended)
        run = subprocess.run([args.binary, "benchmark", "kaplan-meier", "--input", inp, "--output", out,
                              "--repeat", str(args.repeat)], capture_output=True, text=True)
        if run.returncode != 0:
            sys.exit(f"deeprelief failed ({run.returncode}): {run.stderr}")
        swift = json.loads(run.stdout)
        ours = read_table(out)

    # lifelines: the same arrays, in memory; one untimed warm-up fit, then the same number of timed fits
    KaplanMeierFitter().fit(durations, event_observed=ended)
    runs = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        kmf = KaplanMeierFitter().fit(durations, event_observed=ended)
        runs.append((time.perf_counter() - start) * 1000)
    py_best, py_median = min(runs), statistics.median(runs)

    diffs, problems = compare(ours, kmf)
    medians = median_survival_times(kmf.confidence_interval_)
    expected_medians = (as_day(kmf.median_survival_time_), as_day(medians.iloc[0, 0]), as_day(medians.iloc[0, 1]))
    got_medians = (swift["median"], swift["median_lower"], swift["median_upper"])
    if expected_medians != got_medians:
        problems.append(f"median (lower, upper): lifelines {expected_medians}, ours {got_medians}")

    speedup_best = py_best / swift["best_ms"]
    speedup_median = py_median / swift["median_ms"]
    passed = speedup_median >= TARGET and not problems
    lines = [
        f"| | DeepRelief (Swift, release) | lifelines {lifelines.__version__} |",
        "|---|---:|---:|",
        f"| best of {args.repeat} (ms) | {swift['best_ms']:.3f} | {py_best:.1f} |",
        f"| median of {args.repeat} (ms) | {swift['median_ms']:.3f} | {py_median:.1f} |",
        f"| speed-up (best / median) | **{speedup_best:.0f}× / {speedup_median:.0f}×** | |",
        "",
        f"Episodes: {args.n:,} (seed {args.seed}), {int(ended.sum()):,} ended ({ended.mean():.1%}), "
        f"{len(ours['time'])} rows (days 0–{int(ours['time'][-1])}); median {got_medians[0]} days "
        f"(95 % CI {got_medians[1]}–{got_medians[2]}).",
        f"Max |difference| to lifelines: survival {diffs['survival']:.3g}, lower {diffs['lower']:.3g}, "
        f"upper {diffs['upper']:.3g}; times, at-risk, events and censored "
        + ("identical." if not any(p.split()[0] in ("time", "at_risk", "events", "censored") for p in problems) else "DIFFER."),
        f"numpy {np.__version__}, lifelines {lifelines.__version__}, Python {platform.python_version()}.",
        "",
        f"Target ≥ {TARGET:.0f}× faster (median) with survival and limits within {TOLERANCE:g}: "
        + ("**pass**" if passed else "**FAIL**") + ".",
    ]
    text = "\n".join(lines)
    print(text)
    print("swift runs (ms):", ", ".join(f"{v:.3f}" for v in swift["runs_ms"]))
    print("lifelines runs (ms):", ", ".join(f"{v:.1f}" for v in runs))
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(text + "\n")
    if problems:
        print("MISMATCH:\n  " + "\n  ".join(problems), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
