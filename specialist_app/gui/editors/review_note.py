"""The review line of an editor: the market's note on a record, and a proposed institution's review state."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication

from sync.entities import Entity


def review_text(entity: Entity, record: dict[str, Any], lang: str) -> list[str]:
    """Empty when there is nothing to say; the note is why the market rejected or returned the record."""
    lines = duplicate_lines(record)
    if record.get("review_note") and entity.has("review_note"):
        lines.append(f"{entity.field('review_note').label.text(lang)}：{record['review_note']}")
    return lines


def duplicate_lines(record: dict[str, Any]) -> list[str]:
    """The market's duplicate check of this record (set by the server, docs/matching.md "Duplicates")."""
    state = record.get("duplicate_state")
    if state == "suspected":
        return [QCoreApplication.translate(
            "DuplicateHint", "Possible duplicate: the market holds a similar record; an administrator will check.")]
    if state == "confirmed":
        return [QCoreApplication.translate(
            "DuplicateHint", "Confirmed duplicate of another record: kept, but no longer listed in the catalog.")]
    return []


def proposal_state(record: dict[str, Any]) -> list[str]:
    """A proposed institution: waiting for the market's review, or rejected (an approved one says nothing)."""
    status = record.get("status")
    if status == "pending":
        return [QCoreApplication.translate(
            "EditorDialog", "Pending review: other specialists see this institution once the market approves it.")]
    if status == "rejected":
        return [QCoreApplication.translate(
            "EditorDialog", "Rejected by the market: it stays out of the catalog; your records of it are kept.")]
    return []
