#!/usr/bin/env bash
# int8 vs float16 tokens -> bench/results/int8.json: extracts (or reuses) the embedded backbone's Fashion-MNIST
# train/test caches at hidden_state_4 in both dtypes, trains the heads linear, linear-gap, efficient (32 queries),
# simpool, jepa and cait with the reference recipe (LARS, blr 0.1, batch 1024, 30 epochs, 3 warmup, seed 0), all six
# in one `glimpse train` pass per dtype, the two passes side by side with one torch thread each; then times a gather
# epoch (float32 batches of 1024: float16 widened, int8 dequantised) of both train entries in the same run, and
# writes per head the best top-1 (and its epoch) of both dtypes and their difference in points, the entries' sizes
# on disk and their ratio, the read times and their ratio, the load average and the processors.
#
# Env: EPOCHS (default 30), WARMUP (default 3), LIMIT (extract and train on the first N images of each split;
#      default 0 = all), THREADS (torch threads per pass, default 1), READ_PASSES (gather epochs per entry, median;
#      default 3), RUNS (default bench/work/int8-runs, bench/work/int8-smoke-runs for a smoke run), GLIMPSE_CACHE as
#      usual. A smoke run (EPOCHS other than 30 or a LIMIT) writes its report into RUNS, never bench/results/int8.json.
#      An interrupted run resumes its passes from their checkpoints when started again with the same settings.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source conf/native.env
source conf/native-train.env
epochs="${EPOCHS:-30}"
warmup="${WARMUP:-3}"
limit="${LIMIT:-0}"
threads="${THREADS:-1}"
passes="${READ_PASSES:-3}"
layer=hidden_state_4
probes=linear,linear-gap,efficient,simpool,jepa,cait
command -v jq >/dev/null || { echo "int8: needs jq (apt-get install jq)" >&2; exit 2; }
if [ "$epochs" = 30 ] && [ "$limit" = 0 ]; then
  runs="${RUNS:-$root/bench/work/int8-runs}"; out=bench/results/int8.json
else
  runs="${RUNS:-$root/bench/work/int8-smoke-runs}"; out="$runs/int8.json"
fi
mkdir -p "$runs" bench/results bench/work

# A private copy of the jar and of cache's test classes (DtypeReadBench is a tool there, like the other benchmarks):
# other builds may replace cli/target or cache/target while a long run is going. `package` compiles the test
# classes too (-DskipTests only skips running them).
[ -f cli/target/glimpse.jar ] && [ -f cache/target/test-classes/io/glimpse/cache/bench/DtypeReadBench.class ] \
  || mvn -q -B -ntp -DskipTests package
dist="$(mktemp -d "$root/bench/work/int8-dist.XXXX")"
trap 'rm -rf "$dist"' EXIT
cp -r cli/target/glimpse.jar cli/target/lib "$dist/"
cp -r cache/target/test-classes "$dist/cache-tools"
java_run() { java -Dai.djl.pytorch.num_threads="$threads" -Dai.djl.pytorch.num_interop_threads=1 ${GLIMPSE_JAVA_OPTS:-} \
  @"$root/conf/jvm.options" -cp "$dist/glimpse.jar:$dist/cache-tools" "$@"; }
cache="${GLIMPSE_CACHE:-$HOME/.cache/glimpse}"
limit_opt=(); [ "$limit" != 0 ] && limit_opt=(--limit "$limit")
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"

# extract (or find) one dtype after the other: the extractor uses every core anyway
declare -A train_key test_key
for dtype in float16 int8; do
  keys="$(java_run io.glimpse.cli.Glimpse extract --layers "$layer" --dtype "$dtype" "${limit_opt[@]}" --no-progress | grep -o 'key [0-9a-f]*' | awk '{print $2}')"
  train_key[$dtype]="$(sed -n 1p <<<"$keys")"; test_key[$dtype]="$(sed -n 2p <<<"$keys")"
  [ -n "${train_key[$dtype]}" ] && [ -n "${test_key[$dtype]}" ] || { echo "int8: extraction at $dtype printed no keys" >&2; exit 1; }
  echo "int8: $dtype entries train ${train_key[$dtype]:0:12}, test ${test_key[$dtype]:0:12}" >&2
done

# the six heads in one pass per dtype, both passes at once
pass() {
  local dtype="$1" log="$runs/train-$1.log"
  echo "int8: training $probes on $dtype ($epochs epochs) -> $log" >&2
  java_run io.glimpse.cli.Glimpse train --cache "$cache" --runs "$runs/$dtype" --quiet \
    --train-cache "${train_key[$dtype]}" --test-cache "${test_key[$dtype]}" --layer "$layer" \
    --probe "$probes" --queries 32 --optimizer lars --blr 0.1 --batch 1024 --epochs "$epochs" --warmup "$warmup" --seed 0 \
    >"$log" 2>&1 || { echo "int8: the $dtype pass failed (see $log)" >&2; return 1; }
}
pass float16 & p16=$!
pass int8 & p8=$!
wait "$p16"; wait "$p8"

# per head: best top-1 and its epoch, from the pass's own summary lines
heads() {
  sed -nE 's/^train: ([^ ]+) .* top1 best ([0-9.]+) @([0-9]+),.*/\1\t\2\t\3/p' "$runs/train-$1.log" \
    | jq -R -s 'split("\n") | map(select(length > 0) | split("\t") | {(.[0]): {top1_best: (.[1] | tonumber), best_epoch: (.[2] | tonumber)}}) | add'
}
heads float16 >"$runs/heads-float16.json"
heads int8 >"$runs/heads-int8.json"

echo "int8: timing gather epochs of both train entries ($passes passes each)" >&2
java_run io.glimpse.cache.bench.DtypeReadBench "$cache" "$passes" "${train_key[float16]}" "${train_key[int8]}" >"$runs/read.json"
entry_bytes() { du -sb "$cache/$1" | cut -f1; }

jq -n --slurpfile f16 "$runs/heads-float16.json" --slurpfile i8 "$runs/heads-int8.json" --slurpfile read "$runs/read.json" \
  --arg probes "$probes" --argjson epochs "$epochs" --argjson warmup "$warmup" --argjson limit "$limit" --arg layer "$layer" \
  --argjson train16 "$(entry_bytes "${train_key[float16]}")" --argjson train8 "$(entry_bytes "${train_key[int8]}")" \
  --argjson test16 "$(entry_bytes "${test_key[float16]}")" --argjson test8 "$(entry_bytes "${test_key[int8]}")" \
  --arg load_before "$load_before" --arg load_after "$(cut -d' ' -f1-3 /proc/loadavg)" --argjson nproc "$(nproc)" \
  --arg when "$(date -u +%Y-%m-%dT%H:%M:%SZ)" --arg commit "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" \
  --arg trained "$(cat "$runs"/*/*/result.json 2>/dev/null | jq -r '.git_commit // empty' | cut -c1-7 | sort -u | paste -sd, -)" '
  def r2: . * 100 | round / 100;
  def r4: . * 10000 | round / 10000;
  ($read[0].entries | map({(.dtype): .}) | add) as $rd |
  {
    what: "int8 (one float32 scale per token) vs float16 tokens: embedded backbone, Fashion-MNIST, one train pass of six heads per dtype",
    recipe: {optimizer: "lars", blr: 0.1, batch: 1024, epochs: $epochs, warmup: $warmup, seed: 0, queries: 32, layer: $layer, limit: $limit},
    heads: ($probes | split(",") | map(. as $p | {($p): {
      float16: $f16[0][$p], int8: $i8[0][$p],
      diff_points: (if $f16[0][$p] and $i8[0][$p] then ($i8[0][$p].top1_best - $f16[0][$p].top1_best) | r2 else null end)
    }}) | add),
    size: {
      train_bytes: {float16: $train16, int8: $train8, ratio: ($train8 / $train16 | r4)},
      test_bytes: {float16: $test16, int8: $test8, ratio: ($test8 / $test16 | r4)},
      shard_bytes_train: {float16: $rd.float16.shard_bytes, int8: $rd.int8.shard_bytes, ratio: ($rd.int8.shard_bytes / $rd.float16.shard_bytes | r4)},
      token_bytes_per_row: {float16: $rd.float16.token_bytes_per_row, int8: $rd.int8.token_bytes_per_row}
    },
    read: {
      what: "one gather epoch of the train entry into float32 [1024, T, D] batches, warm page cache, median of \($read[0].passes) passes per dtype, taking turns",
      rows: $rd.float16.rows,
      shuffled_seconds: {float16: $rd.float16.shuffled_epoch_seconds, int8: $rd.int8.shuffled_epoch_seconds,
                         ratio: ($rd.int8.shuffled_epoch_seconds / $rd.float16.shuffled_epoch_seconds | r4)},
      sequential_seconds: {float16: $rd.float16.sequential_epoch_seconds, int8: $rd.int8.sequential_epoch_seconds,
                           ratio: ($rd.int8.sequential_epoch_seconds / $rd.float16.sequential_epoch_seconds | r4)}
    },
    machine: {processors: $nproc, load_average_before: $load_before, load_average_after: $load_after,
              torch_threads_per_pass: '"$threads"', passes_in_parallel: 2},
    date: $when, commit: $commit,
    heads_trained_at_commits: ($trained | split(",")),
    note: "a rerun reuses finished training passes, so the heads may come from an earlier commit than the read timing"
  }' >"$out"
echo "int8: wrote $out" >&2
jq -r '.heads | to_entries[] | "\(.key)\tfloat16 \(.value.float16.top1_best)\tint8 \(.value.int8.top1_best)\tdiff \(.value.diff_points)"' "$out" >&2
