#!/usr/bin/env bash
# Instructions per file of each stage, counted by callgrind on one thread:
# the floors (read, parser events, events → spanned tree, serde-saphyr,
# serde_yaml_ng) and peitao's full check split into parse, validation, plan
# selection, rules and the JSON report. Instruction counts do not depend on
# the machine's load, so they explain the benchmark's wall-time ratios.
#
#   benches/stages.sh [FILES]        # default 10000 corpus files (~3 min)
#
# Needs valgrind. Builds the benchmark with `cargo bench --no-run` (through
# the project's build lock when there is one).
set -euo pipefail
cd "$(dirname "$0")/.."
files=${1:-10000}
cargo=cargo
[ -x /work/bin/cb ] && cargo=/work/bin/cb
exe=$($cargo bench --bench throughput --no-run --message-format=json 2>/dev/null |
  sed -n 's/.*"executable":"\([^"]*throughput[^"]*\)".*/\1/p' | tail -1)
out=$(mktemp)
PEITAO_BENCH_FILES=$files PEITAO_BENCH_STAGES=1 \
  valgrind --tool=callgrind --toggle-collect='throughput::stage_*' \
  --callgrind-out-file="$out" "$exe" --bench 2>/dev/null
callgrind_annotate --inclusive=yes --threshold=100 "$out" 2>/dev/null | awk -v n="$files" '
  function grab(name, pattern) { if ($0 ~ pattern) { gsub(",", "", $1); v[name] += $1 } }
  {
    grab("read", ":throughput::stage_read ");
    grab("events", ":throughput::stage_events ");
    grab("tree", ":throughput::stage_tree ");
    grab("saphyr", ":throughput::stage_saphyr ");
    grab("saphyr_tree", ":throughput::stage_saphyr_tree ");
    grab("yaml_ng", ":throughput::stage_yaml_ng ");
    grab("full", ":throughput::stage_full ");
    grab("check_file", ":peitao::check::check_file ");
    grab("parse_submission", ":peitao::input::validate::parse_submission ");
    grab("parse_direct", ":peitao::input::yaml::parse_direct ");
    grab("engine", ":peitao::engine::check ");
    # The allocation entry points of Rust, whatever the allocator behind them.
    grab("malloc", ":__rustc::__rust_alloc ");
    grab("malloc", ":__rustc::__rust_alloc_zeroed ");
    grab("free", ":__rustc::__rust_dealloc ");
    grab("realloc", ":__rustc::__rust_realloc ");
  }
  END {
    printf "| stage | instructions per file | vs serde_yaml_ng | vs physical floor |\n|---|---|---|---|\n"
    row("read only", v["read"])
    row("granit-parser events with spans (no tree)", v["events"])
    row("physical floor: events → spanned tree", v["tree"])
    row("serde-saphyr → generic value", v["saphyr"])
    row("serde-saphyr → spanned tree (the previous input path)", v["saphyr_tree"])
    row("serde_yaml_ng → generic value", v["yaml_ng"])
    row("**peitao full check + JSON**", v["full"])
    # parse_direct runs in stage_tree and in the full check.
    parse = v["parse_direct"] - (v["tree"] - v["read"])
    row("… parse to the spanned tree", parse)
    row("… validation into records", v["parse_submission"] - parse)
    row("… rules (engine)", v["engine"])
    row("… JSON report of the file", v["full"] - v["check_file"])
    row("… the rest (reading, plan selection, glue)", v["check_file"] - v["parse_submission"] - v["engine"])
    total = v["read"] + v["events"] + v["tree"] + v["saphyr"] + v["saphyr_tree"] + v["yaml_ng"] + v["full"]
    printf "\nallocation (alloc, dealloc, realloc through the global allocator, mimalloc): %.1f%% of the instructions of all stages together\n", \
      100 * (v["malloc"] + v["free"] + v["realloc"]) / total
  }
  function row(name, x) {
    printf "| %s | %.3f M | %.2f× | %.2f× |\n", name, x / n / 1e6, x / v["yaml_ng"], x / v["tree"]
  }'
rm -f "$out"

# The files of many facilities: full check against its floor, and doubling.
declare -A full tree
for n in 10000 20000; do
  PEITAO_BENCH_FILES=1 PEITAO_BENCH_STAGES=$n \
    valgrind --tool=callgrind --toggle-collect='throughput::stage_*' \
    --callgrind-out-file="$out" "$exe" --bench 2>/dev/null
  read -r tree[$n] full[$n] < <(callgrind_annotate --inclusive=yes --threshold=100 "$out" 2>/dev/null |
    awk '/:throughput::stage_tree /{gsub(",","",$1); t=$1} /:throughput::stage_full /{gsub(",","",$1); f=$1} END{print t, f}')
  rm -f "$out"
done
echo
echo "| one file of | physical floor | full check | full / floor |"
echo "|---|---|---|---|"
for n in 10000 20000; do
  awk -v n=$n -v t=${tree[$n]} -v f=${full[$n]} 'BEGIN{printf "| %d facilities | %.0f M | %.0f M | %.2f× |\n", n, t/1e6, f/1e6, f/t}'
done
awk -v t1=${tree[10000]} -v t2=${tree[20000]} -v f1=${full[10000]} -v f2=${full[20000]} \
  'BEGIN{printf "| doubling × | %.3f | %.3f | |\n", t2/t1, f2/f1}'
