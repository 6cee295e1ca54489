#!/usr/bin/env bash
# Training cost at ViT-B shape -> bench/results/train-scale.json: the engine's float32 matmul rate and memory
# bandwidth (1 and 2 threads), then every head on synthetic ViT-B/16 ImageNet tokens (`glimpse cache synth`, T=197,
# D=768, C=1000, float16) in its own JVM: params, forward+backward FLOPs per sample, steady-state CPU and wall
# seconds per 10k rows at each thread count, achieved FLOP/s and ratio to the binding limit, peak memory; all heads
# in one pass against the sum of single passes; and the fixture-shape table of bench/train.sh (fewer rows).
# Each head's measured passes follow two warm-up steps at the same batch (the allocator's heap then has the steps' size).
# A measured pass's first step (it allocates the pass's buffers) is not counted, so a pass needs >= 2 steps.
# Env: BENCH_ROWS (rows per measured pass, default 768), BENCH_BATCH (default 256), BENCH_THREADS (default 1,2), BENCH_PROBES (comma list, default every head), BENCH_ALL_IN_ONE
# (default true), BENCH_TOKENS / BENCH_DIM / BENCH_CLASSES (default 197 / 768 / 1000), BENCH_FIXTURE_ROWS (rows of
# the fixture-shape table, default 2048; 0 skips it), BENCH_PROFILE_DIR (a folder: each head also gets a one-thread
# pass traced by PyTorch's profiler into <probe>.trace.json; bench/train-profile.sh summarises them). About 15 minutes
# at the defaults on 2 idle cores.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source conf/native.env
source conf/native-train.env
# GLIMPSE_REBUILD=1 rebuilds jars that predate a source change (as for bin/glimpse)
[ -z "${GLIMPSE_REBUILD:-}" ] && [ -f cli/target/glimpse.jar ] && [ -f train/target/test-classes/io/glimpse/train/bench/TrainScaleBenchmark.class ] \
  || mvn -q -B -ntp -DskipTests package
dist="$(mktemp -d "${TMPDIR:-/tmp}/glimpse-train-scale.XXXX")"
trap 'rm -rf "$dist"' EXIT
cp -r cli/target/glimpse.jar cli/target/lib "$dist/"
cp -r train/target/test-classes "$dist/train-tools"
java_run() { java -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1 \
  @"$root/conf/jvm.options" -cp "$dist/glimpse.jar:$dist/train-tools" "$@"; }
rows="${BENCH_ROWS:-768}"
shape=(--tokens "${BENCH_TOKENS:-197}" --dim "${BENCH_DIM:-768}" --classes "${BENCH_CLASSES:-1000}")
synth() { java_run io.glimpse.cli.Glimpse cache synth --quiet "${shape[@]}" "$@" | grep -o 'synth: [0-9a-f]*' | awk '{print $2}'; }
train_key="$(synth --rows "$rows" --split train)"
test_key="$(synth --rows 64 --split test)"
cache="${GLIMPSE_CACHE:-$HOME/.cache/glimpse}"
fixture=""
if [ "${BENCH_FIXTURE_ROWS:-2048}" != 0 ]; then
  fixture="$dist/fixture.json"
  keys="$(java_run io.glimpse.cli.Glimpse extract --layers hidden_state_4 --no-progress | grep -o 'key [0-9a-f]*' | awk '{print $2}')"
  java_run io.glimpse.train.bench.TrainBenchmark --cache "$cache" --train "$(sed -n 1p <<<"$keys")" --test "$(sed -n 2p <<<"$keys")" \
    --rows "${BENCH_FIXTURE_ROWS:-2048}" --repeats 1 --out "$fixture"
fi
java_run io.glimpse.train.bench.TrainScaleBenchmark --cache "$cache" --train "$train_key" --test "$test_key" \
  --rows "$rows" --batch "${BENCH_BATCH:-256}" --threads "${BENCH_THREADS:-1,2}" --classes "${BENCH_CLASSES:-1000}" --all-in-one "${BENCH_ALL_IN_ONE:-true}" \
  ${BENCH_PROBES:+--probes "$BENCH_PROBES"} ${BENCH_PROFILE_DIR:+--profile-dir "$BENCH_PROFILE_DIR"} ${fixture:+--fixture "$fixture"} --out "${BENCH_OUT:-bench/results/train-scale.json}"
