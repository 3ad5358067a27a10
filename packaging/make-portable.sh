#!/usr/bin/env bash
# Makes the portable Linux build: target/package/csu-assess-VERSION-linux-ARCH.tar.xz,
# one folder that runs where it is unpacked (./csu-assess) with nothing
# installed, and whose install.sh adds it to this user's menu and file
# types without administrator rights. The release binary carries all it
# needs (fonts, criteria, wording); the window's system libraries (OpenGL,
# X11 or Wayland) are the desktop's own. The archive is the same bytes for
# the same binary (sorted, fixed dates and owners).
# Builds the release binary first unless --no-build is given.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
if [ "${1:-}" != "--no-build" ]; then
  cargo build --release --locked
fi
target="${CARGO_TARGET_DIR:-$root/target}"
bin="$target/release/csu-assess"
version="$("$bin" --version | awk '{print $2}')"
name="csu-assess-$version-linux-$(uname -m)"
stage="$target/package/$name"
rm -rf "$stage"
mkdir -p "$stage"
install -m 755 "$bin" "$stage/csu-assess"
install -m 755 packaging/install.sh "$stage/install.sh"
install -D -m 644 packaging/csu-assess.desktop "$stage/share/applications/csu-assess.desktop"
install -D -m 644 packaging/csu-assess-mime.xml "$stage/share/mime/packages/csu-assess.xml"
install -D -m 644 packaging/uk.nhs.bdu.csu_assess.metainfo.xml "$stage/share/metainfo/uk.nhs.bdu.csu_assess.metainfo.xml"
install -D -m 644 assets/csu-assess.svg "$stage/share/icons/hicolor/scalable/apps/csu-assess.svg"
for size in 16 32 48 64 128 256 512; do
  install -D -m 644 "assets/icons/csu-assess-$size.png" "$stage/share/icons/hicolor/${size}x${size}/apps/csu-assess.png"
done
install -D -m 644 README.md "$stage/doc/README.md"
install -D -m 644 assets/third-party.tsv "$stage/doc/third-party.tsv"
for licence in assets/fonts/LICENSE-*.txt; do
  install -D -m 644 "$licence" "$stage/doc/fonts/$(basename "$licence")"
done
epoch="$(git log -1 --format=%ct 2>/dev/null || echo 0)"
tar --sort=name --mtime="@$epoch" --owner=0 --group=0 --numeric-owner \
  -C "$target/package" -cf - "$name" | xz -9 --threads=1 > "$target/package/$name.tar.xz"
echo "$target/package/$name.tar.xz"
