#!/usr/bin/env bash
# Draws the program's icon, assets/csu-assess.svg, as the PNG sizes that
# desktops (the freedesktop hicolor theme) and the macOS bundle need, and
# the Windows installer's .ico, into assets/icons/. They are committed, so
# building a package needs neither tool; run this again after changing the
# SVG. Needs rsvg-convert and icotool
# (Debian: apt-get install librsvg2-bin icoutils).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
mkdir -p "$here/assets/icons"
for size in 16 32 48 64 128 256 512; do
  rsvg-convert --width "$size" --height "$size" --format png \
    "$here/assets/csu-assess.svg" --output "$here/assets/icons/csu-assess-$size.png"
done
icotool --create --output "$here/assets/icons/csu-assess.ico" \
  "$here"/assets/icons/csu-assess-{16,32,48}.png --raw="$here/assets/icons/csu-assess-256.png"
