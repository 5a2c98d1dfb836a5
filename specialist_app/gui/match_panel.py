"""The 对接 tab of a demand or achievement: suggested achievements, experts or demands with their reasons.

Matching runs on the task runner (the first one in a session also loads jieba's dictionary, ~1-2 s); the UI
only shows the answer. Suggestions come from the record as stored: unsaved edits count after saving.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from specialist_app.gui.context import AppContext
from specialist_app.gui.match_list import MatchList
from specialist_app.gui.search_model import digest_tag
from specialist_app.matching import engine
from specialist_app.matching.reasons import render
from specialist_app.services import matches
from specialist_app.services import search as search_service
from specialist_app.services.uow import ReadUnitOfWork
from specialist_app.store.db import Store
from sync.entities import ENTITIES
from sync.messages import in_language
from sync.permissions import refusal_text

PAGE = 20
TARGETS = {"demand": ("achievement", "expert"), "achievement": ("demand",)}
OPENABLE = ("achievement", "demand")  # suggestions that open in an editor (experts are the market's catalog)
DIGEST_ROLE = Qt.ItemDataRole.UserRole + 1  # the province of a suggestion held only as a digest, else None
HIGHLIGHT = "background-color:#fff1a8;"
FOR_COLOUR, AGAINST_COLOUR = "#1b7f3b", "#b3261e"


def suggestions_job(entity: str, record_id: str, target: str) -> Callable[[Store], engine.Result | None]:
    """A job (for TaskRunner.submit) ranking `target` records for one stored record."""

    def run(store: Store) -> engine.Result | None:
        search_service.prepare_index(store)
        with ReadUnitOfWork(store) as read:
            return engine.suggest(read.conn, entity, record_id, target)

    return run


def highlighted(text: str, terms: tuple[str, ...]) -> str:
    """`text` as HTML with each occurrence of the shared terms marked (longest first, case-insensitive for
    Latin words; Chinese as written)."""
    lower = text.lower()
    marks = [False] * len(text)
    for term in sorted(terms, key=len, reverse=True):
        start = lower.find(term)
        while term and start >= 0:
            marks[start:start + len(term)] = [True] * len(term)
            start = lower.find(term, start + len(term))
    out, run = [], ""
    for i, char in enumerate(text):
        if i and marks[i] != marks[i - 1]:
            out.append(f'<span style="{HIGHLIGHT}">{html.escape(run)}</span>' if marks[i - 1] else html.escape(run))
            run = ""
        run += char
    if run:
        out.append(f'<span style="{HIGHLIGHT}">{html.escape(run)}</span>' if marks[-1] else html.escape(run))
    return "".join(out)


class MatchPanel(QWidget):
    """Suggestions for one demand or achievement; loads when first shown and when asked again."""

    created = Signal(str)  # a match record was created from a suggestion: its id

    def __init__(self, ctx: AppContext, entity: str, record_id: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("match_panel")
        self.ctx = ctx
        self.entity = entity
        self.record_id = record_id
        self.result: engine.Result | None = None
        self.shown = 0
        self._loaded_for: tuple[str, str] | None = None

        layout = QVBoxLayout(self)
        self.match_list = MatchList(ctx)  # the record's matches above its suggestions
        layout.addWidget(self.match_list)
        self._list_matches()
        top = QHBoxLayout()
        self.target_combo = QComboBox()
        self.target_combo.setObjectName("match_target")
        self.target_combo.setAccessibleName(self.tr("Suggest"))
        for target in TARGETS[entity]:
            e = ENTITIES[target]
            self.target_combo.addItem(in_language(e, ctx.lang), target)
        self.target_combo.setVisible(len(TARGETS[entity]) > 1)
        self.target_combo.currentIndexChanged.connect(lambda _: self.load())
        top.addWidget(QLabel(self.tr("Suggestions from the records on this computer, best first:")), 1)
        top.addWidget(self.target_combo)
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.refresh_button.setObjectName("match_refresh")
        self.refresh_button.clicked.connect(lambda: self.load(force=True))
        top.addWidget(self.refresh_button)
        layout.addLayout(top)

        self.status_label = QLabel()
        self.status_label.setObjectName("match_status")
        self.status_label.setWordWrap(True)
        layout.addWidget(self.status_label)

        splitter = QSplitter(Qt.Orientation.Vertical)
        self.list = QListWidget()
        self.list.setObjectName("suggestions")
        self.list.setProperty("data_text", True)
        self.list.currentRowChanged.connect(self._show_reasons)
        self.list.itemDoubleClicked.connect(self._open)
        splitter.addWidget(self.list)
        self.reasons = QTextBrowser()
        self.reasons.setObjectName("reasons")
        self.reasons.setProperty("data_text", True)
        splitter.addWidget(self.reasons)
        splitter.setSizes([300, 200])
        layout.addWidget(splitter, 1)

        bottom = QHBoxLayout()
        self.more_button = QPushButton(self.tr("Show %1 more").replace("%1", str(PAGE)))
        self.more_button.setObjectName("match_more")
        self.more_button.clicked.connect(self.show_more)
        self.open_button = QPushButton(self.tr("Open"))
        self.open_button.setObjectName("match_open")
        self.open_button.clicked.connect(lambda: self._open(self.list.currentItem()))
        self.create_button = QPushButton(self.tr("Create match record"))
        self.create_button.setObjectName("match_create")
        self.create_button.setToolTip(self.tr(
            "Record this suggestion as a match record: suggested by the algorithm, stage Recommended, dated today"))
        self.create_button.clicked.connect(self.create_match)
        bottom.addWidget(self.more_button)
        bottom.addStretch(1)
        bottom.addWidget(self.create_button)
        bottom.addWidget(self.open_button)
        layout.addLayout(bottom)
        self._update_buttons()
        if record_id is None:
            self.status_label.setText(self.tr("Save the record first: suggestions are made from the saved record."))

    def target(self) -> str:
        return str(self.target_combo.currentData())

    def set_record(self, record_id: str) -> None:
        """The record was saved (first save of a new one, or an edit): suggestions follow its stored values."""
        self.record_id = record_id
        self._loaded_for = None
        self._list_matches()
        if self.isVisible():
            self.load()

    def _list_matches(self) -> None:
        entity, record_id = self.entity, self.record_id
        self.match_list.set_finder(None if record_id is None
                                   else lambda uow: matches.matches_of(uow, entity, record_id))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.load()

    def load(self, force: bool = False) -> None:
        if self.record_id is None:
            return
        wanted = (self.record_id, self.target())
        if wanted == self._loaded_for and not force:
            return
        self._loaded_for = wanted
        self.status_label.setText(self.tr("Finding suggestions…"))
        self.list.clear()
        self.reasons.clear()
        self.result, self.shown = None, 0
        self._update_buttons()
        self.ctx.runner.submit(suggestions_job(self.entity, self.record_id, self.target()),
                               lambda result: self._on_result(wanted, result), self._on_error,
                               key=f"match:{id(self)}", owner=self)

    def _on_result(self, wanted: tuple[str, str], result: engine.Result | None) -> None:
        if wanted != self._loaded_for:
            return  # an older request's answer
        self.result = result
        if result is None:
            self.status_label.setText(self.tr("This record is not in the local store."))
            return
        if not result.suggestions:
            self.status_label.setText(self.tr(
                "No suggestions: no record shares a telling word with this one. Add keywords or describe the"
                " problem in more words, then refresh."))
            return
        if result.capped:  # not every record sharing a word was ranked: "120 share words" would be untrue
            self.status_label.setText(self.tr(
                "The %1 records sharing the most telling words with this one (more share a few).").replace(
                "%1", str(len(result.suggestions))))
        else:
            self.status_label.setText(self.tr("%1 records share words with this one.").replace(
                "%1", str(len(result.suggestions))))
        self.show_more()
        self.list.setCurrentRow(0)

    def _on_error(self, exc: BaseException) -> None:
        self.status_label.setText(self.tr("Suggestions failed: %1").replace("%1", str(exc)))

    def show_more(self) -> None:
        if self.result is None:
            return
        for s in self.result.suggestions[self.shown:self.shown + PAGE]:
            tag = "" if s.digest_province is None else digest_tag(s.digest_province, self.ctx.lang) + " "
            item = QListWidgetItem(f"{s.score:.2f}   {tag}{s.title}" + (f"  —  {s.subtitle}" if s.subtitle else ""))
            item.setData(Qt.ItemDataRole.UserRole, s.id)
            item.setData(DIGEST_ROLE, s.digest_province)
            if s.digest_province is not None:
                item.setToolTip(self.tr("Only a digest is on this computer: double-click to read it in full from"
                                        " the server"))
            self.list.addItem(item)
        self.shown = self.list.count()
        self._update_buttons()

    def _update_buttons(self) -> None:
        total = len(self.result.suggestions) if self.result else 0
        self.more_button.setEnabled(self.shown < total)
        self.open_button.setEnabled(self.target() in OPENABLE and self.list.currentItem() is not None)
        self.create_button.setEnabled(self.list.currentItem() is not None)

    def _show_reasons(self, row: int) -> None:
        self._update_buttons()
        if self.result is None or not 0 <= row < len(self.result.suggestions):
            self.reasons.clear()
            return
        s = self.result.suggestions[row]
        lines = [f"<p><b>{highlighted(s.title, s.shared)}</b><br/>{html.escape(s.subtitle)}</p>",
                 '<ul style="list-style-type:none">']  # each reason's + or − is its marker, not a bullet beside it
        for r in s.reasons:
            colour, sign = (AGAINST_COLOUR, "−") if r.against else (FOR_COLOUR, "+")
            text = render(r, self.ctx.lang)
            body = highlighted(text, s.shared) if r.code == "shared_terms" else html.escape(text)
            lines.append(f'<li><span style="color:{colour}">{sign}</span> {body}</li>')
        lines.append("</ul>")
        if s.digest_province is not None:  # what it was compared on: its summary is not here, and did not count
            lines.append("<p>" + html.escape(self.tr(
                "Only a digest of this record is on this computer (another province): it was compared on its title,"
                " keywords, field, maturity, transfer modes and price; its summary was not compared and does not"
                " count against it. Open it to read it in full.")) + "</p>")
        self.reasons.setHtml("".join(lines))

    def create_match(self) -> None:
        """Store the selected suggestion as a match record (through the matches service), then open it."""
        item = self.list.currentItem()
        if item is None or self.record_id is None:
            return
        self.create_button.setEnabled(False)
        job = partial(matches.create_from_suggestion, source_entity=self.entity, source_id=self.record_id,
                      target_entity=self.target(), target_id=str(item.data(Qt.ItemDataRole.UserRole)),
                      username=self.ctx.username)
        self.ctx.runner.submit(job, self._on_created, self._on_create_failed, owner=self)

    def _on_created(self, created: matches.Created) -> None:
        from specialist_app.gui.editors.dialog import open_editor

        self._update_buttons()
        if created.existed:
            self.status_label.setText(self.tr(
                "This pair already has a match record; it is open in its editor (no second one was made)."))
        else:
            self.status_label.setText(self.tr("Match record created (stage Recommended); it is open in its editor."))
            self.ctx.events.changed.emit("match_record")
        self.created.emit(created.id)
        open_editor(self.ctx, "match_record", created.id, parent=self.window())

    def _on_create_failed(self, exc: BaseException) -> None:
        self._update_buttons()
        if isinstance(exc, matches.MatchRefused):  # the market would send it back at the next sync
            reason = refusal_text(exc.refusal, self.ctx.lang) + "\n" + self.tr(
                "A match record is yours to make when its demand or its achievement belongs to an institution"
                " assigned to you.")
        else:
            reason = str(exc)
        self.status_label.setText(self.tr("The match record was not created: %1").replace("%1", reason))

    def _open(self, item: QListWidgetItem | None) -> None:
        if item is None or self.target() not in OPENABLE:
            return
        if item.data(DIGEST_ROLE) is not None:  # held only as a digest: its read-only view, read in full online
            from specialist_app.gui.digest_view import open_digest

            open_digest(self.ctx, str(item.data(Qt.ItemDataRole.UserRole)), parent=self.window())
            return
        from specialist_app.gui.editors.dialog import open_editor

        open_editor(self.ctx, self.target(), str(item.data(Qt.ItemDataRole.UserRole)), parent=self.window())
