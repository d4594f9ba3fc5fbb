#!/usr/bin/env bash
# One entry point for a fresh Debian/Ubuntu machine; it sets up whatever is missing.
#   bash packaging/dev.sh run [ARGS...]    start readinglist (default library unless --library)
#   bash packaging/dev.sh test [ARGS...]   lint, check the architecture, run the test suite
#   bash packaging/dev.sh screenshots      the README's screenshots, under Xvfb
# Sourced (packaging/build.sh does), it only defines its helpers.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.venv"
cd "$root"

say() { printf 'readinglist setup: %s\n' "$*" >&2; }

# Debian packages needed before Python can even make a virtual environment.
install_debs() {
    local missing=()
    for package in "$@"; do
        dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" -eq 0 ]; then
        say "installing ${missing[*]}"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    elif command -v sudo >/dev/null 2>&1; then
        say "installing ${missing[*]} (sudo asks for your password)"
        sudo apt-get update -qq
        sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
    else
        say "please install these Debian packages first: ${missing[*]}"
        exit 1
    fi
}

# Qt's own libraries that a minimal Debian/Ubuntu lacks; "a|b" takes whichever name this
# release has (Debian 13 and Ubuntu 24.04 renamed some for 64-bit time).
QT_OFFSCREEN_DEBS=(libegl1 libgl1 libfontconfig1 libfreetype6 "libglib2.0-0t64|libglib2.0-0"
    libx11-6 libxkbcommon0 "libdbus-1-3t64|libdbus-1-3")
QT_WINDOW_DEBS=(libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0
    libxcb-render0 libxcb-shape0 libxcb-util1 libxcb-xkb1 libxkbcommon-x11-0)

# Resolve "a|b" to the name that is installed, else the first one apt knows.
pick_debs() {
    local choice name
    for choice in "$@"; do
        local found=""
        IFS='|' read -ra names <<<"$choice"
        for name in "${names[@]}"; do
            if dpkg -s "$name" >/dev/null 2>&1; then found="$name"; break; fi
        done
        if [ -z "$found" ]; then
            for name in "${names[@]}"; do
                if apt-cache show "$name" >/dev/null 2>&1; then found="$name"; break; fi
            done
        fi
        echo "${found:-${names[0]}}"
    done
}

install_qt_debs() {
    command -v dpkg >/dev/null 2>&1 || return 0  # not Debian/Ubuntu: Qt's wheels need nothing
    local wanted
    mapfile -t wanted < <(pick_debs "$@")
    install_debs "${wanted[@]}"
}

find_python() {
    for candidate in python3.13 python3.12 python3.11 python3; do
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            echo "$candidate"
            return 0
        fi
    done
    return 1
}

ensure_venv() {
    local extras="$1"
    local python
    if ! python="$(find_python)"; then
        command -v apt-get >/dev/null 2>&1 && install_debs python3
        python="$(find_python)" || { say "readinglist needs Python 3.11 or newer"; exit 1; }
    fi
    if [ ! -x "$venv/bin/python" ]; then
        if ! "$python" -m venv --help >/dev/null 2>&1 || ! "$python" -c 'import ensurepip' 2>/dev/null; then
            install_debs python3-venv
        fi
        say "creating $venv"
        "$python" -m venv "$venv"
    fi
    # Reinstall only when the project's dependencies changed.
    local stamp="$venv/.installed-$extras"
    local want
    want="$(sha256sum pyproject.toml | cut -d' ' -f1)"
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
        say "installing readinglist and its dependencies into $venv"
        "$venv/bin/python" -m pip install -q --upgrade pip
        "$venv/bin/python" -m pip install -q -e ".[$extras]"
        echo "$want" >"$stamp"
    fi
}

# Sourced, stop here: the caller wanted the helpers above.
[[ "${BASH_SOURCE[0]}" != "$0" ]] && return 0

command="${1:-run}"
[ $# -gt 0 ] && shift
case "$command" in
run)
    ensure_venv app
    install_qt_debs "${QT_OFFSCREEN_DEBS[@]}" "${QT_WINDOW_DEBS[@]}"
    exec "$venv/bin/readinglist" "$@"
    ;;
test)
    ensure_venv test
    # The export tests run the real bibtex over what readinglist writes.
    command -v bibtex >/dev/null 2>&1 || install_debs texlive-base
    # The window's tests run real Qt widgets offscreen.
    install_qt_debs "${QT_OFFSCREEN_DEBS[@]}"
    # The desktop integration's tests: freedesktop's validators, flatpak-builder's reading.
    install_debs desktop-file-utils appstream shared-mime-info flatpak-builder
    # The shared library's tests: a throw-away PostgreSQL cluster, as an unprivileged user.
    install_debs postgresql
    export QT_QPA_PLATFORM=offscreen
    "$venv/bin/ruff" check .
    "$venv/bin/ruff" format --check .
    "$venv/bin/lint-imports"
    eval "$("$venv/bin/python" -m tests.pg_cluster start)"
    trap '"$venv/bin/python" -m tests.pg_cluster stop "$READINGLIST_TEST_POSTGRES_DIR"' EXIT
    "$venv/bin/python" -m pytest -n 2 "$@"
    ;;
screenshots)
    # The README's pictures: the real window on a virtual X screen (Xvfb).
    ensure_venv app
    install_qt_debs "${QT_OFFSCREEN_DEBS[@]}" "${QT_WINDOW_DEBS[@]}"
    command -v xvfb-run >/dev/null 2>&1 || install_debs xvfb xauth
    exec xvfb-run -a -s "-screen 0 1920x1200x24" "$venv/bin/python" packaging/screenshots.py "$@"
    ;;
*)
    echo "usage: bash packaging/dev.sh run [ARGS...] | test [PYTEST ARGS...] | screenshots" >&2
    exit 2
    ;;
esac
