"""latex_to_text decodes only the LaTeX words of a value (and accents without pylatexenc): it
must give exactly what pylatexenc gives on the whole value, or an import would store other
text than before for the sake of speed."""

from __future__ import annotations

import os
from pathlib import Path

import bibtexparser
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from readinglist.domain import latex
from readinglist.domain.latex import latex_to_text, latex_to_text_whole

TRICKY = [
    '{\\"U}ber die Grundlagen',
    'Schr\\" odinger and \\c c and \\v{r}',
    "an $O(n \\log n)$ bound and $a + b = c$ exactly",
    "$\\alpha$-helix with $\\beta$ sheets",
    "\\emph {two words} and \\textbf{bold {nested} text} here",
    "{The \\em emphasised} rest of it",
    "pages 1--2, 3---4, ``quoted'' and -{}- kept",
    "50\\% faster, R\\&D, \\$5, \\#1, a\\_b, \\{braces\\}",
    "\\LaTeX\\ is and \\TeX{} too",
    "Fig.~3 and Ref.~\\cite{x}",
    "\\href{https://example.org}{the link text} after",
    "{Taylor \\textbackslash\\& Francis}",
    "unbalanced } closing and { opening",
    "x^{2} y_{i} and x ^2",
    "line \\\\ break",
    "Franc{\\ocirc{u}} and {\\o}ystein {\\ss}",
    "{\\'\\i}ndice and \\'{\\i}",
    'G{\\"o}del, Escher, Bach: {\\em an Eternal Golden Braid}',
    "\\mathbf {x} and \\mathrm{d}x",
    "Type-\\{\\vphantom\\}{{II}}\\vphantom\\{\\} heterostructures",
    "{{GaAs}}\\_\\{1-x\\} and {{Al}}\\$\\_x\\$",
    "100% sure & done",
    "Gu\\dh mundsson and Sigur\\dh ard\\'ottir",
    "{?`}Qu\\'e es la ciencia? and Bj\\\"{o}rk !`Hola!",
    "a -- b " + "x" * 5000,
]


@pytest.mark.parametrize("value", TRICKY)
def test_decoding_word_by_word_agrees_with_pylatexenc_on_the_whole_value(value):
    assert latex_to_text(value) == latex_to_text_whole(value)


TOKENS = st.sampled_from(
    [
        "word",
        "Über",
        "{",
        "}",
        "$",
        "\\'e",
        "\\' e",
        '\\"{o}',
        '{\\"u}',
        "e",
        "\\emph{",
        "\\c c",
        "--",
        "``",
        "''",
        "~",
        "\\%",
        "%",
        "&",
        "\\alpha",
        "^",
        "_",
        "[",
        "]",
        "\\\\",
        "\\o",
        "\\LaTeX",
        "{\\ss}",
        "\\_",
        "\\{",
        "\\$",
        "x",
        "2",
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(TOKENS, st.sampled_from(["", " ", "  ", "\n"])), max_size=14))
def test_any_mix_of_latex_words_decodes_as_the_whole_value_does(parts):
    value = "".join(token + space for token, space in parts)
    assert latex_to_text(value) == latex_to_text_whole(value)


def _corpus_values() -> list[str]:
    root = Path(os.environ["READINGLIST_SHARED"]) / "corpora"
    values = []
    for path in sorted(root.rglob("*.bib")):
        text = path.read_text(encoding="utf-8", errors="replace")
        for entry in bibtexparser.parse_string(text).entries:
            values += [f.value for f in entry.fields if isinstance(f.value, str)]
    return values


def test_every_latex_value_of_the_shared_corpora_decodes_as_the_whole_value_does():
    if not os.environ.get("READINGLIST_SHARED"):
        pytest.skip("READINGLIST_SHARED is not set: the shared corpora are not on this machine")
    values = [v for v in _corpus_values() if latex._needs_parser(v)]
    assert len(values) > 500  # the corpora hold LaTeX: this test compares something
    differing = [v for v in values if latex_to_text(v) != latex_to_text_whole(v)]
    assert differing == []
