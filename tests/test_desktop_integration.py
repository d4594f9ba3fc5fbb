"""The Linux desktop integration as a distribution or Flatpak installs it: the files pass the
freedesktop validators, "Open with readinglist" reaches the GUI script, and the icon exists in
every size a menu asks for."""

from __future__ import annotations

import configparser
import importlib.util
import json
import os
import shutil
import struct
import subprocess
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
LINUX = REPO / "packaging" / "linux"
APP_ID = "io.github.readinglist.ReadingList"
DESKTOP = LINUX / f"{APP_ID}.desktop"
METAINFO = LINUX / f"{APP_ID}.metainfo.xml"
MIME = LINUX / f"{APP_ID}.xml"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def tool(name: str, package: str) -> str:
    """The validator, or a skip that says why; CI installs it (dev.sh), so there it must be."""
    found = shutil.which(name)
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail(f"{name} is missing in CI: packaging/dev.sh test installs {package}")
    pytest.skip(f"{name} is not installed (bash packaging/dev.sh test installs {package})")


def desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(DESKTOP, encoding="utf-8")
    return parser["Desktop Entry"]


def test_the_desktop_file_passes_desktop_file_validate():
    done = subprocess.run(
        [tool("desktop-file-validate", "desktop-file-utils"), str(DESKTOP)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0 and not done.stdout.strip(), done.stdout + done.stderr


def test_the_metainfo_passes_appstreamcli_validate():
    done = subprocess.run(
        [tool("appstreamcli", "appstream"), "validate", "--no-net", str(METAINFO)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "E:" not in done.stdout and "W:" not in done.stdout, done.stdout


def test_opening_a_bib_or_ris_file_starts_the_gui_script_with_the_files():
    entry = desktop_entry()
    program, *arguments = entry["Exec"].split()
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert program in scripts["gui-scripts"] and arguments == ["%F"]
    assert set(entry["MimeType"].strip(";").split(";")) == {
        "text/x-bibtex",
        "application/x-research-info-systems",
    }
    assert entry["Icon"] == APP_ID


def test_the_window_the_desktop_file_and_the_metainfo_share_one_application_id():
    from readinglist.gui.app import APP_ID as window_id  # no Qt at import

    assert window_id == APP_ID == DESKTOP.stem
    assert f"<id>{APP_ID}</id>" in METAINFO.read_text(encoding="utf-8")
    assert f'<launchable type="desktop-id">{DESKTOP.name}</launchable>' in METAINFO.read_text(
        encoding="utf-8"
    )


def test_a_ris_file_is_recognised_once_the_mime_type_is_installed(tmp_path):
    """shared-mime-info knows BibTeX but not RIS: our package adds it, by name and content."""
    update = tool("update-mime-database", "shared-mime-info")
    packages = tmp_path / "mime" / "packages"
    packages.mkdir(parents=True)
    shutil.copy(MIME, packages)
    env = {**os.environ, "XDG_DATA_DIRS": str(tmp_path), "XDG_DATA_HOME": str(tmp_path)}
    done = subprocess.run([update, str(tmp_path / "mime")], capture_output=True, text=True, env=env)
    assert done.returncode == 0 and not done.stderr.strip(), done.stderr
    globs = (tmp_path / "mime" / "globs2").read_text(encoding="utf-8")
    assert ":application/x-research-info-systems:*.ris" in globs
    magic = (tmp_path / "mime" / "magic").read_bytes()
    assert b"application/x-research-info-systems" in magic and b"TY  - " in magic


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", path
    return struct.unpack(">II", header[16:24])


def test_the_icon_exists_as_svg_and_in_every_hicolor_size():
    svg = REPO / "readinglist" / "resources" / "icons" / "readinglist.svg"
    assert svg.read_text(encoding="utf-8").lstrip().startswith("<svg")
    scalable = LINUX / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"
    assert scalable.read_bytes() == svg.read_bytes(), "run packaging/linux/render_icons.py"
    for size in SIZES:
        png = LINUX / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        assert png_size(png) == (size, size)


FLATPAK = LINUX / f"{APP_ID}.yml"


def test_the_flatpak_manifest_builds_from_the_sdist_and_installs_the_desktop_files():
    import yaml

    from readinglist import __version__

    manifest = yaml.safe_load(FLATPAK.read_text(encoding="utf-8"))
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert manifest["id"] == APP_ID and manifest["command"] in scripts["gui-scripts"]
    assert manifest["runtime"] == "org.kde.Platform" and manifest["base"] == "io.qt.PySide.BaseApp"
    *_, app = manifest["modules"]
    (sdist,) = app["sources"]
    assert sdist["type"] == "archive"
    assert sdist["path"] == f"../../dist/readinglist-{__version__}.tar.gz"  # the current version
    commands = "\n".join(app["build-commands"]).replace("${FLATPAK_ID}", APP_ID)
    for installed in (DESKTOP, METAINFO, MIME):
        assert f"packaging/linux/{installed.name}" in commands
    assert "packaging/linux/icons/hicolor/*/apps/" in commands


def flatpak_deps():
    """packaging/linux/flatpak_deps.py, which writes the manifest's list of Python files."""
    spec = importlib.util.spec_from_file_location("flatpak_deps", LINUX / "flatpak_deps.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_flatpak_installs_every_requirement_but_pyside_which_its_base_app_provides():
    deps = flatpak_deps()
    wanted = {deps.name_of(r) for r in deps.requirements()}
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    stated = {deps.name_of(r) for r in project["dependencies"]}
    assert wanted == (stated - {"pyside6-essentials"}) | {"setuptools", "wheel"}


def test_the_flatpak_fetches_a_compiled_file_only_on_its_own_architecture():
    pure = {"url": "https://example.invalid/click-8.1-py3-none-any.whl", "sha256": "a" * 64}
    x86 = {"url": "https://example.invalid/rapidfuzz-3-x86_64.whl", "sha256": "b" * 64}
    arm = {"url": "https://example.invalid/rapidfuzz-3-aarch64.whl", "sha256": "c" * 64}
    made = flatpak_deps().module({"x86_64": [pure, x86], "aarch64": [pure, arm]})
    arches = {s["url"].rsplit("/", 1)[1]: s.get("only-arches") for s in made["sources"]}
    assert arches == {
        "click-8.1-py3-none-any.whl": None,
        "rapidfuzz-3-x86_64.whl": ["x86_64"],
        "rapidfuzz-3-aarch64.whl": ["aarch64"],
    }


def test_flatpak_builder_reads_the_manifest(tmp_path):
    """Only what can be checked here: the runtimes are on Flathub, which this machine cannot
    reach, so the build itself is not run (packaging/README.md). The list of Python files is
    made at build time; a stand-in takes its place."""
    builder = tool("flatpak-builder", "flatpak-builder")
    shutil.copy(FLATPAK, tmp_path)
    wheel = {"url": "https://example.invalid/click-8.1-py3-none-any.whl", "sha256": "a" * 64}
    stand_in = flatpak_deps().module({"x86_64": [wheel], "aarch64": [wheel]})
    (tmp_path / "python3-deps.json").write_text(json.dumps(stand_in), encoding="utf-8")
    done = subprocess.run(  # in tmp_path: flatpak-builder leaves its state folder behind
        [builder, "--show-manifest", FLATPAK.name], capture_output=True, text=True, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert "WARNING" not in done.stderr and "rror" not in done.stderr, done.stderr
    shown = json.loads(done.stdout)
    assert shown["id"] == APP_ID
    assert [m["name"] for m in shown["modules"]] == ["python3-deps", "readinglist"]


def test_installing_the_bundle_puts_it_in_the_menu_and_behind_open_with(tmp_path):
    """packaging/linux/install.sh, for one user, with a stand-in for the PyInstaller bundle."""
    validate = tool("desktop-file-validate", "desktop-file-utils")
    tool("update-desktop-database", "desktop-file-utils")
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    (bundle / "readinglist").write_text('#!/bin/sh\necho "the bundle, given: $*"\n')
    (bundle / "readinglist").chmod(0o755)
    home = tmp_path / "home"
    home.mkdir()
    env = {**os.environ, "HOME": str(home), "READINGLIST_BUNDLE": str(bundle)}
    env.pop("XDG_DATA_HOME", None)
    env.pop("DESTDIR", None)
    script = str(LINUX / "install.sh")
    done = subprocess.run([script, "--user"], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr

    share = home / ".local" / "share"
    program = home / ".local" / "lib" / "readinglist" / "readinglist"
    desktop = share / "applications" / DESKTOP.name
    assert f"Exec={program} %F" in desktop.read_text(encoding="utf-8").splitlines()
    checked = subprocess.run([validate, str(desktop)], capture_output=True, text=True)
    assert checked.returncode == 0 and not checked.stdout.strip(), checked.stdout
    menu = (share / "applications" / "mimeinfo.cache").read_text(encoding="utf-8")
    assert f"text/x-bibtex={DESKTOP.name};" in menu
    assert f"application/x-research-info-systems={DESKTOP.name};" in menu
    assert "*.ris" in (share / "mime" / "globs2").read_text(encoding="utf-8")
    assert (share / "metainfo" / METAINFO.name).is_file()
    assert (share / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg").is_file()
    assert (share / "icons" / "hicolor" / "48x48" / "apps" / f"{APP_ID}.png").is_file()
    started = subprocess.run(
        [str(home / ".local" / "bin" / "readinglist-gui"), "paper.bib"],
        capture_output=True,
        text=True,
    )
    assert started.stdout.strip() == "the bundle, given: paper.bib"

    done = subprocess.run(
        [script, "--user", "--uninstall"], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    left = [p for p in home.rglob("*") if APP_ID in p.name or p.name.startswith("readinglist")]
    assert left == []
