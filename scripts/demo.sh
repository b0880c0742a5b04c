#!/usr/bin/env bash
# make demo: the whole pipeline on the bundled sample bank (examples/sample-bank and
# examples/sample-code), written to DEMO_DIR (default demo-output/).
set -euo pipefail
cd "$(dirname "$0")/.."
OUT="${1:-demo-output}"
XC=".venv/bin/xinchuang"
SAMPLE="examples/sample-bank"
WS="$OUT/workspace"
rm -rf "$OUT"
mkdir -p "$OUT"

step() { printf '\n== %s\n' "$*" >&2; }

step "catalog"
$XC -q catalog validate >&2
$XC catalog stats --format json > "$OUT/catalog-stats.json"

step "workspace"
$XC -q init "$WS" --name "江城市商业银行" >&2

step "import: registers, VMware export, host scans, SBOMs, business systems"
# The registers name their own units; RVTools, scans and SBOMs belong to the head office.
$XC -q import -w "$WS" "$SAMPLE/registers" "$SAMPLE/virtualization" "$SAMPLE/scans" \
    "$SAMPLE/sbom" "$SAMPLE/systems.csv" --unit 总行 --format json > "$OUT/import.json"
$XC inventory -w "$WS" --format json --output "$OUT/inventory.json" 2>/dev/null
$XC unknown -w "$WS" --top 15 >&2

step "scan the credit system's code"
set +e
$XC -q scan examples/sample-code/credit-management -w "$WS" --system 信贷管理系统 \
    --format sarif --output "$OUT/credit-management.sarif"
code=$?
set -e
[ "$code" -le 1 ] || exit "$code"  # 1 means blockers were found: expected here

step "localization rate"
$XC -q snapshot -w "$WS" --label baseline >&2
$XC status -w "$WS" >&2
$XC status -w "$WS" --format json > "$OUT/status.json"

step "migration plan (CP-SAT), forecast (Monte Carlo), what-if"
set +e
$XC plan -w "$WS" --settings "$SAMPLE/plan.yaml" --format json > "$OUT/plan.json"
code=$?
set -e
[ "$code" -le 1 ] || exit "$code"  # 1 means some deadlines are missed: the plan says by how much
$XC plan -w "$WS" --list >&2
$XC forecast -w "$WS" --runs 1000 --seed 1 --format json > "$OUT/forecast.json"
set +e
$XC whatif -w "$WS" --capacity-factor 0.8 --remove-vendor hygon \
    --format json > "$OUT/whatif.json"
code=$?
set -e
[ "$code" -le 1 ] || exit "$code"
$XC progress -w "$WS" --format json > "$OUT/progress.json"

step "report"
$XC -q report -w "$WS" --output "$OUT/report" >&2

echo "Demo report: $(cd "$OUT/report" && pwd)/report.html"
echo "Workbook:    $(cd "$OUT/report" && pwd)/report.xlsx"
