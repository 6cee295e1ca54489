#!/usr/bin/env bash
# Cache benchmark: writes a synthetic entry of ROWS x T x D float16 tokens (default 60,000 x 50 x 256,
# about 1.5 GB) under /tmp, measures write MB/s, sequential and shuffled batch-1024 reads, and the raw mapped-file
# baseline in the same run, writes bench/results/cache.json, and deletes the synthetic data.
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${ROWS:-60000}; T=${T:-50}; D=${D:-256}; PASSES=${PASSES:-5}
SUFFIX=${GLIMPSE_TARGET_SUFFIX:-}
MVN=${MVN:-mvn -B -ntp -q}
OUT=${OUT:-bench/results/cache.json}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/glimpse-cache-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

$MVN -Dglimpse.target.suffix="$SUFFIX" -pl cache -am test-compile
$MVN -Dglimpse.target.suffix="$SUFFIX" -pl cache dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt" -Dmdep.includeScope=test >/dev/null
CP="cache/target$SUFFIX/test-classes:cache/target$SUFFIX/classes:$(cat "$WORK/cp.txt")"
java @conf/jvm.options -Xmx2g -cp "$CP" io.glimpse.cache.bench.CacheBench "$WORK/cache" "$OUT" "$ROWS" "$T" "$D" "$PASSES"
echo "bench/cache.sh: results in $OUT"
