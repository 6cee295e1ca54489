#!/usr/bin/env bash
# CLS-only linear probe from the vector sidecar vs from the full tokens -> bench/results/vectors.json (or $OUT): one
# LP-CLS epoch each way on the same entry pair, alternating, median of BENCH_REPEATS, CPU and wall seconds, the bytes
# each epoch reads and the one-off sidecar build; then, where python3 has torch (Debian: python3-torch), the same head
# in PyTorch on the same CLS vectors held in memory (bench/lp_torch.py), same batch, one thread, same run.
# Entries: TRAIN_KEY and TEST_KEY (keys in GLIMPSE_CACHE, e.g. the Fashion-MNIST caches of `make extract`), or else a
# synthetic pair: ROWS (train rows, default 4000; the test split gets a quarter), T (default 197), D (default 768).
# Env: BENCH_REPEATS (default 5; the first epochs include JIT compiling), EPOCHS (epochs per measurement, default 10:
#      process CPU time comes in 10 ms ticks), BENCH_THREADS (torch threads, default 1), BATCH (default 1024), KEEP=1 keeps the
# synthetic entries. Run it on a quiet machine: the ratios are what it reports.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source conf/native.env
source conf/native-train.env
[ -f cli/target/glimpse.jar ] && [ -f train/target/test-classes/io/glimpse/train/bench/VectorEpochBenchmark.class ] \
  || mvn -q -B -ntp -DskipTests package
work="$(mktemp -d "${TMPDIR:-/tmp}/glimpse-vectors-bench.XXXX")"
trap '[ "${KEEP:-0}" = 1 ] || rm -rf "$work"' EXIT
java_run() { java -Dai.djl.pytorch.num_threads="${BENCH_THREADS:-1}" -Dai.djl.pytorch.num_interop_threads=1 \
  @"$root/conf/jvm.options" -cp "cli/target/glimpse.jar:train/target/test-classes" "$@"; }
if [ -n "${TRAIN_KEY:-}" ]; then
  cache="${GLIMPSE_CACHE:-$HOME/.cache/glimpse}"
  train_key="$TRAIN_KEY"; test_key="$TEST_KEY"
else
  cache="$work/cache"
  rows="${ROWS:-4000}"
  synth() { java_run io.glimpse.cli.Glimpse cache synth --cache-dir "$cache" --quiet --classes 100 --tokens "${T:-197}" --dim "${D:-768}" "$@" \
    | grep -o 'synth: [0-9a-f]*' | awk '{print $2}'; }
  train_key="$(synth --rows "$rows" --split train)"
  test_key="$(synth --rows $((rows / 4)) --split test)"
fi
out="${OUT:-bench/results/vectors.json}"
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
java_run io.glimpse.train.bench.VectorEpochBenchmark --cache "$cache" --train "$train_key" --test "$test_key" \
  --repeats "${BENCH_REPEATS:-5}" --epochs "${EPOCHS:-10}" --batch "${BATCH:-1024}" --export "$work/export" --out "$out"
# Debian's python3-torch lives under /usr/bin/python3, which a pyenv or venv python3 on PATH does not see
py="${PYTHON:-/usr/bin/python3}"
if "$py" -c 'import torch' 2>/dev/null; then
  torch_json="$("$py" bench/lp_torch.py "$work/export" "${BATCH:-1024}" "${BENCH_REPEATS:-5}" "${EPOCHS:-10}")"
  python3 - "$out" "$torch_json" "$load_before" <<'PY'
import json, sys
out, ref, before = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3]
r = json.load(open(out))
r["pytorch_in_memory"] = ref
r["epoch_cpu_ratio_vectors_over_pytorch"] = round(r["epoch_cpu_seconds_vectors"] / ref["epoch_cpu_seconds"], 3)
r["load_average_before"] = before
r["load_average_after"] = open("/proc/loadavg").read().split()[:3]
json.dump(r, open(out, "w"), indent=2)
print(json.dumps(r, indent=2))
PY
else
  echo "vectors: $py has no torch (apt-get install python3-torch): no PyTorch reference in $out" >&2
fi
