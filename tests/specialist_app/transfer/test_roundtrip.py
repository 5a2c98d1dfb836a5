"""Export to .xlsx and .json, import into a fresh store: the same records with the same ids."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest

from specialist_app.services import records
from specialist_app.services.imports import import_file
from specialist_app.services.uow import UnitOfWork
from specialist_app.store.db import Store, open_store
from specialist_app.transfer.exporter import export_file, read_records
from sync.entities import ENTITIES

TRICKY = "=HYPERLINK(\"http://evil.example\",\"点我\")"


def populate(store: Store) -> None:
    with UnitOfWork(store) as uow:
        uni = records.create(uow, "institution", {
            "name": "吉林大学", "org_type": "university", "credit_code": "12100000412759074Q",
            "region_code": "220104", "website": "www.jlu.edu.cn", "profile": "第一段\n第二段",
        })
        ent = records.create(uow, "institution", {"name": "+86 某公司", "org_type": "enterprise"})
        contact = records.create(uow, "contact", {"institution_id": uni, "name": "王老师", "phone": "+86 431 8516 6000",
                                                  "notes": "@周二"})
        records.create(uow, "expert", {"name": "陈教授", "title": "教授", "specialties": "-生物质"})
        visit = records.create(uow, "visit", {
            "institution_id": uni, "status": "done", "specialists": ["李专员", "赵专员"],
            "visited_at": "2025-03-18T06:30:00Z", "next_visit_at": "2025-04-15T01:00:05Z", "visit_type": "return",
            "contacts_met": [contact], "people_met": ["王老师"], "purpose": "回访", "notes": TRICKY,
        })
        records.create(uow, "follow_up", {"visit_id": visit, "action": "报送材料", "due_date": "2025-03-25",
                                          "done": True})
        records.create(uow, "follow_up", {"visit_id": visit, "action": "再联系", "done": False})
        ach = records.create(uow, "achievement", {
            "title": "秸秆饲料", "institution_id": uni, "reg_no": "202522000123", "keywords": ["秸秆", "饲料"],
            "category": "applied", "stage": "pilot", "trl": 6, "transfer_modes": ["license", "joint_dev"],
            "price_mode": "fixed", "price": 12.3456, "confidential_fields": ["indicators", "price"],
            "indicators": "转化率≥85%", "review_status": "draft", "source_visit_id": visit,
        })
        records.create(uow, "ip_item", {"achievement_id": ach, "kind": "invention", "number": "ZL2023.1",
                                        "filed_on": "2023-01-05", "granted_on": "2024-06-18", "status": "granted"})
        demand = records.create(uow, "demand", {
            "title": "废水处理", "institution_id": ent, "demand_type": "tackling", "budget": 200.0,
            "coop_modes": ["joint_dev"], "valid_until": "2025-12-31", "confidentiality": "partial", "status": "open",
        })
        records.create(uow, "match_record", {
            "demand_id": demand, "achievement_id": ach, "source": "event", "event_name": "成果对接会",
            "stage": "signed", "recommended_on": "2025-03-18", "signed_on": "2025-06-20", "contract_amount": 120.0,
            "confidential_fields": ["contract_amount"], "notes": "=小批量试制",
        })
        uow.commit()


def comparable(data: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """Every editable field of every record (server-managed ones are never imported)."""
    keep = {name: {"id", *(f.name for f in ENTITIES[name].editable_fields())} for name in data}
    return {name: [{k: v for k, v in r.items() if k in keep[name]} for r in rows] for name, rows in data.items()}


@pytest.mark.parametrize(("suffix", "lang"), [(".xlsx", "zh_CN"), (".xlsx", "en"), (".json", "zh_CN")])
def test_export_then_import_gives_the_same_records(tmp_path: Path, store: Store, suffix: str, lang: str) -> None:
    populate(store)
    original = comparable(read_records(store))
    assert all(original[name] for name in original)  # every entity is exercised
    path = tmp_path / f"export{suffix}"
    assert export_file(store, path, lang=lang) == {name: len(rows) for name, rows in original.items()}
    fresh = open_store(tmp_path / "fresh" / "store.sqlite3")
    try:
        report = import_file(fresh, path, lang=lang)
        assert report.errors == [], report.lines("en")
        assert comparable(read_records(fresh)) == original
    finally:
        fresh.close()


def test_xlsx_export_uses_labels_and_keeps_formula_like_text_as_text(tmp_path: Path, store: Store) -> None:
    populate(store)
    path = tmp_path / "export.xlsx"
    export_file(store, path, lang="zh_CN")
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == [
        "机构", "联系人", "专家", "走访记录", "后续事项", "科技成果", "知识产权", "企业技术需求", "对接记录",
    ]
    visits = workbook["走访记录"]
    headers = [c.value for c in visits[1]]
    assert headers[:3] == ["记录编号", "走访机构", "走访专员"]
    row = {h: c for h, c in zip(headers, visits[2], strict=True)}
    assert row["走访纪要"].value == TRICKY and row["走访纪要"].data_type == "s" and row["走访纪要"].quotePrefix
    assert (row["走访类型"].value, row["走访专员"].value) == ("回访", "李专员、赵专员")
    assert row["走访时间"].value == "2025-03-18 14:30"  # market local time
    assert row["下次走访"].value == "2025-04-15 09:00:05"
    achievements = workbook["科技成果"]
    ach = {h.value: c.value for h, c in zip(achievements[1], achievements[2], strict=True)}
    got = (ach["转化方式"], ach["保密字段"], ach["价格（万元）"])
    assert got == ("许可、合作开发", "技术指标、价格（万元）", 12.3456)
    for ws in workbook.worksheets:
        for cells in ws.iter_rows(min_row=2):
            for cell in cells:
                assert cell.data_type != "f", (ws.title, cell.coordinate)
    assert "采集人" not in [c.value for c in achievements[1]]


def test_empty_store_exports_headers_only(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "empty.xlsx"
    assert set(export_file(store, path, lang="en").values()) == {0}
    workbook = openpyxl.load_workbook(path, read_only=True)
    assert workbook.sheetnames[0] == "Institution"
    workbook.close()
