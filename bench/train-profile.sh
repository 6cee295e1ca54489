#!/usr/bin/env bash
# Where each head's training time goes at ViT-B shape: every head (or BENCH_PROBES) trained for one pass at one
# thread under PyTorch's profiler (bench/train-scale.sh with BENCH_PROFILE_DIR), then the self time per op
# summarised by bench/profile_ops.py into OUT (default bench/results/train-profile.json; set OUT when profiling a
# few heads, or the committed table is replaced). Each head's untraced one-thread CPU time from the same run and the
# load average are recorded beside its trace, so a disturbed trace shows. The traced pass is slower than an untraced
# one (the profiler's own cost per op), so read shares, not seconds.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="$(mktemp -d "${TMPDIR:-/tmp}/glimpse-train-profile.XXXX")"
trap 'rm -rf "$dir"' EXIT
BENCH_THREADS=1 BENCH_ALL_IN_ONE=false BENCH_FIXTURE_ROWS=0 BENCH_PROFILE_DIR="$dir" BENCH_OUT="$dir/scale.json" \
  bash "$root/bench/train-scale.sh"
python3 "$root/bench/profile_ops.py" "$dir" "${OUT:-$root/bench/results/train-profile.json}" "$dir/scale.json" \
  "$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
