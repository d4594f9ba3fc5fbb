"""Writes python3-deps.json, the Flatpak module that installs readinglist's Python dependencies.

A Flatpak build has no network: every file it installs is listed in the manifest with its
address and checksum. This asks pip (the ordinary client, against the package index pip is set
up for) which files a Python of the runtime would install on each architecture, and lists them.
PySide6 is left out: the io.qt.PySide.BaseApp base application provides it, built against the
runtime's own Qt. The list is made when a Flatpak is built, not kept in the repository, so it
follows the dependencies as pyproject.toml states them.

    python packaging/linux/flatpak_deps.py      # before flatpak-builder (packaging/flatpak.sh)
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
OUT = HERE / "python3-deps.json"
PYTHON = "3.12"  # the Python of org.kde.Platform 6.8 (freedesktop SDK 24.08)
PLATFORMS = {
    "x86_64": ["manylinux_2_28_x86_64", "manylinux_2_17_x86_64", "manylinux2014_x86_64"],
    "aarch64": ["manylinux_2_28_aarch64", "manylinux_2_17_aarch64", "manylinux2014_aarch64"],
}
FROM_THE_BASE_APP = ("pyside6", "shiboken6")
# Building readinglist from its sdist, without network: its build backend.
BUILD = ["setuptools>=69", "wheel"]


def name_of(requirement: str) -> str:
    return re.split(r"[<>=!~ ;\[]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def requirements(pyproject: Path = ROOT / "pyproject.toml") -> list[str]:
    """The run-time dependencies the Flatpak must install itself, and the build backend."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    wanted = [r.split("#")[0].strip() for r in project["dependencies"]]
    return [r for r in wanted if not name_of(r).startswith(FROM_THE_BASE_APP)] + BUILD


def resolve(arch: str) -> list[dict[str, str]]:
    """What pip would install for this architecture: each file's address and sha256."""
    platforms = [f"--platform={p}" for p in PLATFORMS[arch]]
    with tempfile.TemporaryDirectory() as target:
        report = subprocess.run(
            [sys.executable, "-m", "pip", "install", "--dry-run", "--quiet", "--ignore-installed",
             "--only-binary=:all:", *platforms, f"--python-version={PYTHON}",
             "--implementation=cp", f"--abi=cp{PYTHON.replace('.', '')}", "--target", target,
             "--report", "-", *requirements()],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
    files = []
    for item in json.loads(report)["install"]:
        if name_of(item["metadata"]["name"]).startswith(FROM_THE_BASE_APP):
            continue
        info = item["download_info"]
        files.append({"url": info["url"], "sha256": info["archive_info"]["hashes"]["sha256"]})
    return files


def module(by_arch: dict[str, list[dict[str, str]]]) -> dict:
    """One Flatpak module: a file wanted on every architecture is listed once; a compiled
    one only for the architecture it was built for."""
    everywhere = set.intersection(*({f["url"] for f in files} for files in by_arch.values()))
    sources: list[dict] = []
    seen: set[str] = set()
    for arch, files in by_arch.items():
        for f in files:
            if f["url"] in seen:
                continue
            seen.add(f["url"])
            source: dict = {"type": "file", "url": f["url"], "sha256": f["sha256"]}
            if f["url"] not in everywhere:
                source["only-arches"] = [arch]
            sources.append(source)
    sources.sort(key=lambda s: (s.get("only-arches", [""])[0], s["url"].rsplit("/", 1)[1]))
    return {
        "name": "python3-deps",
        "buildsystem": "simple",
        "build-commands": [
            # Only this architecture's files were fetched: install them all, offline.
            'pip3 install --no-index --no-deps --no-build-isolation --prefix="${FLATPAK_DEST}" '
            "*.whl"
        ],
        "sources": sources,
    }


def main() -> int:
    made = module({arch: resolve(arch) for arch in PLATFORMS})
    OUT.write_text(json.dumps(made, indent=2) + "\n", encoding="utf-8")
    print(f"{OUT.relative_to(ROOT)}: {len(made['sources'])} files")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
