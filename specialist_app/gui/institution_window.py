"""The window of one institution (opened from My institutions): profile, contacts, visit history with follow-ups,
achievements, demands, and actions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from specialist_app.gui.context import MARGIN, SPACING, TITLE_FONT_STEP, AppContext, icon
from specialist_app.gui.editors.dialog import open_editor
from specialist_app.gui.editors.visit_editor import EDIT, LOG, PLAN
from specialist_app.gui.i18n import code_label, field_label
from specialist_app.gui.pages.base import data_label
from specialist_app.gui.status_bar import format_local_time
from specialist_app.gui.sync_controller import ACCOUNT_ROLE_KEY
from specialist_app.services import queries
from specialist_app.services.uow import ReadUnitOfWork
from specialist_app.store import meta
from specialist_app.store.db import Store
from sync import codes as C
from sync.entities import INSTITUTION

ID_ROLE = Qt.ItemDataRole.UserRole + 1
PROFILE_FIELDS = ("credit_code", "org_type", "region_code", "address", "website", "profile", "key_technologies",
                  "status")


def institution_history(id: str) -> Callable[[Store], dict[str, Any]]:
    """The institution's page data, with "account_role": the signed-in user's role as last synced (or None)."""

    def run(store: Store) -> dict[str, Any]:
        with ReadUnitOfWork(store) as uow:
            found = queries.institution_history(uow, id) or {}
            return {**found, "account_role": meta.get_meta(uow.conn, ACCOUNT_ROLE_KEY)}

    return run


def profile_edit_refusal(institution: dict[str, Any], username: str | None, role: str | None) -> str | None:
    """Why this user may not edit the institution's profile (the server would refuse it), or None when allowed.

    The server lets administrators edit every profile and a specialist only their own pending proposal. A local
    profile (no server) may edit everything; an unknown role (never synced) counts as a specialist.
    """
    if username is None or role == "admin":
        return None
    if institution.get("status") == "pending" and institution.get("proposed_by") == username:
        return None
    if institution.get("status") == "pending":
        return QCoreApplication.translate(
            "InstitutionWindow", "Only the specialist who proposed this institution, or an administrator, "
            "can edit its profile while it waits for review.")
    return QCoreApplication.translate(
        "InstitutionWindow", "Only administrators can edit the profile of a listed institution. "
        "You can edit an institution's profile while your own proposal of it waits for review.")


def _tree(headers: list[str], name: str) -> QTreeWidget:
    tree = QTreeWidget()
    tree.setObjectName(name)
    tree.setHeaderLabels(headers)
    tree.setAlternatingRowColors(True)
    tree.setUniformRowHeights(True)
    header = tree.header()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(len(headers) - 1, QHeaderView.ResizeMode.Stretch)
    return tree


class InstitutionWindow(QWidget):
    """Opened from My institutions (double-click); refreshes itself when data changes."""

    def __init__(self, ctx: AppContext, institution_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.ctx = ctx
        self.institution_id = institution_id
        self.history: dict[str, Any] | None = None
        self.setObjectName("institution_window")
        self.setWindowTitle(self.tr("Institution"))
        self.resize(1000, 720)
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
        self._button(actions, "achievement", self.tr("New achievement"), "new_achievement",
                     lambda: self._open_new("achievement"))
        self._button(actions, "demand", self.tr("New demand"), "new_demand", lambda: self._open_new("demand"))
        self._button(actions, "add", self.tr("Add contact"), "add_contact", self._add_contact)
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
        self.contacts = _tree([self.tr("Name"), self.tr("Position"), self.tr("Phone"), self.tr("E-mail"),
                               self.tr("Notes")], "contacts")
        self.contacts.setRootIsDecorated(False)
        self.contacts.itemDoubleClicked.connect(
            lambda item: open_editor(self.ctx, "contact", item.data(0, ID_ROLE), parent=self))
        self.tabs.addTab(self.contacts, self.tr("Contacts"))
        self.visits = _tree([self.tr("Date"), self.tr("Status"), self.tr("Type"), self.tr("Purpose / follow-up")],
                            "visits")
        self.visits.itemDoubleClicked.connect(self._open_visit_item)
        self.tabs.addTab(self.visits, self.tr("Visit history"))
        self.achievements = _tree([self.tr("TRL"), self.tr("Stage"), self.tr("Title")], "achievements")
        self.achievements.setRootIsDecorated(False)
        self.achievements.itemDoubleClicked.connect(
            lambda item: open_editor(self.ctx, "achievement", item.data(0, ID_ROLE), parent=self))
        self.tabs.addTab(self.achievements, self.tr("Achievements"))
        self.demands = _tree([self.tr("Status"), self.tr("Type"), self.tr("Title")], "demands")
        self.demands.setRootIsDecorated(False)
        self.demands.itemDoubleClicked.connect(
            lambda item: open_editor(self.ctx, "demand", item.data(0, ID_ROLE), parent=self))
        self.tabs.addTab(self.demands, self.tr("Demands"))
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
        self.ctx.runner.submit(institution_history(self.institution_id), self.show_history,
                               key=f"institution:{self.institution_id}")

    def show_history(self, found: dict[str, Any]) -> None:
        self.history = found
        institution = found.get("institution") or {}
        lang = self.ctx.lang
        name = str(institution.get("name") or "")
        self.name_label.setText(name)
        refusal = profile_edit_refusal(institution, self.ctx.username, found.get("account_role"))
        self.edit_profile_button.setEnabled(bool(institution) and refusal is None)
        self.edit_profile_button.setToolTip(refusal or self.tr("Edit this institution's profile"))
        self.setWindowTitle(self.tr("Institution: %1").replace("%1", name))
        for field_name, label in self.profile_values.items():
            f = INSTITUTION.field(field_name)
            value = institution.get(field_name)
            label.setText(code_label(f.codes, value, lang) if f.codes else str(value or ""))
        self.contacts.clear()
        for contact in found.get("contacts", []):
            item = QTreeWidgetItem([contact.get(k) or "" for k in ("name", "position", "phone", "email", "notes")])
            item.setData(0, ID_ROLE, contact["id"])
            self.contacts.addTopLevelItem(item)
        self.visits.clear()
        for visit in found.get("visits", []):
            when = visit.get("visited_at") or visit.get("planned_at")
            item = QTreeWidgetItem([format_local_time(when) if when else "",
                                    code_label(C.VISIT_STATUS, visit.get("status"), lang),
                                    code_label(C.VISIT_TYPE, visit.get("visit_type"), lang),
                                    visit.get("purpose") or ""])
            item.setData(0, ID_ROLE, visit["id"])
            for follow_up in visit.get("follow_ups", []):
                done = "✓" if follow_up.get("done") else ""
                child = QTreeWidgetItem([follow_up.get("due_date") or "", done, follow_up.get("owner") or "",
                                         follow_up.get("action") or ""])
                item.addChild(child)
            self.visits.addTopLevelItem(item)
        self.visits.expandAll()
        self.achievements.clear()
        for row in found.get("achievements", []):
            item = QTreeWidgetItem([str(row.get("trl") or ""),
                                    code_label(C.ACHIEVEMENT_STAGE, row.get("stage"), lang), row.get("title") or ""])
            item.setData(0, ID_ROLE, row["id"])
            self.achievements.addTopLevelItem(item)
        self.demands.clear()
        for row in found.get("demands", []):
            item = QTreeWidgetItem([code_label(C.DEMAND_STATUS, row.get("status"), lang),
                                    code_label(C.DEMAND_TYPE, row.get("demand_type"), lang), row.get("title") or ""])
            item.setData(0, ID_ROLE, row["id"])
            self.demands.addTopLevelItem(item)

    def _open_visit(self, visit_id: str | None, mode: str) -> None:
        open_editor(self.ctx, "visit", visit_id, parent=self, mode=mode, institution_id=self.institution_id)

    def _open_visit_item(self, item: QTreeWidgetItem) -> None:
        top = item.parent() or item
        self._open_visit(str(top.data(0, ID_ROLE)), EDIT)

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
