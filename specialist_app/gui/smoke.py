"""Smoke launch of an installed or frozen app: open the main window on a temp profile, check it, exit 0 or 1."""

from __future__ import annotations

import importlib
import json
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

# Parts PyInstaller cannot see from the imports alone; each must load in the built app.
DYNAMIC_MODULES: tuple[str, ...] = (
    "keyring.backends.Windows",
    "keyring.backends.macOS",
    "keyring.backends.SecretService",
    "keyring.backends.libsecret",
    "keyring.backends.kwallet",
    "keyring.backends.chainer",
    "keyring.backends.fail",
    "keyring.backends.null",
    "sqlalchemy.dialects.sqlite.pysqlite",
    "platformdirs",
    "openpyxl",
)
STORE_TIMEOUT_MS = 30_000


def check_text_data() -> list[str]:
    """Problems with the Chinese text libraries' data files (OpenCC, pypinyin, jieba): empty when all load."""
    from specialist_app.matching import terms
    from specialist_app.store import search_pinyin, search_text

    problems = []
    try:
        if search_text.fold("機器學習") != "机器学习":  # the index's own table (search_t2s.py)
            problems.append("search: traditional characters are not folded")
        import opencc  # duplicates at entry still convert with OpenCC's data files (sync/duplicates)

        if opencc.OpenCC("t2s").convert("機器學習") != "机器学习":
            problems.append("opencc: traditional characters are not converted")
        if "jldx" not in search_pinyin.name_tokens("吉林大学").split():
            problems.append("pypinyin: no initials for 吉林大学")
        if terms.words("玉米秸秆综合利用") != ["玉米", "秸秆综合利用"]:  # a domain word kept whole
            problems.append("jieba: no words segmented")
    except Exception as exc:  # a missing dictionary file raises inside the library
        problems.append(f"text data: {type(exc).__name__}: {exc}")
    return problems


def check_modules() -> list[str]:
    """Problems importing the dynamically loaded modules (empty when all load)."""
    problems = []
    for name in DYNAMIC_MODULES:
        try:
            importlib.import_module(name)
        except Exception as exc:  # any failure here means the build left something out
            problems.append(f"import {name}: {type(exc).__name__}: {exc}")
    return problems


def check_keyring() -> list[str]:
    """keyring finds its backends through package metadata (entry points); a build without it has none."""
    import keyring.backend

    names = {type(backend).__module__ for backend in keyring.backend.get_all_keyring()}
    return [] if names else ["keyring: no backend found"]


def check_qt_translations() -> list[str]:
    """Qt's own catalogue for each language but English (file dialogs, context menus in Chinese) must be found."""
    from specialist_app.gui.i18n import LANGUAGES, qt_qm_path

    return [f"translations: Qt's catalogue for {lang} not found" for lang in LANGUAGES
            if lang != "en" and qt_qm_path(lang) is None]


def check_user_guide() -> list[str]:
    """Help → User guide reads the guides shipped beside the code, in both languages."""
    from specialist_app.gui.help import guide_path

    return [f"user guide: {guide_path(lang)} not found" for lang in ("zh_CN", "en") if not guide_path(lang).is_file()]


def run_smoke(lang: str = "en") -> dict[str, object]:
    """Open the main window on a fresh temp data dir, wait for the store, check pages, icons and translations."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from specialist_app import paths
    from specialist_app.gui.app import make_context
    from specialist_app.gui.context import ICON_DIR, icon
    from specialist_app.gui.i18n import install_translator, qm_path
    from specialist_app.gui.main_window import MainWindow, page_specs

    started = time.monotonic()
    problems = check_modules() + check_keyring() + check_qt_translations() + check_text_data() + check_user_guide()
    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    report: dict[str, object] = {"platform": app.platformName(), "version": _app_version()}
    with tempfile.TemporaryDirectory(prefix="specialist-app-smoke-") as temp:
        base = paths.data_dir(temp)
        translator = install_translator(app, lang)
        if lang != "en" and translator.isEmpty():
            problems.append(f"translations: {qm_path(lang)} did not load")
        ctx = make_context(base, lang)
        outcome: list[str] = []
        loop = QEventLoop()

        def settle(result: str) -> None:
            outcome.append(result)
            loop.quit()

        ctx.runner.store_opened.connect(lambda: settle("opened"))
        ctx.runner.store_failed.connect(lambda exc: settle(f"failed: {exc}"))
        window = MainWindow(ctx)
        window.show()
        QTimer.singleShot(STORE_TIMEOUT_MS, loop.quit)
        if not outcome:
            loop.exec()
        if outcome != ["opened"]:
            problems.append(f"store: {outcome[0] if outcome else 'did not open in time'}")
        expected = [spec.key for spec in page_specs()]
        if list(window.pages) != expected or window.stack.count() != len(expected):
            problems.append(f"pages: {list(window.pages)} != {expected}")
        for key in expected:
            window.show_page(key)
            app.processEvents()
        if icon("sync").pixmap(32, 32).isNull():  # needs the file and Qt's SVG image/icon plugins
            problems.append(f"icons: cannot render {ICON_DIR / 'sync.svg'}")
        if not paths.store_path(base, ctx.profile).exists():
            problems.append("store: file not created")
        _wait_idle(ctx.runner)
        window.close()
        report.update(pages=len(window.pages), store=outcome[:1], title=window.windowTitle())
        del translator
    report["seconds"] = round(time.monotonic() - started, 2)
    report["problems"] = problems
    return report


def _wait_idle(runner: object) -> None:
    """Let the pages' first queries finish before the window closes the store."""
    from PySide6.QtCore import QEventLoop, QTimer

    from specialist_app.gui.tasks import TaskRunner

    assert isinstance(runner, TaskRunner)
    if runner.pending() == 0:
        return
    loop = QEventLoop()
    runner.idle.connect(loop.quit)
    QTimer.singleShot(STORE_TIMEOUT_MS, loop.quit)
    loop.exec()


def _app_version() -> str:
    from specialist_app.gui.dialogs.about import app_version

    return app_version()


def _option(args: list[str], name: str) -> str | None:
    return args[args.index(name) + 1] if name in args[:-1] else None


def main(argv: Sequence[str] | None = None) -> int:
    """`specialist-app --smoke [--lang zh_CN|en] [--report FILE]`: one JSON report line; exit 0 when all checks pass.

    The report goes to stdout and, with --report, to FILE (a windowed Windows build has no stdout).
    """
    args = list(sys.argv if argv is None else argv)[1:]
    try:
        report = run_smoke(_option(args, "--lang") or "zh_CN")
    except Exception as exc:  # the smoke check must answer with a status, not a traceback dialog
        report = {"problems": [f"{type(exc).__name__}: {exc}"]}
    line = json.dumps(report, ensure_ascii=False)
    if (target := _option(args, "--report")) is not None:
        Path(target).write_text(line + "\n", encoding="utf-8")
    if sys.stdout is not None:
        print("smoke: " + line, flush=True)
    return 1 if report["problems"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
