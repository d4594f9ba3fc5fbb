"""Where the files readinglist needs at run time (the sample library, the application icon)
are found: inside the package, so that a wheel, a PyInstaller bundle and a source checkout all
carry them in the same place."""

from __future__ import annotations

from pathlib import Path

import readinglist


def resources_folder() -> Path:
    folder = Path(readinglist.__file__).resolve().parent / "resources"
    if not folder.is_dir():
        raise FileNotFoundError(f"readinglist's resources are missing (looked for {folder})")
    return folder


def resource(*parts: str) -> Path:
    return resources_folder().joinpath(*parts)
