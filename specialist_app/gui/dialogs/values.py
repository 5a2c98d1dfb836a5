"""Showing a canonical field value as text (code labels, yes/no, lists), for conflict and record views."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication

from specialist_app.gui.editors import date_text
from specialist_app.gui.i18n import code_label, field_label
from sync.entities import entity
from sync.fields import Field, Kind
from sync.merge import DELETED
from sync.messages import in_language

translate = QCoreApplication.translate  # lupdate reads translate("Context", "text") calls



def label_of(entity_name: str, field_name: str, lang: str) -> str:
    """A field's label from sync/entities.py; the delete pseudo-field gets its own words."""
    if field_name == DELETED:
        return translate("FieldValues", "Deleted or kept")
    ent = entity(entity_name)
    return field_label(ent.field(field_name), lang) if ent.has(field_name) else field_name


def entity_label(entity_name: str, lang: str) -> str:
    return in_language(entity(entity_name), lang)


def value_text(entity_name: str, field_name: str, value: Any, lang: str) -> str:
    """`value` as a specialist reads it; empty values show as a dash."""
    if field_name == DELETED:
        if value is True:
            return translate("FieldValues", "Deleted")
        if value is False:
            return translate("FieldValues", "Kept")
        return translate("FieldValues", "Edited") if isinstance(value, dict) else "—"
    if value is None or value == "" or value == []:
        return "—"
    ent = entity(entity_name)
    if not ent.has(field_name):
        return str(value)
    return _field_text(ent.field(field_name), value, lang)


def _field_text(f: Field, value: Any, lang: str) -> str:
    if f.kind is Kind.BOOL:
        return translate("FieldValues", "Yes") if value else translate("FieldValues", "No")
    if f.kind is Kind.CODE:
        return code_label(f.codes, value, lang)
    if f.kind is Kind.CODES and isinstance(value, list):
        return "、".join(code_label(f.codes, v, lang) for v in value)
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    if f.kind is Kind.DATETIME:
        return _market_time(value)
    return str(value)


def _market_time(value: Any) -> str:
    """A date-time in market time, as the editors show and read it (normalize takes it back as market time)."""
    try:
        return date_text.show_date_time(str(value))
    except ValueError:
        return str(value)


def editable_text(entity_name: str, field_name: str, value: Any, lang: str) -> str:
    """A value as text to start a merged edit from (what sync.fields.normalize reads back: labels for codes)."""
    if value is None or field_name == DELETED:
        return ""
    ent = entity(entity_name)
    if ent.has(field_name) and ent.field(field_name).kind in (Kind.CODE, Kind.CODES, Kind.BOOL):
        return value_text(entity_name, field_name, value, lang)
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    if ent.has(field_name) and ent.field(field_name).kind is Kind.DATETIME:
        return _market_time(value)
    return str(value)
