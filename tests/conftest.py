"""Shared test configuration."""

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
