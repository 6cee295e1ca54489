#!/usr/bin/env bash
# Reproduce the reference accuracies of testdata/reference.json (see testdata/README.md): trains every probe of it
# with the reference recipe (LARS, blr 0.1, batch 1024, 30 epochs, 3 warmup, seed 0) on the full Fashion-MNIST
# caches of the embedded backbone, one `glimpse train` pass per configuration, then writes bench/results/parity.json and parity.md (the README table).
#
#   bench/parity.sh [PROBE[,PROBE...]]     default: every probe in reference.json that this build knows
# Env: PARITY_JOBS (parallel passes, default 3), PARITY_THREADS (torch threads per pass, default 1),
#      PARITY_EPOCHS (default 30; fewer only for smoke tests), PARITY_RUNS (default bench/work/parity-runs),
#      GLIMPSE_CACHE as usual. With PARITY_EPOCHS other than 30 the report goes to the runs folder, not bench/results.
#      Each head's result.json lands as soon as its pass ends, so an interrupted run keeps
#      what finished; `bench/parity.sh --report` rebuilds the report from the runs folder alone.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source conf/native.env
source conf/native-train.env
# repository-relative, so the committed report names no machine's paths
reference=testdata/reference.json
[ -f "$reference" ] || { echo "parity: $root/$reference not found" >&2; exit 2; }
runs="${PARITY_RUNS:-$root/bench/work/parity-runs}"
jobs="${PARITY_JOBS:-3}"
threads="${PARITY_THREADS:-1}"
epochs="${PARITY_EPOCHS:-30}"
mkdir -p "$runs" bench/results bench/work

# A private copy of the jar and of train's test classes (ParityReport is a tool there, like the other benchmarks):
# other builds may replace cli/target or train/target while a long run is going. `package` compiles the test
# classes too (-DskipTests only skips running them).
[ -f cli/target/glimpse.jar ] && [ -f train/target/test-classes/io/glimpse/train/parity/ParityReport.class ] \
  || mvn -q -B -ntp -DskipTests package
dist="$(mktemp -d "$root/bench/work/parity-dist.XXXX")"
cp -r cli/target/glimpse.jar cli/target/lib "$dist/"
cp -r train/target/test-classes "$dist/train-tools"
java_run() { java -Dai.djl.pytorch.num_threads="$threads" -Dai.djl.pytorch.num_interop_threads=1 ${GLIMPSE_JAVA_OPTS:-} \
  @"$root/conf/jvm.options" -cp "$dist/glimpse.jar:$dist/train-tools" "$@"; }

# the committed report is the full recipe's; shorter smoke runs report next to their runs
if [ "$epochs" = 30 ]; then report_dir=bench/results; else report_dir="$runs"; fi
report() {
  java_run io.glimpse.train.parity.ParityReport --reference "$reference" --runs "$runs" \
    --json "$report_dir/parity.json" --markdown "$report_dir/parity.md"
}
if [ "${1:-}" = "--report" ]; then report; exit 0; fi

want="${1:-}"
done_already() { # layer probe queries: a finished run of this configuration with this many epochs exists
  local f
  for f in "$runs"/*/result.json; do
    [ -f "$f" ] || continue
    jq -e --arg l "$1" --arg p "$2" --arg q "${3:-}" --argjson e "$epochs" \
      '.layer == $l and .probe == $p and .epochs == $e and .seed == 0 and ($q == "" or (.options.queries | tostring) == $q)' \
      "$f" >/dev/null && return 0
  done
  return 1
}
known="$(java_run io.glimpse.train.parity.ParityReport --list-probes)"
# one pass per reference configuration (layer, probe, EP queries): parallel single-thread passes share a busy
# machine better than one multi-head pass, and each result lands as soon as its pass ends
mapfile -t passes < <(jq -r '.layers | to_entries[] | .key as $l | .value[] | [$l, .probe, (.opts.queries // "")] | @tsv' "$reference" | awk '!seen[$0]++')
# the heads with the tight 0.5-point target first, so they finish first on a busy machine
tight=(); rest=()
for p in "${passes[@]}"; do
  IFS=$'\t' read -r layer probe queries <<<"$p"
  [ "$layer" = "last" ] && layer=last_hidden_state
  if [ -n "$want" ] && [[ ",$want," != *",$probe,"* ]]; then continue; fi
  if ! grep -qx "$probe" <<<"$known"; then echo "parity: skipping $probe (not in this build's probe registry)" >&2; continue; fi
  # resume: a configuration with a finished run of this many epochs is not trained again
  if done_already "$layer" "$probe" "$queries"; then
    echo "parity: $probe ${queries:+M=$queries }on $layer already done" >&2; continue
  fi
  case "$probe" in linear|linear-gap|efficient) tight+=("$layer $probe ${queries:-}") ;; *) rest+=("$layer $probe ${queries:-}") ;; esac
done
todo=("${tight[@]}" "${rest[@]}")
echo "parity: ${#todo[@]} passes, $jobs at a time, $threads torch thread(s) each, $epochs epochs; runs in $runs" >&2

# extract (or find) each layer's caches first, one at a time: parallel passes must not race to write one entry
for layer in $(printf '%s\n' "${todo[@]}" | awk '{print $1}' | sort -u); do
  java_run io.glimpse.cli.Glimpse extract --layers "$layer" --no-progress >&2
done

run_pass() {
  local layer="$1" probe="$2" queries="${3:-}" log lock fd
  # several drivers may share one runs folder: a live pass of the same configuration holds its lock (flock: released
  # when this shell exits, however it ends)
  lock="$root/bench/work/parity-locks/$layer-$probe${queries:+-M$queries}"
  mkdir -p "$(dirname "$lock")"
  exec {fd}>"$lock"
  if ! flock -n "$fd"; then echo "parity: $probe ${queries:+M=$queries }on $layer running elsewhere" >&2; return 0; fi
  if done_already "$layer" "$probe" "$queries"; then return 0; fi
  log="$root/bench/work/parity-$layer-$probe${queries:+-M$queries}.log"
  echo "parity: start $probe on $layer ${queries:+(queries $queries)} -> $log" >&2
  if GLIMPSE_RUNS="$runs" java_run io.glimpse.cli.Glimpse train --probe "$probe" --layer "$layer" --epochs "$epochs" \
      ${queries:+--queries "$queries"} --runs "$runs" >"$log" 2>&1; then
    grep '^train: ' "$log" | grep 'top1 best' >&2 || true
  else
    echo "parity: $probe on $layer FAILED (see $log)" >&2
  fi
}
export -f run_pass java_run done_already
export root runs epochs dist threads
printf '%s\n' "${todo[@]}" | xargs -P "$jobs" -I{} bash -c 'run_pass {}'
report
