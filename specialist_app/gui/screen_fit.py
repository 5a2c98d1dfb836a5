"""Windows that fit the primary screen: a 1366x768 laptop, less its taskbar, is smaller than their designs."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

# The title bar and borders the window manager adds once the window is shown (Windows 10/11 ~31 px, GNOME, UKUI
# and openbox 25-38 px); before the first show Qt cannot know them.
FRAME_ALLOWANCE = 40


def free_area() -> QRect | None:
    """The primary screen's area without taskbar and panels: where the app's windows open (None: no screen).

    Not `QWidget.screen()`: called on a window not shown yet, PySide6 6.x crashed a later dialog's construction
    (test_editor_achievement.py, 3 runs of 5)."""
    screen = QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else None


def too_big(window: QWidget, room: QRect | None = None) -> bool:
    """Whether the window, framed, would not fit `room` (default: the free area, without taskbar and panels)."""
    room = room if room is not None else free_area()
    if room is None:
        return False
    return window.width() > room.width() or window.height() + FRAME_ALLOWANCE > room.height()


def fit_to_screen(window: QWidget, *, maximize: bool = False) -> None:
    """Before the first show: a window too big for its screen opens maximized (`maximize`), or shrunk to fit;
    otherwise its bottom (the main window's status bar: online, changes waiting, last sync) would be off screen."""
    room = free_area()
    if room is None or not too_big(window, room):
        return
    if maximize:
        window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)
        return
    window.resize(min(window.width(), room.width()), min(window.height(), room.height() - FRAME_ALLOWANCE))


def resize_within_screen(window: QWidget, width: int, height: int) -> None:
    """`window.resize(width, height)`, shrunk to fit its screen when that is smaller (its content scrolls)."""
    window.resize(width, height)
    fit_to_screen(window)
