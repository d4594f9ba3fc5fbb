"""Changes to papers, run inside the caller's unit of work. Each returns what it changed."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlmodel import Session

from readinglist.domain.changes import Changes
from readinglist.domain.drafts import NUMBER_FIELDS, TEXT_FIELDS
from readinglist.domain.identifiers import normalize_arxiv_id, normalize_doi, normalize_title
from readinglist.domain.models import Note, Paper, PaperAuthor, PaperTag, Tag, utcnow
from readinglist.domain.names import author_sort_key
from readinglist.domain.values import (
    AuthorName,
    InvalidValue,
    NameTaken,
    NoteNotFound,
    PaperNotFound,
    ReadingStatus,
    TagNotFound,
    VersionMoved,
    check_rating,
)
from readinglist.services.merging import merge_fields
from readinglist.storage import change_feed
from readinglist.storage.papers import (
    NOTE,
    PAPER,
    PT,
    TAG,
    A,
    N,
    P,
    T,
    chunks,
    compare_and_set,
    enqueue,
    mark_changed,
)

EDITABLE = (*TEXT_FIELDS, *NUMBER_FIELDS, "key", "authors", "extra")


def clean_tag(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise InvalidValue("a tag needs at least one visible character")
    if "," in cleaned:
        raise InvalidValue(f"a tag cannot contain a comma: {name!r}")
    if len(cleaned) > 200:
        raise InvalidValue("a tag is at most 200 characters")
    return cleaned


def tag_ids(session: Session, names: Iterable[str], create: bool = True) -> dict[str, int]:
    """name_key -> tag id, creating missing tags (keeping the first spelling seen)."""
    wanted: dict[str, str] = {}
    for name in names:
        cleaned = clean_tag(name)
        wanted.setdefault(cleaned.casefold(), cleaned)
    found: dict[str, int] = {}
    for batch in chunks(list(wanted)):  # type: ignore[arg-type]
        for row in session.execute(select(T.id, T.name_key).where(T.name_key.in_(batch))):
            found[row.name_key] = row.id
    missing = [k for k in wanted if k not in found]
    if missing and create:
        session.execute(
            insert(Tag.__table__), [{"name": wanted[k], "name_key": k} for k in missing]
        )
        for batch in chunks(missing):
            for row in session.execute(select(T.id, T.name_key).where(T.name_key.in_(batch))):
                found[row.name_key] = row.id
    elif missing:
        raise TagNotFound(f"no tag named {wanted[missing[0]]!r}")
    return found


def set_fields(
    session: Session,
    paper_id: int,
    patch: dict[str, Any],
    base: dict[str, Any] | None = None,
) -> Changes:
    """Change some fields of one paper. With ``base`` (each field as the editor found it),
    fields someone else changed meanwhile are not overwritten: they come back as conflicts
    (see merging.py). The write is one compare-and-set on the paper's version; if another
    commit moved it after it was read here, VersionMoved runs the unit of work again."""
    unknown = set(patch) - set(EDITABLE)
    if unknown:
        raise InvalidValue(f"cannot edit {', '.join(sorted(unknown))}; editable: {EDITABLE}")
    current = _editable_values(session, paper_id)
    patch, conflicts = merge_fields("paper", paper_id, patch, base, current)
    values: dict[str, Any] = {}
    for name, value in patch.items():
        if name == "authors":
            values["sort_author"] = author_sort_key(value)
        elif name == "extra":
            merged = {**current["extra"], **value}
            values["extra"] = {k: v for k, v in merged.items() if v not in (None, "")}
        else:
            values[name] = _checked(name, value)
    if "key" in values:
        if not values["key"]:
            raise InvalidValue("a citation key cannot be empty")
        if values["key"].isdigit():
            raise InvalidValue("a citation key of digits only would read as a paper number")
        if any(c.isspace() or c in ',{}"#%' for c in values["key"]):
            raise InvalidValue('a citation key cannot hold spaces or any of , { } " # %')
        clash = session.execute(  # BibTeX does not tell keys apart by case
            select(P.id).where(func.lower(P.key) == values["key"].lower(), P.id != paper_id)
        ).scalar()
        if clash is not None:
            raise NameTaken(f"citation key {values['key']!r} is taken by paper {clash}")
    if "title" in values:
        if not values["title"]:
            raise InvalidValue("a title cannot be empty")
        values["title_norm"] = normalize_title(values["title"])
    if not patch:
        return Changes(conflicts=tuple(conflicts))
    compare_and_set(
        session, PAPER, paper_id, current["version"], {**values, "updated_at": utcnow()}
    )
    if "authors" in patch:
        session.execute(delete(PaperAuthor).where(A.paper_id == paper_id))
        insert_authors(session, {paper_id: patch["authors"]})
    enqueue(session, [paper_id])
    return Changes(modified=frozenset([paper_id]), conflicts=tuple(conflicts))


def _editable_values(session: Session, paper_id: int) -> dict[str, Any]:
    """The paper's editable fields and version: one row (and its authors), not a whole view,
    because every edit of a shared library reads them again in its own transaction."""
    columns = [P[name] for name in EDITABLE if name != "authors"]
    row = session.execute(select(*columns, P.version).where(P.id == paper_id)).mappings().first()
    if row is None:
        raise PaperNotFound(f"no paper with id {paper_id}")
    found = dict(row)
    found["authors"] = [
        AuthorName(r.family, r.given, r.particle, r.suffix, r.literal)
        for r in session.execute(
            select(A.family, A.given, A.particle, A.suffix, A.literal)
            .where(A.paper_id == paper_id)
            .order_by(A.position)
        )
    ]
    return found


def _checked(name: str, value: Any) -> Any:
    if name in NUMBER_FIELDS:
        if value in (None, ""):
            return None
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise InvalidValue(f"{name} must be a whole number, not {value!r}") from None
        limits = {"year": (-3000, 3000), "month": (1, 12)}[name]
        if not limits[0] <= number <= limits[1]:
            raise InvalidValue(f"{name} {number} is out of range {limits[0]}..{limits[1]}")
        return number
    text = "" if value is None else str(value).strip()
    if name == "doi" and text:
        doi = normalize_doi(text)
        if not doi:
            raise InvalidValue(f"{text!r} is not a DOI (expected 10.xxxx/…)")
        return doi
    if name == "arxiv_id" and text:
        arxiv = normalize_arxiv_id(text)
        if not arxiv:
            raise InvalidValue(f"{text!r} is not an arXiv id (expected e.g. 2101.00001)")
        return arxiv
    return text


def insert_authors(session: Session, authors: dict[int, Sequence[AuthorName]]) -> None:
    rows = [
        {
            "paper_id": paper_id,
            "position": position,
            "family": name.family,
            "given": name.given,
            "particle": name.particle,
            "suffix": name.suffix,
            "literal": name.literal,
        }
        for paper_id, names in authors.items()
        for position, name in enumerate(names)
    ]
    if rows:
        session.execute(PaperAuthor.__table__.insert(), rows)


def move_to_trash(session: Session, ids: Sequence[int], restore: bool = False) -> Changes:
    value = None if restore else utcnow()
    for batch in chunks(ids):
        session.execute(update(Paper).where(P.id.in_(batch)).values(deleted_at=value))
    mark_changed(session, ids)
    if restore:
        return Changes(added=frozenset(ids), tags=True, lists=True)
    return Changes(removed=frozenset(ids), tags=True, lists=True)


def purge_trash(session: Session) -> Changes:
    ids = list(session.execute(select(P.id).where(P.deleted_at.is_not(None))).scalars())
    for batch in chunks(ids):
        session.execute(delete(Paper).where(P.id.in_(batch)))
    enqueue(session, ids)
    return Changes(removed=frozenset(ids), tags=True, lists=True)


def change_tags(
    session: Session, ids: Sequence[int], add: Sequence[str], remove: Sequence[str]
) -> Changes:
    if add:
        wanted = tag_ids(session, add)
        existing = {
            (row.paper_id, row.tag_id)
            for batch in chunks(ids)
            for row in session.execute(
                select(PT.paper_id, PT.tag_id).where(
                    PT.paper_id.in_(batch), PT.tag_id.in_(list(wanted.values()))
                )
            )
        }
        rows = [
            {"paper_id": pid, "tag_id": tid}
            for pid in ids
            for tid in wanted.values()
            if (pid, tid) not in existing
        ]
        if rows:
            session.execute(PaperTag.__table__.insert(), rows)
    if remove:
        unwanted = tag_ids(session, remove, create=False)
        for batch in chunks(ids):
            session.execute(
                delete(PaperTag).where(
                    PT.paper_id.in_(batch), PT.tag_id.in_(list(unwanted.values()))
                )
            )
    mark_changed(session, ids)
    return Changes(modified=frozenset(ids), tags=True)


def paper_tags(session: Session, paper_id: int) -> list[str]:
    return list(
        session.execute(
            select(T.name)
            .join(PaperTag.__table__, PT.tag_id == T.id)
            .where(PT.paper_id == paper_id)
        ).scalars()
    )


def papers_with_tag(session: Session, tag_id: int) -> list[int]:
    return list(session.execute(select(PT.paper_id).where(PT.tag_id == tag_id)).scalars())


def rename_tag(session: Session, old: str, new: str) -> Changes:
    """Rename a tag (into another tag's name: merge them). A compare-and-set on the tag's
    version: a rename someone else commits meanwhile runs this one again, which then finds
    no tag of the old name and says so, rather than writing over theirs."""
    old_id = tag_ids(session, [old], create=False)[clean_tag(old).casefold()]
    version = session.execute(select(T.version).where(T.id == old_id)).scalar_one()
    cleaned = clean_tag(new)
    target = session.execute(select(T.id).where(T.name_key == cleaned.casefold())).scalar()
    if target is not None and target != old_id:
        return merge_tags(session, [old], cleaned)
    compare_and_set(
        session, TAG, old_id, version, {"name": cleaned, "name_key": cleaned.casefold()}
    )
    change_feed.record(session, "tag", [old_id])
    affected = papers_with_tag(session, old_id)
    mark_changed(session, affected)
    return Changes(modified=frozenset(affected), tags=True)


def merge_tags(session: Session, sources: Sequence[str], into: str) -> Changes:
    """Every paper tagged with any of ``sources`` gets ``into`` instead; the sources go."""
    target_key = clean_tag(into).casefold()
    sources_found = tag_ids(session, sources, create=False)  # raises before creating anything
    target = tag_ids(session, [into])[target_key]
    source_ids = [tid for key, tid in sources_found.items() if key != target_key]
    affected: set[int] = set()
    for source in source_ids:
        papers = papers_with_tag(session, source)
        affected.update(papers)
    already = set(papers_with_tag(session, target))
    rows = [{"paper_id": pid, "tag_id": target} for pid in sorted(affected - already)]
    if rows:
        session.execute(PaperTag.__table__.insert(), rows)
    if source_ids:
        session.execute(delete(Tag).where(T.id.in_(source_ids)))
        change_feed.record(session, "tag", source_ids)
    mark_changed(session, affected)
    return Changes(modified=frozenset(affected), tags=True)


def delete_tag(session: Session, name: str) -> Changes:
    tag_id = tag_ids(session, [name], create=False)[clean_tag(name).casefold()]
    affected = papers_with_tag(session, tag_id)
    session.execute(delete(Tag).where(T.id == tag_id))
    change_feed.record(session, "tag", [tag_id])
    mark_changed(session, affected)
    return Changes(modified=frozenset(affected), tags=True)


def set_rating(
    session: Session, ids: Sequence[int], rating: int, base: dict[int, Any] | None = None
) -> Changes:
    check_rating(rating)
    return _set_column(session, ids, "rating", rating, base)


def set_status(
    session: Session,
    ids: Sequence[int],
    status: str | ReadingStatus,
    base: dict[int, Any] | None = None,
) -> Changes:
    return _set_column(session, ids, "status", ReadingStatus.parse(str(status)).value, base)


def _set_column(
    session: Session, ids: Sequence[int], name: str, value: Any, base: dict[int, Any] | None
) -> Changes:
    """One value for many papers. With ``base`` (each paper's value as the user saw it), a
    paper someone else gave another value meanwhile keeps theirs, and this one comes back as
    a conflict; the others are one compare-and-set each on their version."""
    if base is None:
        for batch in chunks(ids):
            session.execute(update(Paper).where(P.id.in_(batch)).values({name: value}))
        mark_changed(session, ids)
        return Changes(modified=frozenset(ids))
    found = {
        row.id: row
        for batch in chunks(ids)
        for row in session.execute(select(P.id, P[name], P.version).where(P.id.in_(batch)))
    }
    conflicts = []
    chosen = []
    for paper_id in ids:
        row = found.get(paper_id)
        if row is None:
            continue
        patch, clashes = merge_fields(
            "paper", paper_id, {name: value}, {name: base.get(paper_id)} if paper_id in base
            else {}, {name: row[1]},
        )  # fmt: skip
        conflicts.extend(clashes)
        if patch and row[1] != value:
            chosen.append((paper_id, row.version))
    if chosen:
        done = session.connection().execute(
            update(Paper.__table__)
            .where(P.id == bindparam("paper"), P.version == bindparam("seen"))
            .values({name: value, "version": P.version + 1, "updated_at": utcnow()}),
            [{"paper": paper_id, "seen": version} for paper_id, version in chosen],
        )
        if done.rowcount != len(chosen):
            raise VersionMoved(f"a paper moved while its {name} was being set")
        enqueue(session, [paper_id for paper_id, _ in chosen])
    changed = frozenset(paper_id for paper_id, _ in chosen)
    return Changes(modified=changed, conflicts=tuple(conflicts))


def _note_body(body: str) -> str:
    if not isinstance(body, str):
        raise InvalidValue("a note is text")
    if not body.strip():
        raise InvalidValue("a note cannot be empty (delete it instead)")
    return body


def add_note(session: Session, paper_id: int, body: str) -> Changes:
    note = Note(paper_id=paper_id, body=_note_body(body))
    session.add(note)
    session.flush()
    mark_changed(session, [paper_id])
    return Changes(modified=frozenset([paper_id]), notes=frozenset([paper_id]), created=note.id)


def note_body(session: Session, note_id: int) -> str:
    body = session.execute(select(N.body).where(N.id == note_id)).scalar()
    if body is None:
        raise NoteNotFound(f"no note with id {note_id}")
    return body


def note_paper(session: Session, note_id: int) -> int:
    paper_id = session.execute(select(N.paper_id).where(N.id == note_id)).scalar()
    if paper_id is None:
        raise NoteNotFound(f"no note with id {note_id}")
    return paper_id


def edit_note(session: Session, note_id: int, body: str, base: str | None = None) -> Changes:
    """Replace a note's text. With ``base`` (the text the writer started from), a note
    someone else changed meanwhile is not overwritten: the new text comes back as a
    conflict. One compare-and-set on the note's version, like a paper's."""
    row = session.execute(select(N.paper_id, N.body, N.version).where(N.id == note_id)).first()
    if row is None:
        raise NoteNotFound(f"no note with id {note_id}")
    body = _note_body(body)
    patch, conflicts = merge_fields(
        "note", note_id, {"body": body}, None if base is None else {"body": base},
        {"body": row.body}, paper_id=row.paper_id,
    )  # fmt: skip
    if not patch:
        return Changes(conflicts=tuple(conflicts))
    compare_and_set(session, NOTE, note_id, row.version,
                    {"body": body, "updated_at": utcnow()})  # fmt: skip
    mark_changed(session, [row.paper_id])
    return Changes(modified=frozenset([row.paper_id]), notes=frozenset([row.paper_id]))


def delete_note(session: Session, note_id: int) -> Changes:
    paper_id = note_paper(session, note_id)
    session.execute(delete(Note).where(N.id == note_id))
    mark_changed(session, [paper_id])
    return Changes(modified=frozenset([paper_id]), notes=frozenset([paper_id]))


def tag_counts(session: Session) -> list[tuple[str, int]]:
    live = select(P.id).where(P.deleted_at.is_(None))
    statement = (
        select(T.name, func.count(PT.paper_id))
        .select_from(Tag.__table__)
        .outerjoin(PaperTag.__table__, (PT.tag_id == T.id) & PT.paper_id.in_(live))
        .group_by(T.id, T.name, T.name_key)
        .order_by(T.name_key)
    )
    return [(row[0], row[1]) for row in session.execute(statement)]
