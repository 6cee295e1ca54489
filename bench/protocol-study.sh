#!/usr/bin/env bash
# The protocol study: the same probes trained (a) from a plain cache, (b) from caches of K augmented
# views per training image, (c) online: the backbone in the loop with fresh augmentation every batch. Each
# protocol's runs go to $STUDY/<protocol>/ with a protocol.json; `glimpse eval --protocol-study` turns them into
# one table + one plot (accuracy, backbone passes, wall time) in $REPORT and bench/results/protocol-study.json.
# Knobs (environment): PROBES, VIEWS ("2 4 8"), EPOCHS, BATCH, LIMIT (training images per protocol, 0 = all; the test
# split is always complete), BACKBONE, DATASET, GLIMPSE (launcher), STUDY, REPORT, RESULTS (where protocol-study.json is
# copied, default bench/results/), RESUME (1: keep $STUDY and let finished protocols print their results instead of
# starting afresh; a killed one continues from its last epoch).
# Every protocol trains the same epochs with the same optimizer steps: a K-view cache shows each image once per epoch,
# in one of its K views (view 0 = the un-augmented image), not K times; the test split is always un-augmented.
# Cost at the defaults (all 60,000 Fashion-MNIST images, 10 epochs): the backbone runs 60k x (1+2+4+8) times for
# the caches and 600k times online, on the order of an hour on 2 CPU cores; LIMIT=5000 EPOCHS=10 BATCH=256 is a
# ~15-minute smoke version (too few steps for converged accuracies, but the same recipe for every protocol).
set -euo pipefail
cd "$(dirname "$0")/.."
G=${GLIMPSE:-bin/glimpse}
BACKBONE=${BACKBONE:-conf/backbones/fmnist-mae-vit.yaml}
DATASET=${DATASET:-conf/datasets/fashion-mnist.yaml}
PROBES=${PROBES:-efficient,linear}
VIEWS=${VIEWS:-"2 4 8"}
EPOCHS=${EPOCHS:-10}
BATCH=${BATCH:-1024}
LIMIT=${LIMIT:-0}
STUDY=${STUDY:-runs-protocol-study}
REPORT=${REPORT:-reports/protocol-study}
RESULTS=${RESULTS:-bench/results/protocol-study.json}
RESUME=${RESUME:-0}
data=(--backbone "$BACKBONE" --dataset "$DATASET")

# the cache key from glimpse extract's per-split summary line ("train: key <hex> | ...")
key() { sed -n "s/^$1: key \([0-9a-f]*\).*/\1/p"; }
protocol() { mkdir -p "$STUDY/$1"; printf '{"protocol": "%s", "views": %d}\n' "$2" "$3" > "$STUDY/$1/protocol.json"; }
train() { local dir=$1; shift; echo "protocol-study: training $PROBES, $EPOCHS epochs -> $STUDY/$dir"; \
  $G train --probe "$PROBES" --epochs "$EPOCHS" --batch "$BATCH" --runs "$STUDY/$dir" --quiet "$@"; }

[ "$RESUME" = 1 ] || rm -rf "$STUDY"
mkdir -p "$STUDY"
test_key=$($G extract "${data[@]}" --split test --no-progress | key test)
train_key=$($G extract "${data[@]}" --split train --limit "$LIMIT" --no-progress | key train)
[ -n "$test_key" ] && [ -n "$train_key" ] || { echo "protocol-study: extraction printed no cache key" >&2; exit 1; }

protocol a-cache cache 1
train a-cache --train-cache "$train_key" --test-cache "$test_key"

for k in $VIEWS; do
  views_key=$($G extract "${data[@]}" --split train --limit "$LIMIT" --views "$k" --no-progress | key train)
  protocol "b-views-$k" views "$k"
  train "b-views-$k" --train-cache "$views_key" --test-cache "$test_key"
done

protocol c-online online 1
if ! train c-online --online --augment "${data[@]}" --limit "$LIMIT"; then
  echo "protocol-study: the online run failed (above); the report covers the cached protocols" >&2
  rm -rf "$STUDY/c-online"
fi

$G eval --runs "$STUDY"/*/ --all --out "$REPORT" --protocol-study "$STUDY"
mkdir -p "$(dirname "$RESULTS")"
cp "$REPORT/protocol-study.json" "$RESULTS"
echo "protocol-study: $REPORT/report.md, $RESULTS"
