"""Windows fit the screen they open on (the offscreen platform's: 800x800 free), as on a 1366x768 laptop."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from specialist_app.gui.screen_fit import FRAME_ALLOWANCE, fit_to_screen, free_area, resize_within_screen, too_big


def _window(qtbot: QtBot, width: int, height: int) -> QWidget:
    window = QWidget()
    qtbot.addWidget(window)
    window.resize(width, height)
    return window


def _room(_window: QWidget) -> tuple[int, int]:
    room = free_area()
    assert room is not None
    return room.width(), room.height()


def test_a_window_that_fits_is_left_as_designed(qtbot: QtBot) -> None:
    width, height = _room(_window(qtbot, 10, 10))
    window = _window(qtbot, width - 100, height - FRAME_ALLOWANCE - 100)
    fit_to_screen(window)
    fit_to_screen(window, maximize=True)
    assert not too_big(window) and not window.isMaximized()
    assert (window.width(), window.height()) == (width - 100, height - FRAME_ALLOWANCE - 100)


def test_a_window_too_tall_once_framed_is_shrunk_to_the_free_area(qtbot: QtBot) -> None:
    width, height = _room(_window(qtbot, 10, 10))
    window = _window(qtbot, width - 100, height - FRAME_ALLOWANCE + 1)  # fits unframed, not with its title bar
    assert too_big(window)
    fit_to_screen(window)
    assert (window.width(), window.height()) == (width - 100, height - FRAME_ALLOWANCE)
    assert not too_big(window)


def test_a_window_too_wide_opens_maximized_when_asked(qtbot: QtBot) -> None:
    width, _height = _room(_window(qtbot, 10, 10))
    window = _window(qtbot, width + 400, 300)
    fit_to_screen(window, maximize=True)
    window.show()
    qtbot.waitUntil(window.isMaximized)  # (the offscreen platform has no window manager to resize it)


def test_a_size_asked_for_is_kept_within_the_screen(qtbot: QtBot) -> None:
    width, height = _room(_window(qtbot, 10, 10))
    small, big = _window(qtbot, 10, 10), _window(qtbot, 10, 10)
    resize_within_screen(small, 300, 200)
    resize_within_screen(big, width + 20, height)
    assert (small.width(), small.height()) == (300, 200)
    assert (big.width(), big.height()) == (width, height - FRAME_ALLOWANCE)
