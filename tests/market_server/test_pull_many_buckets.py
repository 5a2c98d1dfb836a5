"""Pull for a specialist with many buckets: byte for byte the pages of the pull before pull_heads (every bucket's
statements built per request), and inst: buckets with nothing new cost no statement."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import orjson
import pytest
from sqlalchemy import Engine, event, update

from market_server import accounts, pull, pull_heads, versions
from market_server.tables import ENTITY_TABLES
from sync.ids import uuid7
from sync.protocol import PullRequest
from tests.market_server.conftest import achievement, add_rows, add_user, institution, unique
from tests.market_server.pull_reference import reference_pull_body

_TIME = re.compile(rb'"server_time":"[^"]*"')


def _user(engine: Engine, name: str) -> accounts.User:
    with engine.connect() as conn:
        user = accounts.find_user(conn, name)
    assert user is not None
    return user


def _same_page(engine: Engine, user: accounts.User, cursors: dict[str, int], limit: int,
               view: str = "user") -> dict[str, Any]:
    """The page of both implementations, which must be the same bytes apart from server_time."""
    request = PullRequest(device_id="d", cursors=cursors, limit=limit, view=view)  # type: ignore[arg-type]
    got = pull.pull_body(engine, user, request)
    want = reference_pull_body(engine, user, request)
    assert _TIME.sub(b"", got) == _TIME.sub(b"", want)
    page: dict[str, Any] = orjson.loads(got)
    return page


def _walk(engine: Engine, user: accounts.User, cursors: dict[str, int], limit: int,
          view: str = "user") -> tuple[list[dict[str, Any]], dict[str, int], int]:
    """Every page until has_more is false: (the changes, the cursors after, the number of pages)."""
    changes: list[dict[str, Any]] = []
    pages = 0
    while True:
        page = _same_page(engine, user, cursors, limit, view)
        pages += 1
        changes.extend(page["changes"])
        cursors = page["cursors"]
        if not page["has_more"]:
            return changes, cursors, pages


def _institution_rows(inst_id: str, author: str) -> list[tuple[str, dict[str, Any]]]:
    """An institution's private and catalog rows, some with confidential fields."""
    visit_id, achievement_id = uuid7(), uuid7()
    return [
        ("contact", {"id": uuid7(), "institution_id": inst_id, "name": unique("联系人")}),
        ("visit", {"id": visit_id, "institution_id": inst_id, "status": "done", "specialists": [author]}),
        ("follow_up", {"id": uuid7(), "visit_id": visit_id, "action": unique("跟进")}),
        ("achievement", {"id": achievement_id, "title": unique("成果"), "institution_id": inst_id, "price": 80.0,
                         "indicators": "保密", "confidential_fields": ["price", "indicators"]}),
        ("ip_item", {"id": uuid7(), "achievement_id": achievement_id, "title": unique("专利")}),
        ("demand", {"id": uuid7(), "title": unique("需求"), "institution_id": inst_id, "budget": 30.0,
                    "confidential_fields": ["budget"]}),
    ]


def _bump(engine: Engine, entity: str, ids: list[str], **values: Any) -> None:
    """Rows changed as the server changes them: new versions from the counter."""
    table = ENTITY_TABLES[entity]
    with engine.begin() as conn:
        first = versions.allocate(conn, len(ids))
        for offset, row_id in enumerate(ids):
            conn.execute(update(table).where(table.c.id == row_id).values(version=first + offset, **values))


def test_many_buckets_get_the_same_pages_as_before(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pull_heads, "PROBE_CHUNK", 4)  # 13 inst: buckets: probes of 4, 4, 4 and 1
    insts = [institution() for _ in range(14)]
    me = add_user(engine)
    proposed = institution(status="pending", proposed_by=me)
    rejected = institution(status="rejected", proposed_by="someone")  # others' catalogs: tombstones (#13 item 8)
    rows = [r for inst in [*insts, proposed, rejected] for r in _institution_rows(inst[1]["id"], "seed")]
    add_rows(engine, *insts, proposed, rejected, *rows)
    mine = [("visit", {"id": uuid7(), "institution_id": insts[13][1]["id"], "status": "planned"}),
            achievement(None, price=1.0, confidential_fields=["price"])]
    add_rows(engine, *mine, user=me)  # own rows, outside any of my inst: buckets
    add_rows(engine, achievement(None), ("expert", {"id": uuid7(), "name": unique("专家")}))
    with engine.begin() as conn:
        accounts.assign(conn, me, [i[1]["id"] for i in insts[:12]])
    users = {"me": _user(engine, me), "other": _user(engine, add_user(engine)),
             "admin": _user(engine, add_user(engine, role="admin"))}
    walks = [(name, limit, "user") for name in users for limit in (3, 1000)] + [("admin", 7, "public")]
    after_first: dict[tuple[str, int, str], dict[str, int]] = {}
    for name, limit, view in walks:
        changes, cursors, pages = _walk(engine, users[name], {}, limit, view)
        after_first[name, limit, view] = cursors
        assert changes and (pages > 1) == (limit < len(changes))
    assert len(after_first["me", 3, "user"]) == 15  # 12 assigned, 1 proposed, own, catalog

    # Changes in a few of my institutions only (updates, a tombstone, new rows), the catalog, my own rows; then one
    # institution unassigned (its rows get new versions) and one assigned (a new bucket from 0).
    by_entity = {e: [r[1]["id"] for r in rows if r[0] == e] for e in ("achievement", "contact", "demand")}
    _bump(engine, "achievement", by_entity["achievement"][2:4] + by_entity["achievement"][13:], trl=7)
    _bump(engine, "contact", by_entity["contact"][5:6], deleted=True)
    add_rows(engine, *_institution_rows(insts[7][1]["id"], "seed"), achievement(None))
    _bump(engine, "achievement", [mine[1][1]["id"]], trl=2)
    for name, limit, view in walks:
        changes, _, _ = _walk(engine, users[name], after_first[name, limit, view], limit, view)
        assert changes
    with engine.begin() as conn:
        accounts.unassign(conn, me, [insts[0][1]["id"]])
        accounts.assign(conn, me, [insts[12][1]["id"]])
    for limit in (1, 4, 1000):
        changes, cursors, _ = _walk(engine, users["me"], after_first["me", 1000, "user"], limit)
        scopes = {c["scope"] for c in changes}
        assert insts[0][1]["id"] in scopes and insts[12][1]["id"] in scopes and insts[7][1]["id"] in scopes
        unchanged = [b for b, v in cursors.items() if after_first["me", 1000, "user"].get(b) == v]
        assert f"inst:{insts[9][1]['id']}" in unchanged  # nothing new there: skipped, cursor kept
    # Odd cursors: zero, ahead of every version, unknown buckets, missing buckets (negative ones are refused by
    # PullRequest since the 64-bit bounds of #13 item 10).
    odd = dict(after_first["me", 3, "user"])
    odd |= {f"inst:{insts[1][1]['id']}": 0, f"inst:{insts[2][1]['id']}": 10**12, "inst:nope": 3}
    odd.pop(f"inst:{insts[3][1]['id']}")
    for limit in (2, 1000):
        _walk(engine, users["me"], odd, limit)


@contextmanager
def _statements(engine: Engine) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(*args: Any) -> None:
        seen.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_institution_buckets_with_nothing_new_cost_no_statement(engine: Engine) -> None:
    insts = [institution() for _ in range(10)]
    rows = [r for inst in insts for r in _institution_rows(inst[1]["id"], "seed")]
    add_rows(engine, *insts, *rows)
    many, one = add_user(engine, assigned=[i[1]["id"] for i in insts]), add_user(engine, assigned=[insts[0][1]["id"]])
    users = [_user(engine, many), _user(engine, one)]
    cursors = [_walk(engine, user, {}, 1000)[1] for user in users]

    def statements_per_pull() -> list[int]:
        counts = []
        for user, before in zip(users, cursors, strict=True):
            with _statements(engine) as seen:
                pull.pull_body(engine, user, PullRequest(device_id="d", cursors=before))
            counts.append(len(seen))
        return counts

    # Nothing new: the same statements for 10 buckets as for 1 (the user's scope and the version counter, the
    # high-water marks answering: pull_marks).
    nothing = statements_per_pull()
    assert nothing[0] == nothing[1] == 3
    # One change in the institution both have: the first pull brings the marks up to the counter (once per
    # instance), then only that bucket is paged: the probe, the own and catalog heads, pass 1 and pass 2 of one table.
    _bump(engine, "contact", [rows[0][1]["id"]], name="新名字")
    changed = statements_per_pull()
    assert changed[0] == changed[1] + 1 == nothing[0] + 6


def test_hundreds_of_institutions(engine: Engine) -> None:
    insts = [institution() for _ in range(600)]  # beyond SQLite's 500 terms of a compound SELECT in one probe
    add_rows(engine, *insts)
    user = _user(engine, add_user(engine, assigned=[i[1]["id"] for i in insts]))
    cursors: dict[str, int] = {}
    while True:  # the history without the (slow, for 600 buckets) reference
        page = orjson.loads(pull.pull_body(engine, user, PullRequest(device_id="d", cursors=cursors, limit=5000)))
        cursors = page["cursors"]
        if not page["has_more"]:
            break
    assert len(cursors) == 602
    _bump(engine, "institution", [insts[450][1]["id"]], address="新地址")
    page = _same_page(engine, user, cursors, 1000)
    assert [c["id"] for c in page["changes"]] == [insts[450][1]["id"]]
    assert page["cursors"][f"inst:{insts[450][1]['id']}"] > cursors[f"inst:{insts[450][1]['id']}"]
