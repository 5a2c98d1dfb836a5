"""Starting the desktop app: QApplication, language, the current profile's store on the worker, the main window."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtWidgets import QApplication

from specialist_app import paths
from specialist_app.gui.context import AppContext, DataEvents
from specialist_app.gui.gc_guard import MainThreadGarbageCollector
from specialist_app.gui.i18n import install_translator, resolve_language
from specialist_app.gui.settings import GuiSettings
from specialist_app.gui.tasks import TaskRunner
from specialist_app.store.db import Store, open_store


def make_context(data_dir: Path, lang: str, profile: str | None = None) -> AppContext:
    """The runner (opening the profile's store on its thread) and everything pages share.

    The store opens without its integrity check (seconds on a large file, before any page could show data);
    StoreCheck runs it beside the app once the window is up.
    """
    chosen = profile or paths.current_profile(data_dir)
    store_file = paths.store_path(data_dir, chosen)
    runner: TaskRunner[Store] = TaskRunner(lambda: open_store(store_file, check=False), lambda store: store.close())
    return AppContext(runner=runner, lang=lang, data_dir=data_dir, settings=GuiSettings(data_dir),
                      events=DataEvents(), profile=chosen)


def _parse(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="specialist-app-gui")
    parser.add_argument("--data-dir", help="data directory (default: $SPECIALIST_APP_DATA_DIR or the user data dir)")
    parser.add_argument("--lang", choices=["zh_CN", "en"], help="language for this run")
    parser.add_argument("--profile", help="profile to open (default: the current one)")
    # Qt's own options (-platform, -style...) are left for QApplication.
    args, _unknown = parser.parse_known_args(list(argv[1:]))
    return args


def main(argv: Sequence[str]) -> int:
    """Run the app until its window closes; returns the exit code."""
    if "--smoke" in argv[1:]:  # installer check (build_installer.py): temp profile, main window, exit 0 or 1
        from specialist_app.gui.smoke import main as smoke_main

        return smoke_main(argv)
    if "--probe-startup" in argv[1:]:  # bench/gui_bench.py: timings of the first window, then exit
        from specialist_app.gui.startup_probe import main as probe_main

        return probe_main(argv)
    args = _parse(argv)
    app = QApplication.instance() or QApplication(list(argv))
    assert isinstance(app, QApplication)
    app.setApplicationName(paths.APP_NAME)
    app.setOrganizationName(paths.APP_NAME)
    base = paths.data_dir(args.data_dir)
    settings = GuiSettings(base)
    lang = args.lang or resolve_language(settings.language)
    translator = install_translator(app, lang)
    collector = MainThreadGarbageCollector(app)  # no collection on worker threads (gc_guard.py says why)
    # The session signs in when needed and opens the profile's window (session.py imports make_context above).
    from specialist_app.gui.session import run_session

    try:
        code = run_session(app, base, lang, args.profile)
    finally:
        collector.stop()
    del translator
    return code


def run() -> int:
    """The `specialist-app-gui` entry point."""
    return main(sys.argv)
