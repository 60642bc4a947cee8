#!/usr/bin/env bash
# Make the PNG sizes of the icon from its SVG (librsvg's rsvg-convert,
# Debian package librsvg2-bin). The PNGs are committed; run this after
# changing the SVG.
set -euo pipefail
cd "$(dirname "$0")/../assets/icons/hicolor"
id=io.github.conformance_viewer.ConformanceViewer
for size in 16 24 32 48 64 128 256 512; do
    mkdir -p "${size}x${size}/apps"
    rsvg-convert -w "$size" -h "$size" "scalable/apps/$id.svg" -o "${size}x${size}/apps/$id.png"
done
echo "wrote the PNG icons under assets/icons/hicolor"
