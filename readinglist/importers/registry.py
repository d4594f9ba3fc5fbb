"""Which importer reads a file: chosen by content first, by extension second.

The importers are imported when a file is read, not with this module: they pull in
bibtexparser, rispy and pylatexenc (~0.1 s), which opening a library to search it never needs.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from readinglist.domain.drafts import ParseResult, Problem
from readinglist.domain.values import FileTooLarge, UnsupportedFormat
from readinglist.importers.encoding import decode_bytes
from readinglist.importers.limits import (
    MAX_FILE_BYTES,
    field_too_long,
    file_too_large,
    longest_field,
    shortened,
)

Parser = Callable[[str, str], ParseResult]
FORMATS = ("text", "bibtex", "ris", "wos", "csl-json")
PLANNED: dict[str, str] = {}

# '[^\S\n]*', not '\s*', before the '@': '\s*' would cross newlines, and on each of a
# million blank lines scan all those below it (quadratic time).
_BIBTEX = re.compile(r"^[^\S\n]*@\s*[A-Za-z]+\s*[{(]", re.MULTILINE)
_RIS = re.compile(r"^TY  -", re.MULTILINE)


def parser(format: str) -> Parser | None:
    """The parser of ``format`` (one of FORMATS), imported now (see above)."""
    from readinglist.importers.bibtex import parse_bibtex
    from readinglist.importers.csl_json import parse_csl_json
    from readinglist.importers.pasted import parse_pasted
    from readinglist.importers.ris import parse_ris
    from readinglist.importers.wos import parse_wos

    parsers: dict[str, Parser] = {
        "text": parse_pasted,
        "bibtex": parse_bibtex,
        "ris": parse_ris,
        "wos": parse_wos,
        "csl-json": parse_csl_json,
    }
    return parsers.get(format)


def detect_format(text: str, filename: str = "") -> str:
    from readinglist.importers.wos import looks_like_wos  # with rispy (see above)

    suffix = Path(filename).suffix.lower()
    head = text.lstrip("\ufeff \t\r\n")[:2000]
    if re.match(r"(\{|\[\s*(\{|\]))", head) or suffix == ".json":
        return "csl-json"
    if looks_like_wos(text):
        return "wos"
    sample = text[:20000]
    ris, bib = _RIS.search(sample), _BIBTEX.search(sample)
    if ris and (not bib or ris.start() < bib.start()):  # whichever the file starts with
        return "ris"
    if bib or suffix in (".bib", ".bibtex"):
        return "bibtex"
    if suffix == ".ris":
        return "ris"
    return "text"


def parse_text(text: str, source: str, format: str | None = None) -> ParseResult:
    if len(text) > MAX_FILE_BYTES:
        raise FileTooLarge(file_too_large(source, len(text), "characters"))
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # old Macs ended lines with CR
    if _looks_binary(text):
        raise UnsupportedFormat(f"{source}: this is not a text file (it holds binary data)")
    chosen = format or detect_format(text, source)
    parse = parser(chosen)
    if parse is None:
        if chosen in PLANNED:
            raise UnsupportedFormat(
                f"{source}: looks like {PLANNED[chosen]}, which readinglist cannot import yet; "
                "use --format text to read it as pasted text anyway"
            )
        raise UnsupportedFormat(f"unknown format {chosen!r}; known: {', '.join(FORMATS)}")
    result = parse(text, source)
    _refuse_oversized(result, source)
    result.problems.extend(_other_formats(text, source, chosen))
    if not result.entries and text.strip() and not result.errors:
        what = "text" if chosen == "text" else f"{chosen} text"
        result.problems.append(Problem(source, None, f"no papers found in this {what}"))
    return result


def _refuse_oversized(result: ParseResult, source: str) -> None:
    """Whatever a parser let through, no entry with a field over the limit is imported; each
    one refused is reported with its line."""
    kept = []
    for entry in result.entries:
        found = longest_field(entry)
        if found is None:
            kept.append(entry)
            continue
        label = f"{shortened(entry.key)}: " if entry.key else ""
        result.problems.append(Problem(source, entry.line, label + field_too_long(*found)))
    result.entries[:] = kept


def _looks_binary(text: str) -> bool:
    sample = text[:8000]
    if "\x00" in sample:
        return True
    control = sum(1 for c in sample if ord(c) < 32 and c not in "\n\t\f\v")
    return bool(sample) and control / len(sample) > 0.05


def _other_formats(text: str, source: str, chosen: str) -> list[Problem]:
    """A file that mixes formats is read as one of them; the others are not lost in silence."""
    found = []
    for name, pattern in (("bibtex", _BIBTEX), ("ris", _RIS)):
        match = pattern.search(text)
        if name != chosen and match and not (chosen == "wos" and name == "ris"):
            line = text.count("\n", 0, match.start()) + 1
            found.append(
                Problem(
                    source,
                    line,
                    f"this {chosen} file also holds {name} from this line "
                    f"on, which was not read; import it again with --format {name}",
                )
            )
    return found


def parse_file(path: Path, format: str | None = None, encoding: str | None = None) -> ParseResult:
    """Read and parse a file; one over MAX_FILE_BYTES is refused before it is read (and one
    that grows while it is read, or has no size, such as a pipe, stops being read there)."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise FileTooLarge(file_too_large(str(path), size))
        with path.open("rb") as stream:
            data = read_at_most(stream, str(path))
    except FileNotFoundError:
        raise UnsupportedFormat(f"{path}: no such file") from None
    except IsADirectoryError:
        raise UnsupportedFormat(f"{path}: is a folder, not a file") from None
    except OSError as error:
        raise UnsupportedFormat(f"{path}: cannot be read ({error.strerror})") from None
    return parse_data(data, str(path), format, encoding)


def read_at_most(stream: BinaryIO, source: str) -> bytes:
    """The bytes of ``stream`` (a file, standard input), refused once past MAX_FILE_BYTES."""
    data = stream.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise FileTooLarge(file_too_large(source, None))
    return data


def parse_data(
    data: bytes, source: str, format: str | None = None, encoding: str | None = None
) -> ParseResult:
    if len(data) > MAX_FILE_BYTES:
        raise FileTooLarge(file_too_large(source, len(data)))
    decoded = decode_bytes(data, encoding)
    result = parse_text(decoded.text, source, format)
    result.encoding = decoded.encoding
    result.problems[:0] = [Problem(source, None, w, "warning") for w in decoded.warnings]
    return result
