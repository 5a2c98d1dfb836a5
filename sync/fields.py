"""Field definitions and the canonical value form every layer (store, wire, server, import) shares.

Canonical values are JSON-ready: text as str, whole numbers as int, money (万元) as float, dates as
"YYYY-MM-DD", date-times as UTC "YYYY-MM-DDTHH:MM:SSZ", flags as bool, multi-choices and lists as list[str],
references as UUID strings. Missing is None (never "" or []). `normalize` turns loose user input (a
spreadsheet cell, a form field) into that form or raises Invalid with a message code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from sync.codes import CodeTable
from sync.messages import Label


class Kind(StrEnum):
    TEXT = "text"  # one line
    LONGTEXT = "longtext"  # paragraphs
    INT = "int"
    MONEY = "money"  # 万元, non-negative
    DATE = "date"
    DATETIME = "datetime"
    BOOL = "bool"
    CODE = "code"  # one value of a code table
    CODES = "codes"  # several values of a code table
    STRINGS = "strings"  # list of free texts (keywords, names)
    REF = "ref"  # id of another record
    REFS = "refs"  # ids of other records
    FIELDNAMES = "fieldnames"  # names of fields of the same entity (confidential fields)


class Invalid(ValueError):
    """Input that cannot be turned into a canonical value; `code` keys sync.messages.MESSAGES."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True, slots=True)
class Field:
    """One field of an entity: its name, kind, labels and rules."""

    name: str
    kind: Kind
    zh: str
    en: str
    required: bool = False
    max_len: int | None = None
    max_items: int | None = None  # list kinds: most entries (every list field has one: docs/security.md §9)
    codes: CodeTable | None = None
    ref: str | None = None  # entity name a REF/REFS points to
    # The REF may name any row of the shared catalog (a match's achievement or expert), not only rows the author
    # reads in full (market_server/push_refs.py).
    ref_catalog: bool = False
    min: int | None = None
    max: int | None = None
    check: str | None = None  # extra format rule: credit_code, region_code, reg_no, email, phone, url
    can_be_confidential: bool = False
    searchable: bool = False
    server_managed: bool = False  # set by the server (collected_by...), never edited by a client
    # Code values only administrators set (the market's review decisions: approved, returned); anyone who may
    # write the record sets the others (a specialist submits an achievement for review: draft -> pending).
    admin_values: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()  # further header names accepted on import
    # Canonical value a record gets when this field is missing (new records, imports, old rows): a required field
    # with a default never fails for being empty.
    default: str | None = None

    @property
    def label(self) -> Label:
        return Label(self.zh, self.en)

    def is_list(self) -> bool:
        return self.kind in _LIST_KINDS


_LIST_KINDS = frozenset({Kind.CODES, Kind.STRINGS, Kind.REFS, Kind.FIELDNAMES})


_LIST_SPLIT = re.compile(r"[,，、;；|\n]+")
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
_TRUE = {"1", "true", "yes", "y", "是", "对", "已完成", "完成", "√"}
_FALSE = {"0", "false", "no", "n", "否", "未完成", "×"}
# Local time of the market when an input date-time carries no zone (China Standard Time, no DST).
MARKET_TZ_OFFSET = timedelta(hours=8)


def normalize(f: Field, raw: Any) -> Any:
    """The canonical value for `raw`, None when empty; raises Invalid when it cannot be read."""
    if raw is None:
        return None
    if isinstance(raw, str):
        raw = raw.strip()
        if raw == "":
            return None
    if f.is_list():
        return _normalize_list(f, raw)
    return _normalize_scalar(f, raw)


def _normalize_list(f: Field, raw: Any) -> list[str] | None:
    parts = raw if isinstance(raw, list | tuple) else _LIST_SPLIT.split(str(raw))
    out: list[str] = []
    for item in (str(x).strip() for x in parts):
        if not item:
            continue
        if f.kind is Kind.CODES:
            assert f.codes is not None
            value = f.codes.parse(item)
            if value is None:
                raise Invalid("bad_code", value=item, choices=_choices(f.codes))
        elif f.kind is Kind.REFS:
            value = _ref(item)
        else:
            value = item
        if value not in out:
            out.append(value)
    return out or None


def _normalize_scalar(f: Field, raw: Any) -> Any:
    kind = f.kind
    if kind in (Kind.TEXT, Kind.LONGTEXT):
        text = _cell_text(raw)
        return " ".join(text.split()) if kind is Kind.TEXT else text
    if kind is Kind.INT:
        return _int(f, raw)
    if kind is Kind.MONEY:
        return _money(raw)
    if kind is Kind.DATE:
        return _date(raw)
    if kind is Kind.DATETIME:
        return _datetime(raw)
    if kind is Kind.BOOL:
        return _bool(raw)
    if kind is Kind.CODE:
        assert f.codes is not None
        value = f.codes.parse(_cell_text(raw))
        if value is None:
            raise Invalid("bad_code", value=raw, choices=_choices(f.codes))
        return value
    if kind is Kind.REF:
        return _ref(str(raw))
    raise AssertionError(f"unhandled kind {kind}")


def _choices(table: CodeTable) -> Label:
    return Label("、".join(c.zh for c in table), ", ".join(c.en for c in table))


def _cell_text(raw: Any) -> str:
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw).strip()


def _int(f: Field, raw: Any) -> int:
    if isinstance(raw, bool):
        raise Invalid("not_integer")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    text = str(raw).strip()
    if f.codes is not None and (value := f.codes.parse(text)) is not None:
        return int(value)
    match = re.fullmatch(r"([+-]?\d+)\s*级?", text)
    if not match:
        raise Invalid("not_integer")
    return int(match.group(1))


def _money(raw: Any) -> float:
    if isinstance(raw, bool):
        raise Invalid("not_number")
    if isinstance(raw, int | float):
        value = float(raw)
    else:
        text = str(raw).replace(",", "").replace("，", "").strip()
        text = re.sub(r"\s*万?元?$", "", text)
        try:
            value = float(text)
        except ValueError:
            raise Invalid("not_number") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise Invalid("not_number")
    return round(value, 4)


def _date(raw: Any) -> str:
    if isinstance(raw, datetime):
        return raw.date().isoformat()
    if isinstance(raw, date):
        return raw.isoformat()
    text = str(raw).strip()
    if "T" in text or " " in text:
        text = re.split(r"[T ]", text, maxsplit=1)[0]
    for pattern in _DATE_PATTERNS:
        if m := pattern.match(text):
            try:
                return date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
            except ValueError:
                break
    raise Invalid("bad_date")


def _datetime(raw: Any) -> str:
    if isinstance(raw, datetime):
        return format_datetime(raw)
    if isinstance(raw, date):
        return format_datetime(datetime.combine(raw, time(9, 0)))
    text = str(raw).strip().replace("/", "-")
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    try:
        return format_datetime(datetime.fromisoformat(text))
    except ValueError:
        pass
    try:
        return format_datetime(datetime.combine(date.fromisoformat(_date(text)), time(9, 0)))
    except Invalid:
        raise Invalid("bad_datetime") from None


def format_datetime(value: datetime) -> str:
    """UTC 'YYYY-MM-DDTHH:MM:SSZ'; a naive value is taken as market local time (UTC+8)."""
    if value.tzinfo is None:
        value = (value - MARKET_TZ_OFFSET).replace(tzinfo=UTC)
    return value.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_datetime(value: str) -> datetime:
    """An aware UTC datetime from a canonical date-time string."""
    return datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def utc_now() -> str:
    return format_datetime(datetime.now(UTC))


def _bool(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise Invalid("bad_bool")


def _ref(text: str) -> str:
    value = text.strip().lower()
    if not _UUID.match(value):
        raise Invalid("bad_id")
    return value
