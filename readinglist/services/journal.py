"""Changes made to a shared library while its server was out of reach, kept on disk until
they are sent.

Each is a call of the library service (its name and arguments, with what the user saw before
it, so that sending it later is the same compare-and-set as sending it at once) appended to
``journal.jsonl`` beside this computer's copy and synced to disk before the window shows it.
An entry leaves the file only once the server has taken it, or come back with a conflict, which
then waits in the conflicts file; one the server refuses outright (its paper deleted meanwhile)
moves to ``journal-refused.jsonl`` with the reason, never dropped.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from readinglist.domain.values import AuthorName, ReadingStatus
from readinglist.search.lock import file_lock
from readinglist.services.durable import append_line, replace_text

FILE = "journal.jsonl"
REFUSED = "journal-refused.jsonl"


@dataclass(frozen=True)
class Entry:
    id: int
    method: str
    args: list[Any]
    kwargs: dict[str, Any]
    at: str
    touched: list[int]  # papers the change touched in this computer's copy
    made: int | None = None  # the note an add_note made in the copy (an id of the copy's)


def encode(value: Any) -> Any:
    """A call's argument as JSON can hold it, and ``decode`` gives it back."""
    if isinstance(value, AuthorName):
        return {"__author__": value.to_json()}
    if isinstance(value, ReadingStatus):
        return value.value
    if isinstance(value, dict):
        if value and all(isinstance(k, int) for k in value):
            return {"__ids__": [[k, encode(v)] for k, v in value.items()]}
        return {str(k): encode(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [encode(v) for v in value]
    return value


def decode(value: Any) -> Any:
    if isinstance(value, dict):
        if "__author__" in value:
            return AuthorName(**value["__author__"])
        if "__ids__" in value:
            return {int(k): decode(v) for k, v in value["__ids__"]}
        return {k: decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode(v) for v in value]
    return value


class Journal:
    def __init__(self, folder: Path) -> None:
        self.path = folder / FILE
        self.refused_path = folder / REFUSED

    def entries(self) -> list[Entry]:
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return []
        found = []
        for line in lines:
            if line.strip():
                data = json.loads(line)
                found.append(
                    Entry(data["id"], data["method"], decode(data["args"]),
                          decode(data["kwargs"]), data["at"], data.get("touched", []),
                          data.get("made"))
                )  # fmt: skip
        return found

    def __len__(self) -> int:
        return len(self.entries())

    def _locked(self):
        return file_lock(self.path.with_name(self.path.name + ".lock"), "the journal")

    def append(
        self, method: str, args: tuple[Any, ...], kwargs: dict[str, Any], touched: list[int]
    ) -> Entry:
        with self._locked():
            return self._append(method, args, kwargs, touched)

    def _append(
        self, method: str, args: tuple[Any, ...], kwargs: dict[str, Any], touched: list[int]
    ) -> Entry:
        number = max((e.id for e in self.entries()), default=0) + 1
        entry = Entry(number, method, list(args), kwargs, datetime.now(UTC).isoformat(), touched)
        append_line(self.path, json.dumps(self._json(entry), ensure_ascii=False))
        return entry

    def made_note(self, note_id: int) -> Entry | None:
        """The journalled add_note that made note ``note_id`` in the copy, if one did."""
        return next(
            (e for e in self.entries() if e.method == "add_note" and e.made == note_id), None
        )

    def update(self, entry: Entry, **changed: Any) -> None:
        from dataclasses import replace

        with self._locked():
            entries = self.entries()
            self._rewrite([replace(e, **changed) if e.id == entry.id else e for e in entries])

    def remove(self, entry: Entry) -> None:
        with self._locked():
            self._rewrite([e for e in self.entries() if e.id != entry.id])

    def refuse(self, entry: Entry, reason: str) -> None:
        with self._locked():
            refused = {**self._json(entry), "refused": reason}
            append_line(self.refused_path, json.dumps(refused, ensure_ascii=False))
            self._rewrite([e for e in self.entries() if e.id != entry.id])

    def _json(self, entry: Entry) -> dict[str, Any]:
        return {
            "id": entry.id,
            "method": entry.method,
            "args": encode(entry.args),
            "kwargs": encode(entry.kwargs),
            "at": entry.at,
            "touched": entry.touched,
            "made": entry.made,
        }

    def _rewrite(self, entries: list[Entry]) -> None:
        lines = [json.dumps(self._json(entry), ensure_ascii=False) + "\n" for entry in entries]
        replace_text(self.path, "".join(lines))
