"""Importing spreadsheets into a real store: headers, references, every kind of bad cell, all-or-nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from specialist_app.services import records
from specialist_app.services.imports import import_file
from specialist_app.services.uow import UnitOfWork
from specialist_app.store.db import Store
from specialist_app.transfer.exporter import read_records
from sync.ids import uuid7
from sync.tabular.messages import TransferError

MakeFile = Callable[..., Path]


def create(store: Store, entity: str, values: dict[str, Any]) -> str:
    with UnitOfWork(store) as uow:
        new_id = records.create(uow, entity, values)
        uow.commit()
    return new_id


def counts(store: Store) -> dict[str, int]:
    with UnitOfWork(store) as uow:
        return {k: v for k, v in records.record_counts(uow).items() if v}


def pending(store: Store) -> dict[str, int]:
    with UnitOfWork(store) as uow:
        return {k: v for k, v in records.outbox_counts(uow).items() if v}


def problems(report: Any) -> set[tuple[int, str, str]]:
    return {(e.row, e.column, e.code) for e in report.errors}


def test_chinese_headers_several_sheets_parents_first_and_names_resolved(store: Store, xlsx_file: MakeFile) -> None:
    path = xlsx_file({
        # Children first in the workbook: the import still creates institutions before they are referenced.
        "联系人": [["所属机构", "姓名", "电话"], ["吉林大学", "王老师", "0431-85166000"]],
        "科技成果": [
            ["成果名称", "成果权属单位", "成果类别", "转化方式", "关键词", "技术就绪水平", "价格（万元）"],
            ["秸秆饲料", "吉林大学", "应用技术", "转让、许可", "秸秆，饲料", "6级", "12.5万元"],
        ],
        "机构": [["名称", "机构类型", "统一社会信用代码"], ["吉林大学", "高等院校", "12100000412759074Q"]],
    })
    report = import_file(store, path)
    assert report.errors == []
    assert report.exit_code() == 0 and report.written
    data = read_records(store)
    (uni,) = data["institution"]
    (contact,) = data["contact"]
    (ach,) = data["achievement"]
    assert (uni["name"], uni["org_type"]) == ("吉林大学", "university")
    assert contact["institution_id"] == uni["id"]
    assert ach["institution_id"] == uni["id"]
    assert (ach["category"], ach["transfer_modes"], ach["keywords"]) == ("applied", ["transfer", "license"],
                                                                         ["秸秆", "饲料"])
    assert (ach["trl"], ach["price"]) == (6, 12.5)
    assert pending(store) == {"institution": 1, "contact": 1, "achievement": 1}  # through the outbox


def test_english_headers_field_names_and_aliases_any_case_and_spacing(store: Store, csv_file: MakeFile) -> None:
    uni = create(store, "institution", {"name": "吉林大学", "org_type": "university"})
    path = csv_file([
        ["  TITLE ", "owner institution", "Transfer Modes", "trl", "Price mode", "price (10K CNY)"],
        ["Straw feed", uni.upper(), "Licence, Joint development", "3", "Fixed price", "8"],
    ])
    report = import_file(store, path)
    assert report.errors == []
    (ach,) = read_records(store)["achievement"]
    assert (ach["title"], ach["institution_id"], ach["transfer_modes"]) == ("Straw feed", uni, ["license", "joint_dev"])
    assert (ach["trl"], ach["price_mode"], ach["price"]) == (3, "fixed", 8.0)


def test_alias_header_and_entity_detected_from_headers(store: Store, csv_file: MakeFile) -> None:
    report = import_file(store, csv_file([["项目名称", "关键词"], ["玉米育种", "育种"]], name="sheet1.csv"))
    assert report.errors == [] and list(report.counts) == ["achievement"]


def test_every_kind_of_bad_cell_is_reported_with_row_and_column_and_nothing_written(
    store: Store, xlsx_file: MakeFile
) -> None:
    create(store, "institution", {"name": "同名大学", "org_type": "university"})
    create(store, "institution", {"name": "同名大学", "org_type": "university"})
    existing = create(store, "institution", {"name": "吉林大学", "org_type": "university"})
    gone = create(store, "visit", {"institution_id": existing, "status": "planned",
                                   "planned_at": "2025-03-01T01:00:00Z"})
    with UnitOfWork(store) as uow:  # a synced visit, deleted since: its tombstone stays
        uow.conn.exec_driver_sql("UPDATE visit SET server_version = 1, base_version = 1 WHERE id = ?", (gone,))
        records.delete(uow, "visit", gone)
        uow.commit()
    before = pending(store)
    repeated = uuid7()
    header = ["记录编号", "成果名称", "成果权属单位", "成果类别", "技术就绪水平", "价格（万元）", "联系邮箱",
              "登记号", "转化方式", "保密字段", "来源走访"]
    ok = [None, "好成果", "吉林大学", "应用技术", 5, 10, "a@b.cn", "202522000123", "转让", "技术指标", None]

    def row(**changes: Any) -> list[Any]:
        cells = list(ok)
        for name, value in changes.items():
            cells[header.index(name)] = value
        return cells

    path = xlsx_file({"科技成果": [
        header,
        row(),  # 2: fine
        row(成果类别="神秘类"),  # 3
        row(技术就绪水平="很高"),  # 4
        row(技术就绪水平=12),  # 5
        row(**{"价格（万元）": "十万"}),  # 6
        row(联系邮箱="not-an-email"),  # 7
        row(登记号="12345"),  # 8
        row(转化方式="转让、赠送"),  # 9
        row(保密字段="成果名称"),  # 10
        row(成果名称=None),  # 11
        row(成果名称="长" * 201),  # 12
        row(成果权属单位="北京大学"),  # 13
        row(成果权属单位="同名大学"),  # 14
        row(记录编号="not-an-id"),  # 15
        row(记录编号=repeated),  # 16
        row(记录编号=repeated),  # 17
        row(记录编号=existing.upper()),  # 18: an institution's id is not an achievement's, so that is fine
        row(来源走访=gone),  # 19: a deleted row (an id no store or file holds would be kept)
        row(成果类别="神秘类", 技术就绪水平=0),  # 20: two problems in one row
    ]})
    report = import_file(store, path)
    assert problems(report) == {
        (3, "成果类别", "bad_code"),
        (4, "技术就绪水平", "not_integer"),
        (5, "技术就绪水平", "out_of_range"),
        (6, "价格（万元）", "not_number"),
        (7, "联系邮箱", "bad_email"),
        (8, "登记号", "bad_reg_no"),
        (9, "转化方式", "bad_code"),
        (10, "保密字段", "bad_confidential_field"),
        (11, "成果名称", "required"),
        (12, "成果名称", "too_long"),
        (13, "成果权属单位", "unknown_ref"),
        (14, "成果权属单位", "ambiguous_ref"),
        (15, "记录编号", "bad_id"),
        (17, "记录编号", "duplicate_id"),
        (19, "来源走访", "unknown_ref"),
        (20, "成果类别", "bad_code"),
        (20, "技术就绪水平", "out_of_range"),
    }
    assert report.exit_code() == 1 and not report.written and report.imported == 0
    assert report.counts["achievement"].bad == 16
    assert counts(store) == {"institution": 3} and pending(store) == before
    lines = report.lines("zh_CN")
    assert "第 13 行，列“成果权属单位”：“成果权属单位”找不到机构“北京大学”" in lines
    assert lines[-1].startswith("未导入任何记录")
    english = report.lines("en")
    assert "Row 5, column “技术就绪水平”: TRL must be between 1 and 9" in english
    assert [ln for ln in english if ln.startswith("Row 20")] == [
        "Row 20, column “成果类别”: Category cannot be “神秘类”; choose from: Applied technology, Basic theory,"
        " Soft science",
        "Row 20, column “技术就绪水平”: TRL must be between 1 and 9",
    ]


def test_dates_booleans_and_excel_dates(store: Store, xlsx_file: MakeFile) -> None:
    uni = create(store, "institution", {"name": "吉林大学", "org_type": "university"})
    visit = create(store, "visit", {"institution_id": uni, "status": "planned", "planned_at": "2025-03-01T01:00:00Z",
                                    "purpose": "首访"})
    path = xlsx_file({"后续事项": [
        ["所属走访", "事项", "截止日期", "已完成"],
        ["首访", "甲", "2025/3/18", "是"],
        ["首访", "乙", "2025年3月19日", "否"],
        ["首访", "丙", datetime(2025, 3, 20), "yes"],
        [visit, "丁", 45739, 1],  # 45739 = 2025-03-23 as an Excel serial day
        ["首访", "戊", "3月18日", "也许"],
    ]})
    report = import_file(store, path)
    assert problems(report) == {(6, "截止日期", "bad_date"), (6, "已完成", "bad_bool")}
    report = import_file(store, path, skip_invalid=True)
    assert report.exit_code() == 0 and report.imported == 4
    got = {r["action"]: (r["due_date"], r["done"]) for r in read_records(store)["follow_up"]}
    assert got == {"甲": ("2025-03-18", True), "乙": ("2025-03-19", False), "丙": ("2025-03-20", True),
                   "丁": ("2025-03-23", True)}
    assert date(1899, 12, 30).toordinal() + 45739 == date(2025, 3, 23).toordinal()


def test_skip_invalid_imports_good_rows_and_reports_bad_ones(store: Store, csv_file: MakeFile) -> None:
    rows = [["名称", "机构类型"], ["甲大学", "高等院校"], ["乙", "外星机构"], ["丙公司", "企业"], ["", "企业"]]
    path = csv_file(rows)
    report = import_file(store, path, skip_invalid=True)
    assert problems(report) == {(3, "机构类型", "bad_code"), (5, "名称", "required")}
    assert report.exit_code() == 0 and report.written and report.imported == 2
    assert sorted(r["name"] for r in read_records(store)["institution"]) == ["丙公司", "甲大学"]
    assert report.lines("en")[-1] == "Imported 2 rows; skipped 2 rows with problems (listed above)"


def test_skip_invalid_with_nothing_good_exits_1(store: Store, csv_file: MakeFile) -> None:
    report = import_file(store, csv_file([["名称", "机构类型"], ["乙", "外星机构"]]), skip_invalid=True)
    assert report.exit_code() == 1 and report.imported == 0 and counts(store) == {}


def test_rows_of_a_skipped_parent_are_not_resolvable(store: Store, xlsx_file: MakeFile) -> None:
    path = xlsx_file({
        "机构": [["名称", "机构类型"], ["好大学", "高等院校"], ["坏大学", "外星"]],
        "联系人": [["所属机构", "姓名"], ["好大学", "甲"], ["坏大学", "乙"]],
    })
    report = import_file(store, path, skip_invalid=True)
    assert {(e.sheet, e.row, e.code) for e in report.errors} == {("机构", 3, "bad_code"), ("联系人", 3, "unknown_ref")}
    assert counts(store) == {"institution": 1, "contact": 1}
    assert any(ln.startswith("工作表“联系人” 第 3 行") for ln in report.lines())


def test_problems_only_the_record_service_finds_are_mapped_to_their_rows(store: Store, csv_file: MakeFile) -> None:
    uni = create(store, "institution", {"name": "吉林大学", "org_type": "university"})
    create(store, "visit", {"institution_id": uni, "status": "done", "visited_at": "2025-03-18T02:00:00Z",
                            "purpose": "首访"})
    path = csv_file([["所属走访", "事项", "截止日期"], ["首访", "早了", "2025-03-01"], ["首访", "正好", "2025-03-20"]])
    report = import_file(store, path)
    assert problems(report) == {(2, "截止日期", "date_order")}
    assert counts(store) == {"institution": 1, "visit": 1}
    report = import_file(store, path, skip_invalid=True)
    assert problems(report) == {(2, "截止日期", "date_order")} and report.imported == 1
    assert [r["action"] for r in read_records(store)["follow_up"]] == ["正好"]


@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig"])
def test_gbk_and_bom_csv_files_import(store: Store, csv_file: MakeFile, encoding: str) -> None:
    path = csv_file([["姓名", "职称", "单位"], ["陈教授", "教授", "吉林省农业科学院"]], encoding=encoding)
    report = import_file(store, path)
    assert report.errors == []
    (expert,) = read_records(store)["expert"]
    assert (expert["name"], expert["unit"]) == ("陈教授", "吉林省农业科学院")


def test_server_managed_columns_are_ignored(store: Store, csv_file: MakeFile) -> None:
    path = csv_file([["成果名称", "采集人"], ["甲", "someone"]])
    assert import_file(store, path).errors == []
    assert read_records(store)["achievement"][0]["collected_by"] is None


@pytest.mark.parametrize(
    ("rows", "entity", "code"),
    [
        ([["成果名称", "价钱"], ["甲", "1"]], None, "unknown_columns"),
        ([["成果名称", "title"], ["甲", "乙"]], None, "duplicate_columns"),
        ([["名称"], ["甲"]], None, "sheet_entity_ambiguous"),  # an institution's or an IP item's
        ([["颜色", "大小"], ["红", "大"]], None, "sheet_entity_unknown"),
        ([["名称"], ["甲"]], "planet", "bad_entity"),
    ],
)
def test_file_level_problems(
    store: Store, csv_file: MakeFile, rows: list[list[str]], entity: str | None, code: str
) -> None:
    with pytest.raises(TransferError) as caught:
        import_file(store, csv_file(rows, name="sheet.csv"), entity=entity)
    assert caught.value.code == code
    assert caught.value.message("zh_CN") and caught.value.message("en")


def test_entity_option_decides_between_similar_entities(store: Store, csv_file: MakeFile) -> None:
    path = csv_file([["姓名", "电话"], ["陈教授", "13900000000"]], name="people.csv")
    report = import_file(store, path, entity="专家")
    assert report.errors == [] and counts(store) == {"expert": 1}


def test_a_formula_without_a_saved_value_is_a_row_error_never_an_empty_cell(store: Store, xlsx_file: MakeFile) -> None:
    create(store, "institution", {"name": "吉林大学", "org_type": "university"})
    before = counts(store)
    path = xlsx_file({"走访记录": [
        ["走访机构", "走访状态", "计划时间", "走访目的"],
        ["吉林大学", "planned", "2025-03-01 09:00", "=cmd|' /C calc'!A0"],
        ["吉林大学", "planned", "2025-03-02 09:00", "正常的目的"],
    ]})
    report = import_file(store, path)
    assert problems(report) == {(2, "走访目的", "formula_no_value")}
    assert not report.written and counts(store) == before
    message = report.errors[0].message("zh_CN")
    assert "=cmd|' /C calc'!A0" in message and "不计算公式" in message
    assert "never calculates formulas" in report.errors[0].message("en")


def test_ids_of_rows_outside_the_file_and_the_store_are_kept(store: Store, xlsx_file: MakeFile) -> None:
    outside_visit, bad_in_file = uuid7(), uuid7()
    path = xlsx_file({
        "科技成果": [["记录编号", "成果名称", "来源走访"], [None, "甲", outside_visit], [bad_in_file, None, None]],
        "知识产权": [["所属成果", "类型", "名称"], [bad_in_file, "发明专利", "一种方法"]],
    })
    report = import_file(store, path, skip_invalid=True)
    # The bad achievement's id is in the file: its IP item is an error, not a reference to a row elsewhere.
    assert problems(report) == {(3, "成果名称", "required"), (2, "所属成果", "unknown_ref")}
    (achievement,) = read_records(store)["achievement"]
    assert achievement["source_visit_id"] == outside_visit


def test_masked_fields_reimport_masked_not_invalid(store: Store, xlsx_file: MakeFile) -> None:
    path = xlsx_file({"科技成果": [
        ["成果名称", "价格方式", "价格（万元）", "保密字段", "已隐去的保密字段"],
        ["甲", "定价", None, "价格（万元）、技术指标", "价格（万元）、技术指标"],
        ["乙", "定价", None, None, None],  # not masked: a fixed price needs its price
        ["丙", "面议", None, None, "成果名称"],  # only confidential fields can be masked
    ]})
    report = import_file(store, path)
    assert problems(report) == {
        (3, "价格（万元）", "price_needs_value"), (4, "已隐去的保密字段", "bad_confidential_field")}
    report = import_file(store, path, skip_invalid=True)
    assert report.written
    (row,) = read_records(store)["achievement"]
    assert (row["title"], row["price"], row["masked"]) == ("甲", None, ["indicators", "price"])
