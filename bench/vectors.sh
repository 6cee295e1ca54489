#!/usr/bin/env bash
# CLS-only linear probe from the vector sidecar vs from the full tokens -> bench/results/vectors.json: one LP-CLS
# epoch each way on the same synthetic entry pair, alternating, median of BENCH_REPEATS, CPU and wall seconds, the
# bytes each epoch reads and the one-off sidecar build. Env: ROWS (train rows, default 4000; the test split gets a
# quarter), T (default 197), D (default 768), BENCH_REPEATS (default 3), BENCH_THREADS (torch threads, default 1),
# KEEP=1 keeps the synthetic entries. Run it on a quiet machine: the ratio is what it reports.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source conf/native.env
[ -f cli/target/glimpse.jar ] && [ -f train/target/test-classes/io/glimpse/train/bench/VectorEpochBenchmark.class ] \
  || mvn -q -B -ntp -DskipTests package
cache="$(mktemp -d "${TMPDIR:-/tmp}/glimpse-vectors-bench.XXXX")"
trap '[ "${KEEP:-0}" = 1 ] || rm -rf "$cache"' EXIT
java_run() { java -Dai.djl.pytorch.num_threads="${BENCH_THREADS:-1}" -Dai.djl.pytorch.num_interop_threads=1 \
  @"$root/conf/jvm.options" -cp "cli/target/glimpse.jar:train/target/test-classes" "$@"; }
rows="${ROWS:-4000}"
synth() { java_run io.glimpse.cli.Glimpse cache synth --cache-dir "$cache" --quiet --classes 100 --tokens "${T:-197}" --dim "${D:-768}" "$@" \
  | grep -o 'synth: [0-9a-f]*' | awk '{print $2}'; }
train_key="$(synth --rows "$rows" --split train)"
test_key="$(synth --rows $((rows / 4)) --split test)"
uptime
java_run io.glimpse.train.bench.VectorEpochBenchmark --cache "$cache" --train "$train_key" --test "$test_key" \
  --repeats "${BENCH_REPEATS:-3}" --out bench/results/vectors.json
uptime
