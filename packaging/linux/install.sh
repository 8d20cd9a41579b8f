#!/bin/sh
# Install Meeting Privacy Guard from this unpacked tarball, or remove it again.
#   ./install.sh [--prefix DIR] [--autostart]   install (default prefix: ~/.local)
#   ./install.sh [--prefix DIR] --uninstall     remove the app; your data is kept
# Installs DIR/lib/meeting-privacy-guard (the app), DIR/bin/meeting-guard, the menu entry,
# AppStream metadata and icons under DIR/share; --autostart also starts it when you log in.
set -eu

ID=io.github.meetingprivacyguard.MeetingPrivacyGuard
NAME=meeting-privacy-guard
EXE=meeting-guard

usage() { sed -n '2,6s/^# \{0,1\}//p' "$0"; }

prefix="$HOME/.local"
autostart=0
uninstall=0
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) [ $# -ge 2 ] || { echo "install.sh: --prefix needs a folder" >&2; exit 2; }; prefix=$2; shift 2 ;;
    --prefix=*) prefix=${1#--prefix=}; shift ;;
    --autostart) autostart=1; shift ;;
    --uninstall) uninstall=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "install.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done
[ -n "$prefix" ] && [ "$prefix" != "/" ] || { echo "install.sh: refusing prefix '$prefix'" >&2; exit 2; }
prefix=$(mkdir -p "$prefix" && cd "$prefix" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
autostart_dir="${XDG_CONFIG_HOME:-$HOME/.config}/autostart"

refresh_caches() {
  command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$prefix/share/applications" 2>/dev/null || true
  command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t "$prefix/share/icons/hicolor" 2>/dev/null || true
}

# Removes only the files this script installs; never the settings, ledger or logs.
remove_app() {
  if [ -e "$prefix/lib/$NAME/$EXE" ]; then
    rm -rf "$prefix/lib/$NAME"
  fi
  rm -f "$prefix/bin/$EXE" "$prefix/share/applications/$ID.desktop" \
        "$prefix/share/metainfo/$ID.metainfo.xml" "$autostart_dir/$ID.desktop"
  for icon in "$prefix"/share/icons/hicolor/*/apps/"$ID".png "$prefix"/share/icons/hicolor/*/apps/"$ID".svg; do
    [ -e "$icon" ] && rm -f "$icon"
  done
  return 0
}

if [ "$uninstall" -eq 1 ]; then
  remove_app
  refresh_caches
  echo "Removed Meeting Privacy Guard from $prefix."
  echo "Your settings, consent ledger and logs were kept (~/.config/$NAME, ~/.local/share/$NAME,"
  echo "~/.local/state/$NAME, or MEETING_GUARD_HOME); delete those folders to remove them too."
  exit 0
fi

[ -x "$here/lib/$NAME/$EXE" ] || { echo "install.sh: run me from the unpacked tarball ($here/lib/$NAME/$EXE is missing)" >&2; exit 2; }
remove_app
mkdir -p "$prefix/lib" "$prefix/bin" "$prefix/share"
cp -R "$here/lib/$NAME" "$prefix/lib/"
ln -s "../lib/$NAME/$EXE" "$prefix/bin/$EXE"
cp -R "$here/share/." "$prefix/share/"
program="$prefix/lib/$NAME/$EXE"
# Launchers name the installed program, so they work whether or not DIR/bin is on PATH. Quoted as the
# Desktop Entry Specification says ("The Exec key": '"', '`', '$' and '\' take a backslash, which the
# string escape rule then doubles; '%' is doubled), then made literal for sed's replacement ('\', '&', '|').
quoted=$(printf '%s' "$program" | sed -e 's/[\\"`$]/\\&/g' -e 's/\\/\\\\/g' -e 's/%/%%/g' -e 's/[\\&|]/\\&/g')
sed -i "s|^Exec=$EXE\$|Exec=\"$quoted\"|" "$prefix/share/applications/$ID.desktop"
if [ "$autostart" -eq 1 ]; then
  mkdir -p "$autostart_dir"
  sed "s|^Exec=$EXE\$|Exec=\"$quoted\"|" "$here/autostart/$ID.desktop" > "$autostart_dir/$ID.desktop"
fi
refresh_caches
echo "Installed $("$program" --version) in $prefix."
[ "$autostart" -eq 1 ] && echo "It starts when you log in ($autostart_dir/$ID.desktop)."
case ":$PATH:" in *":$prefix/bin:"*) ;; *) echo "Add $prefix/bin to PATH to run $EXE from a terminal." ;; esac
exit 0
