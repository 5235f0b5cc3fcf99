#!/usr/bin/env bash
# Seed the fuzz corpus from the shipped examples, the packs' fixtures and
# the bad-input corpus, so the fuzzer starts from real submissions.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p fuzz/corpus/check
for f in examples/*.yaml rules/*/tests/*.yaml tests/input/*.yaml; do
  cp "$f" "fuzz/corpus/check/$(echo "$f" | tr '/' '_')"
done
echo "seeded $(ls fuzz/corpus/check | wc -l) files into fuzz/corpus/check"
