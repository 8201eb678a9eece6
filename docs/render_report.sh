#!/usr/bin/env bash
# Render the screening HTML report in headless Chromium and save a screenshot, to check
# that the single-file report (summary, sortable alerts table, SVG ownership paths) shows
# correctly in a real browser. Debian: apt-get install -y chromium
#
#   docs/render_report.sh [REPORT.html] [SCREENSHOT.png]
#
# Without arguments it screens the bundled fixtures into .bench/report.html first.
set -euo pipefail
cd "$(dirname "$0")/.."
report="${1:-.bench/report.html}"
shot="${2:-.bench/report.png}"
mkdir -p "$(dirname "$report")" "$(dirname "$shot")"
if [ $# -eq 0 ]; then
  exportscreen screen fixtures/suppliers.csv --ownership fixtures/ownership.csv \
    --entities fixtures/entities.csv --out "$report"
fi
browser="$(command -v chromium || command -v chromium-browser || command -v google-chrome)"
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
"$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
  --disable-component-update --disable-sync --no-first-run --user-data-dir="$profile" \
  --hide-scrollbars --window-size=1400,"${HEIGHT:-2600}" --screenshot="$PWD/$shot" \
  "file://$(realpath "$report")" 2>/dev/null
echo "screenshot: $shot"
