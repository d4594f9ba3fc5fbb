"""One client of the shared-library load test: a process of its own, as one person's computer.

``python -m tests.shared_load ADDRESS CACHE CLIENT CLIENTS EDITS SEED OUT`` opens the shared library
with its own cache folder and makes EDITS edits, each to one field of a random paper, starting
from what its copy shows (so it is sometimes out of date, as a person is) and waiting a moment
before saving, as a person types. Every edit gets a value no other edit uses, and the outcome
of each (applied, or a conflict with both values) is written to OUT as JSON, with the
client's final view of the library, for the test to account for. That view is taken once
all CLIENTS clients are done (each leaves a file beside OUT to say so).
"""

from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path

FIELDS = ("title", "venue", "publisher", "pages", "year")


def lost_edits(outcomes: list[dict], first: dict, final: dict) -> list[str]:
    """The edits that went in but are not in the library's history: field by field, those
    that went in must chain from the first value to the final one, each starting from the
    value the one before it left (an edit written over unseen breaks the chain); every tag
    added must be there. ``first`` and ``final`` map paper id -> field -> value (final also
    "tags")."""
    from collections import defaultdict

    from readinglist.services.merging import comparable

    lost = []
    applied = defaultdict(list)
    for o in outcomes:
        if not o["conflicts"]:
            applied[(o["paper"], o["field"])].append(o)
        if o["tag"] not in final[o["paper"]]["tags"]:
            lost.append(f"tag {o['tag']} of paper {o['paper']}")
    for (paper, field), edits in applied.items():
        value = first[paper][field]
        while edits:
            following = [
                e for e in edits if comparable(field, e["base"]) == comparable(field, value)
            ]
            if len(following) != 1:
                lost.extend(f"{field} {e['mine']!r} of paper {paper}" for e in edits)
                break
            value = following[0]["mine"]
            edits.remove(following[0])
        if comparable(field, final[paper][field]) != comparable(field, value):
            lost.append(f"{field} of paper {paper}: ends {final[paper][field]!r}, not {value!r}")
    return lost


def value_for(field: str, client: int, number: int) -> object:
    if field == "year":
        return 1000 + client * 250 + number  # unique across clients, inside the valid range
    return f"{field} {client}-{number}"


def main(
    address: str, cache: str, client: int, clients: int, edits: int, seed: int, out: str
) -> None:
    from readinglist.services.library import Library
    from tests.backends import library_state

    randomness = random.Random(seed)
    outcomes = []
    with Library.open_shared(address, cache=Path(cache)) as library:
        library.index_after_write = False  # indexed once at the end: the test is about edits
        papers = library.paper_ids()
        started = time.perf_counter()
        for number in range(edits):
            paper = randomness.choice(papers)
            field = randomness.choice(FIELDS)
            if randomness.random() < 0.2:
                library.pull()
            base = getattr(library.get(paper), field)
            mine = value_for(field, client, number)
            time.sleep(randomness.uniform(0, 0.01))
            tag = f"c{client}n{number}"
            changes = library.edit(paper, base={field: base}, **{field: mine})
            library.tag(paper, add=[tag])  # tags merge as sets: every one must be there
            outcomes.append(
                {
                    "client": client,
                    "number": number,
                    "paper": paper,
                    "field": field,
                    "base": base,
                    "mine": mine,
                    "tag": tag,
                    "conflicts": [c.to_json() for c in changes.conflicts],
                }
            )
        elapsed = time.perf_counter() - started
        retries = library.server.retries
        _wait_for_the_others(Path(out).parent, client, clients)
        library.pull()
        library.update_index()
        state = library_state(library)
    Path(out).write_text(
        json.dumps(
            {
                "outcomes": outcomes,
                "elapsed": elapsed,
                "retries": retries,
                "state": json.loads(json.dumps(state, default=str)),
            }
        ),
        encoding="utf-8",
    )


def _wait_for_the_others(folder: Path, client: int, clients: int) -> None:
    (folder / f"done-{client}").touch()
    deadline = time.monotonic() + 600
    while len(list(folder.glob("done-*"))) < clients:
        if time.monotonic() > deadline:
            raise SystemExit("the other clients never finished")
        time.sleep(0.05)


if __name__ == "__main__":
    address, cache, client, clients, edits, seed, out = sys.argv[1:]
    main(address, cache, int(client), int(clients), int(edits), int(seed), out)
