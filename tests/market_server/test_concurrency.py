"""Several server instances on one database: concurrent writers never make a pull skip a row."""

from __future__ import annotations

import threading

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from market_server.app import create_app
from market_server.settings import Settings
from sync.ids import uuid7
from tests.market_server.conftest import add_rows, add_user, institution, login

WRITERS = 3
PER_WRITER = 40


def test_pulls_during_concurrent_pushes_see_every_row(settings: Settings, engine: Engine) -> None:
    inst = institution()
    add_rows(engine, inst)
    inst_id = inst[1]["id"]
    apps = [create_app(settings) for _ in range(2)]  # two "instances" sharing the database
    clients = [TestClient(app) for app in apps]
    try:
        _pulls_see_every_pushed_row(engine, clients, inst_id)
    finally:
        for client in clients:
            client.close()
        for app in apps:
            app.state.engine.dispose()


def _pulls_see_every_pushed_row(engine: Engine, clients: list[TestClient], inst_id: str) -> None:
    name = add_user(engine, assigned=[inst_id])
    reader = login(clients[1], name)
    _, first = reader.pull_all()
    cursors = first["cursors"]
    created: list[str] = []
    errors: list[BaseException] = []

    def write(index: int) -> None:
        try:
            session = login(clients[index % 2], name)
            for _ in range(PER_WRITER):
                row_id = uuid7()
                [result] = session.push({"entity": "visit", "id": row_id, "op": "create",
                                         "fields": {"institution_id": inst_id, "status": "planned"}})
                assert result["outcome"] == "applied"
                created.append(row_id)
        except BaseException as err:  # reported below, from the main thread
            errors.append(err)

    threads = [threading.Thread(target=write, args=(i,)) for i in range(WRITERS)]
    for thread in threads:
        thread.start()
    seen: set[str] = set()
    while any(t.is_alive() for t in threads):
        changes, last = reader.pull_all(cursors, limit=5)
        seen.update(c["id"] for c in changes)
        cursors = last["cursors"]
    for thread in threads:
        thread.join()
    changes, _ = reader.pull_all(cursors, limit=5)
    seen.update(c["id"] for c in changes)
    assert not errors, errors
    assert len(created) == WRITERS * PER_WRITER
    assert set(created) <= seen
