"""Templates: every header maps back to its field, the example rows import, and the docs match the code."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from specialist_app.services import records
from specialist_app.services.imports import import_file
from specialist_app.services.uow import UnitOfWork
from specialist_app.store.db import Store
from specialist_app.transfer.templates import templates_markdown, write_template
from sync.entities import ENTITIES
from sync.tabular.columns import ID, IMPORT_ENTITIES, field_lookup, fold, header_keys

DOC = Path(__file__).resolve().parents[3] / "docs" / "import-templates.md"


def test_docs_are_generated_from_the_schemas() -> None:
    assert DOC.read_text(encoding="utf-8") == templates_markdown(), (
        "regenerate: python -c 'from specialist_app.transfer.templates import templates_markdown as m;"
        " open(\"docs/import-templates.md\", \"w\").write(m())'"
    )


@pytest.mark.parametrize("name", IMPORT_ENTITIES)
def test_no_header_text_names_two_fields(name: str) -> None:
    entity = ENTITIES[name]
    seen: dict[str, str] = {}
    for f in entity.fields:
        for key in set(header_keys(f)):
            assert seen.setdefault(key, f.name) == f.name, (name, key)
    assert field_lookup(entity)[fold("ID")] == ID


@pytest.mark.parametrize(("suffix", "lang"), [(".xlsx", "zh_CN"), (".xlsx", "en"), (".csv", "zh_CN"), (".csv", "en")])
def test_every_template_example_imports(tmp_path: Path, store: Store, suffix: str, lang: str) -> None:
    with UnitOfWork(store) as uow:  # the demand example names this enterprise
        records.create(uow, "institution", {"name": "吉林某生物科技有限公司", "org_type": "enterprise"})
        uow.commit()
    for name in IMPORT_ENTITIES:
        path = tmp_path / f"{name}{suffix}"
        write_template(name, path, lang)
        report = import_file(store, path, lang=lang)
        assert report.errors == [] and report.counts[name].imported == 1, (name, report.lines("en"))


def test_xlsx_template_has_headers_in_the_chosen_language_and_an_instructions_sheet(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    write_template("achievement", path, "en")
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["Achievement", "Instructions"]
    headers = [c.value for c in workbook["Achievement"][1]]
    assert headers[:3] == ["ID", "Registration no.", "Title"]
    spec = list(workbook["Instructions"].iter_rows(values_only=True))
    assert spec[3][:3] == ("成果名称", "Title", "required")


def test_csv_template_has_a_bom_for_excel(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    write_template("expert", path, "zh_CN")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf" + "记录编号,姓名".encode())
