"""Catalog search index (placeholder signatures; the search work replaces the bodies)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection


def reindex_rows(conn: Connection, entity: str, ids: Sequence[str]) -> None:
    """Bring the index up to date for these rows of `entity` (called in the same transaction as the write)."""


def remove_rows(conn: Connection, entity: str, ids: Sequence[str]) -> None:
    """Drop these rows of `entity` from the index (called in the same transaction as the delete)."""
