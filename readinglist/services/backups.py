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
import time
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from readinglist.domain.values import InvalidValue, LibraryError
from readinglist.storage.database import DATABASE_FILE
from readinglist.storage.sqlite import copy_database, file_problems, read_scalar, restore_database

log = logging.getLogger(__name__)

BACKUP_FOLDER = "backups"
POLICY_FILE = "policy.json"
# Made because a user asked, or to keep what was there before a restore: never pruned.
KEPT_REASONS = frozenset({"manual", "before-restore"})
_NAME = re.compile(r"^library-(\d{8}-\d{6})(?:-(\d+))?-([a-z0-9-]+)\.sqlite3$")
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
        return self.reason not in KEPT_REASONS

    def papers(self) -> int | None:
        """Papers outside the Trash in this backup; None when it cannot be read."""
        return read_scalar(self.path, "SELECT count(*) FROM paper WHERE deleted_at IS NULL")

    def problems(self) -> list[str]:
        """What an integrity check of the backup finds (empty: it can be restored)."""
        return file_problems(self.path)

    def to_json(self) -> dict:
        return {
            "name": self.name,
            "path": str(self.path),
            "created": self.created.isoformat(timespec="seconds"),
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
        target = self.folder / POLICY_FILE
        partial = target.with_name(target.name + ".part")
        partial.write_text(json.dumps(asdict(policy)), encoding="utf-8")
        os.replace(partial, target)
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
            created = datetime.strptime(match[1], _STAMP)
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
            return Backup(path, datetime.fromtimestamp(path.stat().st_mtime), "external", 0)
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
    def make(self, reason: str = "manual") -> Backup:
        """Copy the database now (a few hundred MB a second) and prune old automatic ones."""
        reason = re.sub(r"[^a-z0-9]+", "-", reason.lower()).strip("-") or "manual"
        self._ensure_folder()
        stamp = datetime.now().strftime(_STAMP)
        for attempt in range(1000):
            suffix = f"-{attempt}" if attempt else ""
            path = self.folder / f"library-{stamp}{suffix}-{reason}.sqlite3"
            try:
                copy_database(self.database, path)
            except FileExistsError:
                continue  # two backups in one second
            break
        else:  # pragma: no cover - a thousand backups in one second
            raise LibraryError("too many backups at once")
        backup = Backup(path, datetime.strptime(stamp, _STAMP), reason, path.stat().st_size)
        self.prune()
        return backup

    def prune(self) -> list[Backup]:
        """Delete the automatic backups beyond the policy's number, oldest first."""
        keep = self.policy().keep
        automatic = [b for b in self.all() if b.automatic]
        removed = automatic[keep:]
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
        written = max(_modified(self.database), _modified(self.wal))
        return written > newest

    def make_if_due(self) -> Backup | None:
        return self.make("automatic") if self.due() else None

    def make_if_changed(self, reason: str) -> Backup | None:
        """Before a bulk operation: a backup unless the newest one already holds this state."""
        return self.make(reason) if self.changed() else None

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


def set_aside(database: Path) -> Path:
    """Move a damaged database (and its WAL) out of the way under a dated name; never
    delete it: what it holds may still be recovered by hand."""
    stamp = datetime.now().strftime(_STAMP)
    aside = database.with_name(f"{database.stem}.damaged-{stamp}{database.suffix}")
    number = 1
    while aside.exists():
        number += 1
        aside = database.with_name(f"{database.stem}.damaged-{stamp}-{number}{database.suffix}")
    for extension in ("-wal", "-shm"):
        companion = database.with_name(database.name + extension)
        if companion.exists():
            os.replace(companion, aside.with_name(aside.name + extension))
    os.replace(database, aside)
    return aside


def restore(library_folder: Path, ref: str | Path) -> RestoreReport:
    """Put a backup in place of the library's database. The state before is backed up first
    (or, when it cannot be read, set aside as damaged), so a restore itself loses nothing.
    Works on a library that cannot be opened; the caller rebuilds the search index."""
    backups = Backups(library_folder)
    chosen = backups.find(ref)
    problems = chosen.problems()
    if problems:
        raise LibraryError(
            f"{chosen.path} fails its integrity check ({problems[0]}); choose another backup"
        )
    safety = aside = None
    if backups.database.exists():
        if file_problems(backups.database):
            aside = set_aside(backups.database)
        else:
            safety = backups.make("before-restore")
    if not backups.database.exists():
        from readinglist.storage.sqlite import create_private_file

        create_private_file(backups.database)
    restore_database(chosen.path, backups.database)
    return RestoreReport(chosen, safety, aside)
