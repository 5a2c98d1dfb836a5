"""A match record (对接记录) is typed offline in the generic editor, checked like every record, and queued to push."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from specialist_app.gui.context import AppContext
from specialist_app.services import records
from sync import codes as C
from sync.entities import ENTITIES
from sync.fields import Kind
from tests.specialist_app.gui.editor_helpers import close_opened, open_loaded, outbox_rows, pick, read_store


@pytest.fixture(autouse=True)
def close_editors() -> Iterator[None]:
    yield
    close_opened()


def test_a_match_record_is_saved_offline_and_a_terminated_one_needs_a_reason(
    qtbot: QtBot, ctx: AppContext, seed: Callable[..., list[str]], data_dir: Path,
) -> None:
    [inst] = seed("institution", [{"name": "长春光华科技有限公司", "org_type": "enterprise"}])
    [demand] = seed("demand", [
        {"title": "微型光谱仪生产线智能化改造", "demand_type": "tackling", "institution_id": inst}])
    [ach] = seed("achievement", [{"title": "光栅尺读数头", "institution_id": inst}])
    # As a suggestion opens it: the demand and the achievement chosen, the rest to type (the catalog has no
    # picker of demands, achievements or experts yet).
    shown = [f.name for f in ENTITIES["match_record"].editable_fields() if f.kind is not Kind.REF]
    dialog = open_loaded(qtbot, ctx, "match_record", fixed={"demand_id": demand, "achievement_id": ach},
                         fields=shown)
    inputs = dialog.form.inputs
    pick(inputs["source"], C.MATCH_SOURCE.label("algorithm"))
    pick(inputs["stage"], C.MATCH_STAGE.label("terminated"))
    dialog.save()
    assert dialog.error_label.isVisible()  # 终止原因 is missing: nothing saved
    assert not [op for op in outbox_rows(data_dir) if op[0] == "match_record"]

    pick(inputs["stage"], C.MATCH_STAGE.label("negotiating"))
    with qtbot.waitSignal(dialog.saved) as saved:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    stored = read_store(data_dir, lambda uow: records.get(uow, "match_record", saved.args[0]))
    assert (stored["demand_id"], stored["achievement_id"], stored["stage"]) == (demand, ach, "negotiating")
    assert ("match_record", saved.args[0], "create") in outbox_rows(data_dir)
