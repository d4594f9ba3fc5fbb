#!/usr/bin/env bash
# The Flatpak, built from readinglist's sdist and installed for this user:
#   bash packaging/flatpak.sh          then: flatpak run io.github.readinglist.ReadingList
# It needs flatpak-builder and Flathub (the KDE runtime and SDK, and the PySide base app come
# from there); the sdist and the list of Python files are made first.
set -euo pipefail
# shellcheck source=packaging/dev.sh
source "$(dirname "${BASH_SOURCE[0]}")/dev.sh"  # its helpers and $root; it runs nothing

app_id="io.github.readinglist.ReadingList"
ensure_venv test  # it holds `build`
command -v flatpak-builder >/dev/null 2>&1 || install_debs flatpak-builder

say "building the sdist"
"$venv/bin/python" -m build --sdist --outdir "$root/dist" "$root" >/dev/null
say "listing the Python files the Flatpak installs"
"$venv/bin/python" packaging/linux/flatpak_deps.py

flatpak remote-add --user --if-not-exists flathub https://dl.flathub.org/repo/flathub.flatpakrepo
flatpak-builder --user --install --install-deps-from=flathub --force-clean \
    --state-dir "$root/build/flatpak-state" "$root/build/flatpak" \
    "packaging/linux/$app_id.yml"
say "installed: flatpak run $app_id (or from the application menu)"
