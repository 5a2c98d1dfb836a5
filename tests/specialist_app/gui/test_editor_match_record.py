"""A match record (对接记录) is typed offline in the generic editor, checked like every record, and queued to push."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import cast

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from specialist_app.gui.context import AppContext
from specialist_app.gui.editors.catalog_ref_input import ID_ROLE, CatalogRefInput
from specialist_app.gui.editors.match_editor import MatchRecordEditor
from specialist_app.gui.pages.matches import MatchesPage
from specialist_app.services import records
from specialist_app.services.queries import market_today
from sync import codes as C
from sync.entities import ENTITIES
from sync.fields import Kind
from tests.specialist_app.gui.editor_helpers import (
    OPENED,
    close_opened,
    open_loaded,
    outbox_rows,
    pick,
    read_store,
    signed_in_offline,
    type_chinese,
)


@pytest.fixture(autouse=True)
def close_editors() -> Iterator[None]:
    yield
    close_opened()


def test_a_match_record_is_saved_offline_and_a_terminated_one_needs_a_reason(
    qtbot: QtBot, ctx: AppContext, seed: Callable[..., list[str]], data_dir: Path,
) -> None:
    [inst] = seed("institution", [{"name": "长春光华科技有限公司", "org_type": "enterprise"}])
    [demand] = seed("demand", [
        {"title": "微型光谱仪生产线智能化改造", "demand_type": "tackling", "institution_id": inst}])
    [ach] = seed("achievement", [{"title": "光栅尺读数头", "institution_id": inst}])
    # The demand and the achievement set by the caller, the rest to type.
    shown = [f.name for f in ENTITIES["match_record"].editable_fields() if f.kind is not Kind.REF]
    dialog = open_loaded(qtbot, ctx, "match_record", fixed={"demand_id": demand, "achievement_id": ach},
                         fields=shown)
    inputs = dialog.form.inputs
    pick(inputs["source"], C.MATCH_SOURCE.label("algorithm"))
    pick(inputs["stage"], C.MATCH_STAGE.label("terminated"))
    dialog.save()
    assert dialog.error_label.isVisible()  # 终止原因 is missing: nothing saved
    assert not [op for op in outbox_rows(data_dir) if op[0] == "match_record"]

    pick(inputs["stage"], C.MATCH_STAGE.label("negotiating"))
    with qtbot.waitSignal(dialog.saved) as saved:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    stored = read_store(data_dir, lambda uow: records.get(uow, "match_record", saved.args[0]))
    assert (stored["demand_id"], stored["achievement_id"], stored["stage"]) == (demand, ach, "negotiating")
    assert ("match_record", saved.args[0], "create") in outbox_rows(data_dir)


def _search_and_pick(qtbot: QtBot, ctx: AppContext, picker: CatalogRefInput, text: str) -> None:
    """Type (through the input method, as Chinese arrives), wait for the catalog's hits, pick the first."""
    picker.edit.clear()
    type_chinese(picker.edit, text)
    qtbot.waitUntil(lambda: picker.hits_for == text)  # not the hits of the text searched before
    assert picker.hits.item(0).data(ID_ROLE) is not None
    assert picker.pick_first()


def test_a_new_match_record_picks_its_demand_achievement_and_expert_from_the_catalog(
    qtbot: QtBot, ctx: AppContext, seed: Callable[..., list[str]], data_dir: Path,
) -> None:
    [enterprise, university] = seed("institution", [
        {"name": "长春光华科技有限公司", "org_type": "enterprise"}, {"name": "吉林工学院", "org_type": "university"}])
    [demand, _] = seed("demand", [
        {"title": "微型光谱仪生产线智能化改造", "demand_type": "tackling", "institution_id": enterprise},
        {"title": "玉米秸秆饲料化利用", "demand_type": "tackling", "institution_id": enterprise}])
    [ach] = seed("achievement", [{"title": "光谱仪在线标定技术", "institution_id": university}])
    [expert] = seed("expert", [{"name": "王光明", "unit": "吉林工学院", "title": "教授"}])
    dialog = open_loaded(qtbot, ctx, "match_record")
    inputs = dialog.form.inputs
    pickers = {name: inputs[name] for name in ("demand_id", "achievement_id", "expert_id")}
    assert all(isinstance(p, CatalogRefInput) for p in pickers.values())
    _search_and_pick(qtbot, ctx, cast(CatalogRefInput, pickers["demand_id"]), "光谱仪")
    first = cast(CatalogRefInput, pickers["demand_id"]).hits.item(0)
    assert "吉林" not in first.text() and "长春光华" in first.text()  # the demand, not the achievement; its owner
    _search_and_pick(qtbot, ctx, cast(CatalogRefInput, pickers["achievement_id"]), "标定")
    _search_and_pick(qtbot, ctx, cast(CatalogRefInput, pickers["expert_id"]), "王光明")
    assert [p.value() for p in pickers.values()] == [demand, ach, expert]
    pick(inputs["source"], C.MATCH_SOURCE.label("specialist"))
    pick(inputs["stage"], C.MATCH_STAGE.label("recommended"))
    with qtbot.waitSignal(dialog.saved) as saved:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    stored = read_store(data_dir, lambda uow: records.get(uow, "match_record", saved.args[0]))
    assert (stored["demand_id"], stored["achievement_id"], stored["expert_id"]) == (demand, ach, expert)


def test_typing_without_picking_is_no_value_and_a_stored_match_shows_its_titles_fixed(
    qtbot: QtBot, ctx: AppContext, seed: Callable[..., list[str]],
) -> None:
    [inst] = seed("institution", [{"name": "长春光华科技有限公司", "org_type": "enterprise"}])
    [demand] = seed("demand", [
        {"title": "微型光谱仪生产线智能化改造", "demand_type": "tackling", "institution_id": inst}])
    [ach] = seed("achievement", [{"title": "光栅尺读数头", "institution_id": inst}])
    [match] = seed("match_record", [{"demand_id": demand, "achievement_id": ach, "source": "algorithm",
                                     "stage": "recommended"}])
    dialog = open_loaded(qtbot, ctx, "match_record", match)
    demand_picker = cast(CatalogRefInput, dialog.form.inputs["demand_id"])
    achievement_picker = cast(CatalogRefInput, dialog.form.inputs["achievement_id"])
    expert_picker = cast(CatalogRefInput, dialog.form.inputs["expert_id"])
    qtbot.waitUntil(lambda: demand_picker.edit.text() == "微型光谱仪生产线智能化改造")
    qtbot.waitUntil(lambda: achievement_picker.edit.text() == "光栅尺读数头")
    assert (demand_picker.value(), achievement_picker.value()) == (demand, ach)
    assert not demand_picker.widget.isEnabled() and not achievement_picker.widget.isEnabled()
    assert expert_picker.widget.isEnabled() and expert_picker.value() is None
    # A fixed pick drew its clear button ⊗, greyed and doing nothing (a real window): only a usable one has it.
    assert not demand_picker.edit.isClearButtonEnabled() and not achievement_picker.edit.isClearButtonEnabled()
    assert expert_picker.edit.isClearButtonEnabled()
    type_chinese(expert_picker.edit, "王")
    assert expert_picker.value() is None  # text typed is not a pick


def test_a_specialist_is_told_before_saving_a_match_of_two_institutions_not_theirs(
    qtbot: QtBot, ctx: AppContext, seed: Callable[..., list[str]], data_dir: Path,
) -> None:
    """The pair picked decides (sync.permissions): the demand's or the achievement's institution must be theirs."""
    [enterprise, university, mine] = seed("institution", [
        {"name": "长春光华科技有限公司", "org_type": "enterprise"}, {"name": "吉林工学院", "org_type": "university"},
        {"name": "吉林农业科学院", "org_type": "institute"}])
    [demand] = seed("demand", [
        {"title": "微型光谱仪生产线智能化改造", "demand_type": "tackling", "institution_id": enterprise}])
    [elsewhere, ours] = seed("achievement", [{"title": "光谱仪在线标定技术", "institution_id": university},
                                             {"title": "光谱成像检测玉米品质", "institution_id": mine}])

    signed_in_offline(data_dir, ctx, "carol", mine)
    dialog = open_loaded(qtbot, ctx, "match_record", prefill={"source": "specialist", "stage": "recommended"})
    _search_and_pick(qtbot, ctx, cast(CatalogRefInput, dialog.form.inputs["demand_id"]), "微型光谱仪")
    _search_and_pick(qtbot, ctx, cast(CatalogRefInput, dialog.form.inputs["achievement_id"]), "在线标定")
    dialog.save()
    qtbot.waitUntil(dialog.error_label.isVisible)
    assert "该机构未分配给您" in dialog.error_label.text()
    assert not [op for op in outbox_rows(data_dir) if op[0] == "match_record"]

    _search_and_pick(qtbot, ctx, cast(CatalogRefInput, dialog.form.inputs["achievement_id"]), "玉米品质")
    with qtbot.waitSignal(dialog.saved) as saved:
        dialog.save()
    stored = read_store(data_dir, lambda uow: records.get(uow, "match_record", saved.args[0]))
    assert (stored["demand_id"], stored["achievement_id"]) == (demand, ours)
    assert elsewhere != ours


def test_the_matching_page_opens_a_new_match_record_by_hand(qtbot: QtBot, ctx: AppContext) -> None:
    page = MatchesPage(ctx)
    qtbot.addWidget(page)
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any(isinstance(w, MatchRecordEditor) for w in QApplication.topLevelWidgets()))
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MatchRecordEditor))
    OPENED.append(dialog)
    qtbot.waitUntil(lambda: dialog.state.is_loaded)
    values = dialog.form.values()
    assert (values["source"], values["stage"], values["demand_id"]) == ("specialist", "recommended", None)
    assert values["recommended_on"] == market_today().isoformat()


def test_a_match_whose_demand_is_not_on_this_computer_says_so_instead_of_a_blank_or_an_id(
    qtbot: QtBot, ctx: AppContext, seed: Callable[..., list[str]], data_dir: Path,
) -> None:
    """A match pulled through its achievement (the specialist's university) names another institution's demand
    this computer does not hold: the 对接 page showed a blank 技术需求 and the editor the demand's id."""
    [inst] = seed("institution", [{"name": "吉林大学", "org_type": "university"}])
    [ach] = seed("achievement", [{"title": "光伏电站资源化利用装置及方法", "institution_id": inst}])
    [demand] = seed("demand", [{"title": "光伏电站在线监测技术攻关", "demand_type": "tackling",
                                "institution_id": inst}])
    [match] = seed("match_record", [{"demand_id": demand, "achievement_id": ach, "source": "event",
                                     "stage": "recommended"}])
    read_store(data_dir, lambda uow: (uow.conn.exec_driver_sql("DELETE FROM demand"), uow.commit()))

    page = MatchesPage(ctx)
    qtbot.addWidget(page)
    page.refresh()
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    shown = page.model.data(page.model.index(0, page.model.COL_DEMAND))
    assert shown == "(not on this computer)"
    assert page.model.data(page.model.index(0, page.model.COL_PARTNER)) == "光伏电站资源化利用装置及方法"

    dialog = open_loaded(qtbot, ctx, "match_record", match)
    assert isinstance(dialog, MatchRecordEditor)
    demand_picker = cast(CatalogRefInput, dialog.form.inputs["demand_id"])
    qtbot.waitUntil(lambda: demand_picker.edit.text() != "")
    assert demand_picker.edit.text() == "(not on this computer)" and demand not in demand_picker.edit.text()
    assert demand_picker.value() == demand  # still the stored reference
    qtbot.waitUntil(lambda: "光伏电站资源化利用装置及方法" in dialog.pair_label.text())
    assert dialog.pair_label.text().startswith("<b>(not on this computer)</b> ↔ ")


def test_moving_a_match_on_dates_the_stage_picked_today_and_keeps_a_date_typed(
    qtbot: QtBot, ctx: AppContext, seed: Callable[..., list[str]], data_dir: Path,
) -> None:
    """Picking 洽谈 left 洽谈日期 empty (a real window): the match moved on with no date of it. The stage picked by
    the user dates itself today when its date is empty; a date already typed is kept; loading changes nothing."""
    [inst] = seed("institution", [{"name": "四平金穗金属材料股份有限公司", "org_type": "enterprise"}])
    [demand] = seed("demand", [{"title": "铸造件降本增效技术需求", "demand_type": "adoption", "institution_id": inst}])
    [ach] = seed("achievement", [{"title": "高强镁合金型材", "institution_id": inst}])
    [match] = seed("match_record", [{"demand_id": demand, "achievement_id": ach, "source": "algorithm",
                                     "stage": "recommended", "recommended_on": "2026-11-02"}])
    dialog = open_loaded(qtbot, ctx, "match_record", match)
    inputs = dialog.form.inputs
    assert inputs["negotiated_on"].value() is None
    stage = inputs["stage"].combo
    stage.setFocus()
    qtbot.keyClick(stage, Qt.Key.Key_Down)  # 推荐 -> 洽谈, as the user picks it
    assert inputs["stage"].value() == "negotiating"
    today = market_today().isoformat()
    assert inputs["negotiated_on"].value() == today
    inputs["negotiated_on"].set_value("2026-11-20")  # negotiations began earlier: typed over
    qtbot.keyClick(stage, Qt.Key.Key_Up)
    qtbot.keyClick(stage, Qt.Key.Key_Down)  # 洽谈 again: the date typed is kept
    assert inputs["negotiated_on"].value() == "2026-11-20"
    qtbot.keyClick(stage, Qt.Key.Key_Down)  # 签约
    assert inputs["signed_on"].value() == today and inputs["recommended_on"].value() == "2026-11-02"
    with qtbot.waitSignal(dialog.saved):
        dialog.save(close=False)
    stored = read_store(data_dir, lambda uow: records.get(uow, "match_record", match))
    assert (stored["stage"], stored["negotiated_on"], stored["signed_on"]) == ("signed", "2026-11-20", today)


def test_the_matching_page_gives_the_demand_and_its_partner_the_room_alike(
    qtbot: QtBot, ctx: AppContext, seed: Callable[..., list[str]],
) -> None:
    """Both are titles: the demand's column was held to 160 px (高强度钢板短流程冶炼关键技术… cut after nine
    characters) while the partner's took the rest of a wide window."""
    from specialist_app.gui.row_model import TEXT_COLUMN_CAP

    [inst] = seed("institution", [{"name": "四平金穗金属材料股份有限公司", "org_type": "enterprise"}])
    [demand] = seed("demand", [{"title": "高强度钢板短流程冶炼关键技术联合研发与产业化示范", "demand_type": "tackling",
                                "institution_id": inst}])
    [ach] = seed("achievement", [{"title": "高强镁合金型材在有色金属冶炼企业中的示范应用", "institution_id": inst}])
    seed("match_record", [{"demand_id": demand, "achievement_id": ach, "source": "algorithm", "stage": "recommended"}])
    page = MatchesPage(ctx)
    qtbot.addWidget(page)
    page.resize(1300, 600)
    page.show()
    page.refresh()
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    header = page.table.header()
    qtbot.waitUntil(lambda: header.sectionSize(page.model.COL_PARTNER) > 0)
    demand_width = header.sectionSize(page.model.COL_DEMAND)
    assert demand_width > TEXT_COLUMN_CAP
    assert abs(demand_width - header.sectionSize(page.model.COL_PARTNER)) <= 2


def test_a_match_line_uses_the_brackets_of_its_language() -> None:
    """The English window listed 【Terminated】 铸造件降本增效技术需求 ↔ 袁雪峰: Chinese brackets around English."""
    from specialist_app.gui.match_list import match_text
    from specialist_app.services.matches import MatchRow

    row = MatchRow("m1", "d1", "铸造件降本增效技术需求", "袁雪峰", "terminated", "algorithm", "2026-12-02",
                   "2026-12-02")
    assert match_text(row, "en").startswith("[Terminated] 铸造件降本增效技术需求 ↔ 袁雪峰")
    assert match_text(row, "zh_CN").startswith("【终止】 铸造件降本增效技术需求 ↔ 袁雪峰")


def test_the_pickers_mark_the_records_of_the_specialists_own_institutions(
    qtbot: QtBot, ctx: AppContext, seed: Callable[..., list[str]], data_dir: Path,
) -> None:
    """A new match is the specialist's to make when its demand's or its achievement's institution is theirs; the
    pickers gave no sign of which, and a real window refused the save only after everything was picked."""
    [enterprise, mine] = seed("institution", [{"name": "长春光华科技有限公司", "org_type": "enterprise"},
                                              {"name": "吉林农业科学院", "org_type": "institute"}])
    seed("demand", [{"title": "微型光谱仪生产线智能化改造", "demand_type": "tackling", "institution_id": enterprise}])
    seed("achievement", [{"title": "光谱仪在线标定技术", "institution_id": enterprise},
                         {"title": "光谱成像检测玉米品质", "institution_id": mine}])

    signed_in_offline(data_dir, ctx, "carol", mine)
    dialog = open_loaded(qtbot, ctx, "match_record", prefill={"source": "specialist", "stage": "recommended"})
    picker = cast(CatalogRefInput, dialog.form.inputs["achievement_id"])
    for typed, yours in (("在线标定", False), ("玉米品质", True)):
        picker.edit.clear()
        type_chinese(picker.edit, typed)
        qtbot.waitUntil(lambda typed=typed: picker.hits_for == typed)  # type: ignore[misc]
        assert ("(your institution)" in picker.hits.item(0).text()) is yours
    demand_picker = cast(CatalogRefInput, dialog.form.inputs["demand_id"])
    type_chinese(demand_picker.edit, "光谱仪")
    qtbot.waitUntil(lambda: demand_picker.hits_for == "光谱仪")
    assert "(your institution)" not in demand_picker.hits.item(0).text()
