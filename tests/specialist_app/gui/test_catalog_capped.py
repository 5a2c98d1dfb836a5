"""A catalog page whose search matches more records than the service counts: "more than N", and every row."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pytestqt.qtbot import QtBot

from specialist_app.gui.context import AppContext
from specialist_app.gui.pages.catalog import CatalogPage
from specialist_app.gui.search_model import PAGE_SIZE, SearchResultsModel
from specialist_app.services import search as S

CAP = 50
ROWS = PAGE_SIZE + 30  # more than the cap and more than a page


def _seed(seed: Callable[..., list[str]]) -> None:
    rows = [{"title": f"玉米秸秆还田技术{n}"} for n in range(ROWS - 1)]
    seed("achievement", [*rows, {"title": "人参组培快繁技术"}])


def test_the_model_pages_on_past_a_capped_total(qtbot: QtBot, ctx: AppContext, seed: Callable[..., list[str]],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    _seed(seed)
    monkeypatch.setattr(S, "COUNT_CAP", CAP)
    model = SearchResultsModel(ctx.runner, "achievement", ctx.lang)
    totals: list[tuple[int, bool]] = []
    model.total_changed.connect(lambda total, capped: totals.append((total, capped)))
    with qtbot.waitSignal(model.page_loaded):
        model.set_search("技术")
    assert (model.total, model.total_capped) == (CAP, True) and totals == [(CAP, True)]
    assert model.rowCount() == PAGE_SIZE and model.canFetchMore(model.index(-1, -1))
    with qtbot.waitSignal(model.page_loaded):
        model.fetchMore(model.index(-1, -1))
    assert model.rowCount() == ROWS and not model.canFetchMore(model.index(-1, -1))
    assert len({model.hit(r).id for r in range(ROWS)}) == ROWS


@pytest.mark.parametrize(("lang", "capped", "exact"), [
    ("zh_CN", "超过 50 条", "共 1 条"),
    ("en", "More than 50 found", "1 found"),
])
def test_the_label_says_more_than_the_cap_and_why(
        qtbot: QtBot, make_ctx: Callable[[str], AppContext], seed: Callable[..., list[str]],
        monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest, lang: str, capped: str, exact: str) -> None:
    if lang == "zh_CN":
        request.getfixturevalue("zh_translator")  # the compiled translation, installed as the app does
    _seed(seed)
    monkeypatch.setattr(S, "COUNT_CAP", CAP)
    monkeypatch.setattr(S, "BROWSE_COUNT_CAP", CAP)
    page = CatalogPage(make_ctx(lang), "achievement")
    qtbot.addWidget(page)
    page.show()
    page.refresh()  # browsing the whole list: more than the cap too
    qtbot.waitUntil(lambda: page.model.rowCount() == PAGE_SIZE and not page.model.loading)
    assert page.total_label.text() == capped
    assert "50" in page.total_label.toolTip() and capped not in page.total_label.toolTip()
    page.search_edit.setText("人参")
    qtbot.waitUntil(lambda: page.model.request.query == "人参" and not page.model.loading)
    qtbot.waitUntil(lambda: page.total_label.text() == exact)
    assert page.total_label.toolTip() == ""  # an exact total needs no explanation
