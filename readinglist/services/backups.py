"""Rolling backups of a library's database, and restoring one.

A backup is a whole, self-contained copy of the database made with SQLite's online backup API,
so it is consistent even while another program writes. Backups sit in the library's
``backups`` folder, named by time and by why they were made; the automatic ones are pruned to
a bounded number, those a user asked for (and the safety copy taken before a restore) never
are. The search index is not backed up: it is rebuilt from the database.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import sqlite3
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from readinglist.domain.values import DamagedLibrary, InvalidValue, LibraryError
from readinglist.services.durable import replace_text
from readinglist.storage.database import DATABASE_FILE
from readinglist.storage.sqlite import (
    copy_database,
    create_private_file,
    file_problems,
    is_damage,
    read_scalar,
    restore_database,
)

log = logging.getLogger(__name__)

BACKUP_FOLDER = "backups"
POLICY_FILE = "policy.json"
# Made because a user asked, to keep what was there before a restore, or the schema before an
# upgrade: never pruned.
KEPT_REASONS = frozenset({"manual", "before-restore"})
KEPT_PREFIX = "before-upgrade"
PERIODIC = "automatic"
# Named by the time in UTC (the hour that repeats when clocks go back cannot reorder them);
# shown in local time.
_NAME = re.compile(r"^library-(\d{8}-\d{6})Z(?:-(\d+))?-([a-z0-9-]+)\.sqlite3$")
_STAMP = "%Y%m%d-%H%M%S"


class BackupNotFound(LibraryError):
    pass


@dataclass(frozen=True)
class BackupPolicy:
    """How many automatic backups to keep, and how often to make one when the library
    changed (besides those made before migrations and bulk operations)."""

    keep: int = 10
    every_hours: float = 24.0

    def __post_init__(self) -> None:
        if self.keep < 1:
            raise InvalidValue("keep at least one backup")
        if self.every_hours <= 0:
            raise InvalidValue("the interval between backups must be more than 0 hours")


@dataclass(frozen=True)
class Backup:
    path: Path
    created: datetime
    reason: str
    size: int

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def automatic(self) -> bool:
        return self.reason not in KEPT_REASONS and not self.reason.startswith(KEPT_PREFIX)

    @property
    def local_time(self) -> datetime:
        return self.created.astimezone()

    def papers(self) -> int | None:
        """Papers outside the Trash in this backup; None when it cannot be read."""
        return read_scalar(self.path, "SELECT count(*) FROM paper WHERE deleted_at IS NULL")

    def problems(self, quick: bool = False) -> list[str]:
        """What an integrity check of the backup finds (empty: it can be restored)."""
        return file_problems(self.path, quick)

    def to_json(self) -> dict:
        return {
            "name": self.name,
            "path": str(self.path),
            "created": self.local_time.isoformat(timespec="seconds"),
            "reason": self.reason,
            "size": self.size,
            "automatic": self.automatic,
        }


@dataclass(frozen=True)
class RestoreReport:
    restored: Backup
    safety_copy: Backup | None  # the state before the restore, when it could be read
    set_aside: Path | None  # the damaged database, kept under another name


class Backups:
    """The backups of the library in ``library_folder``."""

    def __init__(self, library_folder: Path) -> None:
        self.library_folder = library_folder
        self.folder = library_folder / BACKUP_FOLDER
        self.database = library_folder / DATABASE_FILE

    # --- the policy ------------------------------------------------------------------------
    def policy(self) -> BackupPolicy:
        try:
            data = json.loads((self.folder / POLICY_FILE).read_text(encoding="utf-8"))
            return BackupPolicy(int(data["keep"]), float(data["every_hours"]))
        except FileNotFoundError:
            return BackupPolicy()
        except (ValueError, KeyError, TypeError, LibraryError) as error:
            log.warning("ignoring %s (%s); using the default policy", POLICY_FILE, error)
            return BackupPolicy()

    def set_policy(self, keep: int | None = None, every_hours: float | None = None) -> BackupPolicy:
        current = self.policy()
        policy = BackupPolicy(
            current.keep if keep is None else keep,
            current.every_hours if every_hours is None else every_hours,
        )
        self._ensure_folder()
        replace_text(self.folder / POLICY_FILE, json.dumps(asdict(policy)))
        self.prune()
        return policy

    # --- listing -----------------------------------------------------------------------------
    def all(self) -> list[Backup]:
        """Every backup, newest first."""
        found = []
        for path in self.folder.glob("library-*.sqlite3") if self.folder.is_dir() else ():
            match = _NAME.match(path.name)
            if match is None:
                continue
            try:
                info = path.stat()
            except OSError:
                continue  # pruned by another program meanwhile
            created = datetime.strptime(match[1], _STAMP).replace(tzinfo=UTC)
            backup = Backup(path, created, match[3], info.st_size)
            # several in one second: the order they were written in
            found.append((created, info.st_mtime_ns, int(match[2] or 0), backup))
        found.sort(key=lambda item: item[:3], reverse=True)
        return [backup for *_, backup in found]

    def find(self, ref: str | Path) -> Backup:
        """A backup by its number in the list (1 is the newest), its name or its path."""
        text = str(ref).strip()
        backups = self.all()
        if text.isdigit() and 1 <= int(text) <= len(backups):
            return backups[int(text) - 1]
        for backup in backups:
            if text in (backup.name, str(backup.path)):
                return backup
        path = Path(text).expanduser()
        if path.is_file():  # a copy kept elsewhere
            created = datetime.fromtimestamp(path.stat().st_mtime, UTC)
            return Backup(path, created, "external", path.stat().st_size)
        raise BackupNotFound(
            f"no backup {text!r} in {self.folder}; 'readinglist backups' lists them"
        )

    def newest_good(self) -> Backup | None:
        """The newest backup that passes an integrity check."""
        for backup in self.all():
            if not backup.problems():
                return backup
            log.warning("backup %s fails its integrity check; skipping it", backup.path)
        return None

    # --- making and pruning ------------------------------------------------------------------
    def make(self, reason: str = "manual", verify: bool = False) -> Backup:
        """Copy the database now (a few hundred MB a second) and prune old automatic ones.
        ``verify`` runs an integrity check on the copy (not on the library, which stays free
        for writers): a copy that fails it is deleted and DamagedLibrary raised, because the
        library it came from is damaged."""
        reason = re.sub(r"[^a-z0-9]+", "-", reason.lower()).strip("-") or "manual"
        self._ensure_folder()
        started = time.time()
        moment = datetime.fromtimestamp(started, UTC)
        stamp = moment.strftime(_STAMP)
        for attempt in range(1000):
            suffix = f"-{attempt}" if attempt else ""
            path = self.folder / f"library-{stamp}Z{suffix}-{reason}.sqlite3"
            try:
                copy_database(self.database, path)
            except FileExistsError:
                continue  # two backups in one second
            break
        else:  # pragma: no cover - a thousand backups in one second
            raise LibraryError("too many backups at once")
        # The copy holds what was committed when it started: a commit that lands while it is
        # made is newer than the backup, so the next one is not skipped as unchanged.
        os.utime(path, (started, started))
        backup = Backup(path, moment.replace(microsecond=0), reason, path.stat().st_size)
        if verify:
            problems = backup.problems(quick=True)
            if problems:
                path.unlink(missing_ok=True)
                raise DamagedLibrary(
                    f"{self.database} is damaged ({problems[0]}); it was not backed up. "
                    "Run 'readinglist check' (or Library ▸ Check) to repair or restore it.",
                    self.database,
                    self.newest_good(),
                )
        self.prune()
        return backup

    def prune(self) -> list[Backup]:
        """Delete the automatic backups beyond the policy's number, oldest first."""
        keep = self.policy().keep
        automatic = [b for b in self.all() if b.automatic]
        removed = automatic[keep:]
        # a run of bulk operations never pushes out the last periodic backup
        periodic = next((b for b in automatic if b.reason == PERIODIC), None)
        removed = [b for b in removed if b is not periodic]
        for backup in removed:
            backup.path.unlink(missing_ok=True)
        return removed

    def due(self) -> bool:
        """An automatic backup is due: none in the policy's interval, and the database changed
        since the newest backup (SQLite writes the WAL first, so both files count)."""
        automatic = [b for b in self.all() if b.automatic]
        if automatic:
            age = time.time() - _modified(automatic[0].path)
            if age < self.policy().every_hours * 3600:
                return False
        return self.changed()

    def changed(self) -> bool:
        """The database was written since the newest backup (SQLite writes the WAL first, so
        both files count): a new backup would not be a copy of the last one."""
        if not self.database.exists():
            return False
        backups = self.all()
        newest = _modified(backups[0].path) if backups else 0.0
        return self._last_written() > newest

    def _last_written(self) -> float:
        return max(_modified(self.database), _modified(self.wal))

    def make_if_due(self) -> Backup | None:
        """The periodic backup, verified (see make)."""
        return self.make(PERIODIC, verify=True) if self.due() else None

    def make_if_changed(self, reason: str) -> Backup | None:
        """Before a bulk operation: a backup unless the newest one already holds this state."""
        return self.make(reason) if self.changed() else None

    def make_unless_made(self, reason: str) -> Backup | None:
        """A backup, unless one for the same reason already holds this state (opening a
        library that cannot be upgraded, again and again, makes one backup, not many)."""
        same = next((b for b in self.all() if b.reason == reason), None)
        if same is not None and self._last_written() <= _modified(same.path):
            return None
        return self.make(reason)

    @property
    def wal(self) -> Path:
        return self.database.with_name(self.database.name + "-wal")

    def _ensure_folder(self) -> None:
        self.folder.mkdir(mode=0o700, exist_ok=True)


def _modified(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def keep_aside(database: Path) -> Path:
    """Copy a damaged database (and its WAL) aside under a dated name, leaving the file itself
    in place for programs that have it open; never delete it: what it holds may still be
    recovered by hand."""
    stamp = datetime.now(UTC).strftime(_STAMP)
    aside = database.with_name(f"{database.stem}.damaged-{stamp}Z{database.suffix}")
    number = 1
    while aside.exists():
        number += 1
        aside = database.with_name(f"{database.stem}.damaged-{stamp}Z-{number}{database.suffix}")
    wal = database.with_name(database.name + "-wal")
    if wal.exists():
        shutil.copyfile(wal, aside.with_name(aside.name + "-wal"))
    shutil.copyfile(database, aside)
    os.chmod(aside, 0o600)
    return aside


def restore(library_folder: Path, ref: str | Path) -> RestoreReport:
    """Put a backup in place of the library's database, in place and under SQLite's write
    lock: a program that writes meanwhile waits, and its change lands either in the safety
    copy of the present (made first, once the lock is held) or in the restored library,
    never in neither. A damaged library is copied aside instead. The restored library is
    upgraded to this version's schema; the caller rebuilds the search index."""
    from readinglist.storage.database import Database

    backups = Backups(library_folder)
    chosen = backups.find(ref)
    problems = chosen.problems()
    if problems:
        raise LibraryError(
            f"{chosen.path} fails its integrity check ({problems[0]}); choose another backup"
        )
    database = backups.database
    aside: Path | None = None
    if database.exists() and file_problems(database):
        aside = keep_aside(database)
    saved: list[Backup] = []

    def safety_copy() -> None:  # called with the live database's write lock held
        if database.exists() and aside is None:
            saved.append(backups.make("before-restore"))

    if not database.exists():
        create_private_file(database)
    try:
        restore_database(chosen.path, database, safety_copy)
    except sqlite3.DatabaseError as error:
        if aside is None or not is_damage(error):
            raise
        _remove_database(database)  # unreadable even by SQLite: start from an empty file
        create_private_file(database)
        restore_database(chosen.path, database, safety_copy)
    Database.open(library_folder).close()  # an older backup is upgraded now, not later
    return RestoreReport(chosen, saved[0] if saved else None, aside)


def _remove_database(database: Path) -> None:
    for extension in ("-wal", "-shm", ""):
        database.with_name(database.name + extension).unlink(missing_ok=True)
