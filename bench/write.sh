#!/usr/bin/env bash
# Writer benchmark: ROWS rows of ViT-B-shaped tokens (197 x 768; float32 in, as an extraction hands them over,
# float16 stored; default 8,000 rows = 2.4 GB in 3 shards) through the cache writer, timed until the entry is
# committed, against `dd if=/dev/zero bs=16M conv=fdatasync` of the same bytes in the same folder right before and
# right after (see WriteBench); an untimed WARMUP-row write first pays the JVM's one-time costs. REPEATS rounds
# (default 2). BASELINE=<git revision> also builds that revision's writer and runs it first in every round, so
# before and after are measured in the same run. Each round first waits (60 s at a time, up to LOAD_WAITS times)
# for the 1-minute load average to drop to MAX_LOAD; every run records its load averages. Every file written is
# deleted; results in bench/results/write.json.
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${ROWS:-8000}; T=${T:-197}; D=${D:-768}; APPEND=${APPEND:-128}; WARMUP=${WARMUP:-300}; REPEATS=${REPEATS:-2}
MAX_LOAD=${MAX_LOAD:-2.5}; LOAD_WAITS=${LOAD_WAITS:-5}
SUFFIX=${GLIMPSE_TARGET_SUFFIX:-}
MVN=${MVN:-mvn -B -ntp -q}
OUT=${OUT:-bench/results/write.json}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/glimpse-write-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

classpath() { # $1 = source tree: builds its cache module and prints the test classpath
  (cd "$1" && $MVN -Dglimpse.target.suffix="$SUFFIX" -pl cache -am test-compile >&2 &&
   $MVN -Dglimpse.target.suffix="$SUFFIX" -pl cache dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt" -Dmdep.includeScope=test >/dev/null &&
   echo "$1/cache/target$SUFFIX/test-classes:$1/cache/target$SUFFIX/classes:$(cat "$WORK/cp.txt")")
}
CP=$(classpath "$PWD")
if [ -n "${BASELINE:-}" ]; then
  mkdir "$WORK/baseline"
  git archive "$BASELINE" | tar -x -C "$WORK/baseline"
  cp cache/src/test/java/io/glimpse/cache/bench/WriteBench.java "$WORK/baseline/cache/src/test/java/io/glimpse/cache/bench/"
  BASE_CP=$(classpath "$WORK/baseline")
fi

quiet() {
  for _ in $(seq "$LOAD_WAITS"); do
    load=$(cut -d' ' -f1 /proc/loadavg)
    awk -v l="$load" -v m="$MAX_LOAD" 'BEGIN { exit !(l <= m) }' && return
    echo "bench/write.sh: load average $load > $MAX_LOAD, waiting 60 s"
    sleep 60
  done
  echo "bench/write.sh: load average still $(cut -d' ' -f1 /proc/loadavg); measuring anyway (recorded with the run)"
}

bench() { # $1 = classpath, $2 = label, $3 = part file
  java @conf/jvm.options -Xmx3g -cp "$1" io.glimpse.cache.bench.WriteBench run "$WORK/data" "$3" "$2" "$ROWS" "$T" "$D" "$APPEND" "$WARMUP"
}

parts=()
for round in $(seq "$REPEATS"); do
  if [ -n "${BASELINE:-}" ]; then
    quiet
    bench "$BASE_CP" "baseline $(git rev-parse --short "$BASELINE")" "$WORK/part-$round-baseline.json"
    parts+=("$WORK/part-$round-baseline.json")
  fi
  quiet
  bench "$CP" "current $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- cache || echo '+changes')" "$WORK/part-$round.json"
  parts+=("$WORK/part-$round.json")
done
mkdir -p "$(dirname "$OUT")"
java @conf/jvm.options -cp "$CP" io.glimpse.cache.bench.WriteBench combine "$OUT" "${parts[@]}" >/dev/null
echo "bench/write.sh: results in $OUT"
