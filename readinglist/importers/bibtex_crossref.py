"""crossref: an entry inherits the fields it lacks from the entry it points to (BibLaTeX's
rules for a book's title becoming a chapter's booktitle), with cycles detected and reported."""

from __future__ import annotations

from bibtexparser.model import Entry

from readinglist.domain.drafts import Problem

_CONTAINED = {
    "inbook",
    "incollection",
    "inproceedings",
    "bookinbook",
    "suppbook",
    "suppcollection",
    "inreference",
}
_NOT_INHERITED = {"crossref", "ids", "key", "xref", "entryset", "label", "shorthand"}


def inherit_crossrefs(
    entries: list[Entry], fields: list[dict[str, str]], source: str, problems: list[Problem]
) -> None:
    by_key = {e.key.strip().lower(): i for i, e in enumerate(entries) if e.key.strip()}
    done: set[int] = set()

    def resolve(index: int, chain: list[int]) -> None:
        if index in done:
            return
        target_key = fields[index].get("crossref", "").strip().lower()
        if not target_key:
            done.add(index)
            return
        entry = entries[index]
        line = (entry.start_line or 0) + 1
        if target_key not in by_key:
            problems.append(
                Problem(
                    source,
                    line,
                    f"{entry.key.strip()}: crossref to unknown entry {fields[index]['crossref']!r}",
                    "warning",
                )
            )
            done.add(index)
            return
        parent = by_key[target_key]
        if parent in chain or parent == index:
            cycle = [entries[i].key.strip() for i in [*chain, index]]
            cycle.append(entries[parent].key.strip())
            problems.append(
                Problem(
                    source,
                    line,
                    "circular crossref dependency: " + " -> ".join(cycle) + "; nothing inherited",
                    "warning",
                )
            )
            done.update([*chain, index])
            return
        resolve(parent, [*chain, index])
        if index in done:  # part of a cycle found deeper down
            return
        _inherit(entries[index], fields[index], fields[parent])
        done.add(index)

    for index in range(len(entries)):
        resolve(index, [])


def _inherit(child: Entry, mine: dict[str, str], parents: dict[str, str]) -> None:
    contained = child.entry_type.lower() in _CONTAINED
    for name, value in parents.items():
        if name in _NOT_INHERITED:
            continue
        if contained and name in ("title", "subtitle", "titleaddon"):
            mine.setdefault("book" + name, value)
        elif name not in mine:
            mine[name] = value
