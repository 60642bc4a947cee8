#!/usr/bin/env bash
# Export the shared data with the release binary, render report.html in
# headless Chromium and fail when the screenshot is missing or blank, or
# when it does not show the verdict table's coloured verdict badges.
#
# Usage: .ci/report_check.sh BIN OUTDIR
#   BIN     the conformance-viewer binary (e.g. target/release/conformance-viewer)
#   OUTDIR  where the export and the screenshot go (created if missing)
#
# Needs Debian's `chromium` package and python3 (for reading the PNG).
set -euo pipefail

if [ $# -ne 2 ]; then
  echo "usage: $0 BIN OUTDIR" >&2
  exit 2
fi
BIN=$(realpath "$1")
OUT=$2
cd "$(dirname "$0")/.."
DATA=../shared/data

if [ ! -d "$DATA" ]; then
  echo "error: $DATA is missing" >&2
  exit 1
fi
CHROME=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$CHROME" ]; then
  echo "error: no chromium found (apt-get install chromium)" >&2
  exit 1
fi

mkdir -p "$OUT"
# The export never overwrites: clear the files a previous run wrote here,
# and nothing else.
for f in trend caveats duration; do rm -f "$OUT/$f.png" "$OUT/$f.svg"; done
rm -f "$OUT/summary.csv" "$OUT/tests.csv" "$OUT/summary.json" "$OUT/report.html" \
  "$OUT/report-screenshot.png"

"$BIN" export "$DATA" --out "$OUT" --format html,png,svg,csv,json

for f in report.html summary.csv tests.csv summary.json \
  trend.png caveats.png duration.png trend.svg caveats.svg duration.svg; do
  if [ ! -s "$OUT/$f" ]; then
    echo "error: the export did not write $OUT/$f" >&2
    exit 1
  fi
done
grep -q 'id="verdict-table"' "$OUT/report.html" || {
  echo "error: report.html has no verdict table" >&2
  exit 1
}

PROFILE=$(mktemp -d)
trap 'rm -rf "$PROFILE"' EXIT
SHOT=$(realpath "$OUT")/report-screenshot.png
REPORT=$(realpath "$OUT/report.html")
timeout 120 "$CHROME" --headless --no-sandbox --disable-gpu --disable-quic \
  --no-first-run --disable-background-networking --disable-component-update \
  --disable-sync --user-data-dir="$PROFILE" --window-size=1280,2000 \
  --screenshot="$SHOT" "file://$REPORT" >"$PROFILE/chromium.log" 2>&1 || {
  echo "error: chromium failed:" >&2
  tail -20 "$PROFILE/chromium.log" >&2
  exit 1
}
if [ ! -s "$SHOT" ]; then
  echo "error: chromium wrote no screenshot" >&2
  tail -20 "$PROFILE/chromium.log" >&2
  exit 1
fi

# Decode the PNG (8-bit RGB or RGBA, not interlaced: what Chromium
# writes) with the standard library only, then judge it: enough distinct
# colours and ink to be a page, and the verdict badges' green and red in
# the top part, where the verdict table is.
python3 - "$SHOT" <<'PY'
import sys

sys.path.insert(0, ".ci")
from png import read_png

w, h, bpp, rows = read_png(sys.argv[1])
stride = w * bpp
colours, ink, green, red = set(), 0, 0, 0
for y, line in enumerate(rows):
    for x in range(0, stride, bpp):
        px = line[x:x + 3]
        colours.add(px)
        if px != b"\xff\xff\xff":
            ink += 1
        if y < h // 2:
            r, g, b = px
            if abs(r - 0x2B) < 24 and abs(g - 0x8A) < 24 and abs(b - 0x3E) < 24:
                green += 1
            if abs(r - 0xC9) < 24 and abs(g - 0x2A) < 24 and abs(b - 0x2A) < 24:
                red += 1
print(f"screenshot {w}x{h}: {len(colours)} colours, {ink} non-white pixels, "
      f"{green} verdict-green and {red} verdict-red pixels in the top half")
if len(colours) < 50 or ink < w * h // 50:
    sys.exit("error: the screenshot looks blank")
if green < 50 or red < 50:
    sys.exit("error: the verdict badges are not visible in the screenshot")
PY
echo "report check passed: $SHOT"
