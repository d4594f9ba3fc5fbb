"""Files in any encoding a researcher's old .bib may have: decoded by the best evidence, and the
report says which encoding was used."""

import codecs

import pytest

from readinglist.importers.encoding import decode_bytes

BIB = "@article{k, title = {Gödel, Escher, Bach: ein Endloses Geflochtenes Band}}\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (BIB.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + BIB.encode("utf-8"), "utf-8-sig"),
        (codecs.BOM_UTF16_LE + BIB.encode("utf-16-le"), "utf-16"),
        (codecs.BOM_UTF16_BE + BIB.encode("utf-16-be"), "utf-16"),
        (BIB.encode("utf-16-le"), "utf-16-le"),
        (BIB.encode("utf-16-be"), "utf-16-be"),
        (b"% Encoding: ISO8859_2\n" + BIB.encode("iso8859-2"), "iso8859-2"),
        (b"% -*- coding: latin-2-unix -*-\n" + BIB.encode("iso8859-2"), "iso8859-2"),
        (BIB.encode("cp1252"), "cp1252"),
    ],
)
def test_each_encoding_is_recognised(data, encoding):
    decoded = decode_bytes(data)
    assert decoded.encoding == encoding
    assert "Gödel, Escher, Bach" in decoded.text


def test_a_legacy_file_without_evidence_is_read_as_windows_1252_and_says_so():
    decoded = decode_bytes("Café “quoted”".encode("cp1252"))
    assert decoded.text == "Café “quoted”"
    assert "a guess" in decoded.warnings[0]


def test_undecodable_bytes_become_replacement_characters_with_a_warning():
    decoded = decode_bytes(b"% Encoding: UTF-8\nbad \xff byte and \xfe another")
    assert decoded.text.count("\ufffd") == 2
    assert "2 byte(s) are not valid utf-8" in decoded.warnings[0]


def test_a_forced_encoding_wins(library, tmp_path):
    path = tmp_path / "latin2.bib"
    path.write_bytes("@article{k, title = {Łódź and Poznań}}".encode("iso8859-2"))
    report = library.import_file(path, encoding="latin-2")
    assert report.encoding == "iso8859-2"
    assert library.get("k").title == "Łódź and Poznań"


def test_the_import_report_names_the_encoding(library, tmp_path):
    path = tmp_path / "utf16.bib"
    path.write_bytes(codecs.BOM_UTF16_LE + BIB.encode("utf-16-le"))
    report = library.import_file(path)
    assert report.to_json()["encoding"] == "utf-16"
    assert library.get("k").title.startswith("Gödel")
