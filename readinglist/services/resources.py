"""Where the files bundled with readinglist (icons, the sample library) are found: beside the
package in a source checkout, inside it once installed."""

from __future__ import annotations

from pathlib import Path

import readinglist


def resources_folder() -> Path:
    package = Path(readinglist.__file__).resolve().parent
    for candidate in (package / "resources", package.parent / "resources"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"readinglist's resources are missing (looked beside {package})")


def resource(*parts: str) -> Path:
    return resources_folder().joinpath(*parts)
