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
    """Parents first: a chain is followed to its end and resolved from there back, in a loop
    rather than by recursion, so that a chain of thousands of entries cannot exhaust the stack."""
    by_key = {e.key.strip().lower(): i for i, e in enumerate(entries) if e.key.strip()}
    done: set[int] = set()

    def warn(index: int, message: str) -> None:
        line = (entries[index].start_line or 0) + 1
        problems.append(Problem(source, line, message, "warning"))

    for start in range(len(entries)):
        chain: list[int] = []  # entries waiting for their parent, child first
        on_chain: set[int] = set()
        index = start
        while index not in done:
            target_key = fields[index].get("crossref", "").strip().lower()
            if not target_key:
                done.add(index)
                break
            if target_key not in by_key:
                warn(
                    index,
                    f"{entries[index].key.strip()}: crossref to unknown entry "
                    f"{fields[index]['crossref']!r}",
                )
                done.add(index)
                break
            parent = by_key[target_key]
            if parent in on_chain or parent == index:
                cycle = [entries[i].key.strip() for i in [*chain, index, parent]]
                warn(
                    index,
                    "circular crossref dependency: " + " -> ".join(cycle) + "; nothing inherited",
                )
                done.update([*chain, index])
                break
            chain.append(index)
            on_chain.add(index)
            index = parent
        for child in reversed(chain):  # each parent is complete before its child inherits
            if child in done:  # part of a cycle
                continue
            parent = by_key[fields[child]["crossref"].strip().lower()]
            _inherit(entries[child], fields[child], fields[parent])
            done.add(child)


def _inherit(child: Entry, mine: dict[str, str], parents: dict[str, str]) -> None:
    contained = child.entry_type.lower() in _CONTAINED
    for name, value in parents.items():
        if name in _NOT_INHERITED:
            continue
        if contained and name in ("title", "subtitle", "titleaddon"):
            mine.setdefault("book" + name, value)
        elif name not in mine:
            mine[name] = value
