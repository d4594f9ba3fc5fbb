"""File names made from what a paper or a list says (a citation key, a title). Keys come from
imported files, so they can hold anything: such a name must stay one name inside the folder it
is written to ('../', '/', '\\' and 'C:' are path syntax), be one that Windows accepts (no
'CON', 'nul.txt', control characters, trailing dots or spaces) and fit every file system (255
bytes a name)."""

from __future__ import annotations

import hashlib
import re
import unicodedata

# Path separators and drive colons; what Windows forbids; control characters; halves of
# surrogate pairs (no file system can encode one alone); and what Obsidian reads as link
# syntax (#, ^, [, ], |).
_UNSAFE = re.compile(r'[\x00-\x1f\x7f\\/:*?"<>|#^\[\]\ud800-\udfff]')
_RESERVED = {
    "con",
    "prn",
    "aux",
    "nul",
    "conin$",
    "conout$",
    *(f"{port}{n}" for port in ("com", "lpt") for n in (*"0123456789", "¹", "²", "³")),
}
# Leaves room, within 255 bytes, for a hash, a suffix and the '.part' of a file being written.
MAX_STEM_BYTES = 150


def reserved_on_windows(name: str) -> bool:
    """'con', 'NUL.txt', 'com1.tar.gz ': Windows takes the part before the first dot (spaces
    dropped) for a device, whatever follows."""
    return name.split(".")[0].rstrip(" ").lower() in _RESERVED


def _cut(text: str, most: int) -> str:
    """The longest start of ``text`` whose UTF-8 fits in ``most`` bytes (whole characters)."""
    encoded = text.encode("utf-8", "surrogatepass")
    if len(encoded) <= most:
        return text
    return encoded[:most].decode("utf-8", "ignore")


def clean_name(text: str, fallback: str = "paper") -> str:
    """``text`` made a safe file name (without its suffix): unsafe characters become '-',
    dots and spaces at either end go, a name Windows reserves gets a '_' before it."""
    cleaned = _UNSAFE.sub("-", unicodedata.normalize("NFC", text)).strip(". ")
    cleaned = _cut(cleaned, MAX_STEM_BYTES).strip(". ") or fallback
    return "_" + cleaned if reserved_on_windows(cleaned) else cleaned


def safe_stem(text: str, fallback: str = "paper") -> str:
    """``text`` as a file name (without its suffix), unchanged when it already is a safe one.

    When it had to change, a short hash of the original follows it, so that two texts made
    alike ('a/b', 'a:b') still get two names."""
    cleaned = clean_name(text, fallback)
    if cleaned == text:
        return cleaned
    digest = hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{cleaned}-{digest}"
