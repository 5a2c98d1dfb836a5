"""The institution editor says whether a proposed institution is still waiting for the market's review."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from specialist_app.gui.context import AppContext
from tests.specialist_app.gui.editor_helpers import close_opened, open_loaded, read_store


@pytest.fixture(autouse=True)
def close_editors() -> Iterator[None]:
    yield
    close_opened()


@pytest.mark.parametrize(("status", "shown"), [
    ("pending", "待审核"),
    ("rejected", "已被大市场驳回"),
    ("active", None),
    (None, None),
])
def test_the_review_status_of_a_proposal_is_shown_above_the_form(
    qtbot: QtBot, ctx: AppContext, seed: Callable[..., list[str]], data_dir: Path, zh_translator: None,
    status: str | None, shown: str | None,
) -> None:
    [inst] = seed("institution", [{"name": "长春光机所", "org_type": "institute"}])
    read_store(data_dir, lambda uow: (  # what a pull leaves: the server sets the review status
        uow.conn.exec_driver_sql("UPDATE institution SET status = ? WHERE id = ?", (status, inst)), uow.commit()))
    dialog = open_loaded(qtbot, ctx, "institution", inst)
    assert dialog.review_label.isVisible() is (shown is not None)
    if shown is not None:
        assert dialog.review_label.text().startswith(shown)


@pytest.mark.parametrize("entity", ["institution", "achievement"])
def test_the_markets_review_note_is_shown(
    qtbot: QtBot, ctx: AppContext, seed: Callable[..., list[str]], data_dir: Path, zh_translator: None, entity: str,
) -> None:
    values = ({"name": "长春光机所", "org_type": "institute"} if entity == "institution" else {"title": "新型光栅"})
    [row] = seed(entity, [values])
    status = "status = 'rejected'" if entity == "institution" else "review_status = 'returned'"
    read_store(data_dir, lambda uow: (  # what a pull leaves after the market's web console rejected it
        uow.conn.exec_driver_sql(f"UPDATE {entity} SET {status}, review_note = ? WHERE id = ?",
                                 ("与已有机构重复，请使用“长春光学精密机械与物理研究所”", row)), uow.commit()))
    dialog = open_loaded(qtbot, ctx, entity, row)
    assert dialog.review_label.isVisible()
    assert dialog.review_label.text().endswith("审核意见：与已有机构重复，请使用“长春光学精密机械与物理研究所”")
