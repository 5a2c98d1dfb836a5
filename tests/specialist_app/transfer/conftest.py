"""Fixtures for the transfer tests: a fresh store file, and writers of real .xlsx / .csv files."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from specialist_app.store.db import Store, open_store

Rows = Sequence[Sequence[Any]]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(tmp_path / "store.sqlite3")
    yield opened
    opened.close()


def write_xlsx(path: Path, sheets: dict[str, Rows]) -> Path:
    workbook = openpyxl.Workbook()
    for default in list(workbook.worksheets):
        workbook.remove(default)
    for title, rows in sheets.items():
        ws = workbook.create_sheet(title)
        for row in rows:
            ws.append(list(row))
    workbook.save(path)
    return path


def write_csv(path: Path, rows: Rows, encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


@pytest.fixture
def xlsx_file(tmp_path: Path) -> Callable[..., Path]:
    def make(sheets: dict[str, Rows], name: str = "data.xlsx") -> Path:
        return write_xlsx(tmp_path / name, sheets)

    return make


@pytest.fixture
def csv_file(tmp_path: Path) -> Callable[..., Path]:
    def make(rows: Rows, name: str = "data.csv", encoding: str = "utf-8") -> Path:
        return write_csv(tmp_path / name, rows, encoding)

    return make
