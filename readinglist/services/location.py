"""Where a library lives when the user does not say."""

from __future__ import annotations

import os
from pathlib import Path

ENV_VAR = "READINGLIST_LIBRARY"


def default_library_folder() -> Path:
    configured = os.environ.get(ENV_VAR, "").strip()
    if configured:
        return Path(configured).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("readinglist", appauthor=False)) / "library"
