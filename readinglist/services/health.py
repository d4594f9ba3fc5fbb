"""A library's health: what ``readinglist check`` finds and what ``--repair`` fixes.

Four things can go wrong, and each has its own cure: a damaged database file (indexes rebuilt;
anything worse is a restore from a backup), rows left pointing to nothing by a program that
wrote with foreign keys off (notes among them are kept, on a paper of their own), citation keys
that differ only in case (BibTeX cannot tell them apart; later ones get a suffix), and a search
index out of step with the database (brought back in step).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import DatabaseError
from sqlmodel import Session

from readinglist.domain.citekeys import make_unique
from readinglist.domain.identifiers import normalize_title
from readinglist.domain.models import Note, Paper
from readinglist.services.backups import Backup, Backups
from readinglist.services.editing import change_tags
from readinglist.services.indexing import DriftReport, IndexSyncer
from readinglist.services.replica import CopyDrift
from readinglist.storage.database import Database
from readinglist.storage.papers import P, mark_changed
from readinglist.storage.sqlite import (
    Orphan,
    delete_orphans,
    integrity_problems,
    orphan_rows,
    rebuild_indexes,
)

RECOVERED_TITLE = "Notes whose paper was lost"
RECOVERED_TAG = "recovered"


@dataclass
class CheckReport:
    integrity: list[str] = field(default_factory=list)
    orphans: list[Orphan] = field(default_factory=list)
    duplicate_keys: list[list[str]] = field(default_factory=list)
    drift: DriftReport = field(default_factory=DriftReport)
    repairs: list[str] = field(default_factory=list)  # what --repair did, in words
    # When the database stays damaged: the newest backup that passes an integrity check.
    good_backup: Backup | None = None
    # A shared library: where this computer's copy differed from the server (None: a file).
    copy: CopyDrift | None = None

    @property
    def healthy(self) -> bool:
        copy_clean = self.copy is None or self.copy.clean
        problems = self.integrity or self.orphans or self.duplicate_keys
        return not problems and self.drift.clean and copy_clean

    @property
    def repaired(self) -> bool:
        return bool(self.repairs)

    def orphans_by_table(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for orphan in self.orphans:
            counts[orphan.table] += 1
        return dict(counts)

    def to_json(self) -> dict[str, Any]:
        return {
            "healthy": self.healthy,
            "database": {"ok": not self.integrity, "problems": self.integrity},
            "orphans": self.orphans_by_table(),
            "duplicate_keys": self.duplicate_keys,
            "index": {
                "ok": self.drift.clean,
                "missing": self.drift.missing,
                "stale": self.drift.stale,
                "extra": self.drift.extra,
                "queued": self.drift.queued,
            },
            "copy": None if self.copy is None else self.copy.to_json(),
            "repaired": self.repaired,
            "repairs": self.repairs,
            "good_backup": None if self.good_backup is None else self.good_backup.name,
        }


def check(
    database: Database, syncer: IndexSyncer, backups: Backups | None, repair: bool = False
) -> CheckReport:
    """``backups`` is None for a shared library: its server keeps the rows whole (foreign
    keys always on, no file to damage) and its backups; what is checked there is the
    citation keys and this computer's index of it."""
    report = _examine(database, syncer)
    if not repair or report.healthy:
        return _with_backup_hint(report, backups)
    repairs: list[str] = []
    if backups is not None and (report.integrity or report.orphans or report.duplicate_keys):
        made = backups.make("before-repair")
        repairs.append(f"backed up the library first to {made.name}")
    if report.integrity:  # first: the other repairs read through the indexes
        try:
            with database.write() as session:
                rebuild_indexes(session.connection())
            repairs.append("rebuilt the database's indexes")
        except DatabaseError as error:
            repairs.append(f"could not rebuild the database's indexes ({error.orig})")
            final = _examine(database, syncer)
            final.repairs = repairs
            return _with_backup_hint(final, backups)
        report = _examine(database, syncer)
    if report.duplicate_keys:
        with database.write() as session:
            renamed = _separate_keys(session, report.duplicate_keys)
        repairs.append(f"gave {renamed} papers citation keys of their own")
    if report.orphans:
        with database.write() as session:
            repairs.extend(_adopt_orphans(session, report.orphans))
    if not report.drift.clean or len(repairs) > 1:
        syncer.repair(syncer.drift())
        if not report.drift.clean:
            repairs.append("brought the search index in step with the database")
    final = _examine(database, syncer)
    final.repairs = repairs
    return _with_backup_hint(final, backups)


def _examine(database: Database, syncer: IndexSyncer) -> CheckReport:
    integrity: list[str] = []
    orphans: list[Orphan] = []
    if not database.shared:
        with database.engine.connect() as connection:
            integrity = integrity_problems(connection)
            orphans = orphan_rows(connection)
    with database.read() as session:
        duplicates = _duplicate_keys(session)
    return CheckReport(integrity, orphans, duplicates, syncer.drift())


def _with_backup_hint(report: CheckReport, backups: Backups | None) -> CheckReport:
    if report.integrity and backups is not None:
        report.good_backup = backups.newest_good()
    return report


def _duplicate_keys(session: Session) -> list[list[str]]:
    """Groups of citation keys equal but for case (the database tells them apart, BibTeX
    does not)."""
    groups: dict[str, list[str]] = defaultdict(list)
    for key in session.execute(select(P.key).order_by(P.id)).scalars():
        groups[key.casefold()].append(key)
    return [keys for keys in groups.values() if len(keys) > 1]


def _separate_keys(session: Session, groups: list[list[str]]) -> int:
    """Keep the oldest paper's key; later ones get the next free suffix."""
    taken = {key.casefold() for key in session.execute(select(P.key)).scalars()}
    renamed = []
    for keys in groups:
        ids = session.execute(select(P.id).where(P.key.in_(keys)).order_by(P.id)).scalars().all()
        for paper_id, key in zip(ids[1:], keys[1:], strict=False):
            new = make_unique(key, lambda k: k.casefold() in taken)
            taken.add(new.casefold())
            session.execute(update(Paper).where(P.id == paper_id).values(key=new))
            renamed.append(paper_id)
    mark_changed(session, renamed)
    return len(renamed)


def _adopt_orphans(session: Session, orphans: list[Orphan]) -> list[str]:
    """Notes whose paper is gone move to a paper of their own (a user wrote them: they are
    never deleted); imports that are gone are forgotten by their papers; links to nothing
    (authors, tags, list places of a missing paper) are deleted."""
    done = []
    notes = [o.row_id for o in orphans if o.table == "note"]
    if notes:
        home = _recovered_notes_paper(session)
        session.execute(update(Note).where(Note.id.in_(notes)).values(paper_id=home))
        mark_changed(session, [home])
        done.append(f"moved {len(notes)} notes whose paper was lost to paper {home}")
    lost_imports = [o.row_id for o in orphans if o.table == "paper"]
    if lost_imports:
        session.execute(update(Paper).where(P.id.in_(lost_imports)).values(import_id=None))
        done.append(f"{len(lost_imports)} papers forgot an import that is gone")
    links = [o for o in orphans if o.table not in ("note", "paper")]
    if links:
        delete_orphans(session.connection(), links)
        done.append(f"deleted {len(links)} links to papers, tags or lists that are gone")
    return done


def _recovered_notes_paper(session: Session) -> int:
    found = session.execute(
        select(P.id).where(P.title == RECOVERED_TITLE, P.deleted_at.is_(None))
    ).scalar()
    if found is not None:
        return found
    keys = {key.casefold() for key in session.execute(select(P.key)).scalars()}
    paper = Paper(
        key=make_unique("recovered-notes", lambda k: k.casefold() in keys),
        entry_type="misc",
        title=RECOVERED_TITLE,
        title_norm=normalize_title(RECOVERED_TITLE),
        abstract="Notes found pointing to a paper that is no longer in the library, "
        "kept here by 'readinglist check --repair'.",
    )
    session.add(paper)
    session.flush()
    change_tags(session, [paper.id], [RECOVERED_TAG], [])
    return paper.id
