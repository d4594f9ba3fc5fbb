#!/usr/bin/env bash
# readinglist's sdist and wheel (dist/), and the desktop bundle: readinglist's window frozen by
# PyInstaller into one folder, dist/bundle/readinglist/, whose program `readinglist` runs
# without Python installed, made from that wheel. Then
# the bundle's self-test, as a desktop starts it: on a real X server (Xvfb), importing a
# generated BibTeX file of 1,200 papers through the import preview (the search index analyses
# that many in helper processes, which a frozen program must start correctly).
#   bash packaging/build.sh
# Prints the build time and the bundle's size. READINGLIST_BUNDLE_FULL=1 builds it without
# the exclusions of unused Qt modules and plugins, to compare.
set -euo pipefail
# shellcheck source=packaging/dev.sh
source "$(dirname "${BASH_SOURCE[0]}")/dev.sh"  # its helpers and $root; it runs nothing

bundle_venv="$root/.venv-bundle"
dist="$root/dist/bundle"
work="$root/build/pyinstaller"

# PyInstaller reads the binaries' dependencies with objdump; the bundle carries the system's
# X11 libraries that Qt's xcb platform needs, so they must be here to be collected; the
# self-test needs an X server.
install_debs binutils
install_qt_debs "${QT_OFFSCREEN_DEBS[@]}" "${QT_WINDOW_DEBS[@]}"
command -v xvfb-run >/dev/null 2>&1 || install_debs xvfb xauth

# A separate environment holding readinglist as its wheel installs it (not the editable
# development install), PyInstaller, and nothing of the test tools.
python="$(find_python)" || { say "readinglist needs Python 3.11 or newer"; exit 1; }
[ -x "$bundle_venv/bin/python" ] || "$python" -m venv "$bundle_venv"
"$bundle_venv/bin/python" -m pip install -q --upgrade pip
"$bundle_venv/bin/python" -m pip install -q -r packaging/pyinstaller/requirements.txt
version="$(sed -n 's/^__version__ = "\(.*\)"/\1/p' readinglist/_version.py)"
say "building the sdist and the wheel of readinglist $version"
"$bundle_venv/bin/python" -m build --outdir "$root/dist" "$root" >/dev/null
wheel="$root/dist/readinglist-$version-py3-none-any.whl"
"$bundle_venv/bin/python" -m pip install -q "$wheel"
"$bundle_venv/bin/python" -m pip install -q --no-deps --force-reinstall "$wheel"

say "building the bundle"
started=$(date +%s)
(cd "$bundle_venv" && "$bundle_venv/bin/pyinstaller" --noconfirm --clean --log-level WARN \
    --distpath "$dist" --workpath "$work" "$root/packaging/pyinstaller/readinglist.spec")
seconds=$(($(date +%s) - started))
size="$(du -sh "$dist/readinglist" | cut -f1)"
say "built $dist/readinglist in ${seconds} s: $size"

papers="$(mktemp -d)"
trap 'rm -rf "$papers"' EXIT
"$bundle_venv/bin/python" - "$papers/many.bib" <<'PY'
import sys

with open(sys.argv[1], "w", encoding="utf-8") as out:
    for n in range(1200):
        out.write(
            f"@article{{bundle{n},\n  title = {{Bundled Paper Number {n} on Frozen Programs}},\n"
            f"  author = {{Tester, Ada and Checker, Bo}},\n  year = {{{2000 + n % 25}}},\n"
            f"  journal = {{Journal of Self-Tests}}\n}}\n\n"
        )
PY
say "self-test of the bundle under Xvfb"
timeout 300 env HOME="$papers" XDG_DATA_HOME="$papers/data" XDG_CONFIG_HOME="$papers/config" QT_QPA_PLATFORM=xcb \
    xvfb-run -a -s "-screen 0 1600x1000x24" "$dist/readinglist/readinglist" --self-test "$papers/many.bib"
"$dist/readinglist/readinglist" --version

# The release a Linux user downloads: the bundle, the desktop files, and install.sh to put
# them in place. Installed here into a scratch home, as a user would.
release="readinglist-$version-linux-$(uname -m)"
rm -rf "${dist:?}/$release" "$root/dist/$release.tar.gz"
mkdir -p "$dist/$release"
cp -a "$dist/readinglist" "$dist/$release/readinglist"
cp -a packaging/linux/install.sh packaging/linux/io.github.readinglist.ReadingList.* \
    packaging/linux/icons "$dist/$release/"
rm -f "$dist/$release/io.github.readinglist.ReadingList.yml"  # the Flatpak manifest
tar -C "$dist" -czf "$root/dist/$release.tar.gz" "$release"
mkdir -p "$papers/unpacked" "$papers/home"
tar -C "$papers/unpacked" -xzf "$root/dist/$release.tar.gz"
HOME="$papers/home" XDG_DATA_HOME="$papers/home/.local/share" "$papers/unpacked/$release/install.sh" --user
"$papers/home/.local/bin/readinglist-gui" --version
if command -v desktop-file-validate >/dev/null 2>&1; then
    desktop-file-validate "$papers/home/.local/share/applications/io.github.readinglist.ReadingList.desktop"
fi
say "bundle: $dist/readinglist ($size, built in ${seconds} s)"
say "release: $root/dist/$release.tar.gz ($(du -h "$root/dist/$release.tar.gz" | cut -f1))"
