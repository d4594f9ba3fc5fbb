"""What a Python user gets from ``pip install readinglist``: the sdist and the wheel built from
it, installed into a fresh virtual environment outside the source tree, with its dependencies
from the package index as a user's pip fetches them. One test, because building and installing
take most of its time."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import time
import venv
import zipfile
from pathlib import Path

from readinglist import __version__

REPO = Path(__file__).resolve().parents[1]
TIMEOUT = 600
LEFT_BEHIND = (".git", ".venv*", "*.egg-info", "build", "dist", "__pycache__", ".*_cache",
               ".hypothesis", ".flatpak-builder", "tests", "screenshots")  # fmt: skip


def run(command: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    done = subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=TIMEOUT, check=False
    )
    assert done.returncode == 0, f"{command}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


def clean_environment(home: Path | None = None) -> dict[str, str]:
    """This test's venv and source tree must not leak into the fresh install."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = os.pathsep.join(
        p for p in env.get("PATH", "").split(os.pathsep) if not p.startswith(sys.prefix)
    )
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    env.pop("READINGLIST_LIBRARY", None)
    if home is not None:  # the program's runs: nothing in the user's folders
        env["HOME"] = str(home)
        env["XDG_DATA_HOME"] = str(home / "data")
        env["XDG_CONFIG_HOME"] = str(home / "config")
        env["QT_QPA_PLATFORM"] = "offscreen"
    return env


def test_wheel_installs_into_a_fresh_venv_and_runs_the_gui_self_test(tmp_path, sample_page):
    started = time.monotonic()
    # A copy of the source, without what builds and installs leave in it: setuptools would put
    # the files an old readinglist.egg-info lists into the sdist, package data or not.
    source = tmp_path / "source"
    shutil.copytree(REPO, source, ignore=shutil.ignore_patterns(*LEFT_BEHIND))
    dist = tmp_path / "dist"
    # The sdist first, then the wheel from the unpacked sdist: both must be complete.
    run([sys.executable, "-m", "build", "--outdir", str(dist), str(source)], tmp_path,
        clean_environment())  # fmt: skip
    (sdist,) = dist.glob(f"readinglist-{__version__}.tar.gz")
    (wheel,) = dist.glob(f"readinglist-{__version__}-py3-none-any.whl")
    # A distribution's packager (and the Flatpak manifest) builds from the sdist alone.
    with tarfile.open(sdist) as archive:
        packed = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    for needed in (
        "packaging/linux/io.github.readinglist.ReadingList.desktop",
        "packaging/linux/io.github.readinglist.ReadingList.metainfo.xml",
        "packaging/linux/io.github.readinglist.ReadingList.xml",
        "packaging/linux/icons/hicolor/48x48/apps/io.github.readinglist.ReadingList.png",
        "readinglist/resources/icons/readinglist.svg",
        "resources/README.md",
    ):
        assert needed in packed, needed
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in (
        "readinglist/resources/sample/library.json",
        "readinglist/resources/icons/readinglist.svg",
        "readinglist/storage/migrations/env.py",
    ):
        assert needed in names, needed
    entry_points = (
        zipfile.ZipFile(wheel)
        .read(f"readinglist-{__version__}.dist-info/entry_points.txt")
        .decode()
    )
    assert "[console_scripts]\nreadinglist = " in entry_points
    assert "[gui_scripts]\nreadinglist-gui = " in entry_points
    built = time.monotonic()

    fresh = tmp_path / "fresh-venv"
    venv.EnvBuilder(with_pip=True).create(fresh)
    bin_dir = fresh / ("Scripts" if os.name == "nt" else "bin")
    run([str(bin_dir / "python"), "-m", "pip", "install", "-q", str(wheel)], tmp_path,
        clean_environment())  # fmt: skip
    installed = time.monotonic()

    home = tmp_path / "home"
    home.mkdir()
    user = clean_environment(home)
    where = run([str(bin_dir / "python"), "-c", "import readinglist; print(readinglist.__file__)"],
                home, user).stdout  # fmt: skip
    assert Path(where.strip()).is_relative_to(fresh), where

    version = run([str(bin_dir / "readinglist"), "--version"], home, user).stdout
    assert version.strip() == f"readinglist, version {__version__}"

    library = tmp_path / "library"
    imported = run(
        [str(bin_dir / "readinglist"), "--library", str(library), "import", str(sample_page),
         "--json"],
        home,
        user,
    )  # fmt: skip
    report = json.loads(imported.stdout)
    assert (report["added"], report["errors"]) == (119, []), report

    # On a temporary library holding the sample library (it ships in the wheel) ...
    alone = run([str(bin_dir / "readinglist"), "gui", "--self-test"], home, user)
    assert "self-test passed: 34 papers" in alone.stdout, alone.stdout + alone.stderr
    # ... and through the GUI script, on the library the sample page went into.
    gui = run([str(bin_dir / "readinglist-gui"), "--self-test", "--library", str(library)],
              home, user)  # fmt: skip
    assert "self-test passed: 119 papers" in gui.stdout, gui.stdout + gui.stderr
    assert not (home / "data").exists(), "the self-test touched the user's data folder"
    print(
        f"wheel test: build {built - started:.0f} s, install {installed - built:.0f} s, "
        f"runs {time.monotonic() - installed:.0f} s"
    )
