#!/usr/bin/env bash
# Rebuilds assets/bdu-logo.png, the letterhead logo: the BDU's initials
# reversed out of a blue square. Needs ImageMagick and the Liberation fonts
# in assets/fonts.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
convert -size 300x300 xc:'#005EB8' \
  -font "$here/fonts/LiberationSans-Bold.ttf" -fill white -pointsize 118 -gravity center -annotate +0-18 'BDU' \
  -font "$here/fonts/LiberationSans-Regular.ttf" -pointsize 30 -annotate +0+78 'NHS CB Authority' \
  -strip -depth 8 -define png:exclude-chunks=date,time "PNG24:$here/bdu-logo.png"
