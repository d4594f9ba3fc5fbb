"""Eight people editing one shared library hard at once: every edit is accounted for.

Eight client processes make 200 edits each (a field of one of 20 papers, and a tag), often from
an out-of-date view. Afterwards every edit either went in or came back as a conflict with both
values; the edits that went in form, field by field, one unbroken chain from the first value to
the last (each started from the value the one before it left: nothing was written over
unseen); every tag is there; and every client's copy is the same as the server's library.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from readinglist import open_library
from readinglist.services.library import Library
from readinglist.services.sharing import clone
from tests.backends import library_state
from tests.factories import draft
from tests.shared_load import FIELDS, lost_edits

ROOT = Path(__file__).parent.parent
CLIENTS, EDITS, PAPERS = 8, 200, 20


def test_eight_clients_editing_at_once_lose_nothing(postgres_address, tmp_path):
    with Library.open_shared(postgres_address, cache=tmp_path / "setup") as setup:
        for n in range(PAPERS):
            setup.add_paper(draft(f"Paper {n}", year=2000 + n, venue=f"Venue {n}"))
        first = {p.id: {f: getattr(p, f) for f in FIELDS} for p in setup.papers()}
    outs = [tmp_path / f"client-{i}.json" for i in range(CLIENTS)]
    clients = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.shared_load",
                postgres_address,
                str(tmp_path / f"cache-{i}"),
                str(i),
                str(CLIENTS),
                str(EDITS),
                str(1000 + i),
                str(outs[i]),
            ],
            cwd=ROOT,
        )
        for i in range(CLIENTS)
    ]
    for client in clients:
        assert client.wait(timeout=600) == 0
    results = [json.loads(out.read_text(encoding="utf-8")) for out in outs]
    outcomes = [o for r in results for o in r["outcomes"]]
    assert len(outcomes) == CLIENTS * EDITS

    # every edit went in or came back as a conflict holding both values
    conflicts = [o for o in outcomes if o["conflicts"]]
    for o in conflicts:
        (c,) = o["conflicts"]
        assert (c["id"], c["field"], c["mine"]) == (o["paper"], o["field"], o["mine"])
        assert c["theirs"] != c["mine"]
    assert 0 < len(conflicts) < len(outcomes)

    # the library as the server holds it, and as every client's copy shows it
    clone(postgres_address, tmp_path / "truth")
    with open_library(tmp_path / "truth") as truth:
        server = _plain(library_state(truth))
        final = {p.id: p for p in truth.papers()}
    for result in results:
        assert _plain(result["state"]) == server

    # field by field, the applied edits chain from the first value to the last; every tag is in
    values = {p: {f: getattr(v, f) for f in FIELDS} | {"tags": v.tags} for p, v in final.items()}
    assert lost_edits(outcomes, first, values) == []

    rate = len(outcomes) / max(r["elapsed"] for r in results)
    retries = sum(r["retries"] for r in results)
    print(f"\n{len(outcomes)} edits at {rate:.0f} edits/s; {len(conflicts)} conflicts reported, "
          f"{retries} compare-and-set retries, 0 lost")  # fmt: skip


def _plain(state: dict) -> dict:
    return json.loads(json.dumps(state, default=str))


def test_the_accounting_finds_an_edit_written_over_unseen():
    """The load test's check can fail: two edits that both started from the first title
    and both went in means one was written over without its author knowing."""
    first = {1: {"title": "A"}}
    outcomes = [
        {"paper": 1, "field": "title", "base": "A", "mine": "B", "tag": "t1", "conflicts": []},
        {"paper": 1, "field": "title", "base": "A", "mine": "C", "tag": "t2", "conflicts": []},
    ]
    final = {1: {"title": "C", "tags": ("t1", "t2")}}
    assert lost_edits(outcomes, first, final) != []
    outcomes[1]["base"] = "B"  # the second started from the first's value: nothing lost
    assert lost_edits(outcomes, first, final) == []
    final[1]["tags"] = ("t1",)
    assert lost_edits(outcomes, first, final) == ["tag t2 of paper 1"]
