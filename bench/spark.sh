#!/usr/bin/env bash
# Spark benchmark: the full Fashion-MNIST extraction (both splits) by one JVM and by `--spark local[N]` on the same
# machine, same options and shard size, each into its own temporary cache. Writes bench/results/spark.json: wall
# seconds both ways, their ratio (target >= 0.9), the start-up costs (a run that only finds the complete entries:
# the JVM alone, and the JVM + a Spark context), and whether the two caches' shards are byte-identical.
set -euo pipefail
cd "$(dirname "$0")/.."
MASTER=${MASTER:-local[2]}
ROWS=${ROWS:-5000}        # rows per shard = rows per Spark task: 12 + 2 tasks
BATCH=${BATCH:-256}
OUT=${OUT:-bench/results/spark.json}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/glimpse-spark-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
ARGS=(extract --split train --split test --batch "$BATCH" --rows-per-shard "$ROWS" --device cpu --no-progress)

seconds() { local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null; t1=$(date +%s.%N); echo "$t1 - $t0" | bc -l; }

load_before=$(cut -d" " -f1-3 /proc/loadavg)
single=$(seconds bin/glimpse "${ARGS[@]}" --cache "$WORK/single")
spark=$(seconds bin/glimpse "${ARGS[@]}" --cache "$WORK/spark" --spark "$MASTER")
single_hit=$(seconds bin/glimpse "${ARGS[@]}" --cache "$WORK/single")
spark_hit=$(seconds bin/glimpse "${ARGS[@]}" --cache "$WORK/spark" --spark "$MASTER")
load_after=$(cut -d" " -f1-3 /proc/loadavg)
same=true
for f in "$WORK"/single/*/shard-*.arrow; do
  cmp -s "$f" "$WORK/spark/${f#"$WORK"/single/}" || same=false
done
mkdir -p "$(dirname "$OUT")"
printf '{\n  "dataset": "fashion-mnist train+test (70000 images)",\n  "master": "%s",\n  "rows_per_shard": %s,\n  "batch": %s,\n  "single_jvm_seconds": %.1f,\n  "spark_seconds": %.1f,\n  "ratio_single_over_spark": %.3f,\n  "startup_seconds_single_jvm": %.1f,\n  "startup_seconds_spark": %.1f,\n  "shards_byte_identical": %s,\n  "cores": %s,\n  "load_average_before": "%s",\n  "load_average_after": "%s"\n}\n' \
  "$MASTER" "$ROWS" "$BATCH" "$single" "$spark" "$(echo "$single / $spark" | bc -l)" "$single_hit" "$spark_hit" "$same" "$(nproc)" "$load_before" "$load_after" > "$OUT"
cat "$OUT"
