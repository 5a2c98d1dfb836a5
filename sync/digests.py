"""Catalog digests: the short part of an out-of-province catalog record that a specialist searches and judges by.

A market serves one province in full (`home province`, the 2-digit GB/T 2260 prefix of the institutions it
governs); catalog rows governed by an institution elsewhere reach a specialist as digests (the fields below), and the
full record is read from the server when one is opened (docs/sync-protocol.md, "Digests").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from sync.entities import ENTITIES

# Fields a digest carries, per entity: what finds a record (titles, names, keywords, domains) and what judges it
# at a glance (TRL, stage, transfer mode, price, region, type). Long texts (summaries, profiles, indicators), the
# people and contact fields stay on the server until the record is opened.
DIGEST_FIELDS: dict[str, tuple[str, ...]] = {
    "institution": ("name", "org_type", "region_code", "address", "website"),
    "achievement": ("title", "institution_id", "keywords", "category", "stage", "trl", "domain", "industry",
                    "strategic_industry", "transfer_modes", "price_mode", "price"),
    "demand": ("title", "institution_id", "demand_type", "keywords", "industry", "budget", "coop_modes",
               "valid_until", "status"),
}
DIGEST_ENTITIES: tuple[str, ...] = tuple(DIGEST_FIELDS)
# Catalog entities without a digest (experts: no governing institution, kept in full; IP items: read with their
# achievement when it is opened) are left out of the catalog of a specialist with a home province when an
# institution outside it governs them.
ALL_PROVINCES = "*"  # a per-account override meaning "the whole nation in full" (no digests)
_PROVINCE = re.compile(r"^[1-9][0-9]$")

for _entity, _names in DIGEST_FIELDS.items():  # the contract's own check: every digest field exists
    assert all(ENTITIES[_entity].has(n) for n in _names), _entity


def valid_province(value: str | None) -> bool:
    """A 2-digit province prefix (22 for Jilin), or ALL_PROVINCES."""
    return value == ALL_PROVINCES or bool(value and _PROVINCE.match(value))


def home_province(market: str | None, override: str | None, is_admin: bool) -> str | None:
    """The province a user gets in full (None: the whole nation in full). The account's override wins over the
    market's setting; administrators keep the whole catalog."""
    if is_admin:
        return None
    chosen = override or market
    return None if chosen in (None, "", ALL_PROVINCES) else chosen


def province_of(region_code: str | None) -> str | None:
    """The province prefix of a region code, None when it has none (then the row counts as in the province)."""
    return region_code[:2] if region_code and len(region_code) >= 2 else None


def digest_fields(entity: str, fields: Mapping[str, Any]) -> dict[str, Any]:
    """The digest's fields of a full row's `fields` (confidential ones already left out by the caller)."""
    return {n: fields[n] for n in DIGEST_FIELDS[entity] if n in fields}
