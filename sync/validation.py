"""Validation of records against the entity schemas: field formats, required fields and cross-field rules."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from typing import Any

from sync.entities import Entity
from sync.fields import Field, Invalid, Kind, normalize
from sync.messages import Problem

_CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# GB/T 2260 province-level prefixes (first two digits of a region code).
_PROVINCES = frozenset({
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65",
    "71", "81", "82",
})
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^[+]?[\d\s()（）-]{5,25}(\s*(转|ext\.?|x)\s*\d{1,6})?$", re.IGNORECASE)
_URL = re.compile(r"^(https?://)?[\w-]+(\.[\w-]+)+(:\d+)?(/\S*)?$", re.IGNORECASE)


def credit_code_check_char(first17: str) -> str:
    """The 18th (check) character of a unified social credit code (GB 32100-2015)."""
    total = sum(_CREDIT_CHARS.index(ch) * w for ch, w in zip(first17, _CREDIT_WEIGHTS, strict=True))
    return _CREDIT_CHARS[(31 - total % 31) % 31]


def is_valid_credit_code(code: str) -> bool:
    code = code.upper()
    if len(code) != 18 or any(ch not in _CREDIT_CHARS for ch in code):
        return False
    return credit_code_check_char(code[:17]) == code[17]


def is_valid_region_code(code: str) -> bool:
    return bool(re.fullmatch(r"\d{6}", code)) and code[:2] in _PROVINCES


_CHECKS: dict[str, tuple[Callable[[str], bool], str]] = {
    "credit_code": (is_valid_credit_code, "bad_credit_code"),
    "region_code": (is_valid_region_code, "bad_region_code"),
    "reg_no": (lambda v: bool(re.fullmatch(r"\d{12}", v)), "bad_reg_no"),
    "email": (lambda v: bool(_EMAIL.match(v)), "bad_email"),
    "phone": (lambda v: bool(_PHONE.match(v)), "bad_phone"),
    "url": (lambda v: bool(_URL.match(v)), "bad_url"),
}


def clean(entity: Entity, raw: Mapping[str, Any]) -> tuple[dict[str, Any], list[Problem]]:
    """Normalize the given fields (only those present) and check each one on its own.

    Unknown names are problems; server-managed fields are passed through untouched for the caller to drop.
    """
    values: dict[str, Any] = {}
    problems: list[Problem] = []
    by_name = entity.by_name
    for name, raw_value in raw.items():
        f = by_name.get(name)
        if f is None:
            problems.append(Problem(name, "unknown_field", {"name": name}))
            continue
        try:
            value = normalize(f, raw_value)
        except Invalid as err:
            problems.append(Problem(name, err.code, {"label": f.label, **err.params}))
            continue
        if value is not None and (f.max_len is not None or f.max_items is not None or f.kind in _RULE_KINDS or f.check):
            problems.extend(_field_rules(entity, f, value))
        values[name] = value
    return values, problems


_RULE_KINDS = frozenset({Kind.MONEY, Kind.INT, Kind.FIELDNAMES})


def _field_rules(entity: Entity, f: Field, value: Any) -> list[Problem]:
    out: list[Problem] = []
    kind = f.kind
    if f.max_items is not None and isinstance(value, list) and len(value) > f.max_items:
        out.append(Problem(f.name, "too_many", {"label": f.label, "max": f.max_items, "count": len(value)}))
    if f.max_len is not None and kind in _LENGTH_KINDS:
        length = len("、".join(value)) if isinstance(value, list) else len(value)
        if length > f.max_len:
            out.append(Problem(f.name, "too_long", {"label": f.label, "max": f.max_len, "length": length}))
    if kind is Kind.MONEY and value < 0:
        out.append(Problem(f.name, "negative", {"label": f.label}))
    if kind is Kind.INT and ((f.min is not None and value < f.min) or (f.max is not None and value > f.max)):
        if f.max is None:
            out.append(Problem(f.name, "negative", {"label": f.label}))
        else:
            out.append(Problem(f.name, "out_of_range", {"label": f.label, "min": f.min, "max": f.max}))
    if f.check and isinstance(value, str):
        ok, code = _CHECKS[f.check]
        if not ok(value):
            out.append(Problem(f.name, code, {"label": f.label}))
    if kind is Kind.FIELDNAMES:
        for name in value:
            if not entity.has(name) or not entity.field(name).can_be_confidential:
                out.append(Problem(f.name, "bad_confidential_field", {"name": name}))
    return out


_LENGTH_KINDS = frozenset({Kind.TEXT, Kind.LONGTEXT, Kind.STRINGS})


def check_record(
    entity: Entity, record: Mapping[str, Any], *, already_reported: frozenset[str] = frozenset()
) -> list[Problem]:
    """Rules on a whole record (after merging changes into it): required fields and field order.

    Fields in `already_reported` had unreadable input; they are not reported again as missing.
    """
    problems: list[Problem] = []
    for f in entity.fields:
        if f.name in already_reported:
            continue
        if f.required and not f.server_managed and record.get(f.name) in (None, "", []):
            problems.append(Problem(f.name, "required", {"label": f.label}))
    for later, earlier in entity.date_order:
        a, b = record.get(later), record.get(earlier)
        if a is not None and b is not None and str(a) < str(b):
            problems.append(
                Problem(later, "date_order", {"label": entity.field(later).label, "other": entity.field(earlier).label})
            )
    for rule in entity.rules:
        if record.get(rule.when) == rule.value and record.get(rule.field) in (None, "", []):
            problems.append(Problem(rule.field, rule.code, {"label": entity.field(rule.field).label}))
    return problems


def without_masked(problems: list[Problem], masked: Collection[str]) -> list[Problem]:
    """`problems` less those that only say a masked field is empty: a masked value (a confidential field of another
    person's catalog row) is held back by the server, not missing."""
    if not masked:
        return problems
    return [p for p in problems if not (p.field in masked and p.code in _EMPTY_CODES)]


_EMPTY_CODES = frozenset({"required", "price_needs_value"})


# (later field, earlier field) pairs that must be in order within one record.


def defaults_for(entity: Entity, record: Mapping[str, Any], reported: Collection[str] = ()) -> dict[str, Any]:
    """The contract's defaults of the fields `record` leaves empty (a new demand is open), except those whose input
    was unreadable (`reported`: the user must see that problem, not have it replaced)."""
    return {
        f.name: f.default
        for f in entity.fields
        if f.default is not None and f.name not in reported and record.get(f.name) in (None, "", [])
    }


def validate(entity: Entity, raw: Mapping[str, Any]) -> tuple[dict[str, Any], list[Problem]]:
    """Normalize and check a complete record, empty fields given their defaults; returns the clean values and every
    problem found."""
    values, problems = clean(entity, raw)
    reported = frozenset(p.field for p in problems)
    values.update(defaults_for(entity, values, reported))
    problems.extend(check_record(entity, values, already_reported=reported))
    return values, problems


def merge_and_check(
    entity: Entity, current: Mapping[str, Any], changes: Mapping[str, Any]
) -> tuple[dict[str, Any], list[Problem]]:
    """Normalize `changes`, apply them to `current`, and check the result; returns the clean changes.

    A field with a default left empty by both (an old row from before the field was required, or a change
    clearing it) gets its default in the changes, so the edit is accepted and repairs the row."""
    values, problems = clean(entity, changes)
    reported = frozenset(p.field for p in problems)
    merged = {**current, **values}
    filled = defaults_for(entity, merged, reported)
    values.update(filled)
    merged.update(filled)
    problems.extend(check_record(entity, merged, already_reported=reported))
    return values, problems
