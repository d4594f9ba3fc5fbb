"""The history of imports, and undoing one: the papers it added go to the trash."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlmodel import Session

from readinglist.domain.changes import Changes
from readinglist.domain.drafts import NUMBER_FIELDS
from readinglist.domain.models import ImportRun, Paper
from readinglist.domain.values import InvalidValue
from readinglist.services.editing import change_tags, move_to_trash, paper_tags
from readinglist.storage import change_feed
from readinglist.storage.papers import P, mark_changed

R = ImportRun.__table__.c


@dataclass(frozen=True)
class ImportSummary:
    id: int
    source: str
    format: str
    started_at: datetime
    added: int
    duplicates: int
    failed: int
    still_in_library: int

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "source": self.source,
            "format": self.format,
            "started_at": self.started_at.isoformat(),
            "added": self.added,
            "duplicates": self.duplicates,
            "failed": self.failed,
            "still_in_library": self.still_in_library,
        }


def import_history(session: Session) -> list[ImportSummary]:
    live = (
        select(P.import_id, func.count().label("n"))
        .where(P.deleted_at.is_(None), P.import_id.is_not(None))
        .group_by(P.import_id)
        .subquery()
    )
    rows = session.execute(
        select(ImportRun.__table__, func.coalesce(live.c.n, 0).label("live"))
        .outerjoin(live, live.c.import_id == R.id)
        .order_by(R.id.desc())
    ).mappings()
    return [
        ImportSummary(
            r["id"],
            r["source"],
            r["format"],
            r["started_at"],
            r["added"],
            r["duplicates"],
            r["failed"],
            r["live"],
        )
        for r in rows
    ]


def undo_import(session: Session, which: int | str) -> Changes:
    text = str(which).strip().lower()
    if text == "last":
        import_id = session.execute(select(func.max(R.id)).where(R.format != "manual")).scalar()
        if import_id is None:
            raise InvalidValue("there is no import to undo")
    elif text.isdigit():
        import_id = session.execute(select(R.id).where(R.id == int(text))).scalar()
        if import_id is None:
            raise InvalidValue(f"there is no import {text}; see 'readinglist imports'")
    else:
        raise InvalidValue(f"undo-import takes an import number or LAST, not {which!r}")
    ids = list(
        session.execute(
            select(P.id).where(P.import_id == import_id, P.deleted_at.is_(None))
        ).scalars()
    )
    merges = session.execute(select(R.merges).where(R.id == import_id)).scalar() or []
    change_feed.record(session, "import", [import_id])
    changes = move_to_trash(session, ids) if ids else Changes()
    reverted = _revert_merges(session, merges)
    return changes | Changes(modified=frozenset(reverted), tags=bool(reverted))


def _revert_merges(session: Session, merges: list[dict]) -> list[int]:
    """Take back what merging duplicates added to existing papers: filled fields (where they
    still hold the imported value), new tags, alias keys."""
    touched = []
    for merge in merges:
        paper_id = merge["paper"]
        row = session.execute(select(Paper.__table__).where(P.id == paper_id)).mappings().first()
        if row is None:
            continue
        emptied = False
        for name, value in merge.get("fields", {}).items():
            # only where it still holds what the import put there: a later edit stays
            values = {name: None if name in NUMBER_FIELDS else ""}
            if name == "title":
                values["title_norm"] = ""
            done = session.execute(
                update(Paper).where(P.id == paper_id, P[name] == value).values(**values)
            )
            emptied = emptied or bool(done.rowcount)
        alias = merge.get("alias")
        if alias:
            aliases = [a.strip() for a in str(row["extra"].get("ids", "")).split(",")]
            kept = [a for a in aliases if a and a != alias]
            extra = {k: v for k, v in row["extra"].items() if k != "ids"}
            extra = {**extra, "ids": ", ".join(kept)} if kept else extra
            done = session.execute(
                update(Paper)
                .where(P.id == paper_id, P.version == row["version"])
                .values(extra=extra)
            )
            emptied = emptied or bool(done.rowcount)
        tags = merge.get("tags", [])
        present = {t.casefold() for t in paper_tags(session, paper_id)}
        tags = [t for t in tags if t.casefold() in present]
        if tags:
            change_tags(session, [paper_id], [], tags)
        if emptied or tags:
            touched.append(paper_id)
    mark_changed(session, touched)
    return touched
