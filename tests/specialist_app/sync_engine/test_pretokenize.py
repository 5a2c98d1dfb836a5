"""Texts tokenized in a real second process give the very index the sync thread would have built."""

from __future__ import annotations

import itertools
import os
import signal
from pathlib import Path
from typing import Any

import pytest

from specialist_app.services import pull_apply
from specialist_app.services.search import search
from specialist_app.services.uow import UnitOfWork
from specialist_app.store import search_index, search_text
from specialist_app.store.db import Store, open_store
from specialist_app.sync_engine import pretokenize
from specialist_app.sync_engine.engine import SyncEngine
from specialist_app.sync_engine.errors import ServerError
from specialist_app.sync_engine.pretokenize import Pretokenizer
from sync.demo import achievements_only
from tests.transport_fake import FakeTransportBase


def _page(rows: list[dict[str, Any]], first_version: int, more: bool = False) -> dict[str, Any]:
    changes = [{"entity": "achievement", "id": r["id"], "version": first_version + i,
                "updated_at": "2026-03-01T08:00:00Z", "fields": r} for i, r in enumerate(rows)]
    return {"changes": changes, "cursors": {"catalog": first_version + len(rows) - 1}, "buckets": ["catalog"],
            "has_more": more, "server_time": "2026-03-01T08:00:00Z"}


def _rows(n: int, seed: int = 3) -> list[dict[str, Any]]:
    return list(itertools.islice(achievements_only(n, seed=seed), n))


def _fts_data(store: Store) -> list[tuple[Any, ...]]:
    """The FTS index's own pages (rows of its %_data table), byte for byte."""
    with UnitOfWork(store) as uow:
        return list(uow.conn.exec_driver_sql(f"SELECT id, block FROM {search_index.FTS}_data ORDER BY id"))


def test_the_worker_gives_the_tokens_of_the_sync_thread() -> None:
    page = _page(_rows(40), 1)
    tokenizer = Pretokenizer(min_texts=1)
    try:
        tokens = tokenizer.collect(tokenizer.submit(page))
    finally:
        tokenizer.close()
    texts = pretokenize.page_texts(page)
    assert tokens is not None and len(texts) == 40 and tokens.keys() == texts.keys()
    for row_id, (title, body, field) in texts.items():
        columns = [search_text.tokenize([t]) for t in (title, body, field)]
        assert tokens[row_id] == ((title, body, field), tuple(part for c in columns for part in (c.uni, c.bi)))


def test_a_small_page_starts_no_process() -> None:
    tokenizer = Pretokenizer(min_texts=41)
    assert tokenizer.submit(_page(_rows(40), 1)) is None
    assert tokenizer._pool is None


def test_pages_indexed_with_worker_tokens_equal_pages_indexed_alone(tmp_path: Path) -> None:
    rows = _rows(120)
    pages = [_page(rows[:60], 1), _page(rows[60:], 61)]
    # Rows owned by an institution the first page brings: their documents end with its name, added here.
    owner = {"entity": "institution", "id": "inst-1", "version": 200, "updated_at": "2026-03-01T08:00:00Z",
             "fields": {"name": "吉林大学", "org_type": "university", "region_code": "220102"}}
    pages[0]["changes"].insert(0, owner)
    for change in pages[0]["changes"][1:20] + pages[1]["changes"][:20]:
        change["fields"] = {**change["fields"], "institution_id": "inst-1"}
    alone, helped = open_store(tmp_path / "alone.sqlite3"), open_store(tmp_path / "helped.sqlite3")
    tokenizer = Pretokenizer(min_texts=1)
    try:
        for page in pages:
            known = tokenizer.collect(tokenizer.submit(page))
            assert known is not None
            if page is pages[1]:
                # A row whose values changed after the worker saw them (as a rebase over local edits does):
                # its texts no longer match, so it is tokenized where it is applied.
                first = page["changes"][0]
                first["fields"] = {**first["fields"], "summary": "钙钛矿叠层电池"}
            with UnitOfWork(alone) as uow:
                pull_apply.apply_page(uow.conn, page)
                uow.commit()
            with UnitOfWork(helped) as uow:
                pull_apply.apply_page(uow.conn, page, known=known)
                uow.commit()
        assert _fts_data(helped) == _fts_data(alone)
        with UnitOfWork(helped) as uow:
            assert search(uow, "钙钛矿叠层").total == 1 and search(uow, "吉林大学").total == 40
            # Re-indexing rebuilds the old tokens from the kept text: that must take the helped rows out cleanly.
            search_index.rebuild(uow.conn)
            assert search(uow, "钙钛矿叠层").total == 1
            uow.commit()
    finally:
        tokenizer.close()
        alone.close()
        helped.close()


def test_a_worker_that_dies_leaves_the_page_to_the_sync_thread() -> None:
    tokenizer = Pretokenizer(min_texts=1)
    try:
        first = tokenizer.submit(_page(_rows(30), 1))
        assert tokenizer.collect(first) is not None
        pool = tokenizer._pool
        assert pool is not None
        for pid in list(pool._processes):  # what a crash or the OS's out-of-memory killer would do
            os.kill(pid, signal.SIGKILL)
        pending = tokenizer.submit(_page(_rows(30, seed=4), 31))
        assert tokenizer.collect(pending) is None
        assert tokenizer.submit(_page(_rows(30, seed=5), 61)) is None  # no second try in this sync
    finally:
        tokenizer.close()


class _Pages(FakeTransportBase):
    def __init__(self, pages: dict[int, dict[str, Any]]) -> None:
        self.pages = pages

    def post_json(self, path: str, payload: dict[str, Any], *, auth: bool = True) -> Any:
        return self.pages[int(payload["cursors"].get("catalog", 0))]

    def get_json(self, path: str, *, params: dict[str, Any] | None = None, auth: bool = True) -> Any:
        raise ServerError("no catalog snapshot published", status=404, error_code="snapshot_unavailable")


def test_a_multi_page_pull_uses_the_worker_and_indexes_everything(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pretokenize, "MIN_TEXTS", 20)
    submitted: list[int] = []
    real_submit = Pretokenizer.submit

    def counting(self: Pretokenizer, page: dict[str, Any]) -> pretokenize.Pending | None:
        pending = real_submit(self, page)
        submitted.append(0 if pending is None else len(pending.texts))
        return pending

    monkeypatch.setattr(Pretokenizer, "submit", counting)
    rows = _rows(75)
    server = _Pages({0: _page(rows[:25], 1, more=True), 25: _page(rows[25:50], 26, more=True),
                     50: _page(rows[50:], 51)})
    report = SyncEngine(store, server, pull_limit=25).run()  # type: ignore[arg-type]
    assert report.ok and report.pulled == 75
    assert submitted == [25, 25]  # the first page is tokenized by the sync thread itself
    with UnitOfWork(store) as uow:
        assert search_index.deferred_count(uow.conn) == 0
        for row in (rows[0], rows[30], rows[74]):
            assert search(uow, str(row["summary"])[10:16]).total >= 1
