"""Adding papers by arXiv id or DOI, against a local server that answers as arXiv, Crossref and
DataCite document their formats. Nothing here touches the internet."""

import json
import time

import pytest
from click.testing import CliRunner
from werkzeug import Response

from readinglist.cli.main import cli
from readinglist.domain.values import InvalidValue
from readinglist.lookup.http import Endpoints
from readinglist.lookup.identifiers import Identifier, parse_identifier

pytestmark = pytest.mark.both_backends  # the same story on a file and on a server

ATOM = """<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title type="html">ArXiv Query: id_list=1706.03762</title>
  <opensearch:totalResults xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">1</opensearch:totalResults>
  <entry>
    <id>http://arxiv.org/abs/1706.03762v7</id>
    <updated>2023-08-02T00:41:18Z</updated>
    <published>2017-06-12T17:57:34Z</published>
    <title>Attention Is All
      You Need</title>
    <summary>  A network architecture built on attention alone, without recurrence.
    </summary>
    <author><name>Ashish Vaswani</name></author>
    <author><name>Noam Shazeer</name></author>
    <arxiv:doi xmlns:arxiv="http://arxiv.org/schemas/atom">10.5555/3295222.3295349</arxiv:doi>
    <arxiv:comment xmlns:arxiv="http://arxiv.org/schemas/atom">15 pages, 5 figures</arxiv:comment>
    <link href="http://arxiv.org/abs/1706.03762v7" rel="alternate" type="text/html"/>
    <arxiv:primary_category xmlns:arxiv="http://arxiv.org/schemas/atom" term="cs.CL"
      scheme="http://arxiv.org/schemas/atom"/>
    <category term="cs.CL" scheme="http://arxiv.org/schemas/atom"/>
  </entry>
</feed>"""
ATOM_EMPTY = """<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>ArXiv Query</title></feed>"""
ATOM_ERROR = """<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <entry>
    <id>http://arxiv.org/api/errors#incorrect_id_format_for_2101.00001</id>
    <title>Error</title>
    <summary>incorrect id format for 2101.00001</summary>
  </entry>
</feed>"""
CROSSREF = {
    "status": "ok",
    "message-type": "work",
    "message": {
        "DOI": "10.1145/3292500.3330701",
        "type": "proceedings-article",
        "title": ["A Paper Found at Crossref"],
        "author": [
            {"given": "Ada", "family": "Lovelace", "sequence": "first", "affiliation": []},
            {"given": "Charles", "family": "Babbage", "sequence": "additional"},
        ],
        "container-title": ["Proceedings of a Conference"],
        "issued": {"date-parts": [[2019, 7, 25]]},
        "page": "1-10",
        "publisher": "ACM",
        "abstract": "<jats:p>What the paper is <jats:italic>about</jats:italic>.</jats:p>",
        "URL": "https://doi.org/10.1145/3292500.3330701",
    },
}
DATACITE = {
    "data": {
        "id": "10.5281/zenodo.123",
        "type": "dois",
        "attributes": {
            "doi": "10.5281/zenodo.123",
            "creators": [
                {
                    "name": "Hopper, Grace",
                    "nameType": "Personal",
                    "givenName": "Grace",
                    "familyName": "Hopper",
                },
                {"name": "The Compiler Group", "nameType": "Organizational"},
            ],
            "titles": [{"title": "A Dataset Found at DataCite"}],
            "publisher": "Zenodo",
            "publicationYear": 2021,
            "types": {"resourceTypeGeneral": "Dataset"},
            "descriptions": [{"description": "Numbers.", "descriptionType": "Abstract"}],
            "subjects": [{"subject": "compilers"}],
            "url": "https://zenodo.org/record/123",
        },
    }
}
ARXIV_DOI = {
    "data": {
        "attributes": {
            "doi": "10.48550/arxiv.2401.00001",
            "creators": [{"name": "Turing, Alan", "nameType": "Personal"}],
            "titles": [{"title": "A Preprint With an arXiv DOI"}],
            "publisher": "arXiv",
            "publicationYear": 2024,
            "types": {"resourceTypeGeneral": "Preprint"},
        }
    }
}


@pytest.fixture
def endpoints(httpserver):
    return Endpoints(
        arxiv=httpserver.url_for("/api/query"),
        crossref=httpserver.url_for("/works"),
        datacite=httpserver.url_for("/dois"),
    )


def serve_arxiv(httpserver, body=ATOM, status=200):
    httpserver.expect_request("/api/query").respond_with_data(
        body, status=status, content_type="application/atom+xml"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2401.00001", Identifier("arxiv", "2401.00001")),
        ("arXiv:2401.00001v3", Identifier("arxiv", "2401.00001")),
        ("https://arxiv.org/abs/hep-th/9901001", Identifier("arxiv", "hep-th/9901001")),
        ("10.1145/3292500.3330701", Identifier("doi", "10.1145/3292500.3330701")),
        ("https://doi.org/10.1145/ABC", Identifier("doi", "10.1145/abc")),
        ("doi:10.48550/arXiv.2401.00001", Identifier("doi", "10.48550/arxiv.2401.00001")),
    ],
)
def test_identifiers_in_every_form(text, expected):
    assert parse_identifier(text) == expected


def test_something_else_is_refused_plainly():
    with pytest.raises(InvalidValue, match="neither an arXiv id"):
        parse_identifier("attention is all you need")


def test_an_arxiv_paper_is_added_with_its_metadata(library, httpserver, endpoints):
    serve_arxiv(httpserver)
    report = library.add_identifiers(["arXiv:1706.03762v7"], endpoints)
    paper = library.get(report.added[0])
    assert paper.title == "Attention Is All You Need"
    assert [a.family for a in paper.authors] == ["Vaswani", "Shazeer"]
    assert (paper.year, paper.month, paper.arxiv_id) == (2017, 6, "1706.03762")
    assert paper.doi == "10.5555/3295222.3295349"
    assert paper.extra["primaryclass"] == "cs.CL"
    assert paper.key == "vaswani2017attention"
    assert httpserver.log[0][0].args["id_list"] == "1706.03762"


def test_adding_the_same_paper_again_is_a_duplicate(library, httpserver, endpoints):
    serve_arxiv(httpserver)
    library.add_identifiers(["1706.03762"], endpoints)
    again = library.add_identifiers(["https://arxiv.org/abs/1706.03762"], endpoints)
    assert (again.added, len(again.duplicates)) == ([], 1)


def test_a_doi_is_looked_up_at_crossref(library, httpserver, endpoints):
    httpserver.expect_request("/works/10.1145/3292500.3330701").respond_with_json(CROSSREF)
    report = library.add_identifiers(["https://doi.org/10.1145/3292500.3330701"], endpoints)
    paper = library.get(report.added[0])
    assert (paper.entry_type, paper.title, paper.venue) == (
        "inproceedings",
        "A Paper Found at Crossref",
        "Proceedings of a Conference",
    )
    assert (paper.year, paper.month, paper.pages) == (2019, 7, "1--10")
    assert paper.abstract == "What the paper is about ."


def test_a_doi_crossref_does_not_know_falls_back_to_datacite(library, httpserver, endpoints):
    httpserver.expect_request("/works/10.5281/zenodo.123").respond_with_data(
        "Resource not found.", status=404
    )
    httpserver.expect_request("/dois/10.5281/zenodo.123").respond_with_json(DATACITE)
    report = library.add_identifiers(["10.5281/zenodo.123"], endpoints)
    paper = library.get(report.added[0])
    assert (paper.entry_type, paper.title, paper.year) == (
        "dataset",
        "A Dataset Found at DataCite",
        2021,
    )
    assert paper.authors[1].literal == "The Compiler Group"
    assert paper.tags == ("compilers",)


def test_arxiv_dois_go_straight_to_datacite(library, httpserver, endpoints):
    httpserver.expect_request("/dois/10.48550/arxiv.2401.00001").respond_with_json(ARXIV_DOI)
    report = library.add_identifiers(["10.48550/arXiv.2401.00001"], endpoints)
    paper = library.get(report.added[0])
    assert (paper.arxiv_id, paper.authors[0].family) == ("2401.00001", "Turing")
    assert [request.path for request, _ in httpserver.log] == ["/dois/10.48550/arxiv.2401.00001"]


def test_unknown_papers_are_errors_and_the_others_are_added(library, httpserver, endpoints):
    serve_arxiv(httpserver)
    httpserver.expect_request("/works/10.9999/nothing").respond_with_data("", status=404)
    httpserver.expect_request("/dois/10.9999/nothing").respond_with_json(
        {"errors": [{"status": "404", "title": "The resource you are looking for doesn't exist."}]},
        status=404,
    )
    report = library.add_identifiers(["10.9999/nothing", "1706.03762", "not an id"], endpoints)
    assert len(report.added) == 1
    messages = {p.source: p.message for p in report.errors}
    assert (
        messages["10.9999/nothing"] == "neither Crossref nor DataCite knows the DOI 10.9999/nothing"
    )
    assert "neither an arXiv id" in messages["not an id"]


def test_arxiv_errors_and_empty_answers(library, httpserver, endpoints):
    serve_arxiv(httpserver, ATOM_ERROR, status=400)
    report = library.add_identifiers(["2101.00001"], endpoints)
    assert report.errors[0].message == "arXiv: incorrect id format for 2101.00001"
    httpserver.clear()
    serve_arxiv(httpserver, ATOM_EMPTY)
    report = library.add_identifiers(["2401.99999"], endpoints)
    assert report.errors[0].message == "arXiv has no paper 2401.99999"


def test_hostile_xml_is_refused(library, httpserver, endpoints):
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><feed>&lol2;</feed>'
    )
    serve_arxiv(httpserver, bomb)
    report = library.add_identifiers(["1706.03762"], endpoints)
    assert "not a valid feed" in report.errors[0].message


def test_rate_limits_are_waited_out_once(library, httpserver, endpoints):
    httpserver.expect_ordered_request("/api/query").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "0"}
    )
    httpserver.expect_ordered_request("/api/query").respond_with_data(
        ATOM, content_type="application/atom+xml"
    )
    report = library.add_identifiers(["1706.03762"], endpoints)
    assert len(report.added) == 1 and not report.errors


def test_a_rate_limit_that_persists_is_a_clear_error(library, httpserver, endpoints):
    httpserver.expect_request("/api/query").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "0"}
    )
    report = library.add_identifiers(["1706.03762"], endpoints)
    assert "asks us to slow down" in report.errors[0].message


def test_a_service_that_does_not_answer_in_time(library, httpserver, endpoints, monkeypatch):
    monkeypatch.setenv("READINGLIST_HTTP_TIMEOUT", "0.2")

    def slow(_request):
        time.sleep(0.6)
        return Response(ATOM, content_type="application/atom+xml")

    httpserver.expect_request("/api/query").respond_with_handler(slow)
    report = library.add_identifiers(["1706.03762"], endpoints)
    assert "did not answer in time" in report.errors[0].message


def test_offline_is_said_plainly(library):
    offline = Endpoints(arxiv="http://127.0.0.1:9/api/query")
    report = library.add_identifiers(["1706.03762"], offline)
    assert "are you offline?" in report.errors[0].message


def test_the_add_command(tmp_path, httpserver, endpoints, monkeypatch):
    serve_arxiv(httpserver)
    monkeypatch.setenv("READINGLIST_ARXIV_API", endpoints.arxiv)
    runner = CliRunner()
    args = ["--library", str(tmp_path / "lib"), "add", "1706.03762"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "added vaswani2017attention: Attention Is All You Need" in result.stdout
    again = runner.invoke(cli, [*args, "--json"])
    assert json.loads(again.stdout)["duplicates"] == 1
