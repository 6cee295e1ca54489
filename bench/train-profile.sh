#!/usr/bin/env bash
# Where each head's training time goes at ViT-B shape: every head (or BENCH_PROBES) trained for one pass at one
# thread under PyTorch's profiler (bench/train-scale.sh with BENCH_PROFILE_DIR), then the self time per op
# summarised by bench/profile_ops.py into bench/results/train-profile.json. The traced pass is slower than an
# untraced one (the profiler's own cost per op), so read shares, not seconds.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="$(mktemp -d "${TMPDIR:-/tmp}/glimpse-train-profile.XXXX")"
trap 'rm -rf "$dir"' EXIT
BENCH_THREADS=1 BENCH_ALL_IN_ONE=false BENCH_FIXTURE_ROWS=0 BENCH_PROFILE_DIR="$dir" BENCH_OUT="$dir/scale.json" \
  bash "$root/bench/train-scale.sh"
python3 "$root/bench/profile_ops.py" "$dir" "$root/bench/results/train-profile.json"
