#!/usr/bin/env bash
# make demo: run the whole pipeline that exists so far on the bundled sample.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT="${1:-demo-output}"
XC=".venv/bin/xinchuang"
rm -rf "$OUT"
mkdir -p "$OUT"
echo "== catalog" >&2
$XC catalog validate >&2
$XC catalog stats --format json > "$OUT/catalog-stats.json"
echo "== workspace" >&2
$XC init "$OUT/workspace" >&2
echo "Demo output: $(cd "$OUT" && pwd)"
