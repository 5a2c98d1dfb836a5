"""The main window opens on every page and its status bar reads the store."""

from __future__ import annotations

from collections.abc import Callable

from pytestqt.qtbot import QtBot

from specialist_app.gui.context import AppContext
from specialist_app.gui.main_window import SYNC_SHORTCUT, MainWindow, page_specs
from specialist_app.gui.pages.base import Page


def test_opens_each_page(qtbot: QtBot, ctx: AppContext) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    keys = [spec.key for spec in page_specs()]
    assert keys == ["dashboard", "institutions", "visits", "achievements", "demands", "experts", "matches", "sync"]
    for row, key in enumerate(keys):
        window.nav.setCurrentRow(row)
        page = window.current_page()
        assert isinstance(page, Page)
        assert page is window.pages[key]
        assert page.isVisible()
    qtbot.waitUntil(lambda: ctx.runner.pending() == 0)


def test_sync_action_has_shortcut_and_signal(qtbot: QtBot, ctx: AppContext) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    assert window.sync_action.shortcut().toString() == SYNC_SHORTCUT
    with qtbot.waitSignal(window.sync_requested):
        window.sync_action.trigger()


def test_status_bar_shows_pending_after_a_record_is_created(
    qtbot: QtBot, ctx: AppContext, seed: Callable[..., list[str]]
) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.status.summary is not None and ctx.runner.pending() == 0)
    assert window.status.summary is not None
    assert window.status.summary.pending_changes == 0
    seed("institution", [{"name": "吉林大学", "org_type": "university"}])
    ctx.events.changed.emit("institution")
    qtbot.waitUntil(lambda: window.status.summary is not None and window.status.summary.pending_changes == 1)
    assert "1" in window.status.pending_label.text()


def test_the_matching_page_is_not_drawn_as_the_search_field() -> None:
    """对接 had the magnifier of every page's search field (a real window): a specialist reads it as "search". Each
    page has an icon of its own that no search field uses, and the file exists."""
    from specialist_app.gui.context import ICON_DIR
    from specialist_app.gui.main_window import page_specs

    icons = [spec.icon for spec in page_specs()]
    assert len(set(icons)) == len(icons) and "search" not in icons
    assert all((ICON_DIR / f"{name}.svg").is_file() for name in icons)
