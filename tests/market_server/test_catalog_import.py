"""`market-server import`: catalog templates validated, written with server versions, pulled by specialists."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select, update

from market_server import versions
from market_server.catalog_import import IMPORT_AUTHOR, import_catalog
from market_server.cli import main
from market_server.tables import ENTITY_TABLES
from specialist_app.transfer.templates import write_template
from sync.ids import uuid7
from sync.protocol import CATALOG_BUCKET
from sync.tabular.messages import TransferError
from tests.market_server.conftest import add_rows, add_user, institution, login, unique

Rows = Sequence[Sequence[Any]]


def xlsx(path: Path, sheets: dict[str, Rows]) -> Path:
    workbook = openpyxl.Workbook()
    for default in list(workbook.worksheets):
        workbook.remove(default)
    for title, rows in sheets.items():
        ws = workbook.create_sheet(title)
        for row in rows:
            ws.append(list(row))
    workbook.save(path)
    return path


def stored(engine: Engine, entity: str, **where: Any) -> list[dict[str, Any]]:
    table = ENTITY_TABLES[entity]
    query = select(table).where(*(table.c[k] == v for k, v in where.items())).order_by(table.c.version)
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(query)]


def count_rows(engine: Engine) -> int:
    with engine.connect() as conn:
        return sum(int(conn.execute(select(func.count()).select_from(t)).scalar_one())
                   for t in ENTITY_TABLES.values())


def catalog_file(tmp_path: Path, existing_institution: str) -> tuple[Path, dict[str, str]]:
    """A workbook with every catalog entity; children name parents from the file and from the database."""
    names = {k: unique(k) for k in ("inst", "ach", "dem", "exp", "contact")}
    path = xlsx(tmp_path / "catalog.xlsx", {
        # Children first in the workbook: the import orders sheets parents first.
        "知识产权": [["所属成果", "类型", "编号"], [names["ach"], "发明专利", "ZL2023100000001"]],
        "科技成果": [
            ["成果名称", "成果权属单位", "成果类别", "技术就绪水平", "转化方式", "关键词"],
            [names["ach"], names["inst"], "应用技术", 6, "转让、许可", "秸秆，饲料"],
            [unique("ach"), existing_institution, "Basic theory", 3, None, None],
        ],
        "机构": [["名称", "机构类型", "行政区划"], [names["inst"], "高等院校", "220104"]],
        "联系人": [["所属机构", "姓名", "电话"], [names["inst"], names["contact"], "0431-85166000"]],
        "企业技术需求": [["需求名称", "需求企业", "需求类型", "拟投入资金（万元）"],
                   [names["dem"], existing_institution, "技术攻关", 200]],
        "专家": [["姓名", "职称", "单位"], [names["exp"], "教授", names["inst"]]],
    })
    return path, names


def test_every_catalog_entity_gets_versions_and_reaches_a_specialists_catalog_pull(
    client: TestClient, engine: Engine, tmp_path: Path
) -> None:
    existing = institution(name=unique("吉林大学"))
    add_rows(engine, existing)
    path, names = catalog_file(tmp_path, existing[1]["name"])
    with engine.connect() as conn:
        before = versions.current(conn)
    report = import_catalog(engine, path)
    assert report.errors == [] and report.written and report.exit_code() == 0
    assert {n: c.imported for n, c in report.counts.items()} == {
        "institution": 1, "contact": 1, "expert": 1, "achievement": 2, "ip_item": 1, "demand": 1}
    assert list(report.counts) == ["institution", "contact", "expert", "achievement", "ip_item", "demand"]

    inst = stored(engine, "institution", name=names["inst"])[0]
    assert inst["status"] == "active" and inst["scope_id"] == inst["id"] and inst["created_by"] == IMPORT_AUTHOR
    ach = stored(engine, "achievement", title=names["ach"])[0]
    assert ach["institution_id"] == inst["id"] and ach["transfer_modes"] == ["transfer", "license"]
    assert ach["keywords"] == ["秸秆", "饲料"] and ach["collected_by"] is None
    ip = stored(engine, "ip_item", achievement_id=ach["id"])[0]
    assert ip["scope_id"] == inst["id"]  # a grandchild is governed by the achievement's institution
    demand = stored(engine, "demand", title=names["dem"])[0]
    assert demand["institution_id"] == existing[1]["id"] and demand["budget"] == 200
    assert demand["status"] == "open"  # no status column: a demand is open, not a failed row
    expert = stored(engine, "expert", name=names["exp"])[0]
    contact = stored(engine, "contact", name=names["contact"])[0]

    # Every row has its own version from the one counter, parents below their children.
    imported = [inst, contact, expert, ach, ip, demand]
    found = [r["version"] for r in imported]
    with engine.connect() as conn:
        after = versions.current(conn)
    assert len(set(found)) == len(found) and all(before < v <= after for v in found)
    assert inst["version"] < ach["version"] < ip["version"]

    me = login(client, add_user(engine))
    changes, _ = me.pull_all()
    catalog = {c["id"]: c for c in changes if c["entity"] != "contact"}
    for row in (inst, ach, ip, demand, expert):
        assert row["id"] in catalog
    assert catalog[ach["id"]]["fields"]["title"] == names["ach"]
    assert me.pull()["buckets"][-1] == CATALOG_BUCKET
    assert contact["id"] not in {c["id"] for c in changes}  # contacts are the institution's private records
    assigned = login(client, add_user(engine, assigned=[inst["id"]]))
    assert contact["id"] in {c["id"] for c in assigned.pull_all()[0]}

    # An incremental pull after a second import brings only the new rows.
    _, last = me.pull_all()
    again = xlsx(tmp_path / "more.xlsx", {"专家": [["姓名"], [unique("exp")]]})
    assert import_catalog(engine, again).written
    fresh, _ = me.pull_all(last["cursors"])
    assert [c["entity"] for c in fresh] == ["expert"]


def test_bad_rows_are_located_and_nothing_is_written(engine: Engine, tmp_path: Path) -> None:
    twin = unique("同名")
    add_rows(engine, institution(name=twin), institution(name=twin))
    deleted = institution(name=unique("已删除"))
    add_rows(engine, deleted)
    table = ENTITY_TABLES["institution"]
    with engine.begin() as conn:
        conn.execute(update(table).where(table.c.id == deleted[1]["id"]).values(deleted=True))
    good_inst = unique("inst")
    path = xlsx(tmp_path / "bad.xlsx", {
        "机构": [["名称", "机构类型", "统一社会信用代码"],
               [good_inst, "企业", None],  # 2
               [unique("inst"), "神秘", "123"]],  # 3: two problems
        "科技成果": [
            ["记录编号", "成果名称", "成果权属单位", "技术就绪水平"],
            [None, unique("a"), good_inst, 5],  # 2: fine, names a row of the file
            [None, unique("a"), twin, 5],  # 3
            [None, unique("a"), deleted[1]["name"], 5],  # 4: deleted institutions are not named
            [deleted[1]["id"], unique("a"), None, 5],  # 5: the id is taken (by an institution: fine)
            [None, None, None, 12],  # 6
        ],
    })
    rows_before = count_rows(engine)
    with engine.connect() as conn:
        version_before = versions.current(conn)
    report = import_catalog(engine, path, lang="en")
    got = {(e.sheet, e.row, e.column, e.code) for e in report.errors}
    assert got == {
        ("机构", 3, "机构类型", "bad_code"),
        ("机构", 3, "统一社会信用代码", "bad_credit_code"),
        ("科技成果", 3, "成果权属单位", "ambiguous_ref"),
        ("科技成果", 4, "成果权属单位", "unknown_ref"),
        ("科技成果", 6, "成果名称", "required"),
        ("科技成果", 6, "技术就绪水平", "out_of_range"),
    }
    assert report.exit_code() == 1 and not report.written and report.imported == 0
    assert count_rows(engine) == rows_before
    with engine.connect() as conn:
        assert versions.current(conn) == version_before
    lines = report.lines("en")
    assert "Sheet “科技成果” Row 4, column “成果权属单位”:" in "\n".join(lines)
    assert lines[-1].startswith("Nothing was imported")

    # --skip-invalid writes the good rows (row 5 keeps its id) and reports the same bad ones.
    skipped = import_catalog(engine, path, skip_invalid=True)
    assert skipped.exit_code() == 0 and skipped.written and skipped.bad_rows == 4
    assert {n: c.imported for n, c in skipped.counts.items()} == {"institution": 1, "achievement": 2}
    assert count_rows(engine) == rows_before + 3
    assert stored(engine, "achievement", id=deleted[1]["id"])[0]["institution_id"] is None


def test_ids_already_on_the_server_or_repeated_are_row_errors(engine: Engine, tmp_path: Path) -> None:
    gone = institution()
    add_rows(engine, gone)
    table = ENTITY_TABLES["institution"]
    with engine.begin() as conn:
        conn.execute(update(table).where(table.c.id == gone[1]["id"]).values(deleted=True))
    repeated = uuid7()
    path = xlsx(tmp_path / "ids.xlsx", {"机构": [
        ["记录编号", "名称", "机构类型"],
        [gone[1]["id"], unique("i"), "企业"],  # a tombstone keeps its id
        [repeated, unique("i"), "企业"],
        [repeated.upper(), unique("i"), "企业"],
    ]})
    report = import_catalog(engine, path)
    assert {(e.row, e.code) for e in report.errors} == {(2, "id_exists"), (4, "duplicate_id")}
    assert not report.written


def test_visits_are_not_catalog_and_unknown_accounts_are_refused(engine: Engine, tmp_path: Path) -> None:
    visits = tmp_path / "visits.xlsx"
    write_template("visit", visits)
    with pytest.raises(TransferError) as refused:
        import_catalog(engine, visits)
    assert refused.value.code == "entity_not_importable"
    experts = xlsx(tmp_path / "e.xlsx", {"专家": [["姓名"], [unique("e")]]})
    with pytest.raises(TransferError) as unknown:
        import_catalog(engine, experts, author="nobody-here")
    assert unknown.value.code == "import_author_unknown"


def test_as_user_is_author_and_collector(engine: Engine, tmp_path: Path) -> None:
    specialist = add_user(engine)
    inst = institution()
    add_rows(engine, inst)
    title = unique("成果")
    path = xlsx(tmp_path / "a.xlsx", {"Achievement": [["title", "institution"], [title, inst[1]["name"]]]})
    assert import_catalog(engine, path, author=specialist).written
    row = stored(engine, "achievement", title=title)[0]
    assert (row["created_by"], row["updated_by"], row["collected_by"]) == (specialist, specialist, specialist)


def test_cli_exit_codes_and_reports(server_env: dict[str, str], engine: Engine, tmp_path: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    name = unique("专家")
    gbk = tmp_path / "experts.csv"
    gbk.write_bytes(f"姓名,职称\n{name},研究员\n".encode("gbk"))
    assert main(["import", str(gbk), "--entity", "expert", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["written"] is True and out["entities"] == {"expert": {"rows": 1, "imported": 1, "bad": 0}}
    assert stored(engine, "expert", name=name)[0]["title"] == "研究员"

    bad = tmp_path / "bad.csv"
    bad.write_text("姓名,电子邮箱\n,x\n", encoding="utf-8")
    assert main(["import", str(bad), "--entity", "expert", "--lang", "en"]) == 1
    out = capsys.readouterr().out
    assert "Row 2, column “电子邮箱”:" in out and "Nothing was imported" in out

    assert main(["import", str(tmp_path / "missing.xlsx")]) == 2
    assert "找不到文件" in capsys.readouterr().err
    assert main(["import", str(gbk), "--entity", "visit"]) == 2
    assert main(["import", str(gbk), "--entity", "nonsense", "--lang", "en"]) == 2
    assert "Unknown record type" in capsys.readouterr().err
    with pytest.raises(SystemExit) as usage:
        main(["import", str(gbk), "--lang", "fr"])
    assert usage.value.code == 2


def test_import_command_as_a_process(server_env: dict[str, str], tmp_path: Path, engine: Engine) -> None:
    path = tmp_path / "institutions.xlsx"
    write_template("institution", path, "en")  # the client's template with its example row
    before = len(stored(engine, "institution", name="吉林大学"))
    script = Path(sys.executable).with_name("market-server")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "market_server.cli"]
    done = subprocess.run([*command, "import", str(path), "--lang", "en"], env={**os.environ, **server_env},
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines() == ["Institution: 1 rows read, 1 imported, 0 with problems", "All 1 rows imported"]
    assert len(stored(engine, "institution", name="吉林大学")) == before + 1
