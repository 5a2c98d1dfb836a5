"""The client's write floor for a first pull: rows and their search index written with every token precomputed.

    .venv/bin/python bench/index_floor_bench.py [--rows 100000] [--page 2000] [--detail full,column,none]

No server, no JSON, no tokenizing inside the timing: N demo achievements are generated and tokenized first, then
written page by page the way a pull writes them (row upsert, DOC, TEXT and FTS inserts, one transaction per page)
into a fresh store. What this prints is the least time any first pull with this store layout can take on this
machine; `--detail` also measures leaner FTS5 layouts (no positions, or no columns) for comparison.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from specialist_app.store import search_docs, search_index  # noqa: E402
from specialist_app.store.chunks import marks  # noqa: E402
from specialist_app.store.db import open_store  # noqa: E402
from specialist_app.store.rows import dump_json, field_names, json_fields  # noqa: E402
from sync.demo import achievements_only  # noqa: E402


def _prepared(n: int) -> tuple[list[tuple[Any, ...]], list[search_docs.Doc], list[tuple[str, ...]]]:
    rows = list(itertools.islice(achievements_only(n, seed=2026), n))
    names, as_json = field_names("achievement"), json_fields("achievement")
    params = [
        (r["id"], *[dump_json(r.get(f)) if f in as_json else r.get(f) for f in names],
         i + 1, None, "2026-01-01T00:00:00Z", 0, None)
        for i, r in enumerate(rows)
    ]
    docs = [search_docs.build_doc("achievement", {**r, "updated_at": "2026-01-01T00:00:00Z"}, {}) for r in rows]
    return params, docs, [search_docs.fts_values(d.text) for d in docs]


def measure(n: int, page: int, detail: str, prepared: Any) -> dict[str, float]:
    params, docs, values = prepared
    names = field_names("achievement")
    cols = ["id", *names, "server_version", "base_version", "updated_at", "deleted", "masked"]
    upsert = (f"INSERT INTO achievement ({', '.join(cols)}) VALUES ({marks(len(cols))})"
              f" ON CONFLICT(id) DO UPDATE SET " + ", ".join(f"{c} = excluded.{c}" for c in cols[1:]))
    fts_insert = (f"INSERT INTO {search_index.FTS} (rowid, {', '.join(search_index.FTS_COLUMNS)})"
                  f" VALUES ({marks(len(search_index.FTS_COLUMNS) + 1)})")
    spent = dict.fromkeys(("rows", "doc", "text", "fts", "commit"), 0.0)
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "store.sqlite3")
        with store.engine.begin() as conn:
            search_index.ensure_index(conn)
            if detail != "full":
                conn.exec_driver_sql(f"DROP TABLE {search_index.FTS}")
                conn.exec_driver_sql(
                    f"CREATE VIRTUAL TABLE {search_index.FTS} USING fts5({', '.join(search_index.FTS_COLUMNS)},"
                    f" content='', tokenize='ascii', detail={detail})")
        start = time.perf_counter()
        for first in range(0, n, page):
            ids = range(first, min(first + page, n))
            with store.engine.connect() as conn:
                steps = (
                    ("rows", upsert, [params[i] for i in ids]),
                    ("doc", f"INSERT INTO {search_index.DOC} (doc_id, entity, row_id, title, updated_at)"
                            " VALUES (?, ?, ?, ?, ?)",
                     [(i + 1, "achievement", docs[i].row_id, docs[i].title, docs[i].updated_at) for i in ids]),
                    ("text", f"INSERT INTO {search_index.TEXT} (doc_id, subtitle, title_text, body_text, field_text,"
                             " facets) VALUES (?, ?, ?, ?, ?, ?)",
                     [(i + 1, docs[i].subtitle, *docs[i].text) for i in ids]),
                    ("fts", fts_insert, [(i + 1, *values[i]) for i in ids]),
                )
                for name, sql, batch in steps:
                    began = time.perf_counter()
                    conn.exec_driver_sql(sql, batch)
                    spent[name] += time.perf_counter() - began
                began = time.perf_counter()
                conn.commit()
                spent["commit"] += time.perf_counter() - began
        spent["total"] = time.perf_counter() - start
        spent["size_mb"] = (Path(tmp) / "store.sqlite3").stat().st_size / 1e6
        store.close()
    return spent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--page", type=int, default=2000)
    parser.add_argument("--detail", default="full", help="FTS5 detail levels to measure: full,column,none")
    args = parser.parse_args()
    began = time.perf_counter()
    prepared = _prepared(args.rows)
    print(f"{args.rows} achievements generated and tokenized beforehand in {time.perf_counter() - began:.1f} s"
          f" (not counted below)")
    for detail in args.detail.split(","):
        spent = measure(args.rows, args.page, detail, prepared)
        parts = ", ".join(f"{k} {1e6 * spent[k] / args.rows:.0f}" for k in ("rows", "doc", "text", "fts", "commit"))
        total = spent["total"]
        print(f"FTS5 detail={detail}: {total:.1f} s for {args.rows} rows ({1e6 * total / args.rows:.0f} us/row:"
              f" {parts}); store {spent['size_mb']:.0f} MB")


if __name__ == "__main__":
    main()
