"""The README's screenshots: the real window (light and dark) over the bundled sample library
plus the shared sample page, and the import preview of that page. Run it under Xvfb through
`bash packaging/dev.sh screenshots`; it writes resources/screenshots/*.png."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "resources" / "screenshots"


def sample_page() -> Path:
    shared = os.environ.get("READINGLIST_SHARED") or str(ROOT.parent / "shared")
    page = Path(shared) / "samples" / "hf-papers-page.txt"
    if not page.is_file():
        sys.exit(f"the sample page is missing: {page} (set READINGLIST_SHARED)")
    return page


def main() -> None:
    from readinglist import open_library

    page = sample_page()
    work = Path(tempfile.mkdtemp(prefix="readinglist-screenshots-"))
    full, sample_only = work / "full", work / "sample"
    with open_library(full) as library:
        library.open_sample()
        library.import_file(page)
    with open_library(sample_only) as library:
        library.open_sample()
    program = str(Path(sys.executable).with_name("readinglist"))
    shots = [
        (full, "main-light.png", ["--select", "vaswani2017attention"]),
        (
            full,
            "main-dark.png",
            ["--dark", "--query", "attention", "--select", "vaswani2017attention"],
        ),
        (sample_only, "import-preview-light.png", ["--preview", str(page)]),
        (sample_only, "import-preview-dark.png", ["--dark", "--preview", str(page)]),
    ]
    OUT.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "xcb")}
    if not os.environ.get("DISPLAY"):
        env["QT_QPA_PLATFORM"] = "offscreen"
        print("no X display: rendering offscreen (run through dev.sh for Xvfb)", file=sys.stderr)
    for library, name, options in shots:
        command = [program, "--library", str(library), "gui", "--screenshot", str(OUT / name)]
        subprocess.run([*command, *options], check=True, env=env)


if __name__ == "__main__":
    main()
