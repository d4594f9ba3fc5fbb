"""Runs inside Papis's own virtual environment, never ours (Papis is not a dependency of
readinglist): times Papis's search API on each query of a list in one process, as the suite
times ours. Prints one JSON line: the first query (which loads or builds Papis's cache), then
milliseconds and hits per query, and how many documents the library holds.

    PAPIS-VENV/bin/python papis_driver.py QUERIES.json
"""

import json
import sys
import time
from pathlib import Path

import papis.database


def main() -> None:
    queries = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    started = time.perf_counter()
    database = papis.database.get()
    documents = len(database.get_all_documents())
    opened = (time.perf_counter() - started) * 1000
    times, hits = [], []
    for query in queries:
        started = time.perf_counter()
        found = database.query(query)
        times.append((time.perf_counter() - started) * 1000)
        hits.append(len(found))
    print(json.dumps({"open_ms": opened, "documents": documents, "ms": times, "hits": hits}))


if __name__ == "__main__":
    main()
