"""A red message under one field does not move the others: the form keeps its layout while the user fills it in.

The walk in the real window (新建企业技术需求, 1366×768): a wrong 联系邮箱 left for 联系电话, the message appeared,
and every multi-line box (存在问题, 关键技术, 技术指标, 预期目标) grew from 4 to 8 lines at once; the next click, aimed
at 联系人, landed in 预期目标. A word-wrapped message makes the form's height come from its preferred sizes, and a
text box's preferred height was its 8-line maximum."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from specialist_app.gui.context import AppContext
from tests.specialist_app.gui.editor_helpers import close_opened, open_loaded, pick, type_chinese


@pytest.fixture(autouse=True)
def close_editors() -> Iterator[None]:
    yield
    close_opened()


def test_an_error_message_does_not_grow_the_text_boxes(qtbot: QtBot, ctx: AppContext,
                                                       seed: Callable[..., list[str]]) -> None:
    [inst] = seed("institution", [{"name": "吉林农业大学", "org_type": "university"}])
    dialog = open_loaded(qtbot, ctx, "demand", prefill={"institution_id": inst}, draft_context=inst)
    dialog.resize(820, 680)  # shorter than the form: it scrolls, as on a laptop
    form = dialog.form
    type_chinese(form.inputs["title"].widget, "玉米秸秆饲料化加工技术需求")  # (an empty title left is red too)
    pick(form.inputs["demand_type"], "成果引进转化")
    problem, name = form.inputs["problem"].widget, form.inputs["contact_name"].widget
    qtbot.waitUntil(lambda: problem.height() > 0 and dialog.scroll_area.verticalScrollBar().maximum() > 0)
    before = (problem.height(), name.mapTo(form, QPoint(0, 0)).y())

    email = form.inputs["contact_email"].widget
    email.setFocus()
    qtbot.keyClicks(email, "zhang@jlau")
    form.inputs["contact_phone"].widget.setFocus()  # leaving the e-mail shows its message at once
    qtbot.waitUntil(lambda: form.error_text("contact_email") != "")
    qtbot.waitUntil(lambda: form.errors["contact_email"].height() > 0)
    QApplication.sendPostedEvents()  # the scroll area's answer to the new layout (it resizes the form) too
    QApplication.processEvents()
    assert (problem.height(), name.mapTo(form, QPoint(0, 0)).y()) == before
