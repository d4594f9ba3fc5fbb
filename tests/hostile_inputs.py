"""Hypothesis strategies for files a user might be handed: each format's own shapes (entries,
tags, JSON items, listing lines) mixed with arbitrary text, cut short, or spliced with odd
characters, so that the fuzzer gets past each parser's first line and into its corners."""

from __future__ import annotations

import json

from hypothesis import strategies as st

# Characters and pieces that have broken parsers before: line ends of every kind, NUL, BOMs,
# combining marks, digits that are not ASCII ('²' passes isdigit() but not int()), LaTeX and
# JSON punctuation, HTML-ish markup that CSL titles use.
ODD = st.sampled_from(
    ["", " ", "  ", "\t", "\r", "\r\n", "\n", "\n\n", "\x00", "\x0b", "\x0c", "\x1c", "\x85",
     "\u2028", "\ufeff", "\ufffd", "\u00a0", "\u0301", "é", "İ", "ß", "²", "٣", "🂡", "\U0010ffff",
     "\\", "\\'", '\\"', "\\c", "\\ss", "\\textbf{", "$", "$$", "%", "#", "~", "&", "^", "_",
     "{", "}", "{{", "}}", "(", ")", "[", "]", '"', "'", ",", ";", "=", "@", ":", "/",
     "<i>", "</b>", "<span ", "--", "``", "''", "and", " and ", "others", "von", "Jr.",
     "1e999", "-0", "0", "99999999999999999999", "NaN", "null", "true", "{}", "[]"]
)  # fmt: skip
NOISE = st.one_of(st.text(max_size=12), ODD)


def glued(*parts: st.SearchStrategy[str], max_size: int = 12) -> st.SearchStrategy[str]:
    return st.lists(st.one_of(*parts), max_size=max_size).map("".join)


WORDS = st.sampled_from(
    ["Learning", "attention", "of", "the", "neural", "Gödel", "network.", "We", "propose",
     "a", "method", "(MAML)", "results.", "Code:", "https://github.com/a/b).", "doi:10.1000/x",
     "arXiv:1706.03762v5", "10.1234/abc.", "http://x.org/((a)]", "Spring", "2018"]
)  # fmt: skip
SENTENCES = st.lists(st.one_of(WORDS, NOISE), min_size=1, max_size=40).map(" ".join)


def mutated(documents: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """A document as written, cut short somewhere, or with odd text spliced into it."""

    def cut(pair: tuple[str, float]) -> str:
        text, at = pair
        return text[: int(len(text) * at)]

    def spliced(triple: tuple[str, float, str]) -> str:
        text, at, piece = triple
        middle = int(len(text) * at)
        return text[:middle] + piece + text[middle:]

    fraction = st.floats(0, 1)
    return st.one_of(
        documents,
        st.tuples(documents, fraction).map(cut),
        st.tuples(documents, fraction, glued(NOISE, max_size=4)).map(spliced),
    )


# --- BibTeX --------------------------------------------------------------------------------
BIB_FIELD_NAMES = st.sampled_from(
    ["title", "author", "editor", "year", "month", "date", "journal", "journaltitle",
     "booktitle", "doi", "eprint", "archiveprefix", "eprinttype", "arxivid", "keywords",
     "annote", "rating", "readstatus", "crossref", "pages", "volume", "number", "issue", "isbn",
     "url", "abstract", "publisher", "school", "ids", "Title", "x-odd", "%c\ntitle", "ti tle"]
)  # fmt: skip
# Fields as real files write them, so that entries get past the parser into the mapping.
BIB_GOOD_FIELDS = st.sampled_from(
    ["title = {Attention Is All You Need}", "author = {Smith, John and von Neumann, J. and "
     "{Barnes and Noble}}", "author = {family=Smith, given=J.}", "year = {2020}", "year = 2021",
     "month = jan", "month = {5}", "date = {2020-05-01}", "rating = {4}", "readstatus = {read}",
     "doi = {https://doi.org/10.1000/X}", "eprint = {1706.03762}", "archiveprefix = {arXiv}",
     "keywords = {a, b; c}", "crossref = {k1}", "crossref = {k2}", "journal = s0",
     "title = s1 # { and } # s2", "annote = {A **note**\n  with \\emph{LaTeX}}",
     "pages = {1--10}", "booktitle = {Proc. of {ICML}}", "title = {G{\\\"o}del {\\'e}t\\'e}"]
)  # fmt: skip
MACROS = st.sampled_from(["jan", "feb", "dec", "s0", "s1", "s2", "undefined", "2020", "²"])
# Text that keeps an entry's structure whole (no braces, quotes or control characters), so
# that the entry reaches the field mapping; broken structure comes from ``mutated``.
CALM = st.text(
    st.characters(exclude_categories=["Cs", "Cc"], exclude_characters='{}"\\@%#,='),
    max_size=12,
)
BIB_TEXT = glued(WORDS, CALM, st.sampled_from(["{\\'e}", '{\\"o}', "\\'\\i", "{BERT}", " and "]))
BIB_ATOM = st.one_of(
    BIB_TEXT.map(lambda t: "{" + t + "}"),
    BIB_TEXT.map(lambda t: '"' + t + '"'),
    st.integers(-99999, 99999).map(str),
    MACROS,
)
BIB_VALUE = st.lists(BIB_ATOM, min_size=1, max_size=4).map(" # ".join)
BIB_FIELD = st.one_of(
    BIB_GOOD_FIELDS,
    st.tuples(BIB_FIELD_NAMES, st.just(" = "), BIB_VALUE).map("".join),
    st.tuples(BIB_FIELD_NAMES, st.sampled_from([" = ", "=", " =\n  "]), BIB_VALUE).map("".join),
)
BIB_ENTRY = st.builds(
    lambda kind, braces, key, fields, comma: (
        f"@{kind}{braces[0]}{key},\n  " + ",\n  ".join(fields) + comma + braces[1]
    ),
    st.sampled_from(["article", "book", "inproceedings", "incollection", "misc", "InBook", "x"]),
    st.sampled_from([("{", "\n}"), ("{", "}"), ("(", ")"), (" {", "\n}"), ("{", "}}")]),
    st.one_of(st.sampled_from(["k1", "k2", "k1", "smith2020", "", "a b", "k,", "1"]), CALM),
    st.lists(BIB_FIELD, max_size=6),
    st.sampled_from(["", ","]),
)
BIB_STRING = st.builds(
    lambda name, value: f"@string{{{name} = {value}}}",
    st.sampled_from(["s0", "s1", "s2", "jan"]),
    BIB_VALUE,
)
BIB_OTHER = st.one_of(
    BIB_TEXT.map(lambda t: "@comment{" + t + "}"),
    BIB_TEXT.map(lambda t: "@preamble{" + t + "}"),
    NOISE.map(lambda t: "% " + t),
    NOISE,
)
BIBTEX = mutated(
    st.lists(
        st.one_of(BIB_ENTRY, BIB_ENTRY, BIB_ENTRY, BIB_STRING, BIB_OTHER), min_size=1, max_size=5
    ).map("\n".join)
)

# --- RIS -----------------------------------------------------------------------------------
RIS_TAGS = st.sampled_from(
    ["TY", "AU", "A1", "A2", "TI", "T1", "T2", "JO", "JF", "AB", "N2", "PY", "Y1", "DA", "VL",
     "IS", "SP", "EP", "SN", "DO", "UR", "KW", "ID", "PB", "N1", "M3", "XX", "ER", "L1", "C1"]
)  # fmt: skip
RIS_VALUES = st.one_of(
    NOISE,
    SENTENCES,
    st.sampled_from(
        ["JOUR", "BOOK", "Journal Article", "2013/07/22", "1948/07//", "05/17/2019", "-379",
         "0", "0000", "2017 May", "²", "978-3-16-148410-0", "smith2020", "Shi,Yu", "Fanning E.",
         "https://arxiv.org/abs/1706.03762", "https://doi.org/10.1000/X", ""]
    ),
)  # fmt: skip
RIS_GOOD_LINES = st.sampled_from(
    ["TI  - Attention Is All You Need", "AU  - Smith, John", "AU  - von Eel, Egbert, Jr.",
     "A1  - Sci-Art Publishers", "PY  - 2020", "DA  - 2013/07/22", "Y1  - Spring 2018",
     "SP  - 1", "EP  - 10", "JO  - Nature", "SN  - 978-3-16-148410-0", "ID  - smith2020",
     "DO  - 10.1000/x", "UR  - https://arxiv.org/abs/1706.03762", "KW  - meta learning",
     "AB  - We propose a method.", "TI  - A second title"]
)  # fmt: skip
RIS_LINE = st.one_of(
    RIS_GOOD_LINES,
    RIS_GOOD_LINES,
    st.tuples(RIS_TAGS, st.sampled_from(["  - ", "  -", " - ", "  -  "]), RIS_VALUES).map("".join),
    NOISE,
)
RIS_RECORD = st.tuples(
    st.sampled_from(["JOUR", "BOOK", "CHAP", "Journal Article", "XXXX", ""]),
    st.lists(RIS_LINE, max_size=8),
    st.sampled_from(["ER  - ", "ER  -", ""]),
).map(lambda t: "\n".join([f"TY  - {t[0]}", *t[1], t[2]]))
RIS = mutated(
    st.lists(st.one_of(RIS_RECORD, RIS_RECORD, RIS_LINE), min_size=1, max_size=4).map("\n".join)
)

# --- Web of Science ------------------------------------------------------------------------
WOS_TAGS = st.sampled_from(
    ["PT", "AU", "AF", "TI", "SO", "PY", "VL", "IS", "BP", "EP", "DI", "DE", "AB", "PU", "ER",
     "EF", "XX", "  "]
)  # fmt: skip
WOS_GOOD_LINES = st.sampled_from(
    ["AU Smith, J", "AF Smith, John", "   Jones, B", "TI Attention Is All You Need",
     "   continued title", "SO NATURE", "PY 2020", "PY ²", "VL 3", "BP 1", "EP 10",
     "DI 10.1000/x", "DE meta learning; attention", "AB We propose a method."]
)  # fmt: skip
WOS_LINE = st.one_of(
    WOS_GOOD_LINES,
    WOS_GOOD_LINES,
    st.tuples(WOS_TAGS, st.just(" "), RIS_VALUES).map("".join),
    NOISE,
)
WOS_RECORD = st.lists(WOS_LINE, max_size=8).map(lambda lines: "\n".join(["PT J", *lines, "ER"]))
WOS = mutated(
    st.lists(st.one_of(WOS_RECORD, WOS_RECORD, WOS_LINE), min_size=1, max_size=4).map(
        lambda parts: "FN Clarivate Analytics Web of Science\nVR 1.0\n" + "\n".join(parts)
    )
)

# --- CSL-JSON ------------------------------------------------------------------------------
CSL_KEYS = st.sampled_from(
    ["id", "type", "title", "author", "editor", "issued", "container-title", "event-title",
     "volume", "issue", "number", "page", "publisher", "DOI", "URL", "ISBN", "arxiv", "eprint",
     "note", "keyword", "abstract", "citation-key", "itemType", "creators", "date",
     "publicationTitle", "citationKey", "abstractNote", "pages", "url", "date-parts", "raw",
     "literal", "family", "given", "dropping-particle", "non-dropping-particle", "suffix",
     "name", "lastName", "firstName", "creatorType"]
)  # fmt: skip
JSON_LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),  # NaN and infinities too: Python's json reads and writes them
    NOISE,
    st.sampled_from(["article-journal", "journalArticle", "author", "2020-05", "Smith, J."]),
)
JSON_VALUES = st.recursive(
    JSON_LEAVES,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.one_of(CSL_KEYS, NOISE), inner, max_size=4),
    ),
    max_leaves=12,
)
# Values of the shapes CSL gives each field, so that items get into the mapping.
CSL_GOOD = {
    "type": st.sampled_from(["article-journal", "paper-conference", "book", "chapter", "x"]),
    "title": st.one_of(SENTENCES, st.just("<i>Drosophila</i> <span class='nocase'>x</span>")),
    "author": st.lists(
        st.fixed_dictionaries({"family": NOISE, "given": NOISE})
        | st.fixed_dictionaries({"literal": NOISE})
        | NOISE,
        max_size=3,
    )
    | SENTENCES,
    "issued": st.fixed_dictionaries(
        {"date-parts": st.lists(st.lists(st.integers() | st.floats() | NOISE, max_size=3))}
    )
    | st.fixed_dictionaries({"raw": NOISE}),
    "id": st.sampled_from(["smith2020", "1", "a b"]),
    "DOI": st.sampled_from(["10.1000/x", "not a doi"]),
    "keyword": st.one_of(NOISE, st.lists(NOISE, max_size=3)),
    "creators": st.lists(
        st.fixed_dictionaries(
            {"creatorType": st.sampled_from(["author", "editor"]), "lastName": NOISE}
        ),
        max_size=2,
    ),
    "itemType": st.sampled_from(["journalArticle", "preprint", "x"]),
}
CSL_ITEM = st.one_of(
    st.fixed_dictionaries({}, optional=CSL_GOOD),
    st.fixed_dictionaries({}, optional=CSL_GOOD),
    st.dictionaries(st.one_of(CSL_KEYS, NOISE), JSON_VALUES, max_size=8),
)
CSL_DOCUMENTS = st.one_of(
    st.lists(CSL_ITEM, max_size=4),
    st.lists(CSL_ITEM, max_size=4),
    CSL_ITEM,
    st.lists(CSL_ITEM, max_size=3).map(lambda items: {"message": {"items": items}}),
    JSON_VALUES,
)
CSL_JSON = mutated(
    st.tuples(CSL_DOCUMENTS, st.sampled_from([None, 1, 2]), st.booleans()).map(
        lambda t: json.dumps(t[0], indent=t[1], ensure_ascii=t[2])
    )
)

# --- text copied from a page ---------------------------------------------------------------
PASTED_LINES = st.one_of(
    SENTENCES,
    NOISE,
    st.sampled_from(
        ["arXiv:2501.00001", "arXiv:2501.00001 [cs.LG]", "[3] arXiv:hep-th/9901001v2 [pdf]",
         "Title:", "Authors: A. Smith, B. Jones and C. Wu", "Abstract:", "Comments: 9 pages",
         "Submitted 1 May 2024", "Journal-ref: Nature 1 (2020)", "DOI: 10.1000/x", "▽ More",
         "△ Less", "Subscribe", "SubscribeLearning", "Daily Papers", ""]
    ),
    st.tuples(st.sampled_from(["Title: ", "Authors: ", "Abstract: "]), SENTENCES).map("".join),
)  # fmt: skip
PASTED = mutated(st.lists(PASTED_LINES, min_size=1, max_size=10).map("\n".join))

DOCUMENTS = {"text": PASTED, "bibtex": BIBTEX, "ris": RIS, "wos": WOS, "csl-json": CSL_JSON}
ANY_TEXT = st.one_of(st.text(max_size=300), glued(NOISE, max_size=40), *DOCUMENTS.values())

# --- bytes ---------------------------------------------------------------------------------
PREFIXES = st.sampled_from(
    [b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff",
     b"% Encoding: latin1\n", b"% Encoding: nonsense\n", b"% -*- coding: utf-16 -*-\n",
     b"-*- coding: latin-9-unix -*-\n"]
)  # fmt: skip
CODECS = st.sampled_from(["utf-8", "utf-16", "utf-16-le", "utf-16-be", "cp1252", "gb18030"])
ENCODED = st.tuples(ANY_TEXT, CODECS).map(lambda t: t[0].encode(t[1], errors="replace"))
ANY_BYTES = st.one_of(
    st.binary(max_size=400),
    ENCODED,
    st.tuples(PREFIXES, st.one_of(ENCODED, st.binary(max_size=200))).map(b"".join),
)
