"""The window of one institution (opened from My institutions): profile, contacts, visit history with follow-ups,
achievements, demands, and actions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from specialist_app.gui.context import MARGIN, SPACING, TITLE_FONT_STEP, AppContext, icon
from specialist_app.gui.editors.dialog import open_editor
from specialist_app.gui.editors.visit_editor import EDIT, LOG, PLAN
from specialist_app.gui.follow_up_actions import FollowUpActions
from specialist_app.gui.i18n import code_label, field_label
from specialist_app.gui.institution_match import InstitutionMatchTab
from specialist_app.gui.institution_models import AchievementsModel, ContactsModel, DemandsModel, VisitHistoryModel
from specialist_app.gui.pages.base import data_label
from specialist_app.gui.row_model import ENTITY_ROLE, ID_ROLE, ROW_ROLE, list_view
from specialist_app.gui.screen_fit import resize_within_screen
from specialist_app.services import account, queries
from specialist_app.services.uow import ReadUnitOfWork
from specialist_app.store.db import Store
from sync.entities import ENTITIES, INSTITUTION, VISIT
from sync.permissions import refusal_text
from sync.regions import region_name

PROFILE_FIELDS = ("credit_code", "org_type", "region_code", "address", "website", "profile", "key_technologies",
                  "status")


def institution_history(id: str, username: str | None) -> Callable[[Store], dict[str, Any]]:
    """The institution's page data, with "profile_refusal": why the server would refuse this user's edit of its
    profile (sync.permissions, as last synced), or None; "records_refusal": the same for a new record of it (a
    visit, contact, achievement, demand: the rule is the same for all the records an institution governs)."""

    def run(store: Store) -> dict[str, Any]:
        with ReadUnitOfWork(store) as uow:
            found = queries.institution_history(uow, id) or {}
            who = account.load(uow, username)
            row = found.get("institution")
            refusal = account.write_refusal(uow, who, INSTITUTION, row) if row else None
            records = account.write_refusal(uow, who, VISIT, {"institution_id": id}, new=True) if row else None
            return {**found, "profile_refusal": refusal, "records_refusal": records}

    return run


class InstitutionWindow(QWidget):
    """Opened from My institutions (double-click); refreshes itself when data changes."""

    def __init__(self, ctx: AppContext, institution_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.ctx = ctx
        self.institution_id = institution_id
        self.history: dict[str, Any] | None = None
        self.setObjectName("institution_window")
        self.setWindowTitle(self.tr("Institution"))
        resize_within_screen(self, 1000, 720)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
        outer.setSpacing(SPACING)
        self.name_label = data_label()
        font = self.name_label.font()
        font.setPointSize(font.pointSize() + TITLE_FONT_STEP)
        font.setBold(True)
        self.name_label.setFont(font)
        outer.addWidget(self.name_label)

        actions = QHBoxLayout()
        self.plan_button = self._button(actions, "visit", self.tr("Plan visit"), "plan_visit",
                                        lambda: self._open_visit(None, PLAN))
        self.log_button = self._button(actions, "visit", self.tr("Log visit"), "log_visit",
                                       lambda: self._open_visit(None, LOG))
        new_achievement = self._button(actions, "achievement", self.tr("New achievement"), "new_achievement",
                                       lambda: self._open_new("achievement"))
        new_demand = self._button(actions, "demand", self.tr("New demand"), "new_demand",
                                  lambda: self._open_new("demand"))
        add_contact = self._button(actions, "add", self.tr("Add contact"), "add_contact", self._add_contact)
        # Records of this institution: offered only where the server accepts them (sync.permissions).
        self.record_buttons = [self.plan_button, self.log_button, new_achievement, new_demand, add_contact]
        self.edit_profile_button = self._button(
            actions, "institution", self.tr("Edit profile"), "edit_profile",
            lambda: open_editor(self.ctx, "institution", self.institution_id, parent=self))
        self.edit_profile_button.setEnabled(False)  # until the page knows who may edit it
        actions.addStretch(1)
        outer.addLayout(actions)

        self.tabs = QTabWidget()
        profile = QWidget()
        self.profile_form = QFormLayout(profile)
        self.profile_values: dict[str, QLabel] = {}
        for name in PROFILE_FIELDS:
            value = data_label()
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label = data_label(field_label(INSTITUTION.field(name), ctx.lang))
            self.profile_form.addRow(label, value)
            self.profile_values[name] = value
        self.tabs.addTab(profile, self.tr("Profile"))
        self.contacts_model = ContactsModel(ctx.lang, self)
        self.contacts = list_view(self.contacts_model, "contacts", self.tr("Contacts"))
        self.contacts.doubleClicked.connect(lambda index: self._open_record("contact", index))
        self.tabs.addTab(self.contacts, self.tr("Contacts"))
        self.visits_model = VisitHistoryModel(ctx.lang, self)
        self.visits = list_view(self.visits_model, "visits", self.tr("Visit history"), tree=True)
        self.visits.doubleClicked.connect(self._open_visit_index)
        self.visits.customContextMenuRequested.connect(self._visit_menu)
        self.follow_up_actions = FollowUpActions(ctx, self.open_visit_at, self)
        self.tabs.addTab(self.visits, self.tr("Visit history"))
        self.achievements_model = AchievementsModel(ctx.lang, self)
        self.achievements = list_view(self.achievements_model, "achievements", self.tr("Achievements"))
        self.achievements.doubleClicked.connect(lambda index: self._open_record("achievement", index))
        self.tabs.addTab(self.achievements, self.tr("Achievements"))
        self.demands_model = DemandsModel(ctx.lang, self)
        self.demands = list_view(self.demands_model, "demands", self.tr("Demands"))
        self.demands.doubleClicked.connect(lambda index: self._open_record("demand", index))
        self.tabs.addTab(self.demands, self.tr("Demands"))
        self.matching = InstitutionMatchTab(ctx, institution_id)
        self.tabs.addTab(self.matching, self.tr("Matching"))
        outer.addWidget(self.tabs, 1)
        ctx.events.changed.connect(self._on_data_changed)
        self.refresh()

    def _button(self, row: QHBoxLayout, icon_name: str, text: str, name: str,
                slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(icon(icon_name), text)
        button.setObjectName(name)
        button.clicked.connect(slot)
        row.addWidget(button)
        return button

    def _on_data_changed(self, _entity: str) -> None:
        self.refresh()

    def refresh(self) -> None:
        self.ctx.runner.submit(institution_history(self.institution_id, self.ctx.username), self.show_history,
                               key=f"institution:{self.institution_id}")

    def show_history(self, found: dict[str, Any]) -> None:
        self.history = found
        institution = found.get("institution") or {}
        lang = self.ctx.lang
        name = str(institution.get("name") or "")
        self.name_label.setText(name)
        records_refusal = found.get("records_refusal")
        for button in self.record_buttons:
            button.setEnabled(bool(institution) and records_refusal is None)
            button.setToolTip(refusal_text(records_refusal, lang) if records_refusal else "")
        refusal = found.get("profile_refusal")
        self.edit_profile_button.setEnabled(bool(institution) and refusal is None)
        self.edit_profile_button.setToolTip(
            refusal_text(refusal, lang) if refusal else self.tr("Edit this institution's profile"))
        self.setWindowTitle(self.tr("Institution: %1").replace("%1", name))
        for field_name, label in self.profile_values.items():
            f = INSTITUTION.field(field_name)
            value = institution.get(field_name)
            if field_name == "region_code":
                label.setText(region_name(value, lang) or str(value or ""))
                label.setToolTip(str(value or ""))  # the code, on hover
            else:
                label.setText(code_label(f.codes, value, lang) if f.codes else str(value or ""))
        self.contacts_model.set_rows(found.get("contacts", []))
        self.visits_model.set_rows(found.get("visits", []))
        self.visits.expand_all()
        self.achievements_model.set_rows(found.get("achievements", []))
        self.demands_model.set_rows(found.get("demands", []))
        self.matching.set_records(found.get("demands", []), found.get("achievements", []))

    def _open_visit(self, visit_id: str | None, mode: str) -> None:
        open_editor(self.ctx, "visit", visit_id, parent=self, mode=mode, institution_id=self.institution_id)

    def _open_record(self, entity: str, index: QModelIndex) -> None:
        open_editor(self.ctx, entity, str(index.data(ID_ROLE)), parent=self)

    def open_visit_at(self, visit_id: str, follow_up_id: str | None = None) -> None:
        open_editor(self.ctx, "visit", visit_id, parent=self, mode=EDIT, institution_id=self.institution_id,
                    focus_row=follow_up_id)

    def _open_visit_index(self, index: QModelIndex) -> None:
        row = index.data(ROW_ROLE)
        if ENTITIES[str(index.data(ENTITY_ROLE))].parent_field is not None:  # a follow-up under its visit
            self.open_visit_at(str(row["visit_id"]), str(row["id"]))
        else:
            self.open_visit_at(str(row["id"]))

    def visit_menu_at(self, at: QPoint) -> QMenu | None:
        """The menu of the follow-up at `at` (viewport coordinates); None on a visit or off the rows."""
        index = self.visits.indexAt(at)
        if not index.isValid() or ENTITIES[str(index.data(ENTITY_ROLE))].parent_field is None:
            return None
        row = index.data(ROW_ROLE)
        return self.follow_up_actions.menu(self, str(row["visit_id"]), str(row["id"]), done=bool(row.get("done")))

    def _visit_menu(self, at: QPoint) -> None:
        menu = self.visit_menu_at(at)
        if menu is not None:
            menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            menu.popup(self.visits.viewport().mapToGlobal(at))

    def _open_new(self, entity: str) -> None:
        open_editor(self.ctx, entity, parent=self, prefill={"institution_id": self.institution_id},
                    draft_context=self.institution_id)

    def _add_contact(self) -> None:
        open_editor(self.ctx, "contact", parent=self, fixed={"institution_id": self.institution_id},
                    draft_context=self.institution_id)


def open_institution(ctx: AppContext, institution_id: str, parent: QWidget | None = None) -> InstitutionWindow:
    window = InstitutionWindow(ctx, institution_id, parent)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.show()
    return window
