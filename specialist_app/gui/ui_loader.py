"""Loads the Qt Designer forms in ui/ at run time into the Python class that owns them."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QCoreApplication, QFile, QIODevice, QObject
from PySide6.QtUiTools import QUiLoader
from PySide6.QtWidgets import QWidget

# ui/ sits beside the package in a checkout, and at the same place relative to the modules in the PyInstaller
# bundle (packaging/specialist-app.spec copies it to "ui"), as resources/i18n does for gui/i18n.py.
UI_DIR = Path(__file__).resolve().parents[2] / "ui"

ChildT = TypeVar("ChildT", bound=QObject)


class FormError(RuntimeError):
    """A form is missing, unreadable, or lacks a child the code needs (a broken install or a renamed widget)."""


class _IntoBaseLoader(QUiLoader):
    """Builds a form's top-level widget as `into` (set for each load), so the Python subclass keeps its methods and
    signals."""

    def __init__(self) -> None:
        super().__init__()
        self.into: QWidget | None = None

    def createWidget(self, className: str, parent: QWidget | None = None, name: str = "") -> QWidget:
        if parent is None and self.into is not None:
            return self.into
        return super().createWidget(className, parent, name)


_loader: _IntoBaseLoader | None = None


def _shared_loader() -> _IntoBaseLoader:
    """The process's one loader, made without Qt Designer's widget plugins.

    QUiLoader's constructor loads every plugin in each library path's `designer` folder; beside PySide6's Qt these
    are a web view, a Quick widget and PySide's own, which map QtWebEngine (200 MB), Qt Quick and QML into the
    app: 0.1-0.2 s of a start from an emptied file cache (docs/performance.md). The forms use standard widgets only.
    The paths are empty only while this loader is made, on the GUI thread, as the app's first form loads (the main
    window or the sign-in dialog): before any view could have the store worker decode a thumbnail, the one other
    thread that loads Qt plugins (image formats).
    """
    global _loader
    if _loader is None:
        paths = QCoreApplication.libraryPaths()
        QCoreApplication.setLibraryPaths([])
        try:
            _loader = _IntoBaseLoader()
        finally:
            QCoreApplication.setLibraryPaths(paths)
    return _loader


def ui_path(name: str, directory: Path | None = None) -> Path:
    """The file of form `name` (without .ui)."""
    return (directory or UI_DIR) / f"{name}.ui"


def load_form(name: str, base: QWidget, directory: Path | None = None) -> QWidget:
    """Build `ui/<name>.ui` into `base` (its title, layout, children, tab order); strings are translated by Qt with
    the form's class name as context. Returns `base`; look the children up with `child()`."""
    path = ui_path(name, directory)
    file = QFile(str(path))
    if not file.open(QIODevice.OpenModeFlag.ReadOnly):
        raise FormError(f"form {path} cannot be read: {file.errorString()}")
    loader = _shared_loader()
    loader.into = base
    try:
        loaded = loader.load(file)
    finally:
        loader.into = None
        file.close()
    if loaded is None:
        raise FormError(f"form {path} did not load: {loader.errorString()}")
    return loaded


def child(form: QWidget, kind: type[ChildT], name: str) -> ChildT:
    """The child `name` of a loaded form, checked to be a `kind`."""
    found = form.findChild(kind, name)
    if found is None:
        raise FormError(f"{form.objectName()}: no {kind.__name__} named {name!r} in its form")
    return found
