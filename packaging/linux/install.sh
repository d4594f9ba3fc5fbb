#!/usr/bin/env bash
# Installs the readinglist bundle (the folder PyInstaller made) with its desktop integration,
# so that readinglist is in the application menu and "Open with" offers it for .bib and .ris
# files. Run from the unpacked release (readinglist-VERSION-linux-ARCH/), or from a source tree
# after bash packaging/build.sh (it installs dist/bundle/readinglist):
#   ./install.sh              for you: ~/.local/lib/readinglist, ~/.local/bin, ~/.local/share
#   sudo ./install.sh         for everyone: /opt/readinglist, /usr/local/bin, /usr/local/share
#   ./install.sh --uninstall  (or sudo ./install.sh --uninstall) removes what it installed
#   --user / --system         choose, whoever runs it
# READINGLIST_BUNDLE=DIR installs another bundle folder; DESTDIR stages a system install.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
app_id="io.github.readinglist.ReadingList"
# The desktop files lie beside this script, in a release as in packaging/linux/.
bundle="${READINGLIST_BUNDLE:-$here/readinglist}"
[ -d "$bundle" ] || [ -n "${READINGLIST_BUNDLE:-}" ] || bundle="$here/../../dist/bundle/readinglist"

scope=""
uninstall=""
for argument in "$@"; do
    case "$argument" in
    --user | --system) scope="${argument#--}" ;;
    --uninstall) uninstall=1 ;;
    *) echo "usage: install.sh [--user | --system] [--uninstall]" >&2; exit 2 ;;
    esac
done
if [ -z "$scope" ]; then
    scope=user
    if [ "$(id -u)" -eq 0 ] || [ -n "${DESTDIR:-}" ]; then scope=system; fi
fi

if [ "$scope" = system ]; then
    program_dir="${DESTDIR:-}/opt/readinglist"
    bin_dir="${DESTDIR:-}/usr/local/bin"
    data_dir="${DESTDIR:-}/usr/local/share"
else
    program_dir="$HOME/.local/lib/readinglist"
    bin_dir="$HOME/.local/bin"
    data_dir="${XDG_DATA_HOME:-$HOME/.local/share}"
fi

say() { printf 'readinglist: %s\n' "$*"; }

# Menus, icon themes and file managers read caches: bring them up to date when the tools exist.
refresh() {
    if command -v update-mime-database >/dev/null 2>&1; then
        update-mime-database "$data_dir/mime" >/dev/null 2>&1 || true
    fi
    if command -v update-desktop-database >/dev/null 2>&1; then
        update-desktop-database -q "$data_dir/applications" || true
    fi
    if command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -f "$data_dir/icons/hicolor/index.theme" ]; then
        gtk-update-icon-cache -q -t -f "$data_dir/icons/hicolor" || true
    fi
}

installed_files() {
    echo "$data_dir/applications/$app_id.desktop"
    echo "$data_dir/metainfo/$app_id.metainfo.xml"
    echo "$data_dir/mime/packages/$app_id.xml"
    echo "$data_dir/icons/hicolor/scalable/apps/$app_id.svg"
    for size in 16 24 32 48 64 128 256 512; do
        echo "$data_dir/icons/hicolor/${size}x${size}/apps/$app_id.png"
    done
    echo "$bin_dir/readinglist-gui"
}

if [ -n "$uninstall" ]; then
    installed_files | while read -r file; do rm -f "$file"; done
    rm -rf "$program_dir"
    refresh
    say "removed (your library and settings are kept)"
    exit 0
fi

if [ ! -x "$bundle/readinglist" ]; then
    say "no bundle at $bundle (build one with: bash packaging/build.sh)" >&2
    exit 1
fi
if [ ! -f "$here/$app_id.desktop" ]; then
    say "no desktop files beside this script (expected $here/$app_id.desktop)" >&2
    exit 1
fi

say "installing into $program_dir"
rm -rf "$program_dir"
mkdir -p "$(dirname "$program_dir")" "$bin_dir"
cp -a "$bundle" "$program_dir"
ln -sfn "${program_dir#"${DESTDIR:-}"}/readinglist" "$bin_dir/readinglist-gui"

# The desktop file starts the bundle by its full path: ~/.local/bin need not be on PATH.
install -d "$data_dir/applications"
sed "s|^Exec=readinglist-gui |Exec=${program_dir#"${DESTDIR:-}"}/readinglist |" \
    "$here/$app_id.desktop" >"$data_dir/applications/$app_id.desktop"
install -Dm644 "$here/$app_id.metainfo.xml" "$data_dir/metainfo/$app_id.metainfo.xml"
install -Dm644 "$here/$app_id.xml" "$data_dir/mime/packages/$app_id.xml"
(cd "$here" && find icons -name "$app_id.*" -type f) | while read -r icon; do
    install -Dm644 "$here/$icon" "$data_dir/$icon"
done
refresh
say "installed: readinglist is in your application menu (Office), and opens .bib and .ris files"
