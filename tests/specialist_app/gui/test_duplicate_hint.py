"""A new record's editor shows a likely duplicate as the name is typed, and its three links do what they say."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QPushButton
from pytestqt.qtbot import QtBot

from specialist_app.gui.context import AppContext
from specialist_app.gui.editors.dialog import EditorDialog
from specialist_app.gui.editors.duplicate_hint import DuplicateHint
from tests.specialist_app.gui.editor_helpers import close_opened, open_loaded, read_store, type_chinese


@pytest.fixture(autouse=True)
def close_editors() -> Iterator[None]:
    yield
    close_opened()


def _hint(dialog: EditorDialog) -> DuplicateHint:
    hint = getattr(dialog, "duplicate_hint", None)
    assert isinstance(hint, DuplicateHint)
    return hint


def _editors(entity: str) -> list[EditorDialog]:
    return [w for w in QApplication.topLevelWidgets()
            if isinstance(w, EditorDialog) and w.entity.name == entity and w.isVisible()]


def test_typing_a_near_duplicate_name_shows_the_hint(
    qtbot: QtBot, ctx: AppContext, seed: Callable[..., list[str]], zh_translator: None,
) -> None:
    [inst] = seed("institution", [{"name": "长春光华科技有限公司", "org_type": "enterprise"}])
    dialog = open_loaded(qtbot, ctx, "institution")
    hint = _hint(dialog)
    assert not hint.isVisible()
    type_chinese(dialog.form.inputs["name"].focus_widget(), "長春光華科技股份有限公司")  # traditional, other form
    qtbot.waitUntil(hint.isVisible)
    assert [h.id for h in hint.hits] == [inst]
    text = hint.findChild(QLabel, "duplicate_text").text()
    assert "可能重复" in text and "长春光华科技有限公司" in text

    different = hint.findChild(QPushButton, "duplicate_different")
    qtbot.mouseClick(different, Qt.MouseButton.LeftButton)
    assert not hint.isVisible()  # not shown again in this editor
    type_chinese(dialog.form.inputs["name"].focus_widget(), "二")
    qtbot.waitUntil(lambda: dialog.ctx.runner.pending() == 0 and not hint._timer.isActive())
    assert not hint.isVisible()


def test_a_look_alike_shows_nothing_and_an_existing_record_is_not_checked(
    qtbot: QtBot, ctx: AppContext, seed: Callable[..., list[str]],
) -> None:
    [ach] = seed("achievement", [{"title": "玉米秸秆还田机械化技术"}])
    editing = open_loaded(qtbot, ctx, "achievement", ach)
    assert getattr(editing, "duplicate_hint", None) is None
    dialog = open_loaded(qtbot, ctx, "achievement")
    hint = _hint(dialog)
    checks: list[int] = []
    hint.checker._answered.connect(lambda seq, hits: checks.append(seq))
    type_chinese(dialog.form.inputs["title"].focus_widget(), "水稻秸秆还田机械化技术")
    qtbot.waitUntil(lambda: bool(checks) and not hint._timer.isActive())
    assert not hint.isVisible()


def test_open_it_and_add_to_it_instead(
    qtbot: QtBot, ctx: AppContext, seed: Callable[..., list[str]], data_dir: Path,
) -> None:
    [inst] = seed("institution", [{"name": "长春光华科技有限公司", "org_type": "enterprise"}])
    [demand] = seed("demand", [
        {"title": "微型光谱仪生产线智能化改造", "demand_type": "tackling", "institution_id": inst}])
    dialog = open_loaded(qtbot, ctx, "demand")
    hint = _hint(dialog)
    type_chinese(dialog.form.inputs["title"].focus_widget(), "微型光谱仪生产线智能化改造")
    dialog.form.inputs["goal"].set_value("良品率提升到99%")
    qtbot.waitUntil(hint.isVisible)
    qtbot.mouseClick(hint.findChild(QPushButton, "duplicate_add"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog) or not dialog.isVisible())
    # The existing record's editor loads it on the store worker: beyond the default 5 s once under a loaded CI run.
    qtbot.waitUntil(lambda: any(e.record_id == demand and e.draft_banner.isVisible() for e in _editors("demand")),
                    timeout=20_000)
    existing = next(e for e in _editors("demand") if e.record_id == demand)
    existing.restore_draft()
    assert existing.form.values()["goal"] == "良品率提升到99%"
    assert existing.form.values()["title"] == "微型光谱仪生产线智能化改造"
    existing.close()


def test_the_markets_duplicate_flag_is_shown_in_the_records_editor(
    qtbot: QtBot, ctx: AppContext, seed: Callable[..., list[str]], data_dir: Path, zh_translator: None,
) -> None:
    [kept, twin] = seed("expert", [{"name": "王华", "unit": "吉林大学"}, {"name": "王華", "unit": "吉林大学"}])
    read_store(data_dir, lambda uow: (  # what a pull leaves after the server's check flagged it
        uow.conn.exec_driver_sql("UPDATE expert SET duplicate_of = ?, duplicate_state = 'suspected' WHERE id = ?",
                                 (kept, twin)), uow.commit()))
    dialog = open_loaded(qtbot, ctx, "expert", twin)
    assert dialog.review_label.isVisible()
    assert dialog.review_label.text().startswith("疑似重复：大市场发现了与本记录相似的记录")


@pytest.mark.parametrize("entity", ["demand", "achievement"])
def test_the_hint_shows_above_the_form_and_the_buttons_stay_put(
    qtbot: QtBot, ctx: AppContext, seed: Callable[..., list[str]], entity: str,
) -> None:
    """The walk in the real window: in 新建企业技术需求 (which has 详情/对接 tabs) 可能重复 appeared at the very bottom,
    below 保存/关闭, and pushed them up by its height as it appeared; a click aimed at 保存 landed on the hint."""
    [inst] = seed("institution", [{"name": "长春远航新能源汽车科技股份有限公司", "org_type": "enterprise"}])
    title = "动力电池包质量提升技术需求"
    seed(entity, [{"title": title, "institution_id": inst, **({"demand_type": "tackling"}
                                                                if entity == "demand" else {})}])
    dialog = open_loaded(qtbot, ctx, entity)
    dialog.resize(820, 700)
    hint = _hint(dialog)
    save = dialog.save_button
    qtbot.waitUntil(lambda: save.mapTo(dialog, save.rect().topLeft()).y() > 0)
    before = save.mapTo(dialog, save.rect().topLeft()).y()
    type_chinese(dialog.form.inputs["title"].focus_widget(), title)
    qtbot.waitUntil(hint.isVisible)
    qtbot.waitUntil(lambda: hint.height() > 0)
    QApplication.sendPostedEvents()
    QApplication.processEvents()
    assert save.mapTo(dialog, save.rect().topLeft()).y() == before
    scroll = dialog.scroll_area
    assert hint.mapTo(dialog, hint.rect().bottomLeft()).y() < scroll.mapTo(dialog, scroll.rect().topLeft()).y()
