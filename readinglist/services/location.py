"""Where a library lives when the user does not say."""

from __future__ import annotations

import os
from pathlib import Path

ENV_VAR = "READINGLIST_LIBRARY"
CACHE_ENV_VAR = "READINGLIST_CACHE"


def configured_address() -> str | None:
    """A shared library's address, when READINGLIST_LIBRARY holds one rather than a folder."""
    from readinglist.storage.postgresql import is_server_address

    configured = os.environ.get(ENV_VAR, "").strip()
    return configured if is_server_address(configured) else None


def default_library_folder() -> Path:
    configured = os.environ.get(ENV_VAR, "").strip()
    if configured:
        return Path(configured).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("readinglist", appauthor=False)) / "library"


def cache_folder() -> Path:
    """What this computer keeps of shared libraries (their search indexes, edits waiting for
    the server): derived, or waiting to be sent, never the only copy of a paper."""
    configured = os.environ.get(CACHE_ENV_VAR, "").strip()
    if configured:
        return Path(configured).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("readinglist", appauthor=False))
