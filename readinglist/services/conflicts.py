"""Edits that met someone else's edit of the same field, kept until their author chooses.

A conflict is the one thing of a user's that the library itself does not hold (the other
person's value stands there), so it is written to a file of this computer's beside the
library (or its copy of a shared one) the moment it happens: closing the window or losing
power before choosing loses nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from readinglist.domain.changes import Conflict
from readinglist.search.lock import file_lock
from readinglist.services.durable import replace_text

FILE = "conflicts.json"


@dataclass(frozen=True)
class OpenConflict:
    id: int
    conflict: Conflict
    at: datetime

    @property
    def paper_id(self) -> int | None:
        if self.conflict.kind == "paper":
            return self.conflict.entity_id
        return self.conflict.paper_id


class ConflictStore:
    def __init__(self, folder: Path) -> None:
        self.path = folder / FILE

    def all(self) -> list[OpenConflict]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return []
        return [
            OpenConflict(item["id"], Conflict.from_json(item["conflict"]),
                         datetime.fromisoformat(item["at"]))
            for item in data
        ]  # fmt: skip

    def _locked(self):
        return file_lock(self.path.with_name(self.path.name + ".lock"), "the conflicts")

    def add(self, conflicts: tuple[Conflict, ...]) -> list[OpenConflict]:
        with self._locked():
            return self._add(conflicts)

    def _add(self, conflicts: tuple[Conflict, ...]) -> list[OpenConflict]:
        known = self.all()
        number = max((c.id for c in known), default=0)
        now = datetime.now(UTC)
        added = []
        for conflict in conflicts:
            # a newer conflict on the same field replaces the older: one choice to make
            known = [
                c for c in known
                if (c.conflict.kind, c.conflict.entity_id, c.conflict.field)
                != (conflict.kind, conflict.entity_id, conflict.field)
            ]  # fmt: skip
            number += 1
            added.append(OpenConflict(number, conflict, now))
        self._write(known + added)
        return added

    def remove(self, conflict_id: int) -> OpenConflict | None:
        with self._locked():
            known = self.all()
            found = next((c for c in known if c.id == conflict_id), None)
            if found is not None:
                self._write([c for c in known if c.id != conflict_id])
            return found

    def _write(self, conflicts: list[OpenConflict]) -> None:
        data = [
            {"id": c.id, "conflict": c.conflict.to_json(), "at": c.at.isoformat()}
            for c in conflicts
        ]
        replace_text(self.path, json.dumps(data, ensure_ascii=False, indent=1))
