"""What matching compares of a record: its weighted words, field text, maturity, modes, money and region."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import JSON, Connection, select

from specialist_app.matching import terms
from specialist_app.store import digest_docs, search_text
from specialist_app.store.chunks import chunks
from specialist_app.store.search_docs import Doc
from specialist_app.store.tables import ENTITY_TABLES, catalog_digest
from sync.digests import DIGEST_FIELDS
from sync.entities import ENTITIES

# Which words of each entity count how much: title 2, the describing texts 1 (keywords: terms.weighted_terms).
TEXT_GROUPS: dict[str, tuple[tuple[tuple[str, ...], float], ...]] = {
    "demand": ((("title",), 2.0), (("problem", "key_tech", "goal", "indicators"), 1.0)),
    "achievement": ((("title",), 2.0), (("summary", "indicators", "advantages"), 1.0)),
    "expert": ((("specialties",), 2.0), (("discipline",), 1.0)),
}
FIELD_TEXT = {
    "demand": ("industry",),
    "achievement": ("domain", "industry", "strategic_industry"),
    "expert": ("discipline", "industry"),
}
# Where a record lists whole terms: its keywords, and an expert's specialties, which are written as a list
# (玉米育种、分子标记、抗病性) as often as in prose; prose items are long and rarely equal a source word.
PHRASE_LISTS = {"demand": "keywords", "achievement": "keywords", "expert": "specialties"}
_LIST_SEPARATORS = re.compile(r"[、，,;；\n]+")
PHRASE_MAX = 16  # a longer item of a text is prose, not a term
# Cooperation modes a demand accepts -> the achievement transfer modes that serve them.
COOP_TO_TRANSFER: dict[str, frozenset[str]] = {
    "transfer": frozenset({"transfer"}),
    "license": frozenset({"license"}),
    "joint_dev": frozenset({"joint_dev"}),
    "commissioned": frozenset({"joint_dev", "service"}),
    "service": frozenset({"service"}),
    "platform": frozenset({"joint_dev", "equity"}),
}
# A demand to adopt an achievement needs one ready for use (TRL 6+); research demands take any level.
MATURE_TRL = 6
EARLY_TRL = 3


@dataclass(frozen=True, slots=True)
class Profile:
    entity: str
    id: str
    title: str
    terms: dict[str, float]
    field_text: str = ""  # folded
    trl: int | None = None
    demand_type: str | None = None
    modes: frozenset[str] = frozenset()
    price_mode: str | None = None
    money: float | None = None  # an achievement's price or a demand's budget, 万元
    region: str = ""  # the owning institution's (an expert: none)
    institution_id: str | None = None
    phrases: frozenset[str] = frozenset()  # the whole terms it lists (folded): keywords, an expert's specialties
    digest: str | None = None  # a digest of a record outside the home province: its province ("" unknown)
    extra: dict[str, Any] = field(default_factory=dict)


def _list(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


def phrases(entity: str, row: Mapping[str, Any]) -> frozenset[str]:
    """The whole terms a record lists, folded: its keywords, or the items of an expert's specialties."""
    value = row.get(PHRASE_LISTS[entity])
    if isinstance(value, list):
        return frozenset(f for i in value if (f := search_text.fold(str(i).strip())))
    items = _LIST_SEPARATORS.split(search_text.fold(str(value or "")))  # one fold: NFKC keeps 、 and folds ，；
    return frozenset(f for i in items if 0 < len(f := i.strip()) <= PHRASE_MAX)


def profile_of(entity: str, row: Mapping[str, Any], region: str = "", with_terms: bool = True,
               digest: str | None = None) -> Profile:
    groups = [([str(row.get(n) or "") for n in names], weight) for names, weight in TEXT_GROUPS[entity]]
    found = terms.weighted_terms(groups, _list(row.get("keywords"))) if with_terms else {}
    schema = ENTITIES[entity]
    title_field = schema.title_field
    modes = next((row.get(f) for f in ("transfer_modes", "coop_modes") if schema.has(f)), None)
    money = next((row.get(f) for f in ("price", "budget") if schema.has(f)), None)
    trl = row.get("trl")
    return Profile(
        entity=entity,
        id=str(row["id"]),
        title=str(row.get(title_field) or ""),
        terms=found,
        field_text=search_text.fold(" ".join(str(row.get(n) or "") for n in FIELD_TEXT[entity]).strip()),
        trl=int(trl) if isinstance(trl, int) else None,
        demand_type=str(row.get("demand_type") or "") or None,
        modes=frozenset(_list(modes)),
        price_mode=str(row.get("price_mode") or "") or None,
        money=float(money) if isinstance(money, int | float) else None,
        region=region,
        institution_id=str(row.get("institution_id") or "") or None,
        phrases=phrases(entity, row),
        digest=digest,
    )


def regions(conn: Connection, institution_ids: Sequence[str | None], digests: bool = False) -> dict[str, str]:
    """Region codes of these institutions (with `digests`, of institutions held only as digests too)."""
    table = ENTITY_TABLES["institution"]
    wanted = sorted({i for i in institution_ids if i})
    out: dict[str, str] = {}
    for chunk in chunks(wanted):
        out.update((r.id, str(r.region_code or "")) for r in conn.execute(
            select(table.c.id, table.c.region_code).where(table.c.id.in_(chunk))))
    missing = [i for i in wanted if i not in out] if digests else []
    for chunk in chunks(missing):
        out.update((str(r[0]), str(r[1] or "")) for r in conn.exec_driver_sql(
            "SELECT id, region_code FROM catalog_digest WHERE entity = 'institution'"
            f" AND id IN ({','.join('?' * len(chunk))})", tuple(chunk)))
    return out


# The columns a candidate's profile reads (its words come from the search index's texts instead; its phrases
# from its keywords or specialties).
_COLUMNS = ("id", "title", "name", "keywords", "specialties", "trl", "demand_type", "transfer_modes", "coop_modes",
            "price_mode", "price", "budget", "institution_id", *{n for names in FIELD_TEXT.values() for n in names})


def load(conn: Connection, entity: str, ids: Sequence[str], with_terms: bool = False) -> dict[str, Profile]:
    """Profiles of the live rows of `entity` among `ids` (words only when asked: the source record's)."""
    table = ENTITY_TABLES[entity]
    names = list(table.c.keys()) if with_terms else [n for n in dict.fromkeys(_COLUMNS) if n in table.c]
    lists = {n for n in names if isinstance(table.c[n].type, JSON)}
    rows: list[dict[str, Any]] = []
    # Plain SQL and json.loads: a few hundred candidates per match, where a Core select cost ~10 ms more.
    columns = ", ".join(f'"{n}"' for n in names)
    for chunk in chunks(list(ids)):
        for r in conn.exec_driver_sql(f'SELECT {columns} FROM "{entity}" WHERE NOT deleted AND id IN'
                                      f" ({','.join('?' * len(chunk))})", tuple(chunk)):
            row = dict(zip(names, r, strict=True))
            for n in lists:
                row[n] = json.loads(row[n]) if isinstance(row[n], str) else row[n]
            rows.append(row)
    where = regions(conn, [r.get("institution_id") for r in rows]) if "institution_id" in table.c else {}
    return {str(r["id"]): profile_of(entity, r, where.get(str(r.get("institution_id") or ""), ""), with_terms)
            for r in rows}


def load_digests(conn: Connection, entity: str, ids: Sequence[str]) -> tuple[dict[str, Profile], dict[str, Doc]]:
    """Profiles and search documents (their texts: the index keeps none for a digest) of the digests of `entity`
    among `ids`, records outside the home province held only as digests (sync/digests.py): title, keywords, field,
    maturity, modes and money as a full row's; no long texts. The region is the owning institution's (held in full
    or as a digest), else the digest's province. One read of each row (plain SQL, one json.loads)."""
    if entity not in DIGEST_FIELDS:
        return {}, {}
    rows: list[dict[str, Any]] = []
    names = [c.name for c in catalog_digest.c if c.name not in ("full_record", "fetched_at")]
    for chunk in chunks(list(ids)):
        for found in conn.exec_driver_sql(f"SELECT {', '.join(names)} FROM catalog_digest WHERE entity = ?"
                                          f" AND id IN ({','.join('?' * len(chunk))})", (entity, *chunk)):
            row = dict(zip(names, found, strict=True))
            row["fields"] = digest_docs.fields_of(row)
            rows.append(row)
    where = regions(conn, [r["fields"].get("institution_id") for r in rows], digests=True)
    profiles: dict[str, Profile] = {}
    for r in rows:
        province = str(r["province"] or "")
        values = {n: r["fields"].get(n) for n in DIGEST_FIELDS[entity]} | {"id": r["id"]}
        region = where.get(str(values.get("institution_id") or "")) or province
        profiles[str(r["id"])] = profile_of(entity, values, region, False, province)
    return profiles, {str(r["id"]): digest_docs.doc(r) for r in rows}
