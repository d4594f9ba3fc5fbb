"""LaTeX to Unicode and back for BibTeX values, with pylatexenc doing the real work.

pylatexenc costs ~3 ms a value, and most values hold no LaTeX at all, so plain values take a
fast path (braces dropped, nothing else to do), repeated values (author names, journals) are
decoded once, and in a value with LaTeX only the words that hold it are decoded, accented
letters and escaped signs without pylatexenc.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from pylatexenc.latex2text import LatexNodes2Text

# What makes a value need pylatexenc; looked for with 'in', which scans megabytes in a
# millisecond, where a regular expression alternating between them takes tens.
_LATEX_MARKS = ("\\", "$", "~", "%", "--", "``", "''")
_UNESCAPED = re.compile(r"(?<!\\)((?:\\\\)*)([%&])")  # after an even run of backslashes


def _contexts():
    """pylatexenc's own tables, plus what bibliographies use and they lack (\\TeX, \\mbox,
    \\texttt, \\href…): an unknown macro would otherwise take its argument with it."""
    from pylatexenc.latex2text import MacroTextSpec
    from pylatexenc.latex2text import get_default_latex_context_db as text_defaults
    from pylatexenc.latexwalker import get_default_latex_context_db as walker_defaults
    from pylatexenc.macrospec import MacroSpec

    keep_argument = (
        "texttt",
        "textsf",
        "textrm",
        "textup",
        "textmd",
        "textnormal",
        "textsc",
        "textsl",
        "mbox",
        "hbox",
        "text",
        "mathrm",
        "mathit",
        "mathbf",
        "mathsf",
        "mathtt",
        "NoCaseChange",
        "MakeUppercase",
        "MakeLowercase",
        "ensuremath",
    )
    words = {
        "TeX": "TeX",
        "LaTeX": "LaTeX",
        "LaTeXe": "LaTeX2e",
        "BibTeX": "BibTeX",
        "XeTeX": "XeTeX",
        "LuaTeX": "LuaTeX",
        "textless": "<",
        "textgreater": ">",
        "textbar": "|",
        "textbackslash": "\\",
        "textunderscore": "_",
        "textbraceleft": "{",
        "textbraceright": "}",
    }
    text = [MacroTextSpec(name, simplify_repl="%s") for name in keep_argument]
    text += [MacroTextSpec(name, simplify_repl=value) for name, value in words.items()]
    text.append(MacroTextSpec("href", simplify_repl="%(2)s"))
    walker = [MacroSpec(name, "{") for name in keep_argument]
    walker += [MacroSpec(name, "") for name in words]
    walker.append(MacroSpec("href", "{{"))
    walker_db, text_db = walker_defaults(), text_defaults()  # fresh copies, ours to extend
    walker_db.add_context_category("readinglist", macros=walker, prepend=True)
    text_db.add_context_category("readinglist", macros=text, prepend=True)
    return walker_db, text_db


_walker_context, _text_context = _contexts()
_converter = LatexNodes2Text(
    latex_context=_text_context, math_mode="text", keep_comments=False, strict_latex_spaces=False
)


def _squash(text: str) -> str:
    """One space between words, and letters composed ('é' as one character, as typed)."""
    return unicodedata.normalize("NFC", " ".join(text.split()))


def latex_to_text(value: str) -> str:
    """'{BERT}: Pre-training of {\\"U}ber $\\alpha$' -> 'BERT: Pre-training of Über α'."""
    # Only short values repeat (names, journals); a cache of 65,536 long abstracts could
    # hold gigabytes long after the import is done.
    return _cached(value) if len(value) <= _CACHED_LENGTH else _decode(value)


_CACHED_LENGTH = 1000
# pylatexenc reads dense LaTeX at some 30 µs a character, so a megabyte of accents would hold
# an import for half a minute. A value longer than this (arXiv caps an abstract at 1,920
# characters) has its braces dropped and its commands kept as written.
DECODED_LENGTH = 50_000


def too_long_to_decode(value: str) -> bool:
    """True when latex_to_text leaves the LaTeX commands of ``value`` as they are."""
    return len(value) > DECODED_LENGTH and _needs_parser(value)


def _needs_parser(value: str) -> bool:
    return any(mark in value for mark in _LATEX_MARKS)


@lru_cache(maxsize=65536)
def _cached(value: str) -> str:
    return _decode(value)


def _decode(value: str) -> str:
    if not _needs_parser(value) or len(value) > DECODED_LENGTH:
        return _squash(value.replace("{", "").replace("}", ""))
    value = _prepared(value)
    decoded = _decode_by_pieces(value)
    return _squash(_parse(value) if decoded is None else decoded)


def latex_to_text_whole(value: str) -> str:
    """pylatexenc on the whole value, with none of latex_to_text's short cuts: what they
    must agree with (tests compare the two), several times slower."""
    if len(value) > DECODED_LENGTH:
        return _decode(value)
    return _squash(_parse(_prepared(value)))


def _prepared(value: str) -> str:
    # \ocirc is the usual user macro for the ring accent in Czech names (Franc{\ocirc{u}}).
    value = value.replace("\\ocirc", "\\r").replace("\\textasciicircum{}", "^")
    # In a BibTeX value a bare '%' or '&' is text, not a LaTeX comment or table column.
    return _UNESCAPED.sub(r"\1\\\2", value)


# Constructs whose reach the word-by-word split below cannot follow: such a value goes to
# pylatexenc whole.
_WHOLE_VALUE_MARKS = ("\\begin", "\\(", "\\[", "\\verb", "\\iffalse", "$$")
_COMMANDS = ("\\", "$", "~", "%")
_LIGATURES_TEXT = (
    ("---", "\u2014"),
    ("--", "\u2013"),
    ("``", "\u201c"),
    ("''", "\u201d"),
    ("?`", "\u00bf"),
    ("!`", "\u00a1"),
)
_ESCAPED = re.compile(r"\\.")
# A command at the end of a word may take the next word as its argument ('\\" o', '\\c c').
_COMMAND_AT_END = re.compile(r"\\(?:(?:[^\W\d_]|@)+|.)?$")  # pylatexenc: any letter


def _decode_by_pieces(value: str) -> str | None:
    """Decode the words that hold LaTeX, each with everything it reaches (an open brace or
    formula, a command's argument), and keep the plain text between them as it is: pieces
    that decode on their own as they would inside the whole value. pylatexenc costs ~5 ms a
    1,000-character abstract and more than the whole of this a word: decoding only the LaTeX
    pieces made BibTeX import several times faster (tests/test_latex_pieces.py compares the
    two). None for braces and formulas that cross each other, and for the constructs of
    _WHOLE_VALUE_MARKS: the whole value is decoded."""
    if any(mark in value for mark in _WHOLE_VALUE_MARKS):
        return None
    out: list[str] = []
    position = 0
    while (found := _LATEX_WORD.search(value, position)) is not None:
        out.append(_ligatures(value[position : found.start()]))
        word, end = found.group(), found.end()
        unclosed: list[str] = []  # '{' and '$' still open, innermost last
        while True:
            for mark in _GROUPING.findall(_ESCAPED.sub("", word)):
                if mark == "{":
                    unclosed.append(mark)
                elif mark == "}":
                    if unclosed and unclosed[-1] != "{":
                        return None  # a brace closing inside a formula it did not open
                    if unclosed:
                        unclosed.pop()  # (a stray '}' outside everything is dropped)
                elif unclosed and unclosed[-1] == "$":
                    unclosed.pop()
                elif "$" in unclosed:
                    return None  # a formula opened inside a brace of a formula
                else:
                    unclosed.append(mark)
            following = _NEXT_WORD.match(value, end)
            if following is None or not (
                unclosed or following.group(1)[0] in "{[^_" or _COMMAND_AT_END.search(word)
            ):
                break
            word, end = following.group(1), following.end()
        out.append(_decode_piece(value[found.start() : end]))
        position = end
    out.append(_ligatures(value[position:]))
    return "".join(out)


_GROUPING = re.compile(r"[{}$]")
_LATEX_WORD = re.compile(r"(?<!\S)\S*?[\\{}$~]\S*")  # from a word's start: linear time
_NEXT_WORD = re.compile(r"\s+(\S+)")


def _ligatures(text: str) -> str:
    for ligature, character in _LIGATURES_TEXT:
        if ligature in text:
            text = text.replace(ligature, character)
    return text


def _decode_piece(piece: str) -> str:
    text = _ACCENT.sub(_letter, piece) if "\\" in piece else piece
    # the usual LaTeX of a bibliography (accented letters, escaped signs) without pylatexenc;
    # anything else and the piece goes to pylatexenc as written
    if any(mark in _SIGN.sub("", text) for mark in _COMMANDS):
        return _parse_short(piece) if len(piece) <= 200 else _parse(piece)
    parts = _SIGN.split(text)  # text, sign, text, sign, ... text
    for number in range(0, len(parts), 2):
        parts[number] = _ligatures(parts[number]).replace("{", "").replace("}", "")
    return "".join(parts)


_SIGN = re.compile(r"\\([%&$#_{}])")


@lru_cache(maxsize=8192)
def _parse_short(piece: str) -> str:
    """Short pieces repeat ('$O(n \\log n)$', a journal's '\\&'): decoded once each."""
    return _parse(piece)


def _parse(value: str) -> str:
    try:
        return _converter.latex_to_text(value, latex_context=_walker_context)
    except Exception:  # lenient as pylatexenc is, odd input (or nesting deeper than Python's
        # recursion limit: RecursionError) must never stop an import
        return value.replace("{", "").replace("}", "")


_ENCODER = None
# Braces as commands, not '\{': BibTeX itself counts '\{' as a brace and loses its way.
_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_SPECIAL = re.compile(r"[\\{}&%$#_~^<>|]")


_LIGATURES = re.compile(r"(?<=-)(?=-)|(?<=`)(?=`)|(?<=')(?=')")


def escape_latex(text: str, ligatures: bool = True) -> str:
    """Plain text made safe inside a BibTeX value: & % $ # _ { } and friends escaped, and
    (unless ``ligatures``) '--', '``', "''" kept from turning into dashes and quotes."""
    escaped = _SPECIAL.sub(lambda m: _SPECIALS[m.group(0)], text)
    return _LIGATURES.sub("{}", escaped) if ligatures else escaped


def text_to_ascii_latex(text: str) -> str:
    """Non-ASCII letters as LaTeX commands ('Gödel' -> 'G{\\"o}del'), for plain BibTeX."""
    global _ENCODER
    if text.isascii():
        return text
    if _ENCODER is None:
        import logging

        from pylatexenc.latexencode import UnicodeToLatexEncoder

        # characters with no LaTeX form (CJK) are kept as they are, without a log line each
        logging.getLogger("pylatexenc.latexencode").setLevel(logging.ERROR)
        _ENCODER = UnicodeToLatexEncoder(
            non_ascii_only=True,
            replacement_latex_protection="braces-all",
            unknown_char_policy="keep",
        )
    return _ENCODER.unicode_to_latex(text)


# Accent and special-letter commands, in the forms BibTeX files use: {\"o} \"{o} \"o {\'\i}
# \c{c} {\ss} \o {\aa}. Each is converted by pylatexenc; everything else is left alone. The
# spaces after a command named by letters ('\o ') belong to it, as in TeX, and such an accent
# ('\d', '\c') needs a space or a brace before its letter: '\dh' is the letter eth.
_ACCENT = re.compile(
    r"\{\\(?:[`'^\"~=.]\s*|[uvHcdbrk](?:\s+|(?=\{)))(?:\{\\?[A-Za-z]\}|\\?[A-Za-z])\}"
    r"|\\(?:[`'^\"~=.]\s*|[uvHcdbrk](?:\s+|(?=\{)))"
    r"(?:\{\\?[A-Za-z]\}|\\[ij](?![^\W\d_])\s*|[A-Za-z])"
    r"|\{\\(?:ss|o|O|aa|AA|ae|AE|oe|OE|l|L|i|j)\}"
    r"|\\(?:ss|o|O|aa|AA|ae|AE|oe|OE|l|L|i|j)(?![^\W\d_])(?:\{\}|\s*)"
)


def accents_to_unicode(source: str) -> str:
    """'S{\\"a}tze der {Principia}' -> 'Sätze der {Principia}': letters as UTF-8, the rest
    of the LaTeX (protecting braces, math, commands) as it was."""

    return _ACCENT.sub(_letter, source)


def _letter(match: re.Match) -> str:
    return _accented(match.group(0))


@lru_cache(maxsize=4096)
def _accented(command: str) -> str:
    """The letter an accent command makes, or the command as written if it makes none."""
    text = _squash(_parse(command))
    return text if len(text) == 1 else command
