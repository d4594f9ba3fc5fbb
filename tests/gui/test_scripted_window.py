"""The window's scriptable checks, as packaging and the README use them: real processes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage

from readinglist import open_library

PROGRAM = str(Path(sys.executable).with_name("readinglist"))


def run(*args: str, tmp_path: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path)}
    return subprocess.run(
        [PROGRAM, *args], capture_output=True, text=True, env=env, timeout=120, check=False
    )


def test_self_test_opens_loads_searches_and_exits_zero(tmp_path):
    with open_library(tmp_path / "lib") as library:
        library.open_sample()
    done = run("--library", str(tmp_path / "lib"), "gui", "--self-test", tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "self-test passed: 34 papers" in done.stdout


def test_self_test_fails_with_a_message_on_a_broken_library(tmp_path):
    broken = tmp_path / "lib"
    broken.mkdir()
    (broken / "library.sqlite3").write_bytes(b"this is not a database" * 100)
    done = run("--library", str(broken), "gui", "--self-test", tmp_path=tmp_path)
    assert done.returncode == 1
    assert "self-test failed" in done.stderr and "library.sqlite3" in done.stderr


def test_screenshots_light_and_dark_with_a_selection_and_a_query(tmp_path):
    with open_library(tmp_path / "lib") as library:
        library.open_sample()
    light, dark = tmp_path / "light.png", tmp_path / "dark.png"
    common = ("--library", str(tmp_path / "lib"), "gui")
    done = run(*common, "--screenshot", str(light), "--select", "vaswani2017attention",
               tmp_path=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    done = run(*common, "--screenshot", str(dark), "--dark", "--query", "attention",
               tmp_path=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    for path in (light, dark):
        image = QImage(str(path))
        assert image.width() >= 1200 and image.height() >= 700
    corner = (QImage(str(light)).pixelColor(700, 400), QImage(str(dark)).pixelColor(700, 400))
    assert corner[0].lightness() > 150 > corner[1].lightness()
