"""Reading .xlsx, .csv and .json files: encodings, row numbers, formulas, and clear errors."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from sync.tabular.formulas import FormulaCell
from sync.tabular.messages import TransferError
from sync.tabular.readers import read_file

ROWS = [["成果名称", "关键词"], ["秸秆饲料", "秸秆、饲料"], ["玉米育种", "育种"]]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_csv_encodings_are_detected(csv_file: Callable[..., Path], encoding: str) -> None:
    sheets = read_file(csv_file(ROWS, encoding=encoding))
    assert sheets[0].headers == ["成果名称", "关键词"]
    assert [(n, list(cells)) for n, cells in sheets[0].rows] == [(2, ROWS[1]), (3, ROWS[2])]


def test_gbk_text_is_not_mistaken_for_utf8(csv_file: Callable[..., Path]) -> None:
    raw = "成果名称\n吉林省农业科学院\n".encode("gbk")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    path = csv_file([["成果名称"], ["吉林省农业科学院"]], encoding="gbk")
    assert read_file(path)[0].rows[0][1] == ["吉林省农业科学院"]


def test_semicolon_and_tab_separated_csv(csv_file: Callable[..., Path], tmp_path: Path) -> None:
    path = tmp_path / "semi.csv"
    path.write_text("成果名称;关键词\n甲;乙\n", encoding="utf-8")
    assert read_file(path)[0].rows == [(2, ["甲", "乙"])]
    path = tmp_path / "tabs.tsv"
    path.write_text("成果名称\t关键词\n甲\t乙,丙\n", encoding="utf-8")
    assert read_file(path)[0].rows == [(2, ["甲", "乙,丙"])]


def test_blank_rows_are_skipped_but_keep_row_numbers(xlsx_file: Callable[..., Path]) -> None:
    path = xlsx_file({"S": [[None], ["成果名称"], ["甲"], [None], ["  "], ["乙"]]})
    sheet = read_file(path)[0]
    assert sheet.headers == ["成果名称"]
    assert [(n, cells[0]) for n, cells in sheet.rows] == [(3, "甲"), (6, "乙")]
    assert sheet.from_excel


def test_every_sheet_is_read(xlsx_file: Callable[..., Path]) -> None:
    path = xlsx_file({"机构": [["名称"], ["吉林大学"]], "科技成果": [["成果名称"], ["甲"]], "空": []})
    assert [s.name for s in read_file(path)] == ["机构", "科技成果"]


def test_formulas_give_their_cached_value_never_a_computed_one(tmp_path: Path) -> None:
    path = tmp_path / "formula.xlsx"
    workbook = openpyxl.Workbook()
    ws = workbook.worksheets[0]
    ws.append(["技术就绪水平", "成果名称"])
    ws.append(["=1+1", "甲"])
    workbook.save(path)
    # Give the formula a cached result that differs from what computing it would give.
    patched = tmp_path / "patched.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(patched, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data, n = re.subn(rb"<f>1\+1</f><v\s*/?>(</v>)?", b"<f>1+1</f><v>7</v>", data)
                assert n == 1
            dst.writestr(item, data)
    assert read_file(patched)[0].rows == [(2, (7, "甲"))]
    assert read_file(path)[0].rows == [(2, [FormulaCell("1+1"), "甲"])]  # no saved value: reported, never 2


def test_formula_cells_without_a_saved_value_are_found_wherever_they_are(tmp_path: Path) -> None:
    path = tmp_path / "f.xlsx"
    workbook = openpyxl.Workbook()
    ws = workbook.worksheets[0]
    ws.append(["成果名称", "关键词", "备注"])
    ws.append(["甲", None, None])
    ws["C3"] = "=cmd|' /C calc'!A0"  # a DDE "formula": openpyxl writes it with no saved value
    ws["A3"] = "乙"
    workbook.save(path)
    assert read_file(path)[0].rows == [(2, ("甲", None, None)), (3, ["乙", None, FormulaCell("cmd|' /C calc'!A0")])]
    assert FormulaCell("cmd|' /C calc'!A0").shown() == "=cmd|' /C calc'!A0"


def test_json_export_reads_as_one_sheet_per_entity(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text('{"entities": {"expert": [{"id": "a", "name": "陈"}, {"name": "李", "unit": "吉大"}]}}', "utf-8")
    sheet = read_file(path)[0]
    assert (sheet.name, sheet.headers, sheet.row_label) == ("expert", ["id", "name", "unit"], "item")
    assert sheet.rows == [(1, ["a", "陈", None]), (2, [None, "李", "吉大"])]


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("missing.csv", None, "file_missing"),
        ("empty.csv", b"", "file_empty"),
        ("header_only.csv", "成果名称\n".encode(), "file_empty"),
        ("binary.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "file_binary"),
        ("bad.csv", b"title\n\x80\x80 not text", "file_encoding"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "file_xls"),
        ("fake.xlsx", b"name,title\n", "file_not_xlsx"),
        ("broken.xlsx", b"PK\x03\x04 truncated zip", "file_not_xlsx"),
        ("notes.docx.txt.pdf", b"%PDF-1.4", "file_format"),
        ("bad.json", b"{not json", "file_json"),
        ("list.json", b"[1, 2]", "file_json"),
    ],
)
def test_unreadable_files_are_clear_errors(tmp_path: Path, name: str, content: bytes | None, code: str) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(TransferError) as caught:
        read_file(path)
    assert caught.value.code == code
    assert str(path) in caught.value.message("zh_CN")
    assert str(path) in caught.value.message("en")
