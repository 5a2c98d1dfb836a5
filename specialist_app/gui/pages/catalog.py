"""Catalog list pages (achievements, demands, experts): search-as-you-type, filters, sorting, paged rows."""

from __future__ import annotations

import html

from PySide6.QtCore import QCoreApplication, QModelIndex, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from specialist_app.gui.context import AppContext, icon
from specialist_app.gui.i18n import code_label
from specialist_app.gui.pages.base import Page, record_table
from specialist_app.gui.search_model import (
    COL_SNIPPET,
    COL_SUBTITLE,
    COL_TITLE,
    DIGEST_ROLE,
    ID_ROLE,
    SearchResultsModel,
)
from specialist_app.gui.spin_typing import DigitsReplaceSpecialText
from specialist_app.services.search import SearchFilters, SearchPage, SearchSort
from sync import codes as C
from sync.entities import ENTITIES, Writes
from sync.messages import choose

SEARCH_DEBOUNCE_MS = 0  # the runner runs only the latest waiting query; a search takes ~20 ms


class CatalogPage(Page):
    """One entity's catalog list; the title comes from the entity (data in both languages)."""

    def __init__(self, ctx: AppContext, entity: str, parent: QWidget | None = None) -> None:
        titles = {
            "achievement": QCoreApplication.translate("CatalogPage", "Achievements"),
            "demand": QCoreApplication.translate("CatalogPage", "Demands"),
            "expert": QCoreApplication.translate("CatalogPage", "Experts"),
        }
        super().__init__(ctx, titles[entity], parent)
        self.entity = entity
        self.model = SearchResultsModel(ctx.runner, entity, ctx.lang, self)
        self._started = False

        filters = QHBoxLayout()
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("search")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.search_edit.setPlaceholderText(self.tr("Search title, keywords, people… (Chinese or English)"))
        self.search_edit.setAccessibleName(self.tr("Search"))
        filters.addWidget(self.search_edit, 3)

        self.org_type_combo = self._code_combo(C.ORG_TYPE, self.tr("Any organisation type"))
        self.org_type_combo.setAccessibleName(self.tr("Organisation type"))
        filters.addWidget(self.org_type_combo)
        self.mode_combo: QComboBox | None = None
        self.trl_min_spin: QSpinBox | None = None
        schema = ENTITIES[entity]
        self.editable = schema.writes is not Writes.ADMIN  # experts are the market's catalog, kept by admins
        mode_texts = {  # the entity's facet of ways to cooperate, by its field
            "transfer_modes": (self.tr("Any transfer mode"), self.tr("Transfer mode")),
            "coop_modes": (self.tr("Any cooperation mode"), self.tr("Cooperation mode")),
        }
        mode_field = next((name for name in mode_texts if schema.has(name)), None)
        if mode_field is not None:
            any_mode, mode_name = mode_texts[mode_field]
            self.mode_combo = self._code_combo(schema.field(mode_field).codes or C.TRANSFER_MODE, any_mode)
            self.mode_combo.setAccessibleName(mode_name)
            filters.addWidget(self.mode_combo)
        if schema.has("trl"):
            self.trl_min_spin = QSpinBox()
            self.trl_min_spin.setRange(0, 9)
            self.trl_min_spin.setSpecialValueText(self.tr("Any TRL"))
            self.trl_min_spin.setPrefix(self.tr("TRL ≥ "))
            self.trl_min_spin.setAccessibleName(self.tr("Lowest TRL"))
            DigitsReplaceSpecialText(self.trl_min_spin)  # 3 typed over 不限就绪水平 is TRL ≥ 3
            filters.addWidget(self.trl_min_spin)
            self.trl_min_spin.valueChanged.connect(self._schedule)
        if self.mode_combo is not None:
            self.mode_combo.currentIndexChanged.connect(self._schedule)
        self.org_type_combo.currentIndexChanged.connect(self._schedule)

        self.sort_combo = QComboBox()
        self.sort_combo.setAccessibleName(self.tr("Sort by"))
        self.sort_combo.addItem(self.tr("Best match"), SearchSort.RELEVANCE.value)
        self.sort_combo.addItem(self.tr("Newest"), SearchSort.NEWEST.value)
        self.sort_combo.addItem(self.tr("Title"), SearchSort.TITLE.value)
        self.sort_combo.currentIndexChanged.connect(self._schedule)
        filters.addWidget(QLabel(self.tr("Sort:")))
        filters.addWidget(self.sort_combo)
        self.new_button: QPushButton | None = None
        if self.editable:
            self.new_button = QPushButton(icon("add"), self.tr("New"))
            self.new_button.setObjectName("new_record")
            self.new_button.clicked.connect(lambda: self.open_record(None))
            filters.addWidget(self.new_button)
        self.body.addLayout(filters)

        self.table = record_table(self.model, "results", self.tr("Results"))
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(COL_TITLE, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_SUBTITLE, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_SNIPPET, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(COL_TITLE, 340)
        header.resizeSection(COL_SUBTITLE, 260)
        self.table.doubleClicked.connect(self._open_index)
        self.body.addWidget(self.table, 1)

        self.total_label = QLabel()
        self.total_label.setObjectName("total")
        self.total_label.setWordWrap(True)
        self.total_label.linkActivated.connect(self._follow_link)
        self.body.addWidget(self.total_label)
        self.model.summary_changed.connect(self._show_summary)
        self._suggestion: str | None = None

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self.run_search)
        self.search_edit.textChanged.connect(self._schedule)
        self._saved_since_search = False
        ctx.events.saved.connect(self._on_saved)

    def _on_saved(self, entity: str, _title: str) -> None:
        """A record of this list was saved (here or from an institution window): the list shows it as saved now,
        at once when the page is in view, else when it comes back into view."""
        if entity != self.entity or not self._started:
            return
        if self.isVisible():
            self.run_search()
        else:
            self._saved_since_search = True

    def _code_combo(self, table: C.CodeTable, any_text: str) -> QComboBox:
        combo = QComboBox()
        combo.addItem(any_text, "")
        for code in table:
            combo.addItem(code_label(table, code.value, self.ctx.lang), code.value)
        return combo

    def refresh(self) -> None:
        if not self._started or self._saved_since_search:
            self._started = True
            self.run_search()
        # Later visits keep the list as it is: a sync's changes re-run the search only when one is asked for; the
        # user's own saves of this entity do (_on_saved).

    def filters(self) -> SearchFilters:
        org_type = self.org_type_combo.currentData()
        mode = self.mode_combo.currentData() if self.mode_combo is not None else ""
        trl_min = self.trl_min_spin.value() if self.trl_min_spin is not None else 0
        return SearchFilters(
            org_types=(org_type,) if org_type else (),
            transfer_modes=(mode,) if mode else (),
            trl_min=trl_min or None,
        )

    def _schedule(self) -> None:
        self._debounce.start()

    def run_search(self) -> None:
        self._debounce.stop()
        self._started = True
        self._saved_since_search = False
        self.model.set_search(self.search_edit.text(), self.filters(), SearchSort(self.sort_combo.currentData()))

    def _show_summary(self, page: SearchPage) -> None:
        """Totals by where they matched, or for an empty result what was searched and how to widen it."""
        self._suggestion = page.suggestion
        query = self.model.request.query.strip()
        self.total_label.setToolTip("")
        if page.total_capped:  # counting stopped at the cap: no split by where they matched (not counted)
            self.total_label.setText(self.tr("More than %1 found").replace("%1", f"{page.total:,}"))
            self.total_label.setToolTip(self.tr(
                "Counting stops at %1 so that search keeps up with typing; the list goes on as you scroll."
                " Type more characters or set a filter to narrow it.").replace("%1", f"{page.total:,}"))
            return
        if page.total:
            text = self.tr("%1 found").replace("%1", f"{page.total:,}")
            if page.total_by and page.total_text is not None:
                text = self.tr("%1 found: %2 in title/text, %3 by institution or people").replace(
                    "%1", f"{page.total:,}").replace("%2", f"{page.total_text:,}").replace("%3", f"{page.total_by:,}")
            self.total_label.setText(text)
            return
        if page.unsearchable:
            self.total_label.setText(self.tr(
                "Nothing to search for in “%1”: type Chinese characters, letters or digits.").replace("%1", query))
            return
        parts = [self.tr("No results for “%1” in titles, keywords, texts, units and people.").replace("%1", query)
                 if query else self.tr("No records.")]
        if page.suggestion:
            parts.append(self.tr("Did you mean %1?").replace(
                "%1", f'<a href="suggest">{html.escape(page.suggestion)}</a>'))
        if self.filters() != SearchFilters():
            parts.append(self.tr('<a href="clear">Clear the filters</a> to search everything.'))
        if len(query) > 2:
            parts.append(self.tr("Try fewer characters or one keyword."))
        space = choose(self.ctx.lang, "", " ")  # Chinese sentences follow each other without a space
        self.total_label.setText(space.join(html.escape(p) if "<a " not in p else p for p in parts))

    def _follow_link(self, link: str) -> None:
        if link == "suggest" and self._suggestion:
            self.search_edit.setText(self._suggestion)
        elif link == "clear":
            self.org_type_combo.setCurrentIndex(0)
            if self.mode_combo is not None:
                self.mode_combo.setCurrentIndex(0)
            if self.trl_min_spin is not None:
                self.trl_min_spin.setValue(0)

    def _open_index(self, index: QModelIndex) -> None:
        """A digest opens in its read-only view (its full text read from the server); a record in its editor."""
        if self.model.data(index, DIGEST_ROLE):
            from specialist_app.gui.digest_view import open_digest

            open_digest(self.ctx, str(self.model.data(index, ID_ROLE)), parent=self)
            return
        self.open_record(self.model.data(index, ID_ROLE))

    def open_record(self, record_id: object) -> None:
        """The record's editor (a new record when `record_id` is None)."""
        if not self.editable:
            return
        from specialist_app.gui.editors.dialog import open_editor

        open_editor(self.ctx, self.entity, str(record_id) if record_id else None, parent=self)
