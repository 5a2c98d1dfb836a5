"""Shared test configuration: the store fixtures, and markers applied by folder and fixture."""

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from specialist_app.services.uow import UnitOfWork
from specialist_app.store.db import Store, open_store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """A fresh client store file in tmp_path (closed after the test)."""
    opened = open_store(tmp_path / "store.sqlite3")
    yield opened
    opened.close()


@pytest.fixture
def uow_factory(store: Store) -> Callable[[], UnitOfWork]:
    """Makes units of work on the `store` fixture: `with uow_factory() as uow: ...`."""
    return lambda: UnitOfWork(store)


# Markers by where a test lives and what it uses (qutebrowser's tests/conftest.py does the same), so
# `make test-fast` can run the units alone: `-m "not gui and not e2e and not server and not slow"`.
_FOLDER_MARKERS = {
    ("e2e",): "e2e", ("reliability",): "e2e", ("deploy",): "e2e", ("packaging",): "e2e",  # real processes
    ("market_server",): "server",
    ("specialist_app", "gui"): "gui",  # its conftest imports Qt and runs the app's widgets offscreen
    ("specialist_app", "cli"): "e2e",  # each test runs `specialist-app` as a process
}
_GUI_FIXTURES = {"qtbot", "qapp"}
_E2E_FIXTURES = {"market"}  # a real `market-server serve` process


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    tests = Path(__file__).parent
    for item in items:
        parts = item.path.relative_to(tests).parts if item.path.is_relative_to(tests) else ()
        names = set(getattr(item, "fixturenames", ()))
        wanted = {marker for folder, marker in _FOLDER_MARKERS.items() if parts[: len(folder)] == folder}
        if names & _GUI_FIXTURES:
            wanted.add("gui")
        if names & _E2E_FIXTURES:
            wanted.add("e2e")
        for name in sorted(wanted):
            item.add_marker(name)
