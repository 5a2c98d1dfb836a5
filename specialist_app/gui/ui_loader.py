"""Loads the Qt Designer forms in ui/ at run time into the Python class that owns them."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QFile, QIODevice, QObject
from PySide6.QtUiTools import QUiLoader
from PySide6.QtWidgets import QWidget

# ui/ sits beside the package in a checkout, and at the same place relative to the modules in the PyInstaller
# bundle (packaging/specialist-app.spec copies it to "ui"), as resources/i18n does for gui/i18n.py.
UI_DIR = Path(__file__).resolve().parents[2] / "ui"

ChildT = TypeVar("ChildT", bound=QObject)


class FormError(RuntimeError):
    """A form is missing, unreadable, or lacks a child the code needs (a broken install or a renamed widget)."""


class _IntoBaseLoader(QUiLoader):
    """Builds the form's top-level widget as `base` itself, so the Python subclass keeps its methods and signals."""

    def __init__(self, base: QWidget) -> None:
        super().__init__()
        self._base = base

    def createWidget(self, className: str, parent: QWidget | None = None, name: str = "") -> QWidget:
        if parent is None:
            return self._base
        return super().createWidget(className, parent, name)


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
    try:
        loader = _IntoBaseLoader(base)
        loaded = loader.load(file)
    finally:
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
