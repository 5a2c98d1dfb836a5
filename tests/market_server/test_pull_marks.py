"""Nothing-new pulls answered from the high-water marks (pull_marks): after every kind of write, through the instance
that wrote and through another one on the same database, each pull is byte for byte the reference pull's, and the
marks answer most pulls that have nothing new."""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from typing import Any

import orjson
import pytest
from sqlalchemy import Engine, update

from market_server import accounts, pull, review, versions
from market_server.db import make_engine
from market_server.pull_marks import Marks, current
from market_server.settings import Settings
from market_server.tables import ENTITY_TABLES
from sync.ids import uuid7
from sync.protocol import PullRequest
from tests.market_server.conftest import achievement, add_rows, add_user, institution, unique
from tests.market_server.pull_reference import reference_pull_body

_TIME = re.compile(rb'"server_time":"[^"]*"')


def _user(engine: Engine, name: str) -> accounts.User:
    with engine.connect() as conn:
        found = accounts.find_user(conn, name)
    assert found is not None
    return found


def _rows(inst_id: str) -> list[tuple[str, dict[str, Any]]]:
    visit_id, achievement_id = uuid7(), uuid7()
    return [
        ("contact", {"id": uuid7(), "institution_id": inst_id, "name": unique("联系人")}),
        ("visit", {"id": visit_id, "institution_id": inst_id, "status": "done"}),
        ("follow_up", {"id": uuid7(), "visit_id": visit_id, "action": unique("跟进")}),
        ("achievement", {"id": achievement_id, "title": unique("成果"), "institution_id": inst_id, "price": 9.0,
                         "confidential_fields": ["price"]}),
        ("ip_item", {"id": uuid7(), "achievement_id": achievement_id, "title": unique("专利")}),
        ("demand", {"id": uuid7(), "title": unique("需求"), "institution_id": inst_id}),
    ]


class _World:
    """Institutions, specialists and an administrator, changed by random writes of every kind the server makes."""

    def __init__(self, engine: Engine, rng: random.Random) -> None:
        self.engine, self.rng = engine, rng
        self.insts = [institution()[1]["id"] for _ in range(6)]
        add_rows(engine, *[("institution", {**institution()[1], "id": i}) for i in self.insts])
        add_rows(engine, *[r for i in self.insts for r in _rows(i)])
        self.users = [add_user(engine, assigned=self.insts[k:k + 2]) for k in (0, 2)]
        self.users.append(add_user(engine))  # no institutions: own and catalog only
        self.users.append(add_user(engine, role="admin"))
        self.pending: list[str] = []

    def step(self) -> str:
        kind = self.rng.choice(["bump", "add", "delete", "catalog", "own", "propose", "decide", "assign", "unassign",
                                "match", "move"])
        getattr(self, "_" + kind)()
        return kind

    def _ids(self, entity: str, scope_id: str | None = None) -> list[str]:
        table = ENTITY_TABLES[entity]
        with self.engine.connect() as conn:
            query = table.select().with_only_columns(table.c.id).where(table.c.deleted.is_(False))
            if scope_id is not None:
                query = query.where(table.c.scope_id == scope_id)
            return list(conn.execute(query).scalars())

    def _write(self, entity: str, ids: list[str], **values: Any) -> None:
        table = ENTITY_TABLES[entity]
        with self.engine.begin() as conn:
            for row_id in ids:
                conn.execute(update(table).where(table.c.id == row_id)
                             .values(version=versions.allocate(conn), **values))

    def _bump(self) -> None:
        entity = self.rng.choice(["contact", "visit", "achievement", "demand", "ip_item"])
        ids = self._ids(entity, self.rng.choice(self.insts))
        self._write(entity, self.rng.sample(ids, min(len(ids), 2)), updated_by="x")

    def _add(self) -> None:
        add_rows(self.engine, *_rows(self.rng.choice(self.insts)), user=self.rng.choice(self.users[:3]))

    def _delete(self) -> None:
        ids = self._ids("contact")
        if ids:
            self._write("contact", [self.rng.choice(ids)], deleted=True)

    def _catalog(self) -> None:
        add_rows(self.engine, achievement(None), ("expert", {"id": uuid7(), "name": unique("专家")}))

    def _own(self) -> None:  # a row of a user's, then their institution taken away: it stays theirs (own)
        user = self.rng.choice(self.users[:2])
        inst = self.rng.choice(self.insts)
        with self.engine.begin() as conn:
            accounts.assign(conn, user, [inst])
        add_rows(self.engine, ("visit", {"id": uuid7(), "institution_id": inst, "status": "planned"}), user=user)
        with self.engine.begin() as conn:
            accounts.unassign(conn, user, [inst])

    def _propose(self) -> None:
        user = self.rng.choice(self.users[:3])
        inst = institution(status="pending", proposed_by=user)
        add_rows(self.engine, inst, achievement(inst[1]["id"]), user=user)
        self.pending.append(inst[1]["id"])

    def _decide(self) -> None:
        if self.pending:
            with self.engine.begin() as conn:
                review.set_status(conn, self.pending.pop(0), self.rng.choice(["active", "rejected"]))

    def _match(self) -> None:  # governed by two institutions: the demand's and the achievement's
        demand_inst, achievement_inst = self.rng.sample(self.insts, 2)
        demands, achievements = self._ids("demand", demand_inst), self._ids("achievement", achievement_inst)
        if demands and achievements:
            add_rows(self.engine, ("match_record", {
                "id": uuid7(), "demand_id": self.rng.choice(demands), "achievement_id": self.rng.choice(achievements),
                "source": "algorithm", "stage": "recommended"}), user=self.rng.choice(self.users[:3]))

    def _move(self) -> None:  # a match's achievement moved to another institution: its second scope follows
        ids = self._ids("match_record")
        if ids:
            self._write("match_record", [self.rng.choice(ids)], second_scope_id=self.rng.choice(self.insts))

    def _assign(self) -> None:
        with self.engine.begin() as conn:
            accounts.assign(conn, self.rng.choice(self.users[:3]), [self.rng.choice(self.insts)])

    def _unassign(self) -> None:
        with self.engine.begin() as conn:
            accounts.unassign(conn, self.rng.choice(self.users[:3]), [self.rng.choice(self.insts)])


def _counting_pages(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """[pulls that ran page statements]: pull._pages counted."""
    paged = [0]
    real: Callable[..., bool] = pull._pages

    def counted(*args: Any) -> bool:
        paged[0] += 1
        return real(*args)

    monkeypatch.setattr(pull, "_pages", counted)
    return paged


def _check(engine: Engine, user: accounts.User, cursors: dict[str, int], skip: list[str],
           history: list[str]) -> dict[str, Any]:
    request = PullRequest(device_id="d", cursors=cursors, limit=3, skip=skip)
    got = pull.pull_body(engine, user, request)
    if skip:  # the reference is older than `skip`: then the page statements of today's pull are the oracle
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(pull, "_nothing_new", lambda *args: False)
            want = pull.pull_body(engine, user, request)
    else:
        want = reference_pull_body(engine, user, request)
    assert _TIME.sub(b"", got) == _TIME.sub(b"", want), (history, user, cursors, got, want)
    page: dict[str, Any] = orjson.loads(got)
    return page


def test_every_pull_is_the_reference_pull_through_either_instance(
    engine: Engine, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = make_engine(settings)  # a second server instance on the same database: marks of its own
    try:
        rng = random.Random(17)
        world = _World(engine, rng)
        users = [_user(engine, name) for name in world.users]
        cursors: dict[str, dict[str, int]] = {u.username: {} for u in users}
        paged = _counting_pages(monkeypatch)
        nothing_new = answered_by_marks = 0
        history: list[str] = []
        for step in range(40):
            history.append(world.step())
            for user in users:
                instance = engine if (step + user.id) % 2 else other
                skip = ["catalog"] if rng.random() < 0.2 else []
                while True:  # to the end of what is new, every page checked
                    page = _check(instance, user, cursors[user.username], skip, history)
                    cursors[user.username] = page["cursors"]
                    if not page["has_more"]:
                        break
                page = _check(instance, user, cursors[user.username], skip, history)  # nothing new now
                assert page["changes"] == [] and page["cursors"] == cursors[user.username]
                before = paged[0]  # the same pull again, counted alone (the oracle above pages itself)
                pull.pull_body(instance, user, PullRequest(device_id="d", cursors=cursors[user.username], skip=skip))
                counted = orjson.loads(pull.pull_body(instance, user, PullRequest(
                    device_id="d", cursors=cursors[user.username], skip=skip, count_total=True)))
                assert counted["total"] == 0 and counted["changes"] == []
                if not user.is_admin:
                    nothing_new += 1
                    answered_by_marks += paged[0] == before
        assert answered_by_marks >= 0.95 * nothing_new, (answered_by_marks, nothing_new)
    finally:
        other.dispose()


def test_marks_hold_a_superset_of_each_bucket() -> None:
    marks = Marks(through=0)
    # (entity index in ENTITY_TABLES order, governing institution, creator, version)
    names = list(ENTITY_TABLES)
    marks.apply([(names.index("visit"), "a", "li", None, None, 5),
                 (names.index("achievement"), "b", "seed", None, None, 7),
                 (names.index("expert"), None, "admin", None, None, 9),
                 (names.index("achievement"), "a", "li", None, None, 8)])
    cursors = {"inst:a": 8, "own": 0, "catalog": 9}
    assert marks.nothing_new("li", {"a"}, cursors, {"inst:a": "a"}, "own", "catalog")
    assert not marks.nothing_new("li", {"a"}, {**cursors, "inst:a": 7}, {"inst:a": "a"}, "own", "catalog")
    # Without institution a, li's visit there is in own, and a's achievement (8) is in the catalog.
    assert not marks.nothing_new("li", set(), cursors, {}, "own", None)
    assert not marks.nothing_new("li", set(), {**cursors, "catalog": 8}, {}, None, "catalog")
    assert marks.nothing_new("li", set(), {**cursors, "own": 5}, {}, "own", "catalog")
    # Catalog marks newest last: the walk skips the user's own institutions only.
    assert list(marks.catalog) == ["b", "a", None]
    assert marks.nothing_new("wang", {"a", "b"}, {"catalog": 9}, {}, None, "catalog")
    assert not marks.nothing_new("wang", {"a", "b"}, {"catalog": 8}, {}, None, "catalog")
    # A pending proposal's rows are in no one's catalog; decided, they are (with new versions).
    marks.apply([(names.index("institution"), "p", "li", "pending", None, 10),
                 (names.index("demand"), "p", "li", None, None, 11)])
    assert marks.nothing_new("wang", set(), {"catalog": 9}, {}, None, "catalog")
    marks.apply([(names.index("institution"), "p", "admin", "active", None, 12)])
    assert not marks.nothing_new("wang", set(), {"catalog": 9}, {}, None, "catalog")
    # A match record governed by a and b (second): both institutions' marks hold it; not the catalog's.
    marks.apply([(names.index("match_record"), "a", "li", None, "b", 13)])
    assert not marks.nothing_new("wang", {"b"}, {"inst:b": 12}, {"inst:b": "b"}, None, None)
    assert not marks.nothing_new("wang", {"a"}, {"inst:a": 12}, {"inst:a": "a"}, None, None)
    assert marks.nothing_new("wang", set(), {"catalog": 12}, {}, None, "catalog")


def test_marks_ahead_of_the_counter_are_loaded_again(engine: Engine) -> None:
    """A counter below the marks (a database restored from a backup) drops them; one read before another thread
    brought them further does not."""
    add_rows(engine, achievement(None))
    marks = Marks()
    with engine.connect() as conn:
        current(conn, marks)
        counter = marks.through
        stale = dict(marks.catalog)
        marks.through = counter + 1000  # as if the database went back by 1,000 versions
        current(conn, marks)
    assert marks.through == counter and dict(marks.catalog) == stale
