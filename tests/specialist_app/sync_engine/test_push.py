"""Push application on a real store: outbox order, freezing sent entries, and each kind of server answer."""

from __future__ import annotations

import threading
from typing import Any

from specialist_app.services import push_outbox, records
from specialist_app.services.conflicts import list_conflicts, list_rejections
from specialist_app.services.uow import UnitOfWork
from specialist_app.store.db import Store
from specialist_app.sync_engine import push
from tests.transport_fake import FakeTransportBase


def _institution(store: Store, name: str = "浙江大学") -> str:
    with UnitOfWork(store) as uow:
        new_id = records.create(uow, "institution", {"name": name, "org_type": "university"})
        uow.commit()
    return new_id


def _batch(store: Store) -> list[push_outbox.OutboxEntry]:
    with UnitOfWork(store) as uow:
        return push_outbox.next_batch(uow.conn)


def _apply(
    store: Store, entries: list[push_outbox.OutboxEntry], results: list[dict[str, Any]]
) -> push_outbox.PushTally:
    answer = {"results": results, "server_time": "2025-01-01T00:00:00Z"}
    with UnitOfWork(store) as uow:
        tally = push_outbox.apply_results(uow.conn, entries, answer)
        uow.commit()
    return tally


def _row(store: Store, entity: str, row_id: str) -> dict[str, Any]:
    with UnitOfWork(store) as uow:
        row = uow.conn.exec_driver_sql(f"SELECT * FROM {entity} WHERE id = ?", (row_id,)).mappings().one()
        return dict(row)


def test_batch_is_in_seq_order_and_request_has_the_wire_form(store: Store) -> None:
    a, b = _institution(store, "甲"), _institution(store, "乙")
    entries = _batch(store)
    assert [e.row_id for e in entries] == [a, b]
    assert entries[0].seq < entries[1].seq
    body = push.build_request("dev-1", entries)
    assert body["device_id"] == "dev-1"
    assert body["mutations"][0] == {
        "seq": entries[0].seq, "entity": "institution", "id": a, "op": "create",
        "fields": {"name": "甲", "org_type": "university"}, "base": {}, "base_version": None,
    }


def test_a_sent_entry_is_never_coalesced_again(store: Store) -> None:
    inst = _institution(store)
    entries = _batch(store)
    with UnitOfWork(store) as uow:
        push_outbox.mark_sent(uow.conn, entries, "2025-01-01T00:00:00Z")
        records.update(uow, "institution", inst, {"address": "杭州"})
        uow.commit()
    after = _batch(store)
    assert len(after) == 2
    assert after[0].fields == {"name": "浙江大学", "org_type": "university"}
    assert after[1].op == "update" and after[1].fields == {"address": "杭州"}


def test_applied_deletes_the_entry_and_records_the_server_version(store: Store) -> None:
    inst = _institution(store)
    entries = _batch(store)
    tally = _apply(store, entries, [{"seq": entries[0].seq, "entity": "institution", "id": inst,
                                     "outcome": "applied", "version": 41}])
    assert (tally.applied, tally.unanswered) == (1, 0)
    assert _batch(store) == []
    row = _row(store, "institution", inst)
    assert row["server_version"] == 41 and row["base_version"] is None


def test_unanswered_entries_stay_queued(store: Store) -> None:
    _institution(store, "甲")
    _institution(store, "乙")
    entries = _batch(store)
    tally = _apply(store, entries, [{"seq": entries[1].seq, "entity": "institution", "id": entries[1].row_id,
                                     "outcome": "merged", "version": 7}])
    assert tally.unanswered == 1
    assert [e.seq for e in _batch(store)] == [entries[0].seq]


def test_an_answer_with_no_known_entry_changes_nothing(store: Store) -> None:
    _institution(store)
    entries = _batch(store)
    tally = _apply(store, entries, [{"seq": entries[0].seq + 99, "entity": "institution", "id": entries[0].row_id,
                                     "outcome": "applied", "version": 7}])
    assert (tally.applied, tally.unanswered) == (0, 1)
    assert _batch(store) == entries


def test_conflict_is_kept_with_mine_still_visible(store: Store) -> None:
    inst = _institution(store)
    first = _batch(store)
    _apply(store, first, [{"seq": first[0].seq, "entity": "institution", "id": inst, "outcome": "applied",
                           "version": 5}])
    with UnitOfWork(store) as uow:
        records.update(uow, "institution", inst, {"address": "我的地址"})
        uow.commit()
    entries = _batch(store)
    assert entries[0].base_version == 5
    tally = _apply(store, entries, [{
        "seq": entries[0].seq, "entity": "institution", "id": inst, "outcome": "conflict", "version": None,
        "conflict_id": "c-1", "theirs_by": "bob", "theirs_at": "2025-01-02T00:00:00Z",
        "conflicts": [{"id": "c-1", "field": "address", "base": None, "theirs": "他的地址", "mine": "我的地址"}],
    }])
    assert tally.conflicts == 1
    assert _batch(store) == []
    assert _row(store, "institution", inst)["address"] == "我的地址"
    with UnitOfWork(store) as uow:
        (conflict,) = list_conflicts(uow.conn)
    assert conflict["id"] == "c-1" and conflict["theirs"] == "他的地址" and conflict["mine"] == "我的地址"
    assert conflict["theirs_by"] == "bob"


def test_rejection_is_stored_and_the_rest_of_the_queue_goes_on(store: Store) -> None:
    _institution(store, "甲")
    _institution(store, "乙")
    entries = _batch(store)
    tally = _apply(store, entries, [
        {"seq": entries[0].seq, "entity": "institution", "id": entries[0].row_id, "outcome": "rejected",
         "reason": "permission", "message": "不允许", "problems": []},
        {"seq": entries[1].seq, "entity": "institution", "id": entries[1].row_id, "outcome": "applied",
         "version": 3},
    ])
    assert (tally.rejected, tally.applied) == (1, 1)
    assert _batch(store) == []
    with UnitOfWork(store) as uow:
        (rejection,) = list_rejections(uow.conn)
    assert rejection["reason"] == "permission" and rejection["fields"]["name"] == "甲"


class _RefusingTransport(FakeTransportBase):
    """Answers a push like a server that cannot read one poisoned mutation: 422 for any batch containing it."""

    def __init__(self, poisoned_row: str) -> None:
        self.poisoned_row = poisoned_row
        self.requests = 0

    def post_json(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        from specialist_app.sync_engine.errors import ServerError

        self.requests += 1
        if path.endswith("/pull"):
            return {"changes": [], "cursors": {}, "buckets": [], "has_more": False, "server_time": "x"}
        mutations = body["mutations"]
        if any(m["id"] == self.poisoned_row for m in mutations):
            raise ServerError("mutation 3: unreadable", status=422)
        return {"results": [{"seq": m["seq"], "entity": m["entity"], "id": m["id"], "outcome": "applied",
                             "version": 10 + i} for i, m in enumerate(mutations)], "server_time": "x"}


def test_a_batch_the_server_cannot_read_rejects_only_the_bad_entry(store: Store) -> None:
    from specialist_app.sync_engine.engine import SyncEngine

    ids = [_institution(store, f"机构{i}") for i in range(7)]
    transport = _RefusingTransport(poisoned_row=ids[3])
    report = SyncEngine(store, transport, push_batch=200).run()  # type: ignore[arg-type]
    assert report.pushed == 6
    assert report.rejected == 1
    with UnitOfWork(store) as uow:
        assert push_outbox.count_pending(uow.conn) == 0
        (rejection,) = list_rejections(uow.conn)
    assert rejection["row_id"] == ids[3]
    assert rejection["reason"] == "unreadable"
    assert all(_row(store, "institution", i)["server_version"] is not None for i in ids if i != ids[3])


def _two_sent_updates(store: Store) -> tuple[str, list[push_outbox.OutboxEntry]]:
    """A synced institution (version 5) with two queued updates, the first frozen as sent before the second."""
    inst = _institution(store)
    first = _batch(store)
    _apply(store, first, [{"seq": first[0].seq, "entity": "institution", "id": inst, "outcome": "applied",
                           "version": 5}])
    with UnitOfWork(store) as uow:
        records.update(uow, "institution", inst, {"address": "杭州"})
        push_outbox.mark_sent(uow.conn, push_outbox.next_batch(uow.conn), "2025-01-01T00:00:00Z")
        records.update(uow, "institution", inst, {"address": "宁波"})
        uow.commit()
    entries = _batch(store)
    assert [e.fields for e in entries] == [{"address": "杭州"}, {"address": "宁波"}]
    return inst, entries


def test_a_row_keeps_its_base_version_while_a_later_change_of_it_is_not_settled(store: Store) -> None:
    inst, entries = _two_sent_updates(store)
    _apply(store, entries, [
        {"seq": entries[0].seq, "entity": "institution", "id": inst, "outcome": "applied", "version": 6},
        {"seq": entries[1].seq, "entity": "institution", "id": inst, "outcome": "rejected",
         "reason": "validation", "problems": []},
    ])
    row = _row(store, "institution", inst)
    assert (row["server_version"], row["base_version"]) == (6, 5)


def test_a_row_whose_changes_are_all_answered_has_no_base_version(store: Store) -> None:
    inst, entries = _two_sent_updates(store)
    tally = _apply(store, entries, [
        {"seq": e.seq, "entity": "institution", "id": inst, "outcome": "applied", "version": 6 + i}
        for i, e in enumerate(entries)
    ])
    assert (tally.applied, tally.unanswered) == (2, 0)
    row = _row(store, "institution", inst)
    assert (row["server_version"], row["base_version"]) == (7, None)


class _OrderCheckingTransport(FakeTransportBase):
    """Answers pushes like a server, checking that requests never overlap and only frozen entries are sent."""

    def __init__(self, store: Store, fail_on_request: int | None = None) -> None:
        self.store = store
        self.fail_on_request = fail_on_request
        self.sent: list[list[int]] = []
        self.arrived = [threading.Event() for _ in range(10)]
        self._active = 0
        self._lock = threading.Lock()

    def post_json(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        from specialist_app.sync_engine.errors import NetworkUnavailable

        if path.endswith("/pull"):
            return {"changes": [], "cursors": {}, "buckets": [], "has_more": False, "server_time": "x"}
        with self._lock:
            self._active += 1
            assert self._active == 1, "a push was sent before the previous answer arrived"
        try:
            seqs = [m["seq"] for m in body["mutations"]]
            with self.store.engine.connect() as conn:
                unfrozen = conn.exec_driver_sql(
                    f"SELECT count(*) FROM outbox WHERE sent_at IS NULL AND seq IN ({','.join('?' * len(seqs))})",
                    tuple(seqs)).scalar_one()
            assert unfrozen == 0, "an entry was sent before it was marked sent"
            self.sent.append(seqs)
            self.arrived[len(self.sent) - 1].set()
            if len(self.sent) == self.fail_on_request:
                raise NetworkUnavailable("ConnectionError")
            return {"results": [{"seq": m["seq"], "entity": m["entity"], "id": m["id"], "outcome": "applied",
                                 "version": 100 + m["seq"]} for m in body["mutations"]], "server_time": "x"}
        finally:
            with self._lock:
                self._active -= 1


def test_each_answer_is_applied_while_the_next_batch_is_in_flight(store: Store) -> None:
    from specialist_app.sync_engine.engine import SyncEngine

    ids = [_institution(store, f"机构{i}") for i in range(7)]
    transport = _OrderCheckingTransport(store)
    overlapped: list[bool] = []

    def progress(phase: str, done: int, total: int | None) -> None:
        if phase == "push" and done < len(ids):  # batch n's answer applied: batch n+1 must be on its way already
            overlapped.append(transport.arrived[len(overlapped) + 1].wait(timeout=10))

    report = SyncEngine(store, transport, push_batch=3).run(progress)  # type: ignore[arg-type]
    assert report.pushed == 7 and report.ok
    assert overlapped == [True, True]
    assert transport.sent == [sorted(s) for s in transport.sent] and len(transport.sent) == 3
    assert [s for batch in transport.sent for s in batch] == sorted(s for batch in transport.sent for s in batch)
    assert all(_row(store, "institution", i)["server_version"] is not None for i in ids)
    assert _batch(store) == []


def test_a_network_failure_mid_push_keeps_the_rest_queued_for_the_next_run(store: Store) -> None:
    from specialist_app.sync_engine.engine import SyncEngine

    ids = [_institution(store, f"机构{i}") for i in range(7)]
    failing = _OrderCheckingTransport(store, fail_on_request=2)
    report = SyncEngine(store, failing, push_batch=3).run()  # type: ignore[arg-type]
    assert report.outcome == "offline" and report.pushed == 3
    left = [e.row_id for e in _batch(store)]
    assert left == ids[3:]
    working = _OrderCheckingTransport(store)
    assert SyncEngine(store, working, push_batch=3).run().pushed == 4  # type: ignore[arg-type]
    assert _batch(store) == []
    assert working.sent[0] == failing.sent[1]


def test_a_batch_stays_under_the_servers_push_body_cap(store: Store) -> None:
    """Long notes: the batch stops before its texts pass the byte budget (the server answers 413 beyond its cap)."""
    note = "走访纪要" * 25  # 100 characters, 300 UTF-8 bytes
    for i in range(20):
        _institution(store, f"{i}{note}"[:100])
    with UnitOfWork(store) as uow:
        everything = push_outbox.next_batch(uow.conn)
        small = push_outbox.next_batch(uow.conn, max_bytes=3000)
        one = push_outbox.next_batch(uow.conn, max_bytes=1)
    assert len(everything) == 20
    assert 1 < len(small) < 20 and [e.seq for e in small] == [e.seq for e in everything[:len(small)]]
    assert len(one) == 1
