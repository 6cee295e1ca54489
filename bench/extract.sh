#!/usr/bin/env bash
# Extraction benchmark: the full Fashion-MNIST (70,000 images) through the embedded backbone end to end
# (decode, preprocess, ONNX Runtime, float16 conversion, shard writes) and, in the same JVM, the raw baseline: the
# same ORT session settings in a loop on preprocessed batches of the same size and threads, before and after each
# of ROUNDS (default 6: five warm rounds, so one middle one) end-to-end runs. Round 1 is cold (JIT compilation of the pipeline); the reported ratio is the
# median of the warm rounds, the cold one is reported beside it. Writes bench/results/extract.json (images/s both
# ways, their ratio per round, peak RSS) and deletes its temporary cache.
set -euo pipefail
cd "$(dirname "$0")/.."
BACKBONE=${BACKBONE:-conf/backbones/fmnist-mae-vit.yaml}
DATASET=${DATASET:-conf/datasets/fashion-mnist.yaml}
BATCH=${BATCH:-256}; THREADS=${THREADS:-0}; WORKERS=${WORKERS:-0}; ROUNDS=${ROUNDS:-6}
SUFFIX=${GLIMPSE_TARGET_SUFFIX:-}
MVN=${MVN:-mvn -B -ntp -q}
OUT=${OUT:-bench/results/extract.json}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/glimpse-extract-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# one reactor build: extract's classpath then points at cache/target*/classes (nothing is installed to ~/.m2)
$MVN -Dglimpse.target.suffix="$SUFFIX" -pl extract -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$WORK/cp.txt" -Dmdep.includeScope=test >/dev/null
CP="extract/target$SUFFIX/test-classes:extract/target$SUFFIX/classes:$(cat "$WORK/cp.txt")"
java @conf/jvm.options -Xmx4g -cp "$CP" io.glimpse.extract.bench.ExtractBench \
  "$BACKBONE" "$DATASET" "$WORK/cache" "$OUT" "$BATCH" "$THREADS" "$WORKERS" "$ROUNDS"
echo "bench/extract.sh: results in $OUT"
