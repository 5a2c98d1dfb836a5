"""The engine's pull: the next page is fetched while one is applied, and long texts are indexed after the pull."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

import pytest

from specialist_app.services import pull_apply
from specialist_app.services.search import search
from specialist_app.services.uow import UnitOfWork
from specialist_app.store import meta, search_index
from specialist_app.store.db import Store
from specialist_app.sync_engine import endpoints
from specialist_app.sync_engine.engine import SyncEngine
from specialist_app.sync_engine.errors import ServerError
from sync.ids import uuid7
from tests.transport_fake import FakeTransportBase

INST = uuid7()
BUCKET = f"inst:{INST}"


def _change(version: int, title: str, summary: str) -> dict[str, Any]:
    return {"entity": "achievement", "id": uuid7(), "version": version, "updated_at": "2025-03-01T08:00:00Z",
            "fields": {"title": title, "summary": summary}}


class _PagedServer(FakeTransportBase):
    """Answers pull requests by the catalog cursor they carry; records each request's cursors and thread."""

    def __init__(self, pages: Mapping[int, dict[str, Any]]) -> None:
        self.pages = pages
        self.requests: list[dict[str, int]] = []
        self.threads: set[str] = set()

    def post_json(self, path: str, payload: Mapping[str, Any], *, auth: bool = True) -> Any:
        assert path == endpoints.PULL, path
        self.requests.append(dict(payload["cursors"]))
        self.threads.add(threading.current_thread().name)
        return self.pages[int(payload["cursors"].get("catalog", 0))]

    def get_json(self, path: str, *, params: Mapping[str, Any] | None = None, auth: bool = True) -> Any:
        assert path == endpoints.CATALOG_SNAPSHOT, path  # a first sync asks for a snapshot: none is published
        raise ServerError("no catalog snapshot published", status=404, error_code="snapshot_unavailable")


def _page(changes: list[dict[str, Any]], cursors: dict[str, int], buckets: list[str], more: bool) -> dict[str, Any]:
    return {"changes": changes, "cursors": cursors, "buckets": buckets, "has_more": more,
            "server_time": "2025-03-01T08:00:00Z"}


def _found(store: Store, query: str) -> int:
    with UnitOfWork(store) as uow:
        return search(uow, query).total


def test_pages_are_fetched_ahead_and_long_texts_indexed_after_the_pull(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pull_apply, "DEFER_FROM_ROWS", 1)
    buckets = ["catalog"]
    server = _PagedServer({
        0: _page([_change(1, "光伏电池", "钙钛矿叠层"), _change(2, "储能电池", "固态电解质")], {"catalog": 2}, buckets,
                 True),
        2: _page([_change(3, "风电叶片", "碳纤维主梁")], {"catalog": 3}, buckets, True),
        3: _page([_change(4, "氢能", "质子交换膜")], {"catalog": 4}, buckets, False),
    })
    phases: list[tuple[str, int, int | None]] = []
    report = SyncEngine(store, server, pull_limit=2).run(lambda *p: phases.append(p))  # type: ignore[arg-type]
    assert report.ok and report.pulled == 4
    assert server.requests == [{}, {"catalog": 2}, {"catalog": 3}]
    assert any(name.startswith("sync-pull") for name in server.threads)
    assert ("index", 0, 4) in phases and phases[-1] == ("index", 4, 4)
    with UnitOfWork(store) as uow:
        assert meta.read_cursors(uow.conn) == {"catalog": 4}
        assert search_index.deferred_count(uow.conn) == 0
    assert _found(store, "钙钛矿") == 1 and _found(store, "质子交换膜") == 1 and _found(store, "电池") == 2


def test_a_page_that_removes_a_bucket_is_followed_by_a_fresh_request(store: Store) -> None:
    """Applying a page can delete cursors (an unassigned institution): the page fetched ahead is dropped."""
    with UnitOfWork(store) as uow:
        meta.save_cursors(uow.conn, {"catalog": 0, BUCKET: 7})
        uow.commit()
    server = _PagedServer({
        0: _page([_change(1, "光伏电池", "钙钛矿叠层")], {"catalog": 1, BUCKET: 7}, ["catalog"], True),
        1: _page([_change(2, "储能电池", "固态电解质")], {"catalog": 2}, ["catalog"], False),
    })
    report = SyncEngine(store, server, pull_limit=1).run()  # type: ignore[arg-type]
    assert report.ok and report.pulled == 2
    # The request sent ahead still named the removed bucket; the one whose answer was applied did not.
    assert server.requests == [{"catalog": 0, BUCKET: 7}, {"catalog": 1, BUCKET: 7}, {"catalog": 1}]
    with UnitOfWork(store) as uow:
        assert meta.read_cursors(uow.conn) == {"catalog": 2}
    assert _found(store, "固态电解质") == 1


def test_small_pages_index_long_texts_at_once(store: Store) -> None:
    server = _PagedServer({0: _page([_change(1, "光伏电池", "钙钛矿叠层")], {"catalog": 1}, ["catalog"], False)})
    phases: list[tuple[str, int, int | None]] = []
    assert SyncEngine(store, server).run(lambda *p: phases.append(p)).ok  # type: ignore[arg-type]
    assert not [p for p in phases if p[0] == "index"]
    assert _found(store, "钙钛矿") == 1


def test_a_sync_with_nothing_to_push_and_one_page_sends_one_request_from_the_calling_thread(store: Store) -> None:
    """An incremental sync: no push request for an empty outbox, no blob request, no prefetch thread started."""
    server = _PagedServer({0: _page([_change(1, "光伏电池", "钙钛矿叠层")], {"catalog": 1}, ["catalog"], False)})
    report = SyncEngine(store, server).run()  # type: ignore[arg-type]
    assert report.ok and report.pulled == 1
    assert server.requests == [{}]
    assert server.threads == {threading.current_thread().name}
    assert _found(store, "钙钛矿") == 1


def test_the_first_page_asks_for_a_total_so_the_pull_reports_done_of_total(store: Store) -> None:
    buckets = ["catalog"]
    first = _page([_change(1, "光伏电池", "钙钛矿叠层"), _change(2, "储能电池", "固态电解质")], {"catalog": 2}, buckets,
                  True)
    server = _PagedServer({0: {**first, "total": 3},
                           2: _page([_change(3, "风电叶片", "碳纤维主梁")], {"catalog": 3}, buckets, False)})
    asked: list[bool] = []
    post = server.post_json
    server.post_json = lambda path, payload, **kw: (  # type: ignore[method-assign]
        asked.append(bool(payload.get("count_total"))), post(path, payload, **kw))[1]
    phases: list[tuple[str, int, int | None]] = []
    assert SyncEngine(store, server, pull_limit=2).run(lambda *p: phases.append(p)).ok  # type: ignore[arg-type]
    assert asked == [True, False]  # counted once per run, not per page
    assert [p for p in phases if p[0] == "pull"] == [("pull", 0, None), ("pull", 2, 3), ("pull", 3, 3)]


def test_an_older_server_without_a_total_leaves_the_count_open(store: Store) -> None:
    server = _PagedServer({0: _page([_change(1, "光伏电池", "钙钛矿叠层")], {"catalog": 1}, ["catalog"], False)})
    phases: list[tuple[str, int, int | None]] = []
    assert SyncEngine(store, server).run(lambda *p: phases.append(p)).ok  # type: ignore[arg-type]
    assert [p for p in phases if p[0] == "pull"] == [("pull", 0, None), ("pull", 1, None)]
