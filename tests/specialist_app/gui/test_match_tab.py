"""The 对接 tab of demand and achievement editors: suggestions with reasons, computed off the UI thread."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from pytestqt.qtbot import QtBot

from specialist_app.gui.context import AppContext
from specialist_app.gui.editors.match_editor import MatchableEditor
from specialist_app.gui.match_panel import MatchPanel, highlighted
from specialist_app.matching import engine
from tests.specialist_app.gui.editor_helpers import close_opened, open_loaded


@pytest.fixture(autouse=True)
def close_editors() -> Iterator[None]:
    yield
    close_opened()


def _seed(seed: Callable[..., list[str]]) -> dict[str, str]:
    [jilin, far, local] = seed("institution", [
        {"name": "吉林化纤集团有限责任公司", "org_type": "enterprise", "region_code": "220204"},
        {"name": "广州某研究院", "org_type": "institute", "region_code": "440104"},
        {"name": "北华大学", "org_type": "university", "region_code": "220202"}])
    [demand] = seed("demand", [{
        "title": "玉米秸秆综合利用技术需求", "institution_id": jilin, "demand_type": "adoption",
        "problem": "玉米秸秆酶解制备功能糖的能耗高", "keywords": ["秸秆综合利用", "酶解"], "budget": 100.0,
        "coop_modes": ["license"]}])
    [good, early] = seed("achievement", [
        {"title": "玉米秸秆酶解制备低聚木糖技术", "institution_id": local, "trl": 7, "keywords": ["酶解"],
         "transfer_modes": ["license"], "price_mode": "fixed", "price": 80.0},
        {"title": "秸秆纤维素酶解机理研究", "institution_id": far, "trl": 2, "keywords": ["酶解"],
         "transfer_modes": ["joint_dev"], "price_mode": "fixed", "price": 300.0}])
    seed("expert", [{"name": "王秸秆", "specialties": "玉米秸秆酶解"}])
    return {"demand": demand, "good": good, "early": early, "jilin": jilin}


def _panel(dialog: object) -> MatchPanel:
    assert isinstance(dialog, MatchableEditor)
    dialog.tabs.setCurrentWidget(dialog.match_panel)
    return dialog.match_panel


def test_demand_tab_lists_achievements_then_experts_with_reasons(qtbot: QtBot, ctx: AppContext,
                                                                 seed: Callable[..., list[str]]) -> None:
    ids = _seed(seed)
    dialog = open_loaded(qtbot, ctx, "demand", ids["demand"])
    panel = _panel(dialog)
    qtbot.waitUntil(lambda: panel.list.count() == 2, timeout=15_000)
    assert panel.list.item(0).text().endswith("玉米秸秆酶解制备低聚木糖技术  —  北华大学")
    reasons = panel.reasons.toPlainText()
    assert "共同关键词" in reasons and "同一城市" in reasons and "满足成果转化所需的成熟度" in reasons
    assert "#fff1a8" in panel.reasons.toHtml()  # shared terms highlighted
    panel.list.setCurrentRow(1)
    against = panel.reasons.toPlainText()
    assert "超出预算" in against and "−" in against
    panel.target_combo.setCurrentIndex(1)  # experts
    qtbot.waitUntil(lambda: panel.list.count() == 1 and "王秸秆" in panel.list.item(0).text())
    assert not panel.open_button.isEnabled()  # experts are not opened in an editor


def test_a_new_record_asks_to_be_saved_first(qtbot: QtBot, ctx: AppContext) -> None:
    dialog = open_loaded(qtbot, ctx, "achievement")
    panel = _panel(dialog)
    assert panel.record_id is None and panel.list.count() == 0
    assert panel.status_label.text()


def test_highlighting_marks_every_shared_term() -> None:
    html = highlighted("玉米秸秆<酶解>", ("酶解", "玉米"))
    assert html.count("#fff1a8") == 2 and "&lt;" in html


def test_institution_window_has_a_matching_tab_for_its_records(qtbot: QtBot, ctx: AppContext,
                                                               seed: Callable[..., list[str]]) -> None:
    from specialist_app.gui.institution_window import InstitutionWindow

    ids = _seed(seed)
    [inst] = seed("institution", [{"name": "空机构", "org_type": "enterprise"}])
    seed("achievement", [{"title": "秸秆酶解废水处理技术", "institution_id": ids["jilin"], "keywords": ["酶解"]}])
    window = InstitutionWindow(ctx, ids["jilin"])
    qtbot.addWidget(window)
    window.show()
    tab = window.matching
    qtbot.waitUntil(lambda: tab.record_combo.count() == 2)  # its demand, then its achievement
    assert tab.record_combo.itemText(0).endswith("玉米秸秆综合利用技术需求")
    window.tabs.setCurrentWidget(tab)
    assert tab.panel is not None
    panel = tab.panel
    qtbot.waitUntil(lambda: panel.list.count() == 3, timeout=15_000)  # its own achievement last, marked against
    assert panel.list.item(2).text().endswith("秸秆酶解废水处理技术  —  吉林化纤集团有限责任公司")
    tab.record_combo.setCurrentIndex(1)  # the achievement: demands suggested
    assert tab.panel is not None and tab.panel is not panel
    qtbot.waitUntil(lambda: tab.panel is not None and tab.panel.list.count() == 1, timeout=15_000)
    empty = InstitutionWindow(ctx, inst)
    qtbot.addWidget(empty)
    empty.show()
    qtbot.waitUntil(lambda: empty.history is not None)
    assert empty.matching.panel is None and not empty.matching.empty_label.isHidden()



def test_a_ranking_cut_at_the_candidate_limit_does_not_claim_that_only_so_many_records_share_words(
    qtbot: QtBot, ctx: AppContext, seed: Callable[..., list[str]], monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A real window said "共有 120 条记录与它有共同关键词" for a demand that shares words with hundreds: 120 is the
    engine's candidate limit, not a count. At the limit the line says these are the best, and that more share a
    few; under it, the count stays a count."""
    ids = _seed(seed)
    dialog = open_loaded(qtbot, ctx, "demand", ids["demand"])
    panel = _panel(dialog)
    qtbot.waitUntil(lambda: panel.list.count() == 2, timeout=15_000)
    assert panel.status_label.text().startswith("2 ")  # every record sharing a word: a count
    monkeypatch.setattr(engine, "CANDIDATES", 1)
    panel.load(force=True)
    qtbot.waitUntil(lambda: panel.list.count() == 1)
    assert "more share" in panel.status_label.text() or "更多" in panel.status_label.text()


def test_each_reason_is_marked_by_its_sign_alone(qtbot: QtBot, ctx: AppContext,
                                                 seed: Callable[..., list[str]]) -> None:
    """A real window drew "• +" and "• −" before every reason: a bullet beside the sign that already marks it."""
    from PySide6.QtGui import QTextListFormat

    ids = _seed(seed)
    dialog = open_loaded(qtbot, ctx, "demand", ids["demand"])
    panel = _panel(dialog)
    qtbot.waitUntil(lambda: panel.list.count() == 2, timeout=15_000)
    block, lists = panel.reasons.document().begin(), []
    while block.isValid():
        if block.textList() is not None:
            lists.append(block.textList().format().style())
        block = block.next()
    assert lists and all(style == QTextListFormat.Style.ListStyleUndefined for style in lists)
    assert panel.reasons.toPlainText().count("+") >= 2


def test_an_institution_tab_lists_its_matches_once(qtbot: QtBot, ctx: AppContext,
                                                   seed: Callable[..., list[str]]) -> None:
    """吉林大学's 对接 tab said 对接记录：2 条 and, under the record chooser, 尚无对接记录。 (the chosen achievement's
    own list): two lists, one contradicting the other at a glance. The institution's list is the one."""
    from specialist_app.gui.institution_match import InstitutionMatchTab

    ids = _seed(seed)
    tab = InstitutionMatchTab(ctx, ids["jilin"])
    qtbot.addWidget(tab)
    tab.set_records([{"id": ids["demand"], "title": "玉米秸秆综合利用技术需求"}], [])
    tab.show()
    assert tab.panel is not None
    assert tab.match_list.isVisible() and not tab.panel.match_list.isVisible()
