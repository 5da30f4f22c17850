#!/usr/bin/env bash
# Record every user-visible output of kg on the shipped graph and on a synthetic graph, so a
# refactoring can prove it changed no byte:
#   bash scripts/golden.sh before/ && <refactor> && bash scripts/golden.sh after/ && diff -r before after
# Uses whichever `kg` is first on PATH (the project's .venv when run from the checkout).
set -euo pipefail
out=${1:?usage: scripts/golden.sh OUTDIR}
cd "$(dirname "$0")/.."
KG=${KG:-.venv/bin/kg}
mkdir -p "$out"
out=$(cd "$out" && pwd)
synth=${TMPDIR:-/tmp}/kg-golden-synth; rm -rf "$synth"
trap 'rm -rf "$synth"' EXIT
"$KG" synth --claims 2000 --seed 3 --out "$synth" >/dev/null
for name in shipped synth; do
  args=()
  [ "$name" = synth ] && args=(--graph "$synth")
  "$KG" reconcile "${args[@]}" --all --format json >"$out/$name-reconcile.json"
  "$KG" table "${args[@]}" --format csv >"$out/$name-table.csv"
  # file paths in findings name the checkout and the synthetic folder: written relative to them
  "$KG" validate "${args[@]}" --format json | sed -e "s|$PWD/||g" -e "s|$synth/||g" \
    >"$out/$name-validate.json" || true
  for fmt in csv md json xlsx ttl jsonld html claimreview; do
    "$KG" export "${args[@]}" --format "$fmt" -o "$out/$name-export.$fmt"
  done
done
echo "wrote $(ls "$out" | wc -l) files to $out"
