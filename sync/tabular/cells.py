"""Cell values both ways: a spreadsheet cell to loose input for `normalize`, a canonical value to a cell."""

from __future__ import annotations

import re
from datetime import UTC
from typing import Any

from openpyxl.utils.datetime import from_excel

from sync.entities import Entity
from sync.fields import MARKET_TZ_OFFSET, Field, Kind, parse_datetime
from sync.messages import render
from sync.tabular.columns import fold

# Same separators as sync.fields.normalize uses for lists.
LIST_SPLIT = re.compile(r"[,，、;；|\n]+")
LIST_JOIN = "、"
# Excel serial day numbers we accept as dates: 1900-01-01 .. 2199-12-31.
_SERIAL_RANGE = (1, 109574)


def split_list(raw: Any) -> list[str]:
    """Items of a list cell (a list already, or text split on 、，,;|)."""
    if isinstance(raw, list | tuple):
        return [str(x).strip() for x in raw if str(x).strip()]
    return [item.strip() for item in LIST_SPLIT.split(_text(raw)) if item.strip()]


def _text(raw: Any) -> str:
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw).strip()


def is_empty(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip()) or (isinstance(raw, list) and not raw)


def excel_serial_date(f: Field, raw: Any) -> Any:
    """A number in a date column of an xlsx file is an Excel serial date; other values pass through."""
    if (
        f.kind in (Kind.DATE, Kind.DATETIME)
        and isinstance(raw, int | float)
        and not isinstance(raw, bool)
        and _SERIAL_RANGE[0] <= raw <= _SERIAL_RANGE[1]
    ):
        return from_excel(raw)
    return raw


def field_names_from_labels(entity: Entity, raw: Any, lookup: dict[str, str]) -> list[str] | None:
    """Confidential-field cells name fields by label or name; unknown items stay for validation to report."""
    items = split_list(raw)
    return [lookup.get(fold(item), item) for item in items] or None


def to_cell(entity: Entity, f: Field, value: Any, lang: str) -> Any:
    """The spreadsheet form of a canonical value: labels for codes, joined lists, local date-times."""
    if value is None:
        return None
    kind = f.kind
    if kind is Kind.CODE and f.codes is not None:
        return f.codes.label(str(value), lang)
    if kind is Kind.CODES and f.codes is not None:
        return LIST_JOIN.join(f.codes.label(str(v), lang) for v in value)
    if kind is Kind.FIELDNAMES:
        return LIST_JOIN.join(entity.field(v).label.text(lang) if entity.has(v) else str(v) for v in value)
    if kind in (Kind.STRINGS, Kind.REFS):
        return LIST_JOIN.join(str(v) for v in value)
    if kind is Kind.BOOL:
        return render("yes" if value else "no", lang)
    if kind is Kind.DATETIME:
        return local_datetime_text(str(value))
    return value


def local_datetime_text(value: str) -> str:
    """A canonical UTC date-time as market local time, 'YYYY-MM-DD HH:MM' (seconds only when not zero)."""
    local = (parse_datetime(value).astimezone(UTC) + MARKET_TZ_OFFSET).replace(tzinfo=None)
    return local.strftime("%Y-%m-%d %H:%M:%S" if local.second else "%Y-%m-%d %H:%M")


def is_formula_like(value: Any) -> bool:
    """Text Excel could take for a formula (CSV/formula injection): starts with = + - @, tab or CR."""
    return isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r")
