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
rm -f "$SHOT"
status=0
# The app gives up by itself after 60 s; the outer timeout is a backstop.
timeout "$TIMEOUT_SECS" xvfb-run -a -s "-screen 0 1600x1000x24" \
  "$BIN" --screenshot "$SHOT" "$DATA" || status=$?
if [ "$status" -ne 0 ]; then
  echo "smoke: conformance-viewer --screenshot exited with $status" >&2
  exit 1
fi
if [ ! -s "$SHOT" ]; then
  echo "smoke: no screenshot was written to $SHOT" >&2
  exit 1
fi

# Decode the PNG with the standard library only and count its colours: a
# blank or single-colour window has a handful, a drawn one has hundreds.
python3 - "$SHOT" <<'PY'
import struct
import sys
import zlib

MIN_COLOURS = 64
MIN_SIZE = (800, 500)

path = sys.argv[1]
with open(path, "rb") as f:
    data = f.read()
if data[:8] != b"\x89PNG\r\n\x1a\n":
    sys.exit(f"smoke: {path} is not a PNG")

pos, idat, header = 8, [], None
while pos < len(data):
    (length,) = struct.unpack(">I", data[pos:pos + 4])
    kind = data[pos + 4:pos + 8]
    body = data[pos + 8:pos + 8 + length]
    pos += 12 + length
    if kind == b"IHDR":
        header = struct.unpack(">IIBBBBB", body)
    elif kind == b"IDAT":
        idat.append(body)
    elif kind == b"IEND":
        break
if header is None:
    sys.exit(f"smoke: {path} has no IHDR")
width, height, depth, colour_type, _, _, interlace = header
channels = {0: 1, 2: 3, 4: 2, 6: 4}.get(colour_type)
if depth != 8 or channels is None or interlace != 0:
    sys.exit(f"smoke: unexpected PNG format (depth {depth}, colour type {colour_type}, interlace {interlace})")
if width < MIN_SIZE[0] or height < MIN_SIZE[1]:
    sys.exit(f"smoke: the screenshot is only {width}x{height}")

raw = zlib.decompress(b"".join(idat))
stride = width * channels
prev = bytearray(stride)
colours = set()
i = 0
for _ in range(height):
    filt = raw[i]
    line = bytearray(raw[i + 1:i + 1 + stride])
    i += 1 + stride
    for x in range(stride):
        a = line[x - channels] if x >= channels else 0
        b = prev[x]
        c = prev[x - channels] if x >= channels else 0
        if filt == 1:
            line[x] = (line[x] + a) & 0xFF
        elif filt == 2:
            line[x] = (line[x] + b) & 0xFF
        elif filt == 3:
            line[x] = (line[x] + ((a + b) >> 1)) & 0xFF
        elif filt == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
            line[x] = (line[x] + pred) & 0xFF
    # Sampling every pixel of every 4th row is plenty and keeps this fast.
    if _ % 4 == 0:
        for x in range(0, stride, channels):
            colours.add(bytes(line[x:x + channels]))
    prev = line

print(f"smoke: {path}: {width}x{height}, {len(colours)} distinct colours")
if len(colours) < MIN_COLOURS:
    sys.exit(f"smoke: the screenshot looks blank ({len(colours)} colours, want at least {MIN_COLOURS})")
PY
echo "smoke: OK"
