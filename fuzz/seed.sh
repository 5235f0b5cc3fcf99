#!/usr/bin/env bash
# Seed the fuzz corpora: `check` from the shipped examples, the packs'
# fixtures, the bad-input corpus and a long one-line submission; `packs`
# from a minimal valid pack and the hostile-pack corpus's scripts.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p fuzz/corpus/check fuzz/corpus/packs
for f in examples/*.yaml rules/*/tests/*.yaml tests/input/*.yaml; do
  cp "$f" "fuzz/corpus/check/$(echo "$f" | tr '/' '_')"
done
# A minified submission whose one line runs past column 65,535.
{
  printf '{"version":1,"submission":{"jurisdiction":"十堰市","filed":"2025-03-01","title":"'
  head -c 70000 /dev/zero | tr '\0' 'x'
  printf '"},"estate":{"status":"new","households":-5}}'
} > fuzz/corpus/check/long-line.yaml
manifest='id: fuzz
title: 模糊市方案
seed: seed.txt
aliases: [模糊]
data:
  t: table.csv'
meta='#{ id: "fuzz.rule", severity: "error", title: #{ zh: "规则", en: "rule" }, clause: "新建住宅小区应配建养老服务用房", applies_to: ["estate"] };'
n=0
for body in 'fn check(s) { violated("estate", #{ message: #{ zh: "不达标", en: "falls short" }, at: "estate.households" }) }' \
            'fn check(s) { let t = table("t"); if t.len() > 0 { holds("estate") } else { unchecked("estate", "estate.households") } }' \
            $(for f in tests/hostile-packs/*/pack/*.rhai; do echo "@$f"; done); do
  if [[ $body == @* ]]; then body=$(grep '^fn check' "${body#@}" || true); fi
  [[ -z $body ]] && continue
  printf '%s\n=====\n%s\n%s\n=====\na,b\n1,2\n' "$manifest" "$meta" "$body" > "fuzz/corpus/packs/seed-$n"
  n=$((n + 1))
done
echo "seeded $(ls fuzz/corpus/check | wc -l) check inputs, $(ls fuzz/corpus/packs | wc -l) pack inputs"
# The differential target starts from the same submissions as `check`.
mkdir -p fuzz/corpus/yaml_differential
cp fuzz/corpus/check/* fuzz/corpus/yaml_differential/
