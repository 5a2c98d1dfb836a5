"""What the contract's wire models (sync.protocol) would cost the client's pull, beside what applying a page costs.

.venv/bin/python bench/wire_models_bench.py [--rows 2000] [--pages 5]

Builds pull pages of N achievement changes (the demo generator's values, ids and versions made unique), then times
per page: decoding the JSON body (paid today), checking it as sync.protocol.PullResponse (from the decoded dict,
and from the bytes), and applying it to a fresh client store (services.sync_ops.apply_pull_page, the engine's
transaction). Also a push answer of 200 results checked as PushResponse. Prints medians in ms.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from specialist_app.services import sync_ops
from specialist_app.store.db import open_store
from sync.demo.generator import generate
from sync.ids import uuid7
from sync.protocol import PullResponse, PushResponse


def _page(rows: int, first_version: int) -> dict[str, Any]:
    samples = [record for name, record in generate("small") if name == "achievement"]
    changes = []
    for i in range(rows):
        fields = dict(samples[i % len(samples)])
        row_id = uuid7()
        fields["id"] = row_id
        fields["title"] = f"{fields.get('title') or ''} {first_version + i}"
        changes.append({"entity": "achievement", "id": row_id, "version": first_version + i, "deleted": False,
                        "fields": fields, "masked": [], "updated_at": "2026-01-01T00:00:00Z"})
    return {"changes": changes, "cursors": {"catalog": first_version + rows}, "buckets": ["catalog", "own"],
            "has_more": True, "server_time": "2026-01-01T00:00:00Z"}


def _ms(fn: Any) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=2000, help="changes per page (the app's PULL_LIMIT is 2000)")
    parser.add_argument("--pages", type=int, default=5)
    args = parser.parse_args()
    pages = [_page(args.rows, 1 + p * args.rows) for p in range(args.pages)]
    bodies = [json.dumps(p, ensure_ascii=False, separators=(",", ":")).encode("utf-8") for p in pages]
    decode = [_ms(lambda b=b: json.loads(b)) for b in bodies]
    from_dict = [_ms(lambda p=p: PullResponse.model_validate(p)) for p in pages]
    from_bytes = [_ms(lambda b=b: PullResponse.model_validate_json(b)) for b in bodies]
    dumped = [_ms(lambda p=p: PullResponse.model_validate(p).model_dump()) for p in pages]
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "store.sqlite3")
        try:
            apply = [_ms(lambda p=p: sync_ops.apply_pull_page(store, p)) for p in pages]
        finally:
            store.close()
    answer = {"results": [{"seq": i + 1, "entity": "visit", "id": uuid7(), "outcome": "applied", "version": i + 1}
                          for i in range(200)], "server_time": "2026-01-01T00:00:00Z"}
    push = [_ms(lambda: PushResponse.model_validate(answer)) for _ in range(args.pages)]
    med = statistics.median
    print(f"pull page of {args.rows} achievement changes ({len(bodies[0]) / 1e6:.1f} MB JSON), median of {args.pages}:")
    print(f"  json.loads (paid today)                        {med(decode):8.1f} ms")
    print(f"  PullResponse.model_validate(decoded dict)      {med(from_dict):8.1f} ms")
    print(f"  PullResponse.model_validate_json(bytes)        {med(from_bytes):8.1f} ms  (instead of json.loads)")
    print(f"  model_validate + model_dump back to dicts      {med(dumped):8.1f} ms")
    print(f"  applying the page (apply_pull_page, one transaction) {med(apply):8.1f} ms")
    print(f"  validate from dict / apply: {med(from_dict) / med(apply):.1%}")
    print(f"push answer of 200 results: PushResponse.model_validate {med(push):.2f} ms")


if __name__ == "__main__":
    main()
