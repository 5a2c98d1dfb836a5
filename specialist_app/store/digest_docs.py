"""A digest's search document, built from its catalog_digest row; the index keeps no text of its own for it.

The FTS table is contentless: deleting a document needs the tokens it was inserted with. A full record's texts
are kept in the index's TEXT table for that; a digest's are not (they would copy catalog_digest), so they are
built again from its catalog_digest row. That row must therefore be read before it is overwritten or deleted
(store/digests.py `apply` re-indexes first, then writes the table) and must build exactly the document indexed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, select

from specialist_app.store.chunks import chunks, marks
from specialist_app.store.search_docs import Doc, Texts, build_doc
from specialist_app.store.search_schema import DOC, TEXT
from specialist_app.store.tables import DIGEST_FIELD_COLUMNS, catalog_digest
from sync.digests import DIGEST_FIELDS
from sync.entities import ENTITIES
from sync.fields import Kind

LIST_KINDS = frozenset({Kind.STRINGS, Kind.CODES, Kind.REFS, Kind.FIELDNAMES})
_LISTS = frozenset(name for name, f in DIGEST_FIELD_COLUMNS if f.kind in LIST_KINDS)


def fields_of(row: Mapping[Any, Any]) -> dict[str, Any]:
    """A digest's fields put together from its catalog_digest row (v10: a column per field, the title in `title`, an
    institution's own type in `org_type`, anything else in `extra`), as the server sent them (None left out). The
    row may come from a Core select (JSON decoded) or plain SQL (JSON text)."""
    entity = str(row["entity"])
    e = ENTITIES[entity]
    out: dict[str, Any] = {}
    for name in DIGEST_FIELDS[entity]:
        if name == e.title_field:
            value = row["title"] or None
        elif name == "org_type" and e.is_scope_root:
            value = row["org_type"]
        else:
            value = row[name]
        if value is None:
            continue
        out[name] = json.loads(value) if name in _LISTS and isinstance(value, str) else value
    extra = row["extra"]
    out.update(json.loads(extra) if isinstance(extra, str) else extra or {})
    return out


def doc(row: Mapping[Any, Any], *, pinyin: bool = True) -> Doc:
    """The search document of a digest: its short fields, under its governing institution's name, type and
    province (the facets a filter reads), like a full record whose long texts are not there."""
    entity, fields = str(row["entity"]), fields_of(row)
    values = {**fields, "id": row["id"], "updated_at": row["updated_at"] or ""}
    region = fields.get("region_code") or row["province"] or ""
    owner = {"name": row["institution_name"], "org_type": row["org_type"], "region_code": region}
    if ENTITIES[entity].is_scope_root:
        values |= {k: v for k, v in owner.items() if v and not values.get(k)}
        return build_doc(entity, values, {}, pinyin=pinyin)
    return build_doc(entity, values, {str(fields.get("institution_id") or ""): owner}, pinyin=pinyin)


def derived(conn: Connection, doc_ids: Sequence[int], *, pinyin: bool = True) -> dict[int, Doc]:
    """The documents of these doc ids that have no TEXT row, built from their digests as stored now."""
    found: dict[int, Doc] = {}
    for chunk in chunks(list(doc_ids)):
        pairs = {(str(r[1]), str(r[2])): int(r[0]) for r in conn.exec_driver_sql(
            f"SELECT d.doc_id, d.entity, d.row_id FROM {DOC} d LEFT JOIN {TEXT} t USING (doc_id)"
            f" WHERE t.doc_id IS NULL AND d.doc_id IN ({marks(len(chunk))})", tuple(chunk))}
        if not pairs:
            continue
        rows = conn.execute(select(catalog_digest).where(catalog_digest.c.id.in_(sorted({i for _, i in pairs}))))
        for r in rows:
            if (doc_id := pairs.get((str(r.entity), str(r.id)))) is not None:
                found[doc_id] = doc(r._mapping, pinyin=pinyin)
    return found


def texts(conn: Connection, doc_ids: Sequence[int]) -> dict[int, tuple[str, Texts]]:
    """doc_id -> (subtitle, (title, body, by, field texts, facet tokens)): TEXT's row, else the digest's (whose facet
    tokens then lack its name's pinyin)."""
    out: dict[int, tuple[str, Texts]] = {}
    for chunk in chunks(list(doc_ids)):
        out.update((int(r[0]), (r[1], (r[2], r[3], r[4], r[5], r[6]))) for r in conn.exec_driver_sql(
            f"SELECT doc_id, subtitle, title_text, body_text, by_text, field_text, facets FROM {TEXT}"
            f" WHERE doc_id IN ({marks(len(chunk))})", tuple(chunk)))
    missing = [i for i in doc_ids if i not in out]
    # What reads these shows or matches texts, never facets: a digest's come without its name's pinyin (an
    # institution's took ~0.6 ms: 200 of them, most of a "did you mean" at 1,000,000).
    out.update((i, (d.subtitle, d.text)) for i, d in derived(conn, missing, pinyin=False).items())
    return out
