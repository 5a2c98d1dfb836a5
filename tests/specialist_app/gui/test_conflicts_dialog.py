"""A conflict made between two stores through a real market-server, resolved in the dialog and synced."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from specialist_app import credentials, paths
from specialist_app.credentials import Account, Credentials
from specialist_app.gui.context import AppContext
from specialist_app.gui.dialogs.conflicts import (
    COL_FIELD,
    COL_MINE,
    COL_RECORD,
    COL_THEIRS,
    COL_THEIRS_BY,
    ConflictsDialog,
)
from specialist_app.gui.pages.sync_page import SyncPage
from specialist_app.services import records
from specialist_app.services.conflicts import list_conflicts
from specialist_app.services.uow import UnitOfWork
from specialist_app.store import meta
from specialist_app.store.db import Store, open_store
from specialist_app.sync_engine.engine import SyncEngine
from specialist_app.sync_engine.report import SyncReport
from specialist_app.sync_engine.transport import Transport
from tests.e2e.conftest import Market


@pytest.fixture(scope="module")
def market(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Market]:
    server = Market(tmp_path_factory.mktemp("server"))
    for name, role in (("root", "admin"), ("cara", "specialist"), ("dave", "specialist")):
        server.add_user(name, role)
    yield server
    server.stop()


pytestmark = pytest.mark.usefixtures("keyring_file")


class Install:
    """One signed-in installation (data dir + store) synced in-process."""

    def __init__(self, base: Path, url: str, user: str) -> None:
        self.base = base
        self.store_file = paths.store_path(base, paths.profile_key(url, user))
        self.device = self._run(lambda uow: meta.device_id(uow.conn))
        self.account: Account = credentials.login(base, url, user, f"pw-{user}-123456", device_id=self.device).account

    def _run(self, fn: Callable[[UnitOfWork], object]) -> object:
        store = open_store(self.store_file)
        try:
            with UnitOfWork(store) as uow:
                result = fn(uow)
                uow.commit()
                return result
        finally:
            store.close()

    def sync(self) -> SyncReport:
        store = open_store(self.store_file)
        transport = Transport(self.account.server_url, auth=Credentials(self.account, self.device), max_attempts=1)
        try:
            return SyncEngine(store, transport).run()
        finally:
            transport.close()
            store.close()

    def create(self, entity: str, values: dict[str, object]) -> str:
        return str(self._run(lambda uow: records.create(uow, entity, values)))

    def update(self, entity: str, row_id: str, changes: dict[str, object]) -> None:
        self._run(lambda uow: records.update(uow, entity, row_id, changes))

    def get(self, entity: str, row_id: str) -> dict[str, object] | None:
        found = self._run(lambda uow: records.get(uow, entity, row_id))
        assert found is None or isinstance(found, dict)
        return found


def test_conflict_between_two_stores_is_resolved_in_the_dialog(
    qtbot: QtBot, market: Market, tmp_path: Path, data_dir: Path, make_ctx: Callable[[str], AppContext]
) -> None:
    root = Install(tmp_path / "root", market.url, "root")
    inst = root.create("institution", {"name": "南京大学", "org_type": "university"})
    assert root.sync().ok
    market.admin("assign", "cara", inst)
    market.admin("assign", "dave", inst)
    cara = Install(tmp_path / "cara", market.url, "cara")
    dave = Install(data_dir, market.url, "dave")  # the window's profile
    assert cara.sync().ok
    contact = cara.create("contact", {"institution_id": inst, "name": "周老师", "position": "处长"})
    assert cara.sync().ok and dave.sync().ok

    cara.update("contact", contact, {"notes": "仙林校区办公", "position": "副处长"})
    assert cara.sync().ok
    dave.update("contact", contact, {"notes": "鼓楼校区办公", "position": "处长（兼）"})
    report = dave.sync()
    assert report.conflicts == 1  # one refused change, with two conflicting fields

    ctx = make_ctx("en")
    page = SyncPage(ctx)
    qtbot.addWidget(page)
    page.refresh()
    qtbot.waitUntil(lambda: page.conflicts_table.rowCount() == 2)
    dialog = page.open_conflicts()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 2)
    rows = {dialog.table.item(r, COL_FIELD).text(): r for r in range(2)}
    assert set(rows) == {"Position", "Notes"}
    notes = rows["Notes"]
    assert dialog.table.item(notes, COL_THEIRS).text() == "仙林校区办公"
    assert dialog.table.item(notes, COL_MINE).text() == "鼓楼校区办公"
    assert "cara" in dialog.table.item(notes, COL_THEIRS_BY).text()

    dialog.set_choice(rows["Position"], "theirs")
    dialog.set_choice(notes, "merged", "周一至周三仙林，周四周五鼓楼")
    assert dialog.merged_edit(notes).isEnabled()
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        dialog.apply_button.click()
    qtbot.waitUntil(lambda: page.conflicts_table.rowCount() == 0)

    assert dave._run(lambda uow: list_conflicts(uow.conn)) == []
    assert dave.sync().ok
    assert cara.sync().ok
    for side in (cara, dave):
        record = side.get("contact", contact)
        assert record is not None
        assert record["position"] == "副处长"
        assert record["notes"] == "周一至周三仙林，周四周五鼓楼"


def test_a_merged_value_that_cannot_be_read_is_shown_and_nothing_changes(
    qtbot: QtBot, data_dir: Path, make_ctx: Callable[[str], AppContext]
) -> None:
    store = open_store(paths.store_path(data_dir, paths.current_profile(data_dir)))
    try:
        with UnitOfWork(store) as uow:
            inst = records.create(uow, "institution", {"name": "测试机构", "org_type": "university"})
            uow.conn.exec_driver_sql(
                "INSERT INTO conflict (id, entity, row_id, field, base, theirs, mine, theirs_by, theirs_at, created_at)"
                " VALUES ('c1', 'institution', ?, 'org_type', '\"university\"', '\"enterprise\"', '\"institute\"',"
                " 'cara', '2026-01-05T08:00:00Z', '2026-01-05T08:00:00Z')", (inst,))
            uow.commit()
    finally:
        store.close()
    ctx = make_ctx("en")
    dialog = ConflictsDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1)
    assert dialog.table.item(0, COL_THEIRS).text() == "Enterprise"  # code labels, not codes
    dialog.set_choice(0, "merged", "不存在的类型")
    dialog.apply_button.click()
    assert dialog.error_label.text().startswith("Organisation type")
    assert dialog.isVisible()
    still_open: list[list[dict[str, object]]] = []
    ctx.runner.submit(lambda st: _open_conflicts(st), still_open.append)
    qtbot.waitUntil(lambda: bool(still_open))
    assert [c["id"] for c in still_open[0]] == ["c1"]


def test_a_merged_value_a_record_rule_refuses_leaves_the_conflict_open_and_the_typed_value(
    qtbot: QtBot, data_dir: Path, make_ctx: Callable[[str], AppContext]
) -> None:
    """Keeping a merged value is one transaction: when its edit is refused, the conflict was not settled."""
    store = open_store(paths.store_path(data_dir, paths.current_profile(data_dir)))
    try:
        with UnitOfWork(store) as uow:
            ach = records.create(uow, "achievement", {"title": "玉米秸秆还田技术", "price_mode": "fixed", "price": 60})
            uow.conn.exec_driver_sql(
                "INSERT INTO conflict (id, entity, row_id, field, base, theirs, mine, theirs_by, theirs_at, created_at)"
                " VALUES ('c1', 'achievement', ?, 'price', '40', '50', '60',"
                " 'cara', '2026-01-05T08:00:00Z', '2026-01-05T08:00:00Z')", (ach,))
            uow.commit()
    finally:
        store.close()
    ctx = make_ctx("en")
    dialog = ConflictsDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1)
    dialog.set_choice(0, "merged", "")  # readable (no price), but a fixed price needs one
    dialog.apply_button.click()
    qtbot.waitUntil(lambda: dialog.apply_button.isEnabled())
    assert dialog.error_label.text()
    assert dialog.merged_edit(0).text() == "" and dialog.choice_combo(0).currentData() == "merged"
    found: list[tuple[list[dict[str, object]], dict[str, object] | None]] = []
    ctx.runner.submit(lambda st: (_open_conflicts(st), _record(st, "achievement", ach)), found.append)
    qtbot.waitUntil(lambda: bool(found))
    conflicts, row = found[0]
    assert [c["id"] for c in conflicts] == ["c1"]  # not settled as "theirs"
    assert row is not None and row["price"] == 60


def _record(store: Store, entity: str, row_id: str) -> dict[str, object] | None:
    with UnitOfWork(store) as uow:
        return records.get(uow, entity, row_id)


def _open_conflicts(store: Store) -> list[dict[str, object]]:
    with UnitOfWork(store) as uow:
        return list_conflicts(uow.conn)


@pytest.mark.parametrize("keep", ["theirs", "mine"])
def test_a_conflict_over_a_deleted_record_is_shown_and_resolved(
    qtbot: QtBot, market: Market, tmp_path: Path, data_dir: Path, make_ctx: Callable[[str], AppContext], keep: str
) -> None:
    root = Install(tmp_path / "root", market.url, "root")
    inst = root.create("institution", {"name": "东北大学", "org_type": "university"})
    assert root.sync().ok
    market.admin("assign", "cara", inst)
    market.admin("assign", "dave", inst)
    cara = Install(tmp_path / "cara", market.url, "cara")
    dave = Install(data_dir, market.url, "dave")  # the window's profile
    assert cara.sync().ok
    contact = cara.create("contact", {"institution_id": inst, "name": "吴老师"})
    assert cara.sync().ok and dave.sync().ok

    cara._run(lambda uow: records.delete(uow, "contact", contact))
    assert cara.sync().ok
    dave.update("contact", contact, {"notes": "周二在南湖校区"})
    assert dave.sync().conflicts == 1

    ctx = make_ctx("en")
    page = SyncPage(ctx)
    qtbot.addWidget(page)
    page.refresh()
    qtbot.waitUntil(lambda: page.conflicts_table.rowCount() == 1)
    dialog = page.open_conflicts()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1)
    assert "吴老师" in dialog.table.item(0, COL_RECORD).text()  # type: ignore[union-attr]
    combo = dialog.choice_combo(0)
    assert combo.findData("merged") == -1  # a delete cannot be merged: keep it deleted or keep the record
    assert {combo.itemData(i) for i in range(combo.count())} == {"", "mine", "theirs"}
    # "Keep the server's": the delete stands here too. "Keep mine": the record comes back everywhere.
    dialog.set_choice(0, keep)
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        dialog.apply_button.click()
    qtbot.waitUntil(lambda: page.conflicts_table.rowCount() == 0)

    report = dave.sync()
    assert report.ok and report.conflicts == 0, report
    assert dave._run(lambda uow: list_conflicts(uow.conn)) == []
    assert cara.sync().ok
    if keep == "theirs":
        assert dave.get("contact", contact) is None and cara.get("contact", contact) is None
    else:
        for install in (dave, cara):
            restored = install.get("contact", contact)
            assert restored is not None and restored["notes"] == "周二在南湖校区"
