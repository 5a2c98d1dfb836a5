"""Child tables size each column to its header and its input's longest choice (English labels are long)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QComboBox
from pytestqt.qtbot import QtBot

from specialist_app.gui.editors.child_table import ChildTable
from sync.entities import IP_ITEM


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_the_ip_kind_column_shows_invention_patent_whole(qtbot: QtBot, lang: str) -> None:
    table = ChildTable(IP_ITEM, lang, "IP item")
    qtbot.addWidget(table)
    table.resize(800, 300)
    table.show()
    table.add_row({"kind": "invention", "number": "ZL202210000001.2"})
    column = table.field_names.index("kind")
    combo = table.cell(0, "kind").widget.findChild(QComboBox) or table.cell(0, "kind").widget
    assert isinstance(combo, QComboBox)
    text = combo.currentText()
    assert text == ("Invention patent" if lang == "en" else "发明专利")
    shown = table.table.columnWidth(column)
    assert shown >= combo.sizeHint().width()
    assert shown > combo.fontMetrics().horizontalAdvance(text) + 20  # the text and the drop-down arrow
    for other in range(len(table.field_names)):
        header = table.table.horizontalHeaderItem(other)
        assert header is not None
        assert table.table.columnWidth(other) >= table.fontMetrics().horizontalAdvance(header.text())


def test_the_follow_up_item_takes_the_spare_width_not_the_done_tick(qtbot: QtBot) -> None:
    from sync.entities import ENTITIES

    table = ChildTable(ENTITIES["follow_up"], "zh_CN", "后续事项")
    qtbot.addWidget(table)
    table.resize(900, 300)
    table.show()
    table.add_row({"action": "寄送样品检测报告", "owner": "王工", "due_date": "2026-12-09"})
    qtbot.waitUntil(lambda: table.table.viewport().width() > 700)
    widths = {name: table.table.columnWidth(i) for i, name in enumerate(table.field_names)}
    assert widths["action"] == max(widths.values())
    assert widths["done"] < widths["owner"] < widths["action"]
