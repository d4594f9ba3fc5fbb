"""Bringing parsed entries into the library: duplicates merged, keys made unique, every entry
accounted for. Batched (one transaction per batch) so a large file shows progress, can be
cancelled between batches, and a crash keeps every batch already committed."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import insert, select, update
from sqlmodel import Session

from readinglist.domain.citekeys import make_unique, suggest_key
from readinglist.domain.drafts import NUMBER_FIELDS, TEXT_FIELDS, PaperDraft, Problem
from readinglist.domain.identifiers import normalize_arxiv_id, normalize_doi, normalize_title
from readinglist.domain.models import ImportRun, Note, Paper, PaperTag, utcnow
from readinglist.domain.names import author_sort_key
from readinglist.domain.values import InvalidValue, ReadingStatus, without_nul
from readinglist.services.duplicates import KnownPapers
from readinglist.services.editing import (
    change_tags,
    clean_tag,
    insert_authors,
    paper_tags,
    tag_ids,
)
from readinglist.storage import change_feed
from readinglist.storage.database import Database
from readinglist.storage.papers import P, chunks, enqueue, mark_changed

BATCH = 500
Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]


@dataclass(frozen=True)
class Duplicate:
    line: int | None
    paper_id: int
    reason: str  # "doi", "arxiv id" or "title"
    filled: tuple[str, ...] = ()  # empty fields of the existing paper filled from this entry


@dataclass
class ImportReport:
    source: str
    format: str = ""
    encoding: str = "utf-8"
    import_id: int | None = None
    added: list[int] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    cancelled: bool = False
    dry_run: bool = False
    # What merging duplicates changed in papers already there: for undo-import.
    merges: list[dict[str, Any]] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity != "error"]

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "format": self.format,
            "encoding": self.encoding,
            "added": len(self.added),
            "duplicates": len(self.duplicates),
            "errors": [p.to_json() for p in self.errors],
            "warnings": [p.to_json() for p in self.warnings],
            "merged": [
                {
                    "line": d.line,
                    "paper_id": d.paper_id,
                    "reason": d.reason,
                    "filled": list(d.filled),
                }
                for d in self.duplicates
            ],
            "cancelled": self.cancelled,
            "dry_run": self.dry_run,
            "import_id": None if self.dry_run else self.import_id,
        }


def row_of(draft: PaperDraft, source: str, problems: list[Problem]) -> dict[str, Any]:
    row: dict[str, Any] = {name: (getattr(draft, name) or "").strip() for name in TEXT_FIELDS}
    for name in NUMBER_FIELDS:
        value = getattr(draft, name)
        limits = {"year": (-3000, 3000), "month": (1, 12)}[name]
        if value is not None and not limits[0] <= value <= limits[1]:
            problems.append(
                Problem(
                    source, draft.line, f"{name} {value} is out of range; left empty", "warning"
                )
            )
            value = None
        row[name] = value
    row["doi"] = normalize_doi(row["doi"]) if row["doi"] else ""
    row["arxiv_id"] = normalize_arxiv_id(row["arxiv_id"]) if row["arxiv_id"] else ""
    row["entry_type"] = row["entry_type"].lower() or "misc"
    row["title_norm"] = normalize_title(row["title"])
    row["sort_author"] = author_sort_key(draft.authors)
    row["extra"] = dict(draft.extra)
    row["rating"] = draft.rating if 0 <= draft.rating <= 5 else 0
    try:
        row["status"] = ReadingStatus.parse(draft.status).value
    except InvalidValue:
        row["status"] = ReadingStatus.UNREAD.value
    return row


FILLABLE = (*TEXT_FIELDS, *NUMBER_FIELDS)


def _fill(target: dict[str, Any], row: dict[str, Any]) -> dict[str, Any]:
    """The values of ``row`` for fields that are empty in ``target``: fill, never overwrite."""
    filled = {
        name: row[name]
        for name in FILLABLE
        if row.get(name) not in (None, "") and target[name] in (None, "")
    }
    if "title" in filled:
        filled["title_norm"] = row["title_norm"]
    return filled


def _fill_where_empty(session: Session, paper_id: int, filled: dict[str, Any]) -> dict[str, Any]:
    """Write each filled field only where the stored paper still has it empty: someone else
    (another computer of a shared library) may have filled it since it was read, and theirs
    stays. What went in is returned (what undoing the import may take back)."""
    went_in: dict[str, Any] = {}
    for name, value in filled.items():
        if name == "title_norm":
            continue
        column = P[name]
        empty = column.is_(None) if name in NUMBER_FIELDS else column == ""
        values = {name: value}
        if name == "title":
            values["title_norm"] = filled["title_norm"]
        done = session.execute(update(Paper).where(P.id == paper_id, empty).values(**values))
        if done.rowcount:
            went_in.update(values)
    return went_in


def _with_alias(extra: dict[str, Any], key: str, alias: str) -> dict[str, Any] | None:
    """BibLaTeX's 'ids' field lists other keys of the same paper: a merged duplicate's own key
    goes there, so that documents citing it still find the paper on export."""
    if not alias or alias == key:
        return None
    aliases = [a.strip() for a in str(extra.get("ids", "")).split(",") if a.strip()]
    if alias in aliases:
        return None
    return {**extra, "ids": ", ".join([*aliases, alias])}


def _merge_stored(
    session: Session, paper_id: int, row: dict[str, Any], alias: str, tags: list[str]
) -> dict[str, Any]:
    """Fill the stored paper's empty fields and add its new tags and alias key; returns what
    changed, so that undoing the import can take exactly that back."""
    current = session.execute(select(Paper.__table__).where(P.id == paper_id)).mappings().one()
    filled = _fill_where_empty(session, paper_id, _fill(current, row))
    extra = None
    for _attempt in range(5):  # the alias goes in unless the paper moves on five times
        extra = _with_alias(current["extra"], current["key"], alias)
        if extra is None:
            break
        done = session.execute(
            update(Paper)
            .where(P.id == paper_id, P.version == current["version"])
            .values(extra=extra)
        )
        if done.rowcount:
            break
        current = session.execute(select(Paper.__table__).where(P.id == paper_id)).mappings().one()
        extra = None
    present = {t.casefold() for t in paper_tags(session, paper_id)}
    new_tags = [t for t in dict.fromkeys(tags) if t.casefold() not in present]
    if new_tags:
        change_tags(session, [paper_id], new_tags, [])
    filled.pop("title_norm", None)
    return {
        "paper": paper_id,
        "fields": filled,
        "tags": new_tags,
        "alias": alias if extra is not None else "",
    }


def import_drafts(
    database: Database,
    drafts: Sequence[PaperDraft],
    report: ImportReport,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    dry_run: bool = False,
) -> ImportReport:
    """Import ``drafts`` in batches of BATCH, one transaction each; a file of up to BATCH
    entries (and so a single added paper) is one transaction in all. A dry run does all the
    same work and rolls every batch back."""
    total = len(drafts)
    known: KnownPapers | None = None
    transaction = database.trial if dry_run else database.write
    report.dry_run = dry_run
    for start in range(0, max(total, 1), BATCH):
        if cancelled is not None and cancelled():
            report.cancelled = True
            break
        with transaction() as session:
            if known is not None:
                known.refresh(session)
            else:
                known = KnownPapers(session)
                run = ImportRun(source=report.source[:1000], format=report.format)
                session.add(run)
                session.flush()
                report.import_id = run.id
            _import_batch(session, drafts[start : start + BATCH], known, report, dry_run)
            if start + BATCH >= total:
                _record_counts(session, report)
        if progress is not None:
            progress(min(start + BATCH, total), total)
    if report.cancelled and report.import_id is not None and not dry_run:
        with database.write() as session:
            _record_counts(session, report)
    return report


def _record_counts(session: Session, report: ImportReport) -> None:
    change_feed.record(session, "import", [report.import_id])
    session.execute(
        update(ImportRun)
        .where(ImportRun.id == report.import_id)
        .values(
            added=len(report.added),
            duplicates=len(report.duplicates),
            failed=len(report.errors),
            merges=report.merges,
        )
    )


@dataclass
class _Pending:
    row: dict[str, Any]
    draft: PaperDraft
    tags: list[str]


def _import_batch(
    session: Session,
    drafts: Sequence[PaperDraft],
    known: KnownPapers,
    report: ImportReport,
    dry_run: bool = False,
) -> None:
    pending: dict[int, _Pending] = {}
    touched: set[int] = set()
    first_duplicate = len(report.duplicates)
    now = utcnow()
    for draft in drafts:
        row = row_of(draft, report.source, report.problems)
        tags = _clean_tags(draft, report)
        first = draft.authors[0] if draft.authors else None
        # the key is read back by value, so it must be stored as given on every backend
        wanted = without_nul(draft.key.strip())
        duplicate, note = known.match(row, first, keyed=bool(wanted))
        if note:
            report.problems.append(
                Problem(
                    report.source, draft.line, f"{note}; imported as a separate paper", "warning"
                )
            )
        if duplicate is not None:
            paper_id, reason = duplicate.paper_id, duplicate.reason
            if paper_id < 0 and paper_id not in pending:  # a dry run's earlier batch
                filled = ()
            elif paper_id < 0:  # a duplicate of an entry earlier in this batch
                earlier = pending[paper_id]
                filled_values = _fill(earlier.row, row)
                earlier.row.update(filled_values)
                filled = tuple(k for k in filled_values if k != "title_norm")
                earlier.tags.extend(t for t in tags if t not in earlier.tags)
                aliased = _with_alias(earlier.row["extra"], earlier.row["key"], wanted)
                if aliased is not None:
                    earlier.row["extra"] = aliased
            else:
                merge = _merge_stored(session, paper_id, row, wanted, tags)
                filled = tuple(merge["fields"])
                if merge["fields"] or merge["tags"] or merge["alias"]:
                    touched.add(paper_id)
                    report.merges.append(merge)
            report.duplicates.append(Duplicate(draft.line, paper_id, reason, filled))
            continue
        key = make_unique(
            wanted or suggest_key(draft.authors, row["year"], row["title"]),
            known.key_taken,
        )
        if wanted and key != wanted:
            report.problems.append(
                Problem(
                    report.source,
                    draft.line,
                    f"citation key {wanted!r} is taken; stored as {key!r}",
                    "warning",
                )
            )
        # a dry run's import record was rolled back with its first batch: point at nothing
        import_id = None if dry_run else report.import_id
        row.update(key=key, added_at=now, updated_at=now, version=1, import_id=import_id)
        placeholder = known.placeholder()
        known.remember(placeholder, key, row, first)
        if wanted:
            known.keyed_here.add(placeholder)
        pending[placeholder] = _Pending(row, draft, tags)
    if pending:
        ids = _insert_papers(session, [p.row for p in pending.values()])
        if not dry_run:  # rolled-back ids are handed out again: never remember them
            known.resolved.update(zip(pending, ids, strict=True))
            known.keyed_here.update(known.resolved[p] for p in pending if p in known.keyed_here)
        _attach(session, ids, list(pending.values()))
        enqueue(session, ids)
        report.added.extend(ids)
        for i in range(first_duplicate, len(report.duplicates)):
            dup = report.duplicates[i]
            if dup.paper_id in known.resolved:
                report.duplicates[i] = replace(dup, paper_id=known.resolved[dup.paper_id])
    mark_changed(session, touched)


def _insert_papers(session: Session, rows: list[dict]) -> list[int]:
    """Insert ``rows`` in one executemany and read their ids back by citation key (unique).
    An INSERT ... RETURNING in parameter order runs one statement a row on SQLite: a third of
    the database's share of an import."""
    session.execute(insert(Paper.__table__), rows)
    keys = [row["key"] for row in rows]
    found: dict[str, int] = {}
    for part in chunks(keys, 500):
        rows_found = session.execute(select(P.key, P.id).where(P.key.in_(part)))
        found.update((key, paper_id) for key, paper_id in rows_found)
    return [found[key] for key in keys]


def _attach(session: Session, ids: list[int], entries: list[_Pending]) -> None:
    """Authors, tags and notes of freshly inserted papers."""
    insert_authors(session, {pid: e.draft.authors for pid, e in zip(ids, entries, strict=True)})
    # New papers have no tags yet and are queued for the index already: one lookup of every
    # tag of the batch, one insert of their links (not a change_tags per paper).
    tag_id = tag_ids(session, [tag for entry in entries for tag in entry.tags])
    links = []
    for pid, entry in zip(ids, entries, strict=True):
        for key in dict.fromkeys(tag.casefold() for tag in entry.tags):
            links.append({"paper_id": pid, "tag_id": tag_id[key]})
    if links:
        session.execute(insert(PaperTag.__table__), links)
    now = utcnow()
    notes = [
        {"paper_id": pid, "body": body, "created_at": now, "updated_at": now}
        for pid, entry in zip(ids, entries, strict=True)
        for body in entry.draft.notes
        if body.strip()
    ]
    if notes:
        session.execute(insert(Note.__table__), notes)


def _clean_tags(draft: PaperDraft, report: ImportReport) -> list[str]:
    cleaned: list[str] = []
    for tag in draft.tags:
        try:
            cleaned.append(clean_tag(tag))
        except InvalidValue as error:
            report.problems.append(Problem(report.source, draft.line, str(error), "warning"))
    return cleaned
