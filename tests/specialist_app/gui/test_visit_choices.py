"""来源走访 offers the institution's visits by their day in market time, as 走访记录 shows them.

The walk in the real window: a visit logged at 2026-12-04 02:46 (北京时间) was offered as 2026-12-03 in a demand's
来源走访, the day of its UTC time."""

from __future__ import annotations

from collections.abc import Callable

from pytestqt.qtbot import QtBot

from specialist_app.gui.context import AppContext
from specialist_app.gui.editors import jobs


def test_a_visit_before_eight_in_the_morning_is_offered_on_its_market_day(
        qtbot: QtBot, ctx: AppContext, seed: Callable[..., list[str]]) -> None:
    [inst] = seed("institution", [{"name": "吉林大学", "org_type": "university"}])
    [early, planned] = seed("visit", [
        {"institution_id": inst, "status": "done", "visited_at": "2026-12-03T18:46:00Z", "purpose": "了解电池热管理"},
        {"institution_id": inst, "status": "planned", "planned_at": "2026-12-10T01:00:00Z"},
    ])
    found: list[list[tuple[str, str]]] = []
    ctx.runner.submit(jobs.choices("visit", inst), found.append)
    qtbot.waitUntil(lambda: bool(found))
    labels = dict(found[0])
    assert labels[early] == "2026-12-04 了解电池热管理"
    assert labels[planned] == "2026-12-10"
