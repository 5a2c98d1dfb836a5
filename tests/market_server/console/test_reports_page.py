"""Monthly reports in the console: figures per specialist, the chart, the .xlsx download; and the audit page."""

from __future__ import annotations

import io

import openpyxl
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from market_server.console.stats import this_month
from sync.ids import uuid7
from tests.market_server.conftest import add_rows, add_user, institution
from tests.market_server.console.conftest import signed_in


def _seed(engine: Engine, worker: str) -> None:
    (_, inst), = [institution()]
    visits = [{"id": uuid7(), "institution_id": inst["id"], "status": "done",
               "visited_at": f"2025-01-{day:02d}T02:00:00Z"} for day in (3, 9)]
    follow = [{"id": uuid7(), "visit_id": visits[0]["id"], "action": a, "due_date": "2025-01-20", "done": done}
              for a, done in (("寄送样品", True), ("回访", False), ("报价", False))]
    add_rows(engine, ("institution", inst), *(("visit", v) for v in visits), *(("follow_up", f) for f in follow),
             ("achievement", {"id": uuid7(), "title": "成果", "institution_id": inst["id"], "collected_by": worker}),
             ("demand", {"id": uuid7(), "title": "需求", "institution_id": inst["id"], "collected_by": worker}),
             user=worker)


def _row(page: str, worker: str) -> list[str]:
    part = page.split(f'>{worker}</span></td>')[1].split("</tr>")[0]
    return [cell.split(">")[-1] for cell in part.split("</td>") if cell.strip()]


def test_a_month_per_specialist_with_chart_and_download(browser: TestClient, engine: Engine) -> None:
    boss, worker = add_user(engine, "admin"), add_user(engine)
    _seed(engine, worker)
    signed_in(browser, boss)
    january = browser.get("/admin/reports", params={"month": "2025-01"})
    assert _row(january.text, worker) == ["2", "0", "0", "1", "2", "暂无"]  # visits, ach, dem, done, overdue
    assert '<svg class="chart"' in january.text and "2025-01 各专员走访次数" in january.text
    now = browser.get("/admin/reports")
    assert _row(now.text, worker)[:3] == ["0", "1", "1"]
    download = browser.get("/admin/reports/export.xlsx", params={"month": "2025-01"})
    assert download.headers["content-type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(download.content)).active
    assert sheet is not None and sheet.title == "2025-01"
    found = [list(r) for r in sheet.iter_rows(values_only=True) if r[0] == worker]
    assert found == [[worker, "测试specialist", 2, 0, 0, 1, 2, "暂无"]]
    assert browser.get("/admin/reports", params={"month": "2025-13"}).text.count(this_month()) >= 1


def test_the_audit_page_lists_actions(browser: TestClient, engine: Engine) -> None:
    boss = add_user(engine, "admin")
    signed_in(browser, boss)
    browser.get("/admin/reports/export.xlsx", params={"month": "2025-02"})
    page = browser.get("/admin/audit")
    assert "下载报表" in page.text and 'title="console.login">登录后台' in page.text and boss in page.text
