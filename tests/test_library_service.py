"""Every service operation, against a real SQLite file and a real Whoosh index."""

import os

import pytest

from readinglist import open_library
from readinglist.domain.filters import PaperFilter, Sort
from readinglist.domain.values import (
    AuthorName,
    InvalidValue,
    ListNotFound,
    NameTaken,
    NoteNotFound,
    PaperNotFound,
    TagNotFound,
)
from tests.backends import open_again
from tests.factories import draft

pytestmark = pytest.mark.both_backends  # the same story on a file and on a server


def test_added_paper_gets_a_readable_unique_key(library):
    first = library.add_paper(draft("Attention Is All You Need", authors=["Vaswani"], year=2017))
    second = library.add_paper(draft("Attention Is All You Need", authors=["Vaswani"], year=2018))
    assert library.get(first.created).key == "vaswani2017attention"
    assert library.get(second.created).key == "vaswani2018attention"
    third = library.add_paper(draft("Attention, again", authors=["Vaswani"], year=2017))
    assert library.get(third.created).key == "vaswani2017attentiona"


def test_papers_are_found_by_id_or_citation_key(library, three_papers):
    paper = library.get(three_papers[1])
    assert library.get(paper.key).id == paper.id
    assert library.get(str(paper.id)).key == paper.key
    with pytest.raises(PaperNotFound, match="no paper with id or citation key 'nope'"):
        library.get("nope")


def test_authors_keep_order_particles_suffixes_and_corporate_names(library):
    authors = [
        AuthorName(family="Neumann", given="John", particle="von"),
        AuthorName(family="Smith", given="John", suffix="Jr."),
        AuthorName(literal="Barnes and Noble, Inc."),
    ]
    created = library.add_paper(draft("Names", authors=authors)).created
    assert library.get(created).authors == tuple(authors)
    assert [a.to_json() for a in library.get(created).authors][2] == {
        "literal": "Barnes and Noble, Inc."
    }


def test_edit_changes_fields_and_validates_them(library, three_papers):
    paper_id = three_papers[0]
    library.edit(paper_id, title="Über formal unentscheidbare Sätze", year="1931", pages="173--198")
    paper = library.get(paper_id)
    assert (paper.title, paper.year, paper.pages) == (
        "Über formal unentscheidbare Sätze",
        1931,
        "173--198",
    )
    library.edit(paper_id, doi="https://doi.org/10.1007/BF01700692", extra={"language": "de"})
    assert library.get(paper_id).doi == "10.1007/bf01700692"
    assert library.get(paper_id).extra == {"language": "de"}
    with pytest.raises(InvalidValue, match="year must be a whole number"):
        library.edit(paper_id, year="soon")
    with pytest.raises(InvalidValue, match="is not a DOI"):
        library.edit(paper_id, doi="not a doi")
    taken = library.get(three_papers[1]).key
    with pytest.raises(NameTaken, match="is taken by paper"):
        library.edit(paper_id, key=taken)
    with pytest.raises(InvalidValue, match="cannot edit rating"):
        library.edit(paper_id, rating=3)


def test_edit_bumps_the_version_the_index_compares(library, three_papers):
    before = library.get(three_papers[0]).version
    library.edit(three_papers[0], venue="Monatshefte")
    assert library.get(three_papers[0]).version == before + 1


def test_trash_restore_and_empty_trash(library, three_papers):
    godel, attention, maml = three_papers
    library.add_note(godel, "keep me until the trash is emptied")
    changes = library.trash([godel, attention])
    assert changes.removed == {godel, attention}
    assert [p.id for p in library.papers()] == [maml]
    assert {p.id for p in library.papers(PaperFilter(trashed=True))} == {godel, attention}
    assert library.get(godel).in_trash
    library.restore(attention)
    assert library.count() == 2
    library.empty_trash()
    with pytest.raises(PaperNotFound):
        library.get(godel)
    assert library.stats()["notes"] == 0
    assert library.count(PaperFilter(trashed=True)) == 0


def test_tags_are_unique_without_regard_to_case(library, three_papers):
    godel, attention, _ = three_papers
    library.tag(godel, add=["Logic"])
    library.tag(attention, add=["logic", "nlp"])
    assert library.get(attention).tags == ("Logic", "nlp")
    assert [(t.name, t.count) for t in library.tags()] == [("Logic", 2), ("nlp", 1)]
    library.tag([godel, attention], remove=["LOGIC"])
    assert library.get(godel).tags == ()
    with pytest.raises(TagNotFound):
        library.tag(godel, remove=["never-used"])
    with pytest.raises(InvalidValue, match="comma"):
        library.tag(godel, add=["a,b"])


def test_rename_merge_and_delete_tags(library, three_papers):
    godel, attention, maml = three_papers
    library.tag(godel, add=["ml"])
    library.tag(attention, add=["machine-learning"])
    library.tag(maml, add=["ML", "meta"])
    library.rename_tag("meta", "meta-learning")
    assert library.get(maml).tags == ("meta-learning", "ml")
    library.merge_tags(["machine-learning"], into="ml")
    assert library.get(attention).tags == ("ml",)
    assert [t.name for t in library.tags()] == ["meta-learning", "ml"]
    assert library.search("tag:ml").total == 3
    library.rename_tag("meta-learning", "ML")  # renaming onto an existing tag merges
    assert [(t.name, t.count) for t in library.tags()] == [("ml", 3)]
    library.delete_tag("ml")
    assert library.tags() == []
    assert library.search("tag:ml").total == 0


def test_rating_and_status_are_validated(library, three_papers):
    library.rate(three_papers, 4)
    assert {library.get(i).rating for i in three_papers} == {4}
    with pytest.raises(InvalidValue, match="0 to 5"):
        library.rate(three_papers[0], 6)
    library.set_status(three_papers[0], "to-read")
    assert library.get(three_papers[0]).status == "to-read"
    with pytest.raises(InvalidValue, match="unknown reading status 'done'"):
        library.set_status(three_papers[0], "done")


def test_notes_are_added_edited_and_deleted(library, three_papers):
    paper_id = three_papers[0]
    first = library.add_note(paper_id, "Compare with **MAML**.").created
    second = library.add_note(paper_id, "Section 3:\n- the proof looks off").created
    notes = library.get(paper_id).notes
    assert [n.id for n in notes] == [first, second]
    assert notes[1].body == "Section 3:\n- the proof looks off"
    library.edit_note(first, "Compare with *Reptile* too.")
    assert library.get(paper_id).notes[0].body == "Compare with *Reptile* too."
    library.delete_note(second)
    assert len(library.get(paper_id).notes) == 1
    with pytest.raises(NoteNotFound):
        library.edit_note(second, "gone")
    with pytest.raises(InvalidValue, match="cannot be empty"):
        library.add_note(paper_id, "   ")


def test_reading_lists_keep_a_manual_order(library, three_papers):
    godel, attention, maml = three_papers
    library.create_list("Thesis background")
    library.add_to_list("Thesis background", [maml, godel])
    library.add_to_list("thesis BACKGROUND", [attention], position=0)
    in_list = PaperFilter(list_name="Thesis background")
    assert [p.id for p in library.papers(in_list)] == [attention, maml, godel]
    library.move_in_list("Thesis background", godel, 0)
    assert [p.id for p in library.papers(in_list)] == [godel, attention, maml]
    library.remove_from_list("Thesis background", [attention])
    assert [p.id for p in library.papers(in_list)] == [godel, maml]
    assert library.get(godel).lists == ("Thesis background",)
    with pytest.raises(NameTaken):
        library.create_list("thesis background")
    library.rename_list("Thesis background", "Chapter 2")
    assert library.search('list:"Chapter 2"').total == 2
    assert [(s.name, s.count) for s in library.lists()] == [("Chapter 2", 2)]
    library.delete_list("Chapter 2")
    assert library.lists() == []
    assert library.get(godel).lists == ()
    with pytest.raises(ListNotFound):
        library.add_to_list("Chapter 2", [godel])


def test_adding_a_paper_twice_to_a_list_keeps_one(library, three_papers):
    library.create_list("L")
    library.add_to_list("L", three_papers)
    assert not library.add_to_list("L", three_papers[:1])
    assert library.lists()[0].count == 3


def test_papers_filter_sort_and_page(library, three_papers):
    godel, attention, maml = three_papers
    library.tag([attention, maml], add=["ml"])
    library.tag([maml], add=["meta"])
    library.rate(godel, 5)
    assert [p.id for p in library.papers(sort=Sort("year"))] == [godel, attention, maml]
    assert library.papers(sort=Sort("rating", descending=True))[0].id == godel
    assert [p.id for p in library.papers(sort=Sort("title"))] == [attention, maml, godel]
    assert [p.id for p in library.papers(sort=Sort("author"))] == [maml, godel, attention]
    assert [p.id for p in library.papers(PaperFilter(tags=("ml", "META")))] == [maml]
    assert library.count(PaperFilter(tags=("ml",))) == 2
    page = library.papers(sort=Sort("year"), offset=1, limit=1)
    assert [p.id for p in page] == [attention]
    assert library.count(PaperFilter(min_rating=5)) == 1
    with pytest.raises(InvalidValue, match="cannot sort by"):
        library.papers(sort=Sort("colour"))


def test_every_change_reports_what_it_changed(library, three_papers):
    godel = three_papers[0]
    assert library.rate(godel, 2).modified == {godel}
    assert library.tag(godel, add=["x"]).tags
    created = library.create_list("L")
    assert created.lists and created.created is not None
    assert library.add_note(godel, "n").notes == {godel}


def test_library_reopens_with_everything_kept(tmp_path, three_papers, library):
    library.tag(three_papers[0], add=["kept"])
    library.close()
    with open_again(library) as reopened:
        assert reopened.get(three_papers[0]).tags == ("kept",)
        assert reopened.search("tag:kept").total == 1


def test_library_folder_comes_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("READINGLIST_LIBRARY", str(tmp_path / "from-env"))
    with open_library() as lib:
        assert lib.folder == tmp_path / "from-env"
    assert (tmp_path / "from-env" / "library.sqlite3").is_file()
    assert (tmp_path / "from-env" / "index").is_dir()


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_a_new_library_is_readable_by_its_owner_only(tmp_path):
    import stat

    folder = tmp_path / "private" / "lib"
    with open_library(folder) as library:
        library.add_paper(draft("Private Notes Paper"))
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        for name in ("library.sqlite3", "library.sqlite3-wal", "library.sqlite3-shm"):
            assert stat.S_IMODE((folder / name).stat().st_mode) == 0o600, name
