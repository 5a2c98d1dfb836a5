"""Catalog pages: the search model over the search service, and search-as-you-type through the page."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from specialist_app.gui.context import AppContext
from specialist_app.gui.pages.catalog import CatalogPage
from specialist_app.gui.search_model import COL_TITLE, ID_ROLE, PAGE_SIZE, SearchResultsModel
from specialist_app.services.search import SearchSort

TITLES = ["玉米秸秆高效还田技术", "大豆抗病品种选育", "人参组培快繁技术", "光伏组件清洁机器人", "玉米淀粉深加工工艺"]


def type_with_input_method(widget: QWidget, text: str) -> None:
    """Chinese arrives through the input method, one committed character at a time (QTest keys are ASCII)."""
    widget.setFocus()
    for char in text:
        event = QInputMethodEvent()
        event.setCommitString(char)
        QApplication.sendEvent(widget, event)


def _seed_achievements(seed: Callable[..., list[str]], count: int) -> list[str]:
    rows = [{"title": TITLES[i % len(TITLES)] + (f" {i}" if i >= len(TITLES) else "")} for i in range(count)]
    return seed("achievement", rows)


def test_model_pages_rows_as_needed(qtbot: QtBot, ctx: AppContext, seed: Callable[..., list[str]],
                                    qtmodeltester: ModelTester) -> None:
    _seed_achievements(seed, PAGE_SIZE + 30)
    model = SearchResultsModel(ctx.runner, "achievement", ctx.lang)
    with qtbot.waitSignal(model.page_loaded):
        model.set_search("", sort=SearchSort.TITLE)
    assert model.rowCount() == PAGE_SIZE  # one page, not everything
    assert model.total == PAGE_SIZE + 30
    assert model.canFetchMore(model.index(-1, -1))
    with qtbot.waitSignal(model.page_loaded):
        model.fetchMore(model.index(-1, -1))
    assert model.rowCount() == PAGE_SIZE + 30
    assert not model.canFetchMore(model.index(-1, -1))
    titles = [model.data(model.index(r, COL_TITLE)) for r in range(model.rowCount())]
    assert titles == sorted(titles)
    assert all(model.data(model.index(r, COL_TITLE), ID_ROLE) for r in range(model.rowCount()))
    qtmodeltester.check(model)  # type: ignore[no-untyped-call]


def test_model_ignores_answers_to_older_searches(qtbot: QtBot, ctx: AppContext,
                                                 seed: Callable[..., list[str]]) -> None:
    _seed_achievements(seed, len(TITLES))
    model = SearchResultsModel(ctx.runner, "achievement", ctx.lang)
    model.set_search("玉米")
    model.set_search("人参")
    qtbot.waitUntil(lambda: model.rowCount() == 1 and not model.loading)
    qtbot.waitUntil(lambda: ctx.runner.pending() == 0)
    assert [model.hit(r).title for r in range(model.rowCount())] == ["人参组培快繁技术"]


def test_search_as_you_type_finds_two_chinese_characters(qtbot: QtBot, ctx: AppContext,
                                                         seed: Callable[..., list[str]]) -> None:
    _seed_achievements(seed, len(TITLES))
    page = CatalogPage(ctx, "achievement")
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    qtbot.waitUntil(lambda: page.model.rowCount() == len(TITLES))
    type_with_input_method(page.search_edit, "玉米")
    qtbot.waitUntil(lambda: page.model.request.query == "玉米" and not page.model.loading)
    found = sorted(page.model.hit(r).title for r in range(page.model.rowCount()))
    assert found == ["玉米淀粉深加工工艺", "玉米秸秆高效还田技术"]
    assert "2" in page.total_label.text()


def test_an_empty_result_says_what_was_searched_and_how_to_widen(qtbot: QtBot, ctx: AppContext,
                                                                  seed: Callable[..., list[str]]) -> None:
    seed("achievement", [{"title": "神经网络故障诊断方法"}, {"title": "卷积神经网络图像识别"}])
    page = CatalogPage(ctx, "achievement")
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    qtbot.waitUntil(lambda: page.model.rowCount() == 2)
    assert page.trl_min_spin is not None
    page.trl_min_spin.setValue(3)  # a filter on: the message offers to clear it
    page.search_edit.setText("神经网路")
    qtbot.waitUntil(lambda: page.model.request.query == "神经网路" and not page.model.loading)
    qtbot.waitUntil(lambda: "神经网路" in page.total_label.text())
    text = page.total_label.text()
    assert 'href="suggest"' in text and "神经网络" in text and 'href="clear"' in text
    page.total_label.linkActivated.emit("clear")
    assert page.trl_min_spin.value() == 0
    page.total_label.linkActivated.emit("suggest")
    assert page.search_edit.text() == "神经网络"
    qtbot.waitUntil(lambda: page.model.rowCount() == 2 and not page.model.loading)


def test_totals_say_what_matched_where(qtbot: QtBot, ctx: AppContext, seed: Callable[..., list[str]]) -> None:
    seed("achievement", [{"title": "光伏清洁机器人", "inventors": ["张光伏"]},
                         {"title": "玉米育种", "inventors": ["张光伏"]}])
    page = CatalogPage(ctx, "achievement")
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    page.search_edit.setText("光伏")
    qtbot.waitUntil(lambda: page.model.request.query == "光伏" and not page.model.loading and page.model.total == 2)
    qtbot.waitUntil(lambda: "1" in page.total_label.text() and "2" in page.total_label.text())
    assert page.model.hit(0).title == "光伏清洁机器人"  # own-title hit before the hit by an inventor's name
    assert page.model.hit(1).by_only
    grey = page.model.data(page.model.index(1, 0), Qt.ItemDataRole.ForegroundRole)
    assert grey is not None and page.model.data(page.model.index(0, 0), Qt.ItemDataRole.ForegroundRole) is None
    assert "人员" in page.model.data(page.model.index(1, 0), Qt.ItemDataRole.ToolTipRole) or "people" in (
        page.model.data(page.model.index(1, 0), Qt.ItemDataRole.ToolTipRole))


def _titles(page: CatalogPage) -> list[str]:
    return [page.model.hit(r).title for r in range(page.model.rowCount())]


def test_a_record_saved_in_its_editor_shows_as_saved_in_the_list(
        qtbot: QtBot, ctx: AppContext, seed: Callable[..., list[str]]) -> None:
    """The walk in the real window: 镁合金 searched, the first hit opened, （二期） added to its title and saved; the
    status bar said 已保存 but the list kept the old title until the search was typed again."""
    from tests.specialist_app.gui.editor_helpers import close_opened, open_loaded, type_chinese

    ids = seed("achievement", [{"title": "高强度镁合金车身部件"}, {"title": "镁合金压铸工艺"}])
    page = CatalogPage(ctx, "achievement")
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    page.search_edit.setText("镁合金")
    qtbot.waitUntil(lambda: page.model.request.query == "镁合金" and not page.model.loading
                    and page.model.rowCount() == 2)
    try:
        editor = open_loaded(qtbot, ctx, "achievement", ids[0])
        title = editor.form.inputs["title"].widget
        assert isinstance(title, QLineEdit)
        title.setFocus()
        title.end(False)
        type_chinese(title, "（二期）")
        with qtbot.waitSignal(editor.saved):
            qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "高强度镁合金车身部件（二期）" in _titles(page))
        assert "高强度镁合金车身部件" not in _titles(page)

        page.hide()  # another page in view: the list catches up when it is shown again
        new = open_loaded(qtbot, ctx, "achievement")
        type_chinese(new.form.inputs["title"].widget, "镁合金电池包壳体")
        with qtbot.waitSignal(new.saved):
            qtbot.mouseClick(new.save_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: ctx.runner.pending() == 0)
        assert "镁合金电池包壳体" not in _titles(page)
        page.show()
        page.refresh()
        qtbot.waitUntil(lambda: "镁合金电池包壳体" in _titles(page))
    finally:
        close_opened()


def test_a_digit_typed_over_any_trl_sets_the_lowest_trl(qtbot: QtBot, ctx: AppContext,
                                                        seed: Callable[..., list[str]]) -> None:
    """The walk in the real window: 不限就绪水平 clicked and 3 typed: nothing changed (不限就绪水平3 is no number)."""
    seed("achievement", [{"title": "寒区动力电池热管理系统", "trl": 2}, {"title": "低温锂电池电解液", "trl": 6}])
    page = CatalogPage(ctx, "achievement")
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    qtbot.waitUntil(lambda: page.model.rowCount() == 2)
    spin = page.trl_min_spin
    assert spin is not None
    edit = spin.lineEdit()
    qtbot.mouseClick(edit, Qt.MouseButton.LeftButton, pos=QPoint(edit.width() - 4, edit.height() // 2))
    qtbot.waitUntil(edit.hasFocus)
    qtbot.keyClicks(edit, "3")
    assert spin.value() == 3
    qtbot.waitUntil(lambda: _titles(page) == ["低温锂电池电解液"] and not page.model.loading)
