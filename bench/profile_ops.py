#!/usr/bin/env python3
"""Summarises PyTorch profiler traces (Chrome trace JSON, one per head, from bench/train-scale.sh with
BENCH_PROFILE_DIR): per head, the self time of every op (its own time, its children's subtracted), the share spent
in matrix products, and the top ops; with the run's scale.json, the head's untraced one-thread CPU time and system
share from the same run beside it (a traced time far above it flags a disturbed run).
Usage: profile_ops.py DIR OUT.json [SCALE.json [COMMIT]]"""
import json
import os
import sys
from collections import defaultdict

MATMUL = {"aten::mm", "aten::addmm", "aten::bmm", "aten::baddbmm", "aten::addbmm", "aten::dot", "aten::mv", "aten::addmv"}
CONV = ("aten::mkldnn_convolution", "aten::convolution_backward", "aten::_slow_conv2d_forward",
        "aten::_slow_conv2d_backward", "aten::thnn_conv2d", "aten::_convolution")


def self_times(events):
    """Op name -> self microseconds, over every thread: nested complete events ('X') per thread."""
    by_tid = defaultdict(list)
    for e in events:
        if e.get("ph") == "X" and "dur" in e:
            by_tid[e.get("tid")].append(e)
    out = defaultdict(float)
    for evs in by_tid.values():
        evs.sort(key=lambda e: (float(e["ts"]), -float(e["dur"])))
        stack = []  # [end, name, child_time]
        for e in evs:
            ts, dur = float(e["ts"]), float(e["dur"])
            while stack and stack[-1][0] <= ts:
                end, name, child, d = stack.pop()
                out[name] += d - child
            if stack:
                stack[-1][2] += dur
            stack.append([ts + dur, e["name"], 0.0, dur])
        while stack:
            end, name, child, d = stack.pop()
            out[name] += d - child
    return out


def kind(name):
    if name in MATMUL:
        return "matmul"
    if name.startswith(CONV):
        return "convolution"
    return "other"


def main():
    src, dst = sys.argv[1], sys.argv[2]
    scale = {}
    if len(sys.argv) > 3 and os.path.exists(sys.argv[3]):
        with open(sys.argv[3]) as fh:
            scale = json.load(fh)
    untraced = {h["probe"]: h for h in scale.get("heads", [])}
    rows = scale.get("setup", {}).get("rows_per_pass")
    heads = []
    for f in sorted(os.listdir(src)):
        if not f.endswith(".trace.json"):
            continue
        with open(os.path.join(src, f)) as fh:
            data = json.load(fh)
        events = data["traceEvents"] if isinstance(data, dict) else data
        times = self_times(events)
        total = sum(times.values())
        if total <= 0:
            continue
        shares = defaultdict(float)
        for n, t in times.items():
            shares[kind(n)] += t
        top = sorted(times.items(), key=lambda kv: -kv[1])[:10]
        probe = f[: -len(".trace.json")]
        u = untraced.get(probe, {})
        heads.append({
            "probe": probe,
            "traced_op_seconds": round(total / 1e6, 3),
            "traced_op_seconds_per_10k_rows": round(total / 1e6 / rows * 10000, 2) if rows else None,
            "untraced_cpu_seconds_per_10k_rows": u.get("t1_cpu_s_per_10k"),
            "untraced_system_share": u.get("t1_system_share"),
            "matmul_share": round(shares["matmul"] / total, 3),
            "convolution_share": round(shares["convolution"] / total, 3),
            "other_share": round(shares["other"] / total, 3),
            "top_ops": [{"op": n, "share": round(t / total, 3), "seconds": round(t / 1e6, 3)} for n, t in top],
        })
    with open(dst, "w") as fh:
        setup = scale.get("setup", {})
        json.dump({"what": "PyTorch profiler self time per op of one one-thread training pass per head at the benchmark's shape "
                           "(bench/train-scale.sh BENCH_PROFILE_DIR; summarised by bench/profile_ops.py). The traced pass covers "
                           "every step of the pass and the test evaluation, so its seconds per 10k rows run above the untraced "
                           "steady-state figure; far above it (several times) means the traced run was disturbed",
                   "commit": sys.argv[4] if len(sys.argv) > 4 else None,
                   "rows_per_pass": rows, "batch": setup.get("batch"),
                   "shape": {k: setup.get(k) for k in ("tokens", "dim", "classes")},
                   "load_average_start": setup.get("load_average_start"), "load_average_end": setup.get("load_average_end"),
                   "heads": heads}, fh, indent=1)
        fh.write("\n")
    for h in heads:
        ops = ", ".join(f"{o['op']} {o['share']:.0%}" for o in h["top_ops"][:5])
        print(f"{h['probe']:>14}: matmul {h['matmul_share']:.0%}, conv {h['convolution_share']:.0%}; {ops}")


if __name__ == "__main__":
    main()
