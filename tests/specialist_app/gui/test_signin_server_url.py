"""The sign-in dialog refuses plain http to another computer and warns at every use of an allowed lab host."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from specialist_app.credentials import Account
from specialist_app.gui.session import Session
from specialist_app.gui.signin import SignInDialog
from specialist_app.sync_engine.server_url import ALLOW_HTTP_ENV
from tests.e2e.conftest import free_port

TIMEOUT_MS = 20_000


def fill(dialog: SignInDialog, server: str) -> None:
    dialog.server_edit.setText(server)
    dialog.user_edit.setText("gina")
    dialog.password_edit.setText("secret-password")


@pytest.mark.parametrize(("lang", "words"), [("zh_CN", "请改用 https://"), ("en", "Use https://")])
def test_plain_http_is_refused_before_signing_in(
    qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch, lang: str, words: str
) -> None:
    monkeypatch.delenv(ALLOW_HTTP_ENV, raising=False)
    dialog = SignInDialog(data_dir, lang)
    qtbot.addWidget(dialog)
    dialog.show()
    fill(dialog, "http://market.example.cn")
    for _click in range(2):  # a second click does not get past it
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        assert words in dialog.message_label.text()
        assert dialog._call is None and dialog.isVisible() and dialog.server_edit.isEnabled()
        label = dialog.message_label  # the dialog grew: every line of the message shows
        assert label.height() >= label.heightForWidth(label.width())


def test_an_allowed_lab_host_warns_and_needs_a_second_click(
    qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ALLOW_HTTP_ENV, "lab-server")
    dead = f"http://127.0.0.1:{free_port()}"  # the "network": a proxy nobody listens on, so nothing leaves
    monkeypatch.setenv("http_proxy", dead)
    monkeypatch.setenv("HTTP_PROXY", dead)
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.delenv("NO_PROXY", raising=False)
    dialog = SignInDialog(data_dir, "en")
    qtbot.addWidget(dialog)
    dialog.show()
    fill(dialog, "http://lab-server")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert "Warning: http://lab-server uses unencrypted http://" in dialog.message_label.text()
    assert "Click Sign in again" in dialog.message_label.text() and dialog._call is None
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)  # confirmed: it signs in (and fails offline)
    qtbot.waitUntil(lambda: dialog.ok_button.isEnabled() and dialog._call is None, timeout=TIMEOUT_MS)
    assert "Cannot reach the server" in dialog.message_label.text()


def test_the_main_window_of_a_lab_host_over_http_says_so_in_its_title(
    qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch, zh_translator: None
) -> None:
    monkeypatch.setenv(ALLOW_HTTP_ENV, "lab-server")
    session = Session(data_dir, "zh_CN", sync_at_start=False)
    try:
        window = session.open(Account("lab", "http://lab-server:8000", "gina"))
        assert window.windowTitle().endswith("未加密的 http：密码和数据以明文传输")
        window = session.open(Account("real", "https://market.example.cn", "gina"))
        assert "http：" not in window.windowTitle()
    finally:
        session.shutdown()
