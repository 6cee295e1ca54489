#!/usr/bin/env bash
# make bench: every benchmark in turn, each writing bench/results/<name>.json (summarised in README.md).
# Run on an otherwise idle machine: the numbers are wall-clock rates on 2 cores.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
for b in cache write extract train; do
  echo "bench: $b"
  "$here/$b.sh"
done
echo "bench: results in $here/results/"
