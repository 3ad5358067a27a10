#!/usr/bin/env sh
# Installs CSU Assess for this user only, no administrator rights needed:
# the program into ~/.local/bin, and its desktop entry, file types, icons
# and AppStream metadata under ~/.local/share, so the desktop's menu lists
# it and .csuassess files and plan workbooks open in it. Run from the
# unpacked portable folder; `./install.sh --uninstall` takes it all away.
# PREFIX=DIR installs under DIR instead of ~/.local.
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
prefix="${PREFIX:-$HOME/.local}"
share="$prefix/share"
files="bin/csu-assess share/applications/csu-assess.desktop share/mime/packages/csu-assess.xml share/metainfo/uk.nhs.bdu.csu_assess.metainfo.xml share/icons/hicolor/scalable/apps/csu-assess.svg"
for size in 16 32 48 64 128 256 512; do
  files="$files share/icons/hicolor/${size}x${size}/apps/csu-assess.png"
done

refresh() {
  if command -v update-mime-database >/dev/null; then update-mime-database "$share/mime"; fi
  if command -v update-desktop-database >/dev/null; then update-desktop-database "$share/applications"; fi
  if command -v gtk-update-icon-cache >/dev/null && [ -f "$share/icons/hicolor/index.theme" ]; then
    gtk-update-icon-cache --quiet "$share/icons/hicolor" || true
  fi
}

if [ "${1:-}" = "--uninstall" ]; then
  for f in $files; do rm -f "$prefix/$f"; done
  refresh
  echo "CSU Assess removed from $prefix (assessments and keys in the data folder are kept)."
  exit 0
fi

install -D -m 755 "$here/csu-assess" "$prefix/bin/csu-assess"
# The menu may not search ~/.local/bin, so the entry names the program by
# its full path.
mkdir -p "$share/applications"
sed -e "s|^Exec=csu-assess |Exec=\"$prefix/bin/csu-assess\" |" -e "s|^TryExec=csu-assess$|TryExec=$prefix/bin/csu-assess|" \
  "$here/share/applications/csu-assess.desktop" > "$share/applications/csu-assess.desktop"
for f in $files; do
  case "$f" in
    bin/*|share/applications/*) ;;
    *) install -D -m 644 "$here/$f" "$prefix/$f" ;;
  esac
done
refresh
echo "CSU Assess installed in $prefix/bin; it is in the desktop's menu, and opens .csuassess files and plan workbooks."
