"""Catalog import in the console: row errors shown before anything is written, then the import, audited."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import Engine, insert

from market_server import audit
from market_server.tables import catalog_snapshot
from tests.market_server.conftest import add_user, unique
from tests.market_server.console.conftest import signed_in
from tests.market_server.test_catalog_import import count_rows, stored


def _csv(names: list[tuple[str, str]]) -> bytes:
    return ("名称,机构类型\n" + "".join(f"{n},{t}\n" for n, t in names)).encode("utf-8")


def test_bad_rows_are_shown_and_nothing_is_written(browser: TestClient, engine: Engine) -> None:
    boss = add_user(engine, "admin")
    csrf = signed_in(browser, boss)
    good, bad = unique("导入大学"), unique("坏行")
    before = count_rows(engine)
    page = browser.post("/admin/import/check", data={"csrf": csrf, "entity": "institution"},
                        files={"file": ("机构.csv", _csv([(good, "高等院校"), (bad, "火星机构")]), "text/csv")})
    assert page.status_code == 200
    assert "发现 1 处问题" in page.text and "火星机构" in page.text and "机构类型" in page.text
    assert '<td class="num">3</td>' in page.text  # the bad row's number in the file (header is row 1)
    assert count_rows(engine) == before
    token = page.text.split('name="token" value="')[1].split('"')[0]
    done = browser.post("/admin/import/run", data={"csrf": csrf, "token": token, "entity": "institution",
                                                   "skip_invalid": "true", "filename": "机构.csv"})
    assert "已导入 1 条记录" in done.text
    assert [r["status"] for r in stored(engine, "institution", name=good)] == ["active"]
    assert stored(engine, "institution", name=bad) == []
    again = browser.post("/admin/import/run", data={"csrf": csrf, "token": token})
    assert "已失效" in again.text  # an upload is imported once
    with engine.connect() as conn:
        entry = next(e for e in audit.recent(conn, actor=boss) if e.action == "catalog.import")
    assert entry.target == "机构.csv" and entry.detail["imported"] == {"institution": 1}


def test_a_clean_file_imports_and_a_wrong_type_is_refused(browser: TestClient, engine: Engine) -> None:
    boss = add_user(engine, "admin")
    csrf = signed_in(browser, boss)
    name = unique("干净")
    page = browser.post("/admin/import/check", data={"csrf": csrf, "entity": "institution"},
                        files={"file": ("a.csv", _csv([(name, "企业")]), "text/csv")})
    assert "文件检查通过" in page.text and stored(engine, "institution", name=name) == []
    token = page.text.split('name="token" value="')[1].split('"')[0]
    assert "已导入 1 条记录" in browser.post("/admin/import/run", data={
        "csrf": csrf, "token": token, "entity": "institution"}).text
    refused = browser.post("/admin/import/check", data={"csrf": csrf},
                           files={"file": ("a.exe", b"MZ", "application/octet-stream")})
    assert "文件无法使用" in refused.text
    assert "已失效" in browser.post("/admin/import/run", data={"csrf": csrf, "token": "../../etc/passwd"}).text


def test_the_snapshot_section_names_the_command_and_the_last_one(browser: TestClient, engine: Engine) -> None:
    boss = add_user(engine, "admin")
    signed_in(browser, boss)
    assert "specialist-app catalog-snapshot publish" in browser.get("/admin/import").text
    with engine.begin() as conn:
        conn.execute(insert(catalog_snapshot).values(format="f", cursor=1, sha256="0" * 64, size=3 * 1048576,
                                                     created_at="2026-11-30T08:00:00Z", created_by=boss))
    assert f"2026-11-30 16:00（{boss}，3.0 MB）" in browser.get("/admin/import").text



def test_a_large_spreadsheet_passes_the_body_cap(browser: TestClient, engine: Engine) -> None:
    boss = add_user(engine, "admin")
    csrf = signed_in(browser, boss)
    rows = [(unique("大表机构") + "x" * 40, "企业") for _ in range(2000)]  # ~150 KB, over the API's 64 KiB default
    page = browser.post("/admin/import/check", data={"csrf": csrf, "entity": "institution"},
                        files={"file": ("big.csv", _csv(rows), "text/csv")})
    assert page.status_code == 200 and "文件检查通过" in page.text
    assert 'default-src' in page.headers["content-security-policy"]
