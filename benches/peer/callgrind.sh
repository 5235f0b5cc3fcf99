#!/usr/bin/env bash
# Instructions per file of each engine on the nine rules, counted by
# callgrind (one engine per process, only its measured function counted:
# --toggle-collect on peitao_peer::run_*). Instruction counts do not depend
# on the machine's load.
#
#   benches/peer/callgrind.sh [FILES]      # default 500 corpus files
#
# Needs valgrind and the release build (`cargo build --release`, README.md;
# with the CARGO_TARGET_DIR it was built with, if any).
set -euo pipefail
cd "$(dirname "$0")"
files=${1:-500}
exe=${CARGO_TARGET_DIR:-target}/release/peitao-peer
[ -x "$exe" ] || { echo "no $exe: cargo build --release first" >&2; exit 1; }
declare -A per_file
for mode in peitao regorus regorus-yaml peitao-rules regorus-rules; do
  out=$(mktemp)
  valgrind --tool=callgrind --toggle-collect='peitao_peer::run_*' \
    --callgrind-out-file="$out" "$exe" only "$mode" --files "$files" >/dev/null 2>&1
  total=$(callgrind_annotate "$out" 2>/dev/null | awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1 }')
  rm -f "$out"
  per_file[$mode]=$(awk -v t="$total" -v n="$files" 'BEGIN { printf "%.0f", t / n }')
  printf '%-14s %12s instructions per file\n' "$mode" "${per_file[$mode]}"
done
awk -v p="${per_file[peitao]}" -v r="${per_file[regorus]}" -v ry="${per_file[regorus-yaml]}" \
  -v pr="${per_file[peitao-rules]}" -v rr="${per_file[regorus-rules]}" 'BEGIN {
  printf "regorus / peitao, each from its own text:      %.2fx\n", r / p
  printf "regorus / peitao, from the YAML (peitao reads): %.2fx\n", ry / p
  printf "regorus / peitao, rules only:                  %.2fx\n", rr / pr
}'
