#!/usr/bin/env bash
# The "At scale" summary -> bench/results/scale.json: the headline ratio of each ImageNet-scale benchmark, every one
# measured against its baseline in the same run, with the load average it ran under. By default it only collects
# the committed results; RUN=write,extract,stream,vectors,int8 (any subset) first reruns those benchmarks, one after
# the other (run it on a quiet machine; stream needs ~40 GB of free disk for its synthetic entry).
#   write    bench/write.sh    cache writer vs dd conv=fdatasync, ViT-B rows          -> write.json
#   extract  bench/extract.sh  extraction end to end vs the raw ONNX Runtime loop       -> extract.json
#   stream   bench/stream.sh   cold shuffled epoch of a >RAM entry vs dd, anonymous RSS -> stream.json
#   vectors  bench/vectors.sh  CLS-only linear epoch from the vector sidecar vs tokens and vs PyTorch in memory
#                              (on the Fashion-MNIST caches when TRAIN_KEY/TEST_KEY are given) -> vectors.json
#   int8     bench/int8.sh     int8 vs float16: size, gather speed, best top-1 of six heads -> int8.json
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
command -v jq >/dev/null || { echo "scale: needs jq (apt-get install jq)" >&2; exit 2; }
IFS=',' read -r -a run <<< "${RUN:-}"
for b in "${run[@]}"; do
  case "$b" in
    write|extract|stream|vectors|int8) echo "scale: running bench/$b.sh" >&2; bash "bench/$b.sh" ;;
    "") ;;
    *) echo "scale: RUN: unknown benchmark '$b' (write, extract, stream, vectors, int8)" >&2; exit 2 ;;
  esac
done
r=bench/results
for f in write extract stream vectors int8; do
  [ -f "$r/$f.json" ] || { echo "scale: $r/$f.json missing: run RUN=$f bench/scale.sh" >&2; exit 2; }
done
jq -n --slurpfile w "$r/write.json" --slurpfile e "$r/extract.json" --slurpfile s "$r/stream.json" \
      --slurpfile v "$r/vectors.json" --slurpfile q "$r/int8.json" '
  ($w[0].runs[-1]) as $wr |
  {
    what: "ImageNet-scale figures, each a ratio to its baseline measured in the same run (absolute figures beside it)",
    write: {
      target: ">= 0.9x dd conv=fdatasync of the same bytes",
      round_ratios: [$w[0].runs[] | select(.writer == $wr.writer) | .ratio_writer_to_dd],
      row_shape: $wr.row_shape, writer_mb_per_s: $wr.writer_mb_per_s, dd_mb_per_s: $wr.dd_mb_per_s,
      ratio: $wr.ratio_writer_to_dd, ratio_vs_dd_before: $wr.ratio_writer_to_dd_before, ratio_vs_dd_after: $wr.ratio_writer_to_dd_after,
      load_average_before: $wr.load_average_before, measured_at: $wr.measured_at, source: "write.json"
    },
    extract: {
      target: ">= 0.95x the raw ONNX Runtime loop",
      images: $e[0].images, end_to_end_images_per_second: $e[0].end_to_end_images_per_second,
      raw_images_per_second: $e[0].raw_baseline_images_per_second, ratio: $e[0].ratio_end_to_end_over_raw,
      ratio_means: "median of the warm rounds", ratio_cold_first_round: $e[0].ratio_cold_first_round,
      round_ratios: [$e[0].rounds[]?.ratio],
      load_average_at_start: $e[0].machine.load_average_at_start, load_average_at_end: $e[0].load_average_at_end,
      measured_at: $e[0].date, source: "extract.json"
    },
    stream: {
      target: ">= 0.8x sequential dd read of the same files, cold page cache, bounded anonymous memory",
      entry: $s[0].entry, cold_page_cache: $s[0].cold_page_cache.how,
      ratio_mean: $s[0].stream_vs_dd_mean, ratio_min: $s[0].stream_vs_dd_min, mapped_ratio: $s[0].mapped_vs_dd,
      peak_rss_anon_bytes: $s[0].peak_rss_anon_bytes, memory_bound_bytes: $s[0].memory_bound_bytes,
      load_average_at_start: $s[0].machine.load_average_at_start, load_average_at_end: $s[0].machine.load_average_at_end,
      source: "stream.json"
    },
    cls_only_linear_epoch: {
      target: "<= 1x the same head in PyTorch on in-memory CLS vectors",
      rows: $v[0].rows, tokens: $v[0].tokens, dim: $v[0].dim,
      cpu_seconds_from_vectors: $v[0].epoch_cpu_seconds_vectors, cpu_seconds_from_tokens: $v[0].epoch_cpu_seconds_tokens,
      pytorch_cpu_seconds: ($v[0].pytorch_in_memory.epoch_cpu_seconds // null),
      ratio_vs_pytorch: ($v[0].epoch_cpu_ratio_vectors_over_pytorch // null),
      bytes_read_tokens: $v[0].token_bytes_per_epoch, bytes_read_vectors: $v[0].vector_bytes_per_epoch,
      load_average_before: ($v[0].load_average_before // $v[0].load_average), source: "vectors.json"
    },
    int8: {
      target: "best top-1 within 0.2 points of float16 for every head, half the size",
      top1_diff_points: ($q[0].heads | with_entries(.value = .value.diff_points)),
      size_ratio_shards: $q[0].size.shard_bytes_train.ratio, size_ratio_entry: $q[0].size.train_bytes.ratio,
      gather_ratio_shuffled: $q[0].read.shuffled_seconds.ratio, gather_ratio_sequential: $q[0].read.sequential_seconds.ratio,
      load_average_before: $q[0].machine.load_average_before, measured_at: $q[0].date, source: "int8.json"
    }
  }' > "$r/scale.json"
cat "$r/scale.json"
