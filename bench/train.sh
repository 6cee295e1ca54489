#!/usr/bin/env bash
# Training benchmark -> bench/results/train.json: per head CPU seconds per epoch (full cache, extrapolated from
# one epoch of BENCH_ROWS rows), samples per CPU second, params, FLOPs/sample; 8 linear heads in one pass vs 8
# separate passes; EP32 pool-first vs project-all-tokens. Uses (and if needed extracts) the default hidden_state_4
# caches of the embedded backbone. Env: BENCH_ROWS (default 10240), BENCH_THREADS (torch threads, default 1),
# BENCH_PROBES (comma list for the per-head table; default every registered probe), BENCH_REPEATS (passes per head,
# median reported; default 3).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source conf/native.env
source conf/native-train.env
# TrainBenchmark lives in train's test classes (a tool, like the cache and extract benchmarks); `package` compiles
# them too (-DskipTests only skips running them)
[ -f cli/target/glimpse.jar ] && [ -f train/target/test-classes/io/glimpse/train/bench/TrainBenchmark.class ] \
  || mvn -q -B -ntp -DskipTests package
dist="$(mktemp -d "${TMPDIR:-/tmp}/glimpse-train-bench.XXXX")"
cp -r cli/target/glimpse.jar cli/target/lib "$dist/"
cp -r train/target/test-classes "$dist/train-tools"
java_run() { java -Dai.djl.pytorch.num_threads="${BENCH_THREADS:-1}" -Dai.djl.pytorch.num_interop_threads=1 \
  @"$root/conf/jvm.options" -cp "$dist/glimpse.jar:$dist/train-tools" "$@"; }
keys="$(java_run io.glimpse.cli.Glimpse extract --layers hidden_state_4 --no-progress | grep -o 'key [0-9a-f]*' | awk '{print $2}')"
train_key="$(sed -n 1p <<<"$keys")"; test_key="$(sed -n 2p <<<"$keys")"
cache="${GLIMPSE_CACHE:-$HOME/.cache/glimpse}"
java_run io.glimpse.train.bench.TrainBenchmark --cache "$cache" --train "$train_key" --test "$test_key" \
  --rows "${BENCH_ROWS:-10240}" --repeats "${BENCH_REPEATS:-3}" ${BENCH_PROBES:+--probes "$BENCH_PROBES"} --out bench/results/train.json
rm -rf "$dist"
