"""Small value types shared by every layer: statuses, ratings, author names, typed errors."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class ReadingStatus(enum.StrEnum):
    UNREAD = "unread"
    TO_READ = "to-read"
    READING = "reading"
    READ = "read"
    ABANDONED = "abandoned"

    @classmethod
    def parse(cls, text: str) -> ReadingStatus:
        wanted = text.strip().lower().replace("_", "-").replace(" ", "-")
        if wanted == "toread":
            wanted = "to-read"
        for status in cls:
            if status.value == wanted:
                return status
        valid = ", ".join(s.value for s in cls)
        raise InvalidValue(f"unknown reading status {text!r}; use one of: {valid}")


MAX_RATING = 5


def check_rating(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_RATING:
        raise InvalidValue(f"a rating is a whole number from 0 to {MAX_RATING}, not {value!r}")
    return value


@dataclass(frozen=True, slots=True)
class AuthorName:
    """A person's name in BibTeX's parts, or a ``literal`` name for a corporate author."""

    family: str = ""
    given: str = ""
    particle: str = ""
    suffix: str = ""
    literal: str = ""

    @property
    def last(self) -> str:
        """The name a citation shows: 'von Neumann', or the corporate name."""
        if self.literal:
            return self.literal
        return f"{self.particle} {self.family}".strip()

    @property
    def display(self) -> str:
        """'John von Neumann Jr.' order, for people reading it."""
        if self.literal:
            return self.literal
        parts = [self.given, self.particle, self.family]
        text = " ".join(p for p in parts if p)
        return f"{text}, {self.suffix}" if self.suffix else text

    def to_json(self) -> dict[str, str]:
        if self.literal:
            return {"literal": self.literal}
        data = {"family": self.family, "given": self.given}
        if self.particle:
            data["particle"] = self.particle
        if self.suffix:
            data["suffix"] = self.suffix
        return data


NUL_SIGN = "\u2400"  # ␀


def without_nul(text: str) -> str:
    """PostgreSQL's text cannot hold the NUL character, which a broken file can carry: it is
    kept as '␀', visible where it was, never dropped."""
    return text.replace("\x00", NUL_SIGN) if "\x00" in text else text


class LibraryError(Exception):
    """A mistake a user can make and fix; shown as a message, never a traceback."""


class DamagedLibrary(LibraryError):
    """The database file cannot be read; ``backup`` is the newest one that can, if any."""

    def __init__(self, message: str, path, backup=None) -> None:
        super().__init__(message)
        self.path = path
        self.backup = backup


class LibraryBusy(LibraryError):
    """Another program held the library's write lock for longer than a write would wait."""


class VersionMoved(Exception):
    """Another client committed a change to what this unit of work was about to change,
    between its read and its compare-and-set: the unit of work runs again from the start,
    merging against the new state. Never reaches a user."""


class ReadOnlyLibrary(LibraryError):
    """The server refused a change: this user may read the shared library, not change it."""


class LibraryUnreachable(LibraryError):
    """The shared library's server cannot be reached (down, or no network)."""


class InvalidValue(LibraryError):
    pass


def clean_label(text: str, what: str) -> str:
    """A name a user gives something (a reading list, a saved search): spaces collapsed,
    not empty, at most 200 characters."""
    cleaned = " ".join(text.split())
    if not cleaned:
        raise InvalidValue(f"{what} needs a name")
    if len(cleaned) > 200:
        raise InvalidValue(f"{what} name is at most 200 characters")
    return cleaned


class PaperNotFound(LibraryError):
    pass


class NoteNotFound(LibraryError):
    pass


class ListNotFound(LibraryError):
    pass


class TagNotFound(LibraryError):
    pass


class SavedSearchNotFound(LibraryError):
    pass


class NameTaken(LibraryError):
    pass


class UnsupportedFormat(LibraryError):
    pass


class FileTooLarge(UnsupportedFormat):
    """A file over the import limit: refused before it is read whole."""
