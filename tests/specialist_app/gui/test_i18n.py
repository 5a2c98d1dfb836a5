"""Translations: the zh_CN catalogue is complete, the compiled .qm is used, the language choice follows the locale."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale

from specialist_app.gui import i18n
from specialist_app.gui.settings import GuiSettings


def test_zh_cn_catalogue_has_every_message_translated() -> None:
    text = i18n.ts_path("zh_CN").read_text(encoding="utf-8")
    assert text.count("<message>") > 20
    assert 'type="unfinished"' not in text
    assert 'type="vanished"' not in text and 'type="obsolete"' not in text
    assert all(re.search("[\u4e00-\u9fff]", t) for t in re.findall(r"<translation>([^<]*)</translation>", text))


def test_the_catalog_has_one_chinese_name() -> None:
    """The market's catalog is 目录 everywhere (大市场目录, 本机目录中…): the duplicate hint said 资源库中 and a
    digest 成果库, three names for one thing in front of a specialist."""
    text = i18n.ts_path("zh_CN").read_text(encoding="utf-8")
    pairs = re.findall(r"<source>([^<]*)</source>\s*<translation>([^<]*)</translation>", text)
    said = {source: zh for source, zh in pairs if "catalog" in source.lower() and "catalogue" not in source.lower()}
    assert len(said) >= 5
    assert {source: zh for source, zh in said.items() if "目录" not in zh} == {}


def test_compiled_translations_are_used(zh_translator: None) -> None:
    assert i18n.qm_path("zh_CN").exists()
    assert QCoreApplication.translate("MainWindow", "Dashboard") == "工作台"
    assert QCoreApplication.translate("SyncStatusBar", "Offline") == "离线"


@pytest.mark.parametrize(("system", "saved", "expected"), [
    ("zh_CN", None, "zh_CN"),
    ("zh_TW", None, "zh_CN"),
    ("en_US", None, "en"),
    ("de_DE", None, "en"),
    ("zh_CN", "en", "en"),
    ("en_US", "zh_CN", "zh_CN"),
    ("en_US", "fr", "en"),
])
def test_language_choice(system: str, saved: str | None, expected: str) -> None:
    previous = QLocale()
    QLocale.setDefault(QLocale(system))
    try:
        assert i18n.resolve_language(saved, QLocale()) == expected
    finally:
        QLocale.setDefault(previous)


def test_language_setting_is_kept_in_the_data_dir(tmp_path: Path) -> None:
    GuiSettings(tmp_path).language = "en"
    assert GuiSettings(tmp_path).language == "en"
    assert (tmp_path / GuiSettings.FILENAME).exists()
    GuiSettings(tmp_path).language = None
    assert GuiSettings(tmp_path).language is None


@pytest.mark.parametrize(("phase", "expected"), [
    ("push", "正在发送您的修改：3 / 10"),
    ("upload", "正在上传附件：0.3 / 0.7 MB"),
    ("index", "正在建立全文检索索引：3 / 10"),
    ("snapshot", "正在下载大市场目录：3 / 10 MB"),
    ("install", "正在安装大市场目录及其检索索引"),
    ("checkpoint", "大市场目录已安装，正在写入磁盘（现在即可检索）"),
    ("pull", "3"),
])
def test_every_sync_phase_has_its_own_words(zh_translator: None, phase: str, expected: str) -> None:
    from specialist_app.gui.sync_controller import phase_text

    # The snapshot and the attachments count bytes: a photo's 262,144 of 727,048 bytes reads 0.3 / 0.7 MB.
    done, total = {"snapshot": (3_000_000, 10_000_000), "upload": (262_144, 727_048)}.get(phase, (3, 10))
    text = phase_text(phase, done, total)
    assert expected in text
    if phase == "pull":
        assert "接收" in text or "收到" in text or "下载" in text, text


def test_a_sync_that_installed_the_catalog_snapshot_says_so(zh_translator: None) -> None:
    from specialist_app.gui.sync_controller import report_text
    from specialist_app.sync_engine.report import SyncReport

    installed = report_text(SyncReport(pulled=12, snapshot_cursor=500), "zh_CN")
    assert installed.startswith("大市场目录已安装。") and "12" in installed
    assert "大市场目录" not in report_text(SyncReport(pulled=12), "zh_CN")


def test_a_catalogue_older_than_its_source_is_built_again_at_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a `git pull` brings new strings the .ts is newer than the .qm built before: the app must not start
    with the old catalogue (a real window showed 'Help' and 'Syncing' in English after exactly that)."""
    for lang in i18n.LANGUAGES:
        (tmp_path / i18n.ts_path(lang).name).write_bytes(i18n.ts_path(lang).read_bytes())
    monkeypatch.setattr(i18n, "I18N_DIR", tmp_path)
    stale = i18n.qm_path("zh_CN")
    stale.write_bytes(b"not the catalogue")
    os.utime(stale, (1_000_000_000, 1_000_000_000))  # built long before the .ts changed
    app = QCoreApplication.instance()
    assert app is not None
    translator = i18n.install_translator(app, "zh_CN")
    try:
        assert stale.read_bytes() != b"not the catalogue"
        assert QCoreApplication.translate("SyncStatusBar", "Syncing") == "正在同步"
    finally:
        i18n.remove_translator(app, translator)
