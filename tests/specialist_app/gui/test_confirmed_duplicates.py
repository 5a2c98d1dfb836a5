"""A duplicate the market confirmed: not offered in pickers or the 对接 chooser, kept and marked in its history."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from specialist_app.gui.context import AppContext
from specialist_app.gui.editors.ref_inputs import RefInput
from specialist_app.gui.institution_models import AchievementsModel
from specialist_app.gui.institution_window import InstitutionWindow
from tests.specialist_app.gui.editor_helpers import close_opened, open_loaded, read_store


@pytest.fixture(autouse=True)
def close_windows() -> Iterator[None]:
    yield
    close_opened()


def _confirm(data_dir: Path, entity: str, kept: str, twin: str) -> None:
    """What a pull of the administrator's decision leaves in the store."""
    read_store(data_dir, lambda uow: (uow.conn.exec_driver_sql(
        f"UPDATE {entity} SET duplicate_of = ?, duplicate_state = 'confirmed' WHERE id = ?", (kept, twin)),
        uow.commit()))


def _choices(qtbot: QtBot, field_input: object) -> list[str]:
    assert isinstance(field_input, RefInput)
    qtbot.waitUntil(lambda: field_input.combo.count() > 1)
    return [field_input.combo.itemText(i) for i in range(1, field_input.combo.count())]


def test_the_institution_picker_offers_it_only_to_a_record_that_names_it(
    qtbot: QtBot, ctx: AppContext, seed: Callable[..., list[str]], data_dir: Path,
) -> None:
    [kept, twin] = seed("institution", [{"name": "长春光华科技有限公司", "org_type": "enterprise"},
                                        {"name": "长春光華科技有限責任公司", "org_type": "enterprise"}])
    [visit] = seed("visit", [{"institution_id": twin, "status": "planned", "purpose": "回访"}])
    _confirm(data_dir, "institution", kept, twin)
    new = open_loaded(qtbot, ctx, "visit")
    assert _choices(qtbot, new.form.inputs["institution_id"]) == ["长春光华科技有限公司"]
    old = open_loaded(qtbot, ctx, "visit", visit)
    assert "长春光華科技有限責任公司" in _choices(qtbot, old.form.inputs["institution_id"])
    assert old.form.values()["institution_id"] == twin  # a save keeps the institution it names


def test_its_institution_lists_it_marked_and_does_not_match_from_it(
    qtbot: QtBot, ctx: AppContext, seed: Callable[..., list[str]], data_dir: Path, zh_translator: None,
) -> None:
    [inst] = seed("institution", [{"name": "长春光机所", "org_type": "institute"}])
    [kept, twin] = seed("achievement", [{"title": "激光测距仪", "institution_id": inst},
                                        {"title": "激光測距儀", "institution_id": inst}])
    _confirm(data_dir, "achievement", kept, twin)
    window = InstitutionWindow(ctx, inst)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.achievements_model.rowCount() == 2)
    titles = {window.achievements_model.index(i, AchievementsModel.COL_TITLE).data() for i in range(2)}
    assert titles == {"激光测距仪", "激光測距儀（已确认重复）"}  # its history stays, marked
    combo = window.matching.record_combo
    assert [combo.itemData(i) for i in range(combo.count())] == [("achievement", kept)]
