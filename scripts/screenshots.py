"""Render the main pages offscreen with the small demo data into docs/screenshots/*.png (Chinese, one English).

Usage: .venv/bin/python scripts/screenshots.py [--out docs/screenshots]
Needs a CJK font (Debian: apt-get install -y fonts-wqy-microhei) or Chinese text renders as boxes.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QElapsedTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from specialist_app import paths
from specialist_app.gui.app import make_context
from specialist_app.gui.context import AppContext
from specialist_app.gui.demo_store import load_demo
from specialist_app.gui.i18n import install_translator
from specialist_app.gui.main_window import MainWindow

PAGES_ZH = ("dashboard", "institutions", "achievements", "demands", "experts")
PAGES_EN = ("dashboard",)


def _settle(app: QApplication, ctx: AppContext, timeout_ms: int = 10_000) -> None:
    """Process events until the worker has answered every query the page made."""
    clock = QElapsedTimer()
    clock.start()
    while (ctx.runner.pending() or clock.elapsed() < 150) and clock.elapsed() < timeout_ms:
        app.processEvents()
        ctx.runner.thread().msleep(10)
    app.processEvents()


def render(app: QApplication, data_dir: Path, lang: str, pages: tuple[str, ...], out: Path) -> list[Path]:
    translator = install_translator(app, lang)
    ctx = make_context(data_dir, lang)
    window = MainWindow(ctx)
    window.resize(1280, 800)
    window.show()
    written = []
    for key in pages:
        window.show_page(key)
        _settle(app, ctx)
        target = out / f"{key}_{lang}.png"
        window.grab().save(str(target))
        written.append(target)
    window.close()
    ctx.runner.shutdown()
    app.removeTranslator(translator)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default=str(Path(__file__).resolve().parents[1] / "docs" / "screenshots"))
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    font = QFont("WenQuanYi Micro Hei", 10)
    app.setFont(font)
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        load_demo(paths.store_path(data_dir, paths.current_profile(data_dir)))
        written = render(app, data_dir, "zh_CN", PAGES_ZH, out)
        written += render(app, data_dir, "en", PAGES_EN, out)
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
