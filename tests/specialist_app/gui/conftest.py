"""GUI test fixtures: offscreen Qt, compiled translations, a temp data dir, a seeded store and a file keyring."""

from __future__ import annotations

import gc
import os
import shutil
import time

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before any QApplication exists

from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication
from pytestqt.qtbot import QtBot

from specialist_app import paths
from specialist_app.demo_keyring import use_file_keyring
from specialist_app.gui import i18n
from specialist_app.gui.app import make_context
from specialist_app.gui.context import AppContext
from specialist_app.gui.demo_store import load_demo
from specialist_app.gui.gc_guard import MainThreadGarbageCollector
from specialist_app.services import records
from specialist_app.services.uow import UnitOfWork
from specialist_app.store.db import open_store
from tests.specialist_app.gui.editor_helpers import release_held

Seed = Callable[[str, Sequence[Mapping[str, Any]]], list[str]]


@pytest.fixture
def keyring_file(tmp_path: Path) -> Iterator[Path]:
    """A file keyring in the test's tmp dir (its path): nothing reaches the real OS keyring."""
    path = tmp_path / "keyring.json"
    previous = use_file_keyring(path)
    yield path
    import keyring

    keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def release_held_windows() -> Iterator[None]:
    """The windows a test kept with `editor_helpers.held_window` go when it ends."""
    yield
    release_held()


@pytest.fixture(autouse=True)
def collect_on_the_gui_thread(qapp: QCoreApplication) -> Iterator[None]:
    """As in the app (gui/gc_guard.py): no garbage collection on the tests' worker threads, where collecting a closed
    widget's cycle deletes it off the GUI thread and crashes the run; what a test left is collected here, on the GUI
    thread, before automatic collection comes back for the next test."""
    guard = MainThreadGarbageCollector()
    try:
        yield
    finally:
        guard.stop()
        gc.collect()


@pytest.fixture(scope="session", autouse=True)
def compiled_translations() -> None:
    """The .qm files are build output (gitignored): the test run builds them from resources/i18n/*.ts."""
    i18n.compile_qm()


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(paths.ENV_DATA_DIR, str(tmp_path))
    # Create the store up front: the app and `seed` then never race to create the same new file.
    open_store(paths.store_path(tmp_path, paths.current_profile(tmp_path))).close()
    return tmp_path


@pytest.fixture(scope="session")
def demo_store_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small demo data set loaded once per test run; tests get a copy."""
    path = tmp_path_factory.mktemp("demo") / paths.STORE_FILENAME
    load_demo(path)
    return path


@pytest.fixture
def demo_data_dir(data_dir: Path, demo_store_template: Path) -> Path:
    """The temp data dir whose current profile's store holds the demo data."""
    target = paths.store_path(data_dir, paths.current_profile(data_dir))
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(demo_store_template, target)
    return data_dir


@pytest.fixture
def seed(data_dir: Path) -> Seed:
    """Create records in the current profile's store (before or while the app runs); returns their ids."""

    def create(entity: str, rows: Sequence[Mapping[str, Any]]) -> list[str]:
        store = open_store(paths.store_path(data_dir, paths.current_profile(data_dir)))
        try:
            with UnitOfWork(store) as uow:
                ids = records.create_many(uow, entity, rows)
                uow.commit()
        finally:
            store.close()
        return ids

    return create


@pytest.fixture
def make_ctx(qtbot: QtBot, data_dir: Path) -> Iterator[Callable[[str], AppContext]]:
    """Builds an AppContext (its runner opens the temp store) in a language; shut down after the test."""
    made: list[AppContext] = []

    def build(lang: str = "zh_CN") -> AppContext:
        ctx = make_context(data_dir, lang)
        made.append(ctx)
        return ctx

    yield build
    for ctx in made:
        ctx.runner.shutdown()


@pytest.fixture
def ctx(make_ctx: Callable[[str], AppContext]) -> AppContext:
    return make_ctx("zh_CN")


@pytest.fixture
def utc_laptop(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """This process keeps UTC as its local time zone, like a laptop set to UTC (the market keeps UTC+8)."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def zh_translator(qtbot: QtBot) -> Iterator[None]:
    """The app's compiled Chinese translation installed for the test (as the app does at start)."""
    app = QCoreApplication.instance()
    assert app is not None
    translator = i18n.install_translator(app, "zh_CN")
    yield
    i18n.remove_translator(app, translator)
