#!/usr/bin/env bash
# Seed the fuzz corpora from the shipped examples, the packs' fixtures and
# the bad-input corpus, so the fuzzers start from real submissions.
set -euo pipefail
cd "$(dirname "$0")/.."
for target in check yaml_differential; do
  mkdir -p "fuzz/corpus/$target"
  for f in examples/*.yaml rules/*/tests/*.yaml tests/input/*.yaml; do
    cp "$f" "fuzz/corpus/$target/$(echo "$f" | tr '/' '_')"
  done
  echo "seeded $(ls "fuzz/corpus/$target" | wc -l) files into fuzz/corpus/$target"
done
