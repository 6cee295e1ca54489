#!/usr/bin/env bash
# The recipe study: is efficient probing the best accuracy/cost trade-off once every probe gets a tuned recipe?
# On the full Fashion-MNIST caches of the embedded backbone (layer hidden_state_4) it trains linear, efficient (EP,
# 32 queries), simpool, cae, coca and clip
#   1. grid:  with LARS and with AdamW (weight decay 0.05), 4 learning rates each, STUDY_EPOCHS (30) epochs, 10% of
#             train held out (--val-fraction 0.1, --select val): one `glimpse train` command per optimizer, all its
#             24 heads in as few passes as --memory-budget allows (the trainer splits them itself);
#   2. final: each probe's recipe chosen on validation across both grids (never on test), retrained for
#             STUDY_FINAL_EPOCHS (100) epochs, one command per distinct winning recipe;
#   3. protocol (STUDY_PROTOCOL=1): bench/protocol-study.sh at the issue's settings (full train set, 30 epochs,
#             batch 1024, linear, efficient, simpool and cae; plain cache vs K = 2, 4, 8 views vs online);
#   4. report: `glimpse eval --study` -> $STUDY_REPORT (plots, Pareto fronts) and bench/results/study.json.
#
# Learning-rate grids (lr = blr x batch / 256, so at batch 1024 the peak lr is 4 x blr):
#   LARS  blr 0.03, 0.1, 0.3, 1      half-decade steps from just below the reference recipe's 0.1 (MAE's linear-
#                                    probe rate) to a decade above it: LARS makes each matrix's step lr x 0.001 x its
#                                    norm, a relative step (0.04% at the reference's lr 0.4), so larger rates are
#                                    where a tuned recipe can still gain; biases and norms take plain momentum steps.
#   AdamW blr 1e-4, 3e-4, 1e-3, 3e-3 peak lr 4e-4 ... 1.2e-2 at batch 1024: half-decade steps around lr 1e-3, the
#                                    usual AdamW rate of attentive probes (V-JEPA, CAPI sweep around it), wd 0.05.
# Both with 3 warmup epochs and a cosine to 0, batch 1024, seed 0 (docs/recipe.md).
#
#   bench/study.sh [all|grid|final|protocol|report]     (default all; each step resumes)
#   bench/study.sh edge                                  (after the grids: one rate past each grid's top edge)
# Resuming: every `glimpse train` checkpoints its passes after each epoch into the runs folder, and the same command
# run again continues a killed pass or prints a finished one without training; extraction resumes from its last
# shard. So after an interruption run the same bench/study.sh again.
# Env: STUDY (work folder, default bench/work/study), STUDY_THREADS (torch threads per pass, default 1),
#      STUDY_PARALLEL (1 on >= 2 cores: the two grids side by side), STUDY_EPOCHS (30), STUDY_FINAL_EPOCHS (100), STUDY_BATCH (1024), STUDY_MEMORY (--memory-budget, default the
#      trainer's), STUDY_PROTOCOL (1: also run step 3 in `all`), STUDY_REPORT (default $STUDY/report),
#      STUDY_PROTOCOL_DATASET (dataset YAML for step 3, e.g. a copy of conf/datasets/fashion-mnist.yaml with a milder
#      `augment:`; default the standard one: RandomResizedCrop 0.08-1 + flip, see README "Why accuracy falls as K grows"),
#      STUDY_NEW_JAR (1: take a fresh copy of cli/target's jar; by default a resumed study keeps the jar it started with),
#      STUDY_LIMIT / STUDY_TEST_LIMIT (train / test images, 0 = all: only for smoke tests), GLIMPSE_CACHE as usual.
#      bench/results/study.json is written only at the study's settings (full data, 30 + 100 epochs); other settings
#      write $STUDY/study.json.
# Cost (estimated from the per-epoch CPU seconds of bench/results/train.json: the six heads take about 20 CPU s per
# epoch of 60,000 rows together, so ~90 s per epoch for a 24-head grid with its validation and test evaluations):
# about 0.75 CPU-hours per grid (1.5 for both), ~0.6 for the 100-epoch retraining, and about an hour on 2 cores for the
# protocol study (900k backbone passes for the view caches, 2.1M online).
# Run it on an otherwise idle machine.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source conf/native.env
step="${1:-all}"
case "$step" in all|grid|final|protocol|report|edge) ;; *) echo "study: unknown step '$step' (all|grid|final|protocol|report|edge)" >&2; exit 2 ;; esac
command -v jq >/dev/null || { echo "study: needs jq (apt-get install jq)" >&2; exit 2; }

PROBES=linear,efficient,simpool,cae,coca,clip
LAYER=hidden_state_4
LARS_BLR=0.03,0.1,0.3,1
ADAMW_BLR=1e-4,3e-4,1e-3,3e-3
ADAMW_WD=0.05
study="${STUDY:-$root/bench/work/study}"
threads="${STUDY_THREADS:-1}"
epochs="${STUDY_EPOCHS:-30}"
final_epochs="${STUDY_FINAL_EPOCHS:-100}"
batch="${STUDY_BATCH:-1024}"
limit="${STUDY_LIMIT:-0}"
test_limit="${STUDY_TEST_LIMIT:-0}"
report_dir="${STUDY_REPORT:-$study/report}"
mkdir -p "$study" bench/results bench/work

# A private copy of the jar, and a launcher for it: other builds may replace cli/target while a long study runs.
[ -f cli/target/glimpse.jar ] || mvn -q -B -ntp -DskipTests package
dist="$study/dist"
if [ ! -f "$dist/glimpse.jar" ] || [ -n "${STUDY_NEW_JAR:-}" ]; then
  rm -rf "$dist" && mkdir -p "$dist" && cp -r cli/target/glimpse.jar cli/target/lib "$dist/"
fi
cat > "$dist/glimpse" <<EOF
#!/usr/bin/env bash
source "$root/conf/native.env"
source "$root/conf/native-train.env"
exec java -Dai.djl.pytorch.num_threads=$threads -Dai.djl.pytorch.num_interop_threads=1 \${GLIMPSE_JAVA_OPTS:-} @"$root/conf/jvm.options" -jar "$dist/glimpse.jar" "\$@"
EOF
chmod +x "$dist/glimpse"
glimpse() { "$dist/glimpse" "$@"; }

common=(--layer "$LAYER" --batch "$batch" --val-fraction 0.1 --select val --seed 0 --quiet
        --limit "$limit" --test-limit "$test_limit" ${STUDY_MEMORY:+--memory-budget "$STUDY_MEMORY"})

# One line per phase in commands.jsonl: CPU and wall seconds summed over every invocation (a resumed phase adds
# what it spent again), passes = the pass folders its runs folder holds (for the protocol study, its protocols' folders).
record() { # phase runs-dir wall cpu; the two grids may finish at once: one writer at a time
  exec 9>"$study/.record.lock"
  flock 9
  local file="${record_file:-$study/commands.jsonl}" passes old
  passes=$(find "$2" -mindepth 2 -maxdepth 3 -type d 2>/dev/null | grep -c '/\.passes/[^/]*$' || true)
  old=$(jq -c --arg p "$1" 'select(.phase == $p)' "$file" 2>/dev/null || true)
  { [ -f "$file" ] && jq -c --arg p "$1" 'select(.phase != $p)' "$file"
    jq -nc --arg p "$1" --arg r "${2#$root/}" --argjson w "$3" --argjson c "$4" --argjson n "$passes" --argjson old "${old:-null}" \
      '{phase: $p, runs: $r, wall_seconds: ($w + ($old.wall_seconds // 0)), cpu_seconds: ($c + ($old.cpu_seconds // 0)),
        passes: $n, invocations: (1 + ($old.invocations // 0))}'; } > "$file.tmp"
  mv "$file.tmp" "$file"
  flock -u 9
}
train() { # phase runs-dir args...
  local phase="$1" runs="$2" log="$study/$1.log" t
  shift 2
  mkdir -p "$runs"
  t="$study/.time-$phase"
  echo "study: $phase -> $runs (log $log)" >&2
  if ! /usr/bin/time -f '%e %U %S' -o "$t" "$dist/glimpse" train --runs "$runs" --epochs "$@" "${common[@]}" >"$log" 2>&1; then
    echo "study: $phase FAILED (see $log)" >&2; tail -3 "$log" >&2; return 1
  fi
  grep -E '^(train: .*heads? in|select: )' "$log" >&2 || true
  read -r wall user sys < <(tail -1 "$t")
  record "$phase" "$runs" "$wall" "$(awk -v u="$user" -v s="$sys" 'BEGIN {print u + s}')"
}

extract() { # --limit selects training images only: the test split is always the whole one (--test-limit reads fewer)
  glimpse extract --layers "$LAYER" --split train --limit "$limit" --no-progress >&2
  glimpse extract --layers "$LAYER" --split test --no-progress >&2
}

# The two grids side by side (one torch thread each) when the machine has the cores for both (STUDY_PARALLEL=0: one
# after the other).
grid() {
  extract
  local lars adamw
  if [ "${STUDY_PARALLEL:-$([ "$(nproc)" -ge 2 ] && echo 1 || echo 0)}" = 1 ]; then
    train grid-lars "$study/grid-lars" "$epochs" --probe "$PROBES" --queries 32 --optimizer lars --blr "$LARS_BLR" & lars=$!
    train grid-adamw "$study/grid-adamw" "$epochs" --probe "$PROBES" --queries 32 --optimizer adamw --blr "$ADAMW_BLR" \
      --weight-decay "$ADAMW_WD" & adamw=$!
    local failed=0
    wait "$lars" || failed=1
    wait "$adamw" || failed=1
    [ "$failed" = 0 ] || { echo "study: grid: a pass failed (see its log)" >&2; return 1; }
  else
    train grid-lars "$study/grid-lars" "$epochs" --probe "$PROBES" --queries 32 --optimizer lars --blr "$LARS_BLR"
    train grid-adamw "$study/grid-adamw" "$epochs" --probe "$PROBES" --queries 32 --optimizer adamw --blr "$ADAMW_BLR" \
      --weight-decay "$ADAMW_WD"
  fi
}

# One value past the top of each grid (LARS blr 3, AdamW 1e-2; EDGE_LARS_BLR / EDGE_ADAMW_BLR), 30 epochs, for the
# question the grids leave open when winners sit at their top edge: would a higher rate do better on validation?
# Kept apart from the study: runs under $study/.edge (glimpse eval --study skips dot folders), costs in
# $study/.edge/commands.jsonl, so neither the final step's choice nor the study's budget changes. Writes the
# comparison to $study/edge.json.
edge() {
  extract
  local lars adamw failed=0 record_file="$study/.edge/commands.jsonl"
  mkdir -p "$study/.edge"
  train edge-lars "$study/.edge/lars" "$epochs" --probe "$PROBES" --queries 32 --optimizer lars --blr "${EDGE_LARS_BLR:-3}" & lars=$!
  train edge-adamw "$study/.edge/adamw" "$epochs" --probe "$PROBES" --queries 32 --optimizer adamw --blr "${EDGE_ADAMW_BLR:-1e-2}" \
    --weight-decay "$ADAMW_WD" & adamw=$!
  wait "$lars" || failed=1
  wait "$adamw" || failed=1
  [ "$failed" = 0 ] || { echo "study: edge: a pass failed (see its log)" >&2; return 1; }
  for f in "$study"/grid-lars/*/result.json "$study"/grid-adamw/*/result.json "$study"/.edge/lars/*/result.json "$study"/.edge/adamw/*/result.json; do
    [ -f "$f" ] && jq -c --arg dir "$(basename "$(dirname "$(dirname "$f")")")" '{dir: $dir, probe, epochs, optimizer: .recipe.optimizer, blr: .recipe.blr, val: .val_top1_best, test_at_val: .test_top1_at_val_best}' "$f"
  done | jq -s --argjson e "$epochs" '[.[] | select(.epochs == $e)] | group_by(.probe)
      | map({probe: .[0].probe, best_grid: ([.[] | select(.dir | startswith("grid"))] | max_by(.val)), edge: [.[] | select(.dir == "lars" or .dir == "adamw")]})' \
    > "$study/edge.json"
  echo "study: edge comparison in $study/edge.json" >&2
}

# Per probe, the grid run with the best validation top-1 (the earlier run on a tie), as glimpse eval --study chooses;
# printed as "optimizer blr weight_decay probe" lines.
winners() {
  local f
  for f in "$study"/grid-lars/*/result.json "$study"/grid-adamw/*/result.json; do [ -f "$f" ] && cat "$f"; done |
    jq -s -r --argjson e "$epochs" '[.[] | select(.epochs == $e and .val_top1_best != null)]
      | group_by(.probe)[] | sort_by(.created, .run_id) | max_by(.val_top1_best) as $m
      | (map(select(.val_top1_best == $m.val_top1_best)) | first)
      | [.recipe.optimizer, .recipe.blr, (.recipe.weight_decay // 0), .probe] | @tsv'
}

final() {
  local lines n
  lines="$(winners)"
  n=$(grep -c . <<<"$lines" || true)
  [ "$n" -gt 0 ] || { echo "study: no finished grid runs with a validation split in $study; run the grid step first" >&2; exit 1; }
  [ "$n" -eq 6 ] || echo "study: only $n of 6 probes have finished grid runs; retraining those" >&2
  extract
  # one command per distinct winning recipe, with every probe that chose it
  while IFS=$'\t' read -r opt blr wd probes; do
    train "final-$opt-blr$blr-wd$wd" "$study/final-$opt-blr$blr-wd$wd" "$final_epochs" --probe "$probes" --queries 32 \
      --optimizer "$opt" --blr "$blr" --weight-decay "$wd"
  done < <(awk -F'\t' '{k=$1"\t"$2"\t"$3; p[k]=(k in p ? p[k]"," : "")$4} END {for (k in p) print k"\t"p[k]}' <<<"$lines" | sort)
}

protocol() {
  # the issue's settings; RESUME=1 keeps what finished (bench/protocol-study.sh otherwise starts afresh); the results
  # are folded into study.json by the report step. Timed as a whole, extraction and evaluation included.
  local t="$study/.time-protocol"
  mkdir -p "$study/protocol"
  STUDY="$study/protocol" REPORT="$study/protocol-report" RESULTS="$study/protocol-study.json" \
    PROBES=linear,efficient,simpool,cae VIEWS="2 4 8" EPOCHS="$epochs" BATCH="$batch" LIMIT="$limit" RESUME=1 \
    GLIMPSE="$dist/glimpse" DATASET="${STUDY_PROTOCOL_DATASET:-conf/datasets/fashion-mnist.yaml}" \
    /usr/bin/time -f '%e %U %S' -o "$t" bench/protocol-study.sh
  read -r wall user sys < <(tail -1 "$t")
  record protocol "$study/protocol" "$wall" "$(awk -v u="$user" -v s="$sys" 'BEGIN {print u + s}')"
}

report() {
  local runs=() d out
  for d in "$study"/grid-* "$study"/final-*; do [ -d "$d" ] && runs+=("$d"); done
  [ ${#runs[@]} -gt 0 ] || { echo "study: nothing trained yet in $study" >&2; exit 1; }
  local protocol_opt=()
  [ -d "$study/protocol" ] && protocol_opt=(--protocol-study "$study/protocol")
  glimpse eval --runs "${runs[@]}" --all --study "$study" "${protocol_opt[@]}" --out "$report_dir"
  if [ "$epochs" = 30 ] && [ "$final_epochs" = 100 ] && [ "$limit" = 0 ] && [ "$test_limit" = 0 ] && [ "$batch" = 1024 ]; then
    out=bench/results/study.json
  else
    out="$study/study.json"
  fi
  jq --arg probes "$PROBES" --arg layer "$LAYER" --arg lars "$LARS_BLR" --arg adamw "$ADAMW_BLR" --argjson wd "$ADAMW_WD" \
     --argjson e "$epochs" --argjson fe "$final_epochs" --argjson b "$batch" --argjson l "$limit" --argjson tl "$test_limit" \
     --argjson t "$threads" --arg machine "$(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg) at report time" \
     --slurpfile protocol <( [ -f "$report_dir/protocol-study.json" ] && cat "$report_dir/protocol-study.json" || echo null ) \
     '{settings: {script: "bench/study.sh", backbone: "fmnist-mae-vit", layer: $layer, dataset: "fashion-mnist",
        probes: ($probes | split(",")), ep_queries: 32, lars_blr: ($lars | split(",") | map(tonumber)),
        adamw_blr: ($adamw | split(",") | map(tonumber)), adamw_weight_decay: $wd, epochs: $e, final_epochs: $fe,
        batch: $b, val_fraction: 0.1, train_limit: $l, test_limit: $tl, torch_threads: $t, machine: $machine}}
      + . + {protocol: ($protocol[0] // null | if . == null then null else .runs end)}' \
     "$report_dir/study.json" > "$out.tmp"
  mv "$out.tmp" "$out"
  echo "study: $report_dir/report.md, $out" >&2
}

case "$step" in
  grid) grid ;;
  final) final ;;
  protocol) protocol ;;
  edge) edge ;;
  report) report ;;
  all) grid; final; [ "${STUDY_PROTOCOL:-1}" = 1 ] && protocol; report ;;
esac
