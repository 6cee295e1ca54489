#!/usr/bin/env bash
# Memory-estimate calibration -> bench/results/memory.json: for each shape (tokens x dim) and probe, one epoch of
# `glimpse train` at two batch sizes on a synthetic entry, its peak RSS (GNU time) beside the trainer's own estimate
# for the pass. The RSS difference between the two batch sizes over the batch difference is the measured cost per
# batch row (JVM, libtorch and the mapped cache cancel out); docs/memory.md compares it with the estimate's.
# Env: MEMORY_CASES, each <tokens>x<dim>:<rows>:<batch>,<batch>:<probes> with one run per '+'-separated --probe
# value (default: the fixture's shape at batches 512 and 2048, and ViT-S/16's at 128 and 512: gaps large enough that
# the per-row cost stands out of the JVM's noise; a run of three heads together checks that heads add up; dinovit at
# the fixture's shape only, it takes minutes at ViT-S's).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source conf/native.env
source conf/native-train.env
[ -f cli/target/glimpse.jar ] || mvn -q -B -ntp -DskipTests package
work="$(mktemp -d "${TMPDIR:-/tmp}/glimpse-memory.XXXX")"
trap 'rm -rf "$work"' EXIT
glimpse() { java -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1 @"$root/conf/jvm.options" \
  -jar cli/target/glimpse.jar "$@"; }
out=bench/results/memory.json
echo "[" > "$out.tmp"
first=1
all="linear+efficient+simpool+cae"
for case in ${MEMORY_CASES:-50x128:2048:512,2048:$all+dinovit+efficient,simpool,cae 197x384:1024:128,512:$all+efficient,simpool,cae}; do
  IFS=: read -r shape rows batches probes <<<"$case"
  t="${shape%x*}"; d="${shape#*x}"
  key="$(glimpse cache synth --quiet --cache-dir "$work/cache" --rows "$rows" --tokens "$t" --dim "$d" --classes 10 \
    | grep -oE '[0-9a-f]{64}' | head -1)"
  for probe in ${probes//+/ }; do
    for batch in ${batches//,/ }; do
      log="$work/log"
      /usr/bin/time -f "%M" -o "$work/rss" java -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1 \
        @"$root/conf/jvm.options" -jar cli/target/glimpse.jar train --quiet --cache "$work/cache" --runs "$work/runs" \
        --train-cache "$key" --test-cache "$key" --test-limit "$batch" --probe "$probe" --epochs 1 --warmup 0 \
        --batch "$batch" --fresh > "$log"
      estimate="$(grep -oE 'about [0-9.]+ [KMG]iB' "$log" | head -1 | sed 's/about //')"
      rss_kib="$(tail -1 "$work/rss")"
      [ $first = 1 ] || echo "," >> "$out.tmp"; first=0
      printf '  {"tokens": %d, "dim": %d, "probe": "%s", "batch": %d, "peak_rss_kib": %d, "estimate": "%s"}' \
        "$t" "$d" "$probe" "$batch" "$rss_kib" "$estimate" >> "$out.tmp"
      echo "$shape $probe batch $batch: peak RSS $((rss_kib / 1024)) MiB, estimate $estimate" >&2
    done
  done
done
printf '\n]\n' >> "$out.tmp"
mv "$out.tmp" "$out"
