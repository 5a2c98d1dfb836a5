"""The generated achievement editor: every field kind round-trips through real widgets; validation blocks saving."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from specialist_app.gui.context import AppContext
from specialist_app.gui.editors.date_inputs import DateInput
from specialist_app.gui.editors.inputs import (
    CodeInput,
    CodesInput,
    LongTextInput,
    MoneyInput,
    StringsInput,
    TextInput,
)
from specialist_app.gui.editors.ref_inputs import RefInput
from specialist_app.services import records
from sync import codes as C
from tests.specialist_app.gui.editor_helpers import (
    close_opened,
    open_loaded,
    outbox_rows,
    pick,
    read_store,
    type_chinese,
)


@pytest.fixture(autouse=True)
def close_editors() -> Iterator[None]:
    yield
    close_opened()


def test_every_field_kind_round_trips(qtbot: QtBot, ctx: AppContext, seed: Callable[..., list[str]],
                                      data_dir: Path) -> None:
    [inst] = seed("institution", [{"name": "吉林大学", "org_type": "university"}])
    dialog = open_loaded(qtbot, ctx, "achievement")
    form = dialog.form
    inputs = form.inputs
    assert isinstance(inputs["title"], TextInput)
    type_chinese(inputs["title"].edit, "玉米秸秆还田")
    qtbot.keyClicks(inputs["reg_no"].widget, "220100000001")
    institution = inputs["institution_id"]
    assert isinstance(institution, RefInput)
    qtbot.waitUntil(lambda: institution.combo.count() > 1)
    pick(institution, "吉林大学")
    assert isinstance(inputs["inventors"], StringsInput)
    qtbot.keyClicks(inputs["inventors"].edit, "Zhang San, Li Si")
    qtbot.keyClicks(inputs["keywords"].widget, "maize")
    trl = inputs["trl"]
    assert isinstance(trl, CodeInput)
    assert trl.combo.count() == 10 and "7" in trl.combo.itemText(7)  # "—" then levels 1-9 with descriptions
    trl.combo.setCurrentIndex(7)
    pick(inputs["stage"], C.ACHIEVEMENT_STAGE.label("pilot"))
    assert isinstance(inputs["summary"], LongTextInput)
    qtbot.keyClicks(inputs["summary"].edit, "Line one")
    modes = inputs["transfer_modes"]
    assert isinstance(modes, CodesInput)
    modes.boxes["license"].click()
    modes.boxes["equity"].click()
    pick(inputs["price_mode"], C.PRICE_MODE.label("fixed"))
    price = inputs["price"]
    assert isinstance(price, MoneyInput)
    price.spin.lineEdit().selectAll()
    qtbot.keyClicks(price.spin, "35.5")
    form.confidential["price"].click()
    qtbot.keyClicks(inputs["contact_email"].widget, "li@jlu.edu.cn")

    ip = dialog.child_tables["ip_item"]
    qtbot.mouseClick(ip.add_button, Qt.MouseButton.LeftButton)
    pick(ip.cell(0, "kind"), C.IP_KIND.label("invention"))
    qtbot.keyClicks(ip.cell(0, "number").widget, "ZL202210000001.2")
    filed = ip.cell(0, "filed_on")
    assert isinstance(filed, DateInput)
    qtbot.keyClicks(filed.edit, "2022/3/1")

    with qtbot.waitSignal(dialog.saved) as saved:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    achievement_id = saved.args[0]
    stored = read_store(data_dir, lambda uow: records.get(uow, "achievement", achievement_id))
    assert stored["title"] == "玉米秸秆还田"
    assert stored["reg_no"] == "220100000001"
    assert stored["institution_id"] == inst
    assert stored["inventors"] == ["Zhang San", "Li Si"]
    assert stored["trl"] == 7 and stored["stage"] == "pilot"
    assert stored["summary"] == "Line one"
    assert stored["transfer_modes"] == ["license", "equity"]
    assert stored["price_mode"] == "fixed" and stored["price"] == 35.5
    assert stored["confidential_fields"] == ["price"]
    assert stored["contact_email"] == "li@jlu.edu.cn"
    ops = outbox_rows(data_dir)
    assert ("achievement", achievement_id, "create") in ops
    assert next(op for op in ops if op[0] == "ip_item")[2] == "create"

    again = open_loaded(qtbot, ctx, "achievement", achievement_id)
    shown = again.form.values()
    for name in ("title", "reg_no", "institution_id", "trl", "stage", "transfer_modes", "price_mode", "price",
                 "confidential_fields", "contact_email"):
        assert shown[name] == stored[name], name
    assert again.child_tables["ip_item"].row_count() == 1
    assert again.child_tables["ip_item"].cell(0, "filed_on").value() == "2022-03-01"
    assert again.child_tables["ip_item"].cell(0, "number").value() == "ZL202210000001.2"


def test_validation_shown_next_to_fields_and_nothing_saved_until_fixed(
        qtbot: QtBot, ctx: AppContext, data_dir: Path) -> None:
    dialog = open_loaded(qtbot, ctx, "achievement")
    form = dialog.form
    qtbot.keyClicks(form.inputs["reg_no"].widget, "123")
    pick(form.inputs["price_mode"], C.PRICE_MODE.label("fixed"))
    price = form.inputs["price"]
    assert isinstance(price, MoneyInput)
    qtbot.keyClicks(price.spin, "-5")
    assert price.value() is None or price.value() >= 0  # a negative price cannot be typed
    price.set_value(None)  # (the 5 went in: a digit typed over the "—" replaces it)
    form.inputs["contact_email"].widget.setFocus()
    qtbot.keyClicks(form.inputs["contact_email"].widget, "not-an-address")
    form.inputs["title"].widget.setFocus()  # leaving the e-mail field shows its problem at once
    qtbot.waitUntil(lambda: form.error_text("contact_email") != "")
    assert form.error_text("title") == ""  # not visited yet: no "required" flood while filling in

    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "成果名称" in form.error_text("title")
    assert "12" in form.error_text("reg_no")
    assert form.error_text("price") != ""  # fixed price mode needs a price
    assert form.errors["title"].isVisible()
    assert outbox_rows(data_dir) == []

    type_chinese(form.inputs["title"].widget, "人参组培")
    form.inputs["reg_no"].set_value("")
    form.inputs["contact_email"].set_value("a@b.cn")
    pick(form.inputs["price_mode"], C.PRICE_MODE.label("negotiable"))
    with qtbot.waitSignal(dialog.saved):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert [op[0] for op in outbox_rows(data_dir)] == ["achievement"]
    assert form.error_text("title") == ""


def test_demand_editor_saves_and_enter_saves(qtbot: QtBot, ctx: AppContext, seed: Callable[..., list[str]],
                                             data_dir: Path) -> None:
    [inst] = seed("institution", [{"name": "长春某企业", "org_type": "enterprise"}])
    dialog = open_loaded(qtbot, ctx, "demand", prefill={"institution_id": inst}, draft_context=inst)
    institution = dialog.form.inputs["institution_id"]
    qtbot.waitUntil(lambda: institution.value() == inst)
    budget = dialog.form.inputs["budget"]
    assert isinstance(budget, MoneyInput)
    budget.set_value(120)
    pick(dialog.form.inputs["demand_type"], "技术攻关")
    type_chinese(dialog.form.inputs["title"].widget, "秸秆饲料化")
    with qtbot.waitSignal(dialog.saved) as saved:
        qtbot.keyClick(dialog.form.inputs["title"].widget, Qt.Key.Key_Return)
    stored = read_store(data_dir, lambda uow: records.get(uow, "demand", saved.args[0]))
    assert stored["title"] == "秸秆饲料化" and stored["budget"] == 120.0 and stored["institution_id"] == inst
