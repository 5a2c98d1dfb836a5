"""Designer forms in ui/: each loads into its class with its tab order, every string has a zh_CN translation."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QAbstractButton, QComboBox, QDialog, QLabel, QLineEdit, QListWidget, QSpinBox, QWidget
from pytestqt.qtbot import QtBot

from specialist_app.credentials import Account
from specialist_app.gui.context import AppContext
from specialist_app.gui.dialogs.about import AboutDialog
from specialist_app.gui.dialogs.settings_dialog import SettingsDialog
from specialist_app.gui.i18n import gui_sources, install_translator, remove_translator, ts_path
from specialist_app.gui.main_window import MainWindow
from specialist_app.gui.signin import SignInDialog
from specialist_app.gui.ui_loader import UI_DIR, FormError, child, load_form, ui_path

ACCOUNT = Account("example-demo-0123456789", "https://market.example.cn", "demo")
FORMS = sorted(UI_DIR.glob("*.ui"))
# The order Tab walks through each dialog: top to bottom, left to right, the buttons last.
TAB_ORDERS = {
    "signin_dialog": ["signin_profile", "signin_server", "signin_user", "signin_password", "signin_buttons"],
    "settings_dialog": ["settings_server", "settings_switch", "settings_sign_out", "settings_language",
                        "settings_interval", "settings_catalog", "settings_data_dir", "settings_export",
                        "settings_import", "settings_about", "settings_buttons"],
    "about_dialog": [],
    "main_window": [],  # the navigation list, then the page shown
}


def _build(name: str, ctx: AppContext, data_dir: Path) -> QWidget:
    builders: dict[str, Callable[[], QWidget]] = {
        "main_window": lambda: MainWindow(ctx),
        "signin_dialog": lambda: SignInDialog(data_dir, "en"),
        "settings_dialog": lambda: SettingsDialog(ctx, ACCOUNT),
        "about_dialog": lambda: AboutDialog(data_dir, ACCOUNT),
    }
    return builders[name]()


def _form_strings(path: Path) -> list[tuple[str, str]]:
    """(context, source) of every translatable string of a form: the context is its <class>."""
    root = ET.parse(path).getroot()
    context = root.findtext("class") or ""
    return [(context, s.text) for s in root.iter("string") if s.text and s.get("notr") != "true"]


def test_the_forms_are_the_ones_the_code_loads() -> None:
    assert [p.stem for p in FORMS] == ["about_dialog", "main_window", "settings_dialog", "signin_dialog"]
    assert set(FORMS) <= set(gui_sources())  # lupdate reads them


@pytest.mark.parametrize("form", [p.stem for p in FORMS])
def test_a_form_loads_into_its_class_with_its_tab_order_and_accessible_names(
    qtbot: QtBot, ctx: AppContext, data_dir: Path, form: str
) -> None:
    dialog = _build(form, ctx, data_dir)
    qtbot.addWidget(dialog)
    root = ET.parse(ui_path(form)).getroot()
    assert dialog.objectName() == root.findtext("class") == type(dialog).__name__
    assert dialog.windowTitle() and dialog.layout() is not None
    tabstops = [t.text or "" for t in root.iter("tabstop")]
    assert tabstops == TAB_ORDERS[form]
    if tabstops:
        first = child(dialog, QWidget, tabstops[0])
        chain: list[str] = []
        widget: QWidget | None = first
        for _ in range(200):  # the focus chain is a ring: once round is enough
            assert widget is not None
            if widget.objectName() in tabstops and widget.objectName() not in chain:
                chain.append(widget.objectName())
            widget = widget.nextInFocusChain()
            if widget is first:
                break
        assert chain == tabstops
    drawn = {w.get("name") for w in root.iter("widget")}  # the form's own widgets, not Qt's internal ones
    for field in dialog.findChildren(QWidget):
        if field.objectName() not in drawn:
            continue
        if isinstance(field, (QLineEdit, QComboBox, QSpinBox, QListWidget)):
            assert field.accessibleName(), field.objectName()
        if isinstance(field, QAbstractButton):
            assert field.text(), field.objectName()


def test_every_form_string_has_a_chinese_translation() -> None:
    translations: dict[tuple[str, str], str] = {}
    for context in ET.parse(ts_path("zh_CN")).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            done = translation is not None and translation.get("type") not in ("unfinished", "obsolete")
            if done and translation is not None and translation.text:
                translations[(name, message.findtext("source") or "")] = translation.text
    strings = [s for path in FORMS for s in _form_strings(path)]
    assert len(strings) >= 25
    missing = [s for s in strings if s not in translations]
    assert missing == []
    assert all(translations[s] != s[1] for s in strings)  # a real translation, not the English copied


def test_a_form_shows_in_chinese_with_the_chinese_catalogue(qtbot: QtBot, data_dir: Path) -> None:
    app = QCoreApplication.instance()
    assert app is not None
    translator = install_translator(app, "zh_CN")
    try:
        dialog = SignInDialog(data_dir, "zh_CN")
        qtbot.addWidget(dialog)
        expected = QCoreApplication.translate("SignInDialog", "Server address")
        assert expected != "Server address"
        assert dialog.server_edit.accessibleName() == expected
        assert child(dialog, QLabel, "signin_server_label").text() == expected
    finally:
        remove_translator(app, translator)


def test_a_missing_form_or_child_is_a_clear_error(qtbot: QtBot, tmp_path: Path) -> None:
    widget = QDialog()
    qtbot.addWidget(widget)
    with pytest.raises(FormError, match=r"no_such_form\.ui"):
        load_form("no_such_form", widget, directory=tmp_path)
    (tmp_path / "tiny.ui").write_text(
        '<ui version="4.0"><class>Tiny</class><widget class="QDialog" name="Tiny">'
        '<layout class="QVBoxLayout" name="l"><item><widget class="QLabel" name="tiny_label"/></item></layout>'
        "</widget></ui>", encoding="utf-8")
    assert load_form("tiny", widget, directory=tmp_path) is widget
    assert child(widget, QLabel, "tiny_label").parent() is widget
    with pytest.raises(FormError, match="tiny_missing"):
        child(widget, QLabel, "tiny_missing")
    with pytest.raises(FormError, match="QLineEdit"):
        child(widget, QLineEdit, "tiny_label")  # there, but not the kind the code expects


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="reads the process's mapped files (Linux)")
def test_forms_load_without_qt_designers_widget_plugins(tmp_path: Path) -> None:
    """The web view plugin beside PySide6's Qt maps QtWebEngine (200 MB) into the app: 0.1-0.2 s of a cold start."""
    script = (
        "import sys\n"
        "from PySide6.QtCore import QCoreApplication\n"
        "from PySide6.QtWidgets import QApplication, QDialog\n"
        "from specialist_app.gui.ui_loader import load_form\n"
        "app = QApplication([])\n"
        "paths = QCoreApplication.libraryPaths()\n"
        "for form in ('about_dialog', 'signin_dialog'):\n"
        "    load_form(form, QDialog())\n"
        "assert QCoreApplication.libraryPaths() == paths, 'the library paths were not restored'\n"
        "maps = open('/proc/self/maps').read().splitlines()\n"
        "print('designer plugins:', sorted({line.split('/')[-1] for line in maps if '/designer/' in line}))\n"
    )
    root = Path(__file__).resolve().parents[3]
    done = subprocess.run([sys.executable, "-c", script], env={**os.environ, "QT_QPA_PLATFORM": "offscreen",
                          "PYTHONPATH": str(root)}, cwd=root, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "designer plugins: []" in done.stdout
