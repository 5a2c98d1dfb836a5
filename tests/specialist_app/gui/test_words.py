"""Words and layout (#14.9): region codes read as place names with the code on hover, demand lists speak of the
demanding unit, and status labels read naturally (older labels still read from spreadsheets)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QComboBox
from pytestqt.qtbot import QtBot

from specialist_app.gui.context import AppContext
from specialist_app.gui.institution_window import InstitutionWindow
from specialist_app.gui.institutions_model import COL_REGION
from specialist_app.gui.pages.institutions import InstitutionsPage
from specialist_app.gui.search_model import COL_SUBTITLE, SearchResultsModel
from sync import codes as C
from sync.regions import region_name
from tests.specialist_app.gui.editor_helpers import close_opened, open_loaded, read_store


@pytest.mark.parametrize(("code", "zh", "en"), [
    ("220104", "吉林省长春市朝阳区", "朝阳区, Changchun, Jilin"),
    ("222401", "吉林省延边朝鲜族自治州延吉市", "延吉市, Yanbian, Jilin"),
    ("110108", "北京市海淀区", "海淀区, Beijing"),  # a municipality is its own city
    ("220000", "吉林省", "Jilin"),
    ("370999", "山东省", "Shandong"),  # a district the table does not know: the levels above it
    ("990000", None, None),
    ("2201", None, None),
])
def test_region_codes_name_their_place(code: str, zh: str | None, en: str | None) -> None:
    assert (region_name(code, "zh_CN"), region_name(code, "en")) == (zh, en)


def test_lists_and_the_profile_show_the_place_with_the_code_on_hover(
    qtbot: QtBot, ctx: AppContext, seed: Callable[..., list[str]]
) -> None:
    [inst] = seed("institution", [{"name": "长春光机所", "org_type": "institute", "region_code": "220104"}])
    page = InstitutionsPage(ctx)
    qtbot.addWidget(page)
    page.refresh()
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    cell = page.model.index(0, COL_REGION)
    assert (cell.data(), cell.data(Qt.ItemDataRole.ToolTipRole)) == ("吉林省长春市朝阳区", "220104")
    window = InstitutionWindow(ctx, inst)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.history is not None)
    label = window.profile_values["region_code"]
    assert (label.text(), label.toolTip()) == ("吉林省长春市朝阳区", "220104")


def test_demand_results_speak_of_the_demanding_unit(qtbot: QtBot, ctx: AppContext, zh_translator: None) -> None:
    demands = SearchResultsModel(ctx.runner, "demand", "zh_CN")
    achievements = SearchResultsModel(ctx.runner, "achievement", "zh_CN")
    assert demands.headerData(COL_SUBTITLE, Qt.Orientation.Horizontal) == "需求单位与领域"
    assert achievements.headerData(COL_SUBTITLE, Qt.Orientation.Horizontal) == "权属单位与领域"


def test_status_labels_read_naturally_and_old_labels_still_parse() -> None:
    assert [C.DEMAND_STATUS.label(v) for v in C.DEMAND_STATUS.values()] == ["征集中", "对接中", "已对接", "已关闭"]
    assert [C.DEMAND_STATUS.label(v, "en") for v in C.DEMAND_STATUS.values()] == [
        "Open", "In talks", "Matched", "Closed"]
    assert [C.VISIT_STATUS.label(v) for v in C.VISIT_STATUS.values()] == ["已计划", "已走访", "已取消"]
    assert [C.REVIEW_STATUS.label(v) for v in C.REVIEW_STATUS.values()] == ["草稿", "待审核", "已通过", "已退回"]
    assert [C.DEMAND_STATUS.parse(t) for t in ("开放", "已解决", "关闭", "Solved", "Matching")] == [
        "open", "solved", "closed", "solved", "matching"]
    assert (C.VISIT_STATUS.parse("计划"), C.REVIEW_STATUS.parse("通过")) == ("planned", "approved")


@pytest.mark.parametrize(("username", "role", "admin"), [
    ("kim", None, False),  # a specialist (never synced counts as one)
    ("boss", "admin", True),
    (None, None, True),  # a local profile without a server
])
def test_the_markets_review_decisions_are_not_offered_to_specialists(
    qtbot: QtBot, make_ctx: Callable[[str], AppContext], data_dir: Path, username: str | None, role: str | None,
    admin: bool,
) -> None:
    if role is not None:
        _record_account(data_dir, username or "", role)
    ctx = make_ctx("zh_CN")
    ctx.username = username
    dialog = open_loaded(qtbot, ctx, "achievement")
    review = dialog.form.inputs["review_status"]  # 审核状态
    combo = review.widget
    assert isinstance(combo, QComboBox)
    model = combo.model()
    assert isinstance(model, QStandardItemModel)
    offered = {combo.itemText(i): model.item(i).isEnabled() for i in range(combo.count())}
    assert offered == {"—": True, "草稿": True, "待审核": True, "已通过": admin, "已退回": admin}  # submit: yes
    assert bool(combo.toolTip()) is not admin
    close_opened()


def _record_account(data_dir: Path, username: str, role: str) -> None:
    from specialist_app.services import account
    from sync.protocol import UserInfo

    def write(uow: Any) -> None:
        account.record(uow.conn, UserInfo(username=username, role=role, institutions=[]))
        uow.commit()

    read_store(data_dir, write)


def test_a_region_code_typed_in_the_editor_names_its_place_on_hover(qtbot: QtBot, ctx: AppContext) -> None:
    dialog = open_loaded(qtbot, ctx, "institution")
    region = dialog.form.inputs["region_code"]
    region.set_value("220104")
    assert region.widget.toolTip() == "吉林省长春市朝阳区"
    region.set_value("")
    assert region.widget.toolTip() == ""
    close_opened()
