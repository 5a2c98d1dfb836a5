"""My institutions: assigned ones first, search by name or credit code, filters by type and region, counts."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from specialist_app.gui import data
from specialist_app.gui.context import AppContext, icon
from specialist_app.gui.i18n import code_label
from specialist_app.gui.institutions_model import COL_NAME, InstitutionsModel
from specialist_app.gui.pages.base import Page, record_table
from specialist_app.gui.row_model import ID_ROLE
from sync import codes as C

SEARCH_DEBOUNCE_MS = 200


class InstitutionsPage(Page):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, self.tr("My institutions"), parent)
        self.model = InstitutionsModel(ctx.lang, self)
        self.loaded_once = False

        filters = QHBoxLayout()
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("search")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.search_edit.setPlaceholderText(self.tr("Name or credit code"))
        self.search_edit.setAccessibleName(self.tr("Search institutions"))
        filters.addWidget(self.search_edit, 3)
        self.type_combo = QComboBox()
        self.type_combo.setAccessibleName(self.tr("Organisation type"))
        self.type_combo.addItem(self.tr("Any type"), "")
        for code in C.ORG_TYPE:
            self.type_combo.addItem(code_label(C.ORG_TYPE, code.value, ctx.lang), code.value)
        filters.addWidget(self.type_combo)
        self.region_edit = QLineEdit()
        self.region_edit.setPlaceholderText(self.tr("Region code, e.g. 2201"))
        self.region_edit.setAccessibleName(self.tr("Region code prefix"))
        self.region_edit.setMaxLength(6)
        filters.addWidget(self.region_edit, 1)
        self.propose_button = QPushButton(icon("add"), self.tr("Propose a new institution"))
        self.propose_button.setObjectName("propose_institution")
        self.propose_button.setToolTip(self.tr("An institution met in the field; an administrator reviews it"))
        self.propose_button.clicked.connect(self.propose_institution)
        filters.addWidget(self.propose_button)
        self.body.addLayout(filters)

        self.table = record_table(self.model, "institutions", self.tr("Institutions"))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(self.open_institution)
        self.body.addWidget(self.table, 1)
        self.count_label = QLabel()
        self.body.addWidget(self.count_label)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self.refresh)
        self.search_edit.textChanged.connect(self._debounce.start)
        self.region_edit.textChanged.connect(self._debounce.start)
        self.type_combo.currentIndexChanged.connect(self.refresh)

    def refresh(self) -> None:
        self._debounce.stop()
        job = data.my_institutions(self.search_edit.text().strip(), self.type_combo.currentData() or None,
                                   self.region_edit.text().strip() or None)
        self.ctx.runner.submit(job, self._show, key="my-institutions")

    def _show(self, rows: list[dict[str, Any]]) -> None:
        self.model.set_rows(rows)
        self.loaded_once = True
        assigned = sum(1 for row in rows if row.get("assigned"))
        self.count_label.setText(
            self.tr("%1 institutions, %2 assigned to you").replace("%1", str(len(rows))).replace("%2", str(assigned)))

    def open_institution(self, index: QModelIndex) -> None:
        """The institution's page (profile, contacts, visits, achievements, demands)."""
        from specialist_app.gui.institution_window import open_institution

        open_institution(self.ctx, str(self.model.data(index, ID_ROLE)), self)

    def propose_institution(self) -> None:
        from specialist_app.gui.editors.dialog import open_editor

        open_editor(self.ctx, "institution", parent=self)
