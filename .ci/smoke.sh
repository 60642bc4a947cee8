#!/usr/bin/env bash
# Real-window smoke test: open the release binary under Xvfb on the vSphere
# Supervisor results, let it save a screenshot of its window, and fail when
# the PNG is missing or blank. Builds nothing: CI already ran
# `cargo build --release`. Needs xvfb, xauth, libxkbcommon-x11-0,
# libxcursor1, libxi6 and Mesa (mesa-vulkan-drivers, or the EGL/GL drivers).
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=${CV_SMOKE_BIN:-./target/release/conformance-viewer}
DATA=../shared/data/vsphere-supervisor-conformance
SHOT=${CV_SMOKE_SHOT:-/tmp/cv-shot.png}
TIMEOUT_SECS=${CV_SMOKE_TIMEOUT:-120}

if [ ! -x "$BIN" ]; then
  echo "smoke: $BIN is missing; run cargo build --release first" >&2
  exit 1
fi
if [ ! -d "$DATA" ]; then
  echo "smoke: $DATA is missing" >&2
  exit 1
fi
for tool in xvfb-run python3 timeout; do
  if ! command -v "$tool" >/dev/null; then
    echo "smoke: $tool is not installed" >&2
    exit 1
  fi
done

export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-/tmp}

# The app's saved state goes to a folder of this run's own, which starts
# with a saved window of 1400x900, as a user's would after a session: a
# size given with --size must still win over it.
XDG_DATA_HOME=$(mktemp -d)
export XDG_DATA_HOME
trap 'rm -rf "$XDG_DATA_HOME"' EXIT
mkdir -p "$XDG_DATA_HOME/conformance-viewer"
cat >"$XDG_DATA_HOME/conformance-viewer/app.ron" <<'RON'
{
    "window": "(normal_geometry:(outer_position_pixels:Some((x:0.0,y:0.0)),scale_factor:1.0,inner_size_points:(x:1400.0,y:900.0)),fullscreen:false,maximized:false)",
}
RON

# shoot FILE [ARGS...]: run the app on ARGS until it saves FILE.
shoot() {
  local shot=$1
  shift
  rm -f "$shot"
  local status=0
  # The app gives up by itself after 60 s; the outer timeout is a backstop.
  timeout "$TIMEOUT_SECS" xvfb-run -a -s "-screen 0 2000x1200x24" \
    "$BIN" --screenshot "$shot" "$@" || status=$?
  if [ "$status" -ne 0 ]; then
    echo "smoke: conformance-viewer --screenshot $shot $* exited with $status" >&2
    exit 1
  fi
  if [ ! -s "$shot" ]; then
    echo "smoke: no screenshot was written to $shot" >&2
    exit 1
  fi
}

# check FILE W H [exact]: decode the PNG with the standard library only and
# count its colours: a blank or single-colour window has a handful, a drawn
# one has hundreds.
check() {
  python3 - "$@" <<'PY'
import sys

sys.path.insert(0, ".ci")
from png import read_png

MIN_COLOURS = 64

path, min_w, min_h = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
exact = sys.argv[4:] == ["exact"]
width, height, channels, rows = read_png(path)
if exact and (width, height) != (min_w, min_h):
    sys.exit(f"smoke: {path} is {width}x{height}, want exactly {min_w}x{min_h}")
if width < min_w or height < min_h:
    sys.exit(f"smoke: {path} is only {width}x{height}, want {min_w}x{min_h}")
colours = set()
# Every pixel of every 4th row is plenty.
for line in rows[::4]:
    for x in range(0, len(line), channels):
        colours.add(line[x:x + channels])

print(f"smoke: {path}: {width}x{height}, {len(colours)} distinct colours")
if len(colours) < MIN_COLOURS:
    sys.exit(f"smoke: {path} looks blank ({len(colours)} colours, want at least {MIN_COLOURS})")
PY
}

shoot "$SHOT" "$DATA"
check "$SHOT" 800 500

# The Tests view with a test selected and its details shown, on the whole
# shared data, at the smallest window and at the default one.
for size in 900x600 1400x900; do
  shot="${SHOT%.png}-tests-$size.png"
  shoot "$shot" --view tests --select NodePort --size "$size" ../shared/data
  check "$shot" "${size%x*}" "${size#*x}" exact
done
# The repaint probe: the window repaints a few frames once the data shows,
# says what a frame took, and closes by itself.
probe=$(CV_REPAINT_FRAMES=5 timeout "$TIMEOUT_SECS" xvfb-run -a -s "-screen 0 2000x1200x24" \
  "$BIN" --size 1000x700 "$DATA" 2>&1 >/dev/null) || {
  echo "smoke: CV_REPAINT_FRAMES=5 run failed: $probe" >&2
  exit 1
}
if ! grep -q "^repaint: 5 frames at 1000x700 in " <<<"$probe"; then
  echo "smoke: CV_REPAINT_FRAMES=5 printed no timing: $probe" >&2
  exit 1
fi
grep "^repaint: " <<<"$probe"
echo "smoke: OK"
