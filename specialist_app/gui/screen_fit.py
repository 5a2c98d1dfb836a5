"""Windows that fit the screen they open on: a 1366x768 laptop, less its taskbar, is smaller than their designs."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

# The title bar and borders the window manager adds once the window is shown (Windows 10/11 ~31 px, GNOME, UKUI
# and openbox 25-38 px); before the first show Qt cannot know them.
FRAME_ALLOWANCE = 40


def too_big(window: QWidget) -> bool:
    """Whether the window, framed, would not fit the free area (no taskbar, no panels) of its screen."""
    screen = window.screen()
    if screen is None:
        return False
    room = screen.availableGeometry()
    return window.width() > room.width() or window.height() + FRAME_ALLOWANCE > room.height()


def fit_to_screen(window: QWidget, *, maximize: bool = False) -> None:
    """Before the first show: a window too big for its screen opens maximized (`maximize`), or shrunk to fit;
    otherwise its bottom (the main window's status bar: online, changes waiting, last sync) would be off screen."""
    if not too_big(window):
        return
    if maximize:
        window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)
        return
    screen = window.screen()
    room = screen.availableGeometry()
    window.resize(min(window.width(), room.width()), min(window.height(), room.height() - FRAME_ALLOWANCE))
