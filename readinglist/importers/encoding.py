"""Turning a file's bytes into text by the best evidence, and saying which encoding was used.

Evidence, strongest first: a byte-order mark; a declaration in the file (JabRef's
'% Encoding: X' header, an Emacs '-*- coding: X -*-' hint); valid UTF-8; the zero-byte pattern
of BOM-less UTF-16; the byte pattern of a double-byte Chinese encoding; and last Windows-1252,
the usual legacy Western encoding. Bytes the chosen encoding cannot read become U+FFFD and are
counted in a warning; decoding never aborts an import.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

_DECLARED = (
    re.compile(rb"^%\s*Encoding:\s*([A-Za-z0-9_.:-]+)", re.IGNORECASE | re.MULTILINE),
    re.compile(rb"-\*-.*?coding:\s*([A-Za-z0-9_.:-]+).*?-\*-", re.IGNORECASE),
)
_EMACS_EOL = re.compile(r"-(unix|dos|mac)$", re.IGNORECASE)
_HIGH_RUN = re.compile(rb"[\x80-\xff]+")


@dataclass
class Decoded:
    text: str
    encoding: str
    warnings: list[str] = field(default_factory=list)


def codec_name(declared: str) -> str | None:
    """Python's codec for a declared name ('latin-9-unix' -> 'iso8859-15'), or None."""
    name = _EMACS_EOL.sub("", declared.strip()).lower()
    aliases = {
        "latin-9": "iso8859-15",
        "latin9": "iso8859-15",
        "latin-2": "iso8859-2",
        "latin2": "iso8859-2",
        "latin-1": "iso8859-1",
        "ansi": "cp1252",
        "utf8": "utf-8",
        "utf-8-with-signature": "utf-8-sig",
    }
    name = aliases.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _with_replacements(data: bytes, encoding: str, reason: str) -> Decoded:
    text = data.decode(encoding, errors="replace")
    decoded = Decoded(text, encoding)
    try:
        data.decode(encoding)
    except UnicodeDecodeError as error:
        bad = text.count("\ufffd")
        decoded.warnings.append(
            f"{reason}, but {bad} byte(s) are not valid {encoding} (first at byte "
            f"{error.start}); each was replaced by \ufffd"
        )
    return decoded


def _looks_like_utf16(data: bytes) -> str | None:
    sample = data[:4000]
    if len(sample) < 4:
        return None
    even_zeros = sample[0::2].count(0) / len(sample[0::2])
    odd_zeros = sample[1::2].count(0) / len(sample[1::2])
    if odd_zeros > 0.3 and even_zeros < 0.05:
        return "utf-16-le"
    if even_zeros > 0.3 and odd_zeros < 0.05:
        return "utf-16-be"
    return None


def _looks_double_byte_chinese(data: bytes) -> bool:
    """Chinese legacy text puts high bytes in pairs; accented Latin text mostly alone."""
    runs = [len(run) for run in _HIGH_RUN.findall(data)]
    if not runs or any(length % 2 for length in runs):
        return False
    try:
        data.decode("gb18030")
    except UnicodeDecodeError:
        return False
    return True


def _valid_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def decode_bytes(data: bytes, forced: str | None = None) -> Decoded:
    if forced:
        name = codec_name(forced)
        if name is None:
            from readinglist.domain.values import InvalidValue

            raise InvalidValue(f"unknown encoding {forced!r}")
        return _with_replacements(data, name, f"read as {name} as asked")
    for bom, name in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
    ):
        if data.startswith(bom):
            return _with_replacements(data, name, "the file starts with a byte-order mark")
    utf16 = _looks_like_utf16(data)
    if utf16:
        return _with_replacements(data, utf16, "the file looks like UTF-16 without a mark")
    head = data[:4096]
    for pattern in _DECLARED:
        match = pattern.search(head)
        if match:
            declared = match.group(1).decode("ascii", "replace")
            name = codec_name(declared)
            if name and name != "utf-8" and not data.isascii() and _valid_utf8(data):
                return Decoded(
                    data.decode("utf-8"),
                    "utf-8",
                    [
                        f"the file declares {declared}, but its bytes are valid UTF-8 with "
                        "accented letters; read as UTF-8 (use --encoding to insist)"
                    ],
                )
            if name:
                return _with_replacements(data, name, f"the file declares {declared}")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    if _looks_double_byte_chinese(data):
        return Decoded(
            data.decode("gb18030"),
            "gb18030",
            [
                "not valid UTF-8; its bytes read as Chinese GB18030/GBK (a guess: use "
                "--encoding to choose another)"
            ],
        )
    decoded = _with_replacements(data, "cp1252", "not valid UTF-8; read as windows-1252")
    decoded.warnings.insert(
        0, "not valid UTF-8; read as windows-1252 (a guess: use --encoding to choose another)"
    )
    return decoded
