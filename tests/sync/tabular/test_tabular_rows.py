"""sync.tabular without a database: reference names, sheet planning, rows of field values with located problems."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from sync.fields import Invalid
from sync.ids import uuid7
from sync.tabular.columns import CATALOG_IMPORT_ENTITIES
from sync.tabular.messages import TransferError
from sync.tabular.refs import RefNames
from sync.tabular.rows import forced_entity, plan_file, prepare_rows

INST_A, INST_B, INST_GONE = uuid7(), uuid7(), uuid7()
STORED = {"institution": [(INST_A, "吉林大学", True), (INST_B, "Twin", True), (uuid7(), "twin", True),
                          (INST_GONE, "旧机构", False)]}


def refs() -> RefNames:
    return RefNames(lambda entity: STORED.get(entity, []))


def workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    wb = openpyxl.Workbook()
    for default in list(wb.worksheets):
        wb.remove(default)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def test_names_resolve_by_folded_text_and_tombstones_only_take_their_id() -> None:
    names = refs()
    assert names.resolve("institution", " 吉林大学 ") == INST_A
    assert names.resolve("institution", INST_A.upper()) == INST_A
    with pytest.raises(Invalid) as ambiguous:
        names.resolve("institution", "TWIN")
    assert ambiguous.value.code == "ambiguous_ref" and ambiguous.value.params["count"] == 2
    for gone in ("旧机构", INST_GONE):
        with pytest.raises(Invalid) as unknown:
            names.resolve("institution", gone)
        assert unknown.value.code == "unknown_ref"
    assert names.exists("institution", INST_GONE) and not names.exists("achievement", INST_GONE)
    added = uuid7()
    names.add("institution", added, "新机构")
    assert names.resolve("institution", "新机构") == added


def test_rows_come_out_keyed_by_field_name_with_problems_located(tmp_path: Path) -> None:
    path = workbook(tmp_path / "a.xlsx", {
        "说明": [["中文列名"], ["成果名称"]],  # an instructions sheet is never read as data
        "Sheet1": [
            ["Title", "成果权属单位", "TRL", "关键词", "采集人"],
            ["甲", "吉林大学", 5, "a、b", "someone"],
            ["乙", "北京大学", "high", None, None],
        ],
    })
    planned = plan_file(path, None, "en")
    assert [(s.name, p.entity.name) for s, p in planned] == [("Sheet1", "achievement")]
    sheet, plan = planned[0]
    good, errors = prepare_rows(sheet, plan, refs(), {}, "en")
    assert [(r.number, r.values["title"], r.values["institution_id"], r.values["trl"], r.values["keywords"])
            for r in good] == [(2, "甲", INST_A, 5, "a、b")]
    assert "collected_by" not in good[0].values  # server-managed columns are ignored
    located = {(e.row, e.column, e.code) for e in errors}
    assert located == {(3, "成果权属单位", "unknown_ref"), (3, "TRL", "not_integer")}


def test_a_sheet_outside_the_allowed_entities_is_a_file_error(tmp_path: Path) -> None:
    path = workbook(tmp_path / "v.xlsx", {"Sheet1": [["走访机构", "走访状态", "其他"], ["吉林大学", "计划", "x"]]})
    assert "visit" not in CATALOG_IMPORT_ENTITIES
    with pytest.raises(TransferError) as refused:
        plan_file(path, None, "zh_CN", allowed=CATALOG_IMPORT_ENTITIES)
    assert refused.value.code == "entity_not_importable"
    assert "Sheet1" in refused.value.message("zh_CN") and "demand" in refused.value.message("en")
    with pytest.raises(TransferError) as unknown:  # allowed: the columns are checked next
        plan_file(path, forced_entity("visit", "en"), "en")
    assert unknown.value.code == "unknown_columns"
    with pytest.raises(TransferError):
        forced_entity("nonsense", "en")


def test_the_shared_package_imports_no_database_gui_client_or_server() -> None:
    code = ("import sys, sync.tabular.rows, sync.tabular.report, sync.tabular.refs;"
            "print(sorted({m.split('.')[0] for m in sys.modules} & "
            "{'sqlalchemy', 'PySide6', 'specialist_app', 'market_server', 'fastapi'}))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
