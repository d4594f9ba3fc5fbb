#!/usr/bin/env bash
# One entry point for a fresh Debian/Ubuntu machine; it sets up whatever is missing.
#   bash packaging/dev.sh run [ARGS...]    start readinglist (default library unless --library)
#   bash packaging/dev.sh test [ARGS...]   lint, check the architecture, run the test suite
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

command="${1:-run}"
[ $# -gt 0 ] && shift
case "$command" in
run)
    ensure_venv app
    exec "$venv/bin/readinglist" "$@"
    ;;
test)
    ensure_venv test
    # The export tests run the real bibtex over what readinglist writes.
    command -v bibtex >/dev/null 2>&1 || install_debs texlive-base
    "$venv/bin/ruff" check readinglist tests
    "$venv/bin/ruff" format --check readinglist tests
    "$venv/bin/lint-imports"
    exec "$venv/bin/python" -m pytest -n 2 "$@"
    ;;
*)
    echo "usage: bash packaging/dev.sh run [ARGS...] | test [PYTEST ARGS...]" >&2
    exit 2
    ;;
esac
