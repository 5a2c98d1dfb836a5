"""The review line of an editor: a proposed institution's review state and the market's note on the record."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication

from sync.entities import Entity


def review_text(entity: Entity, record: dict[str, Any], lang: str) -> str:
    """Empty when there is nothing to say; the note is why the market rejected or returned the record."""
    lines: list[str] = []
    status = record.get("status") if entity.name == "institution" else None
    if status == "pending":
        lines.append(QCoreApplication.translate(
            "EditorDialog", "Pending review: other specialists see this institution once the market approves it."))
    elif status == "rejected":
        lines.append(QCoreApplication.translate(
            "EditorDialog", "Rejected by the market: it stays out of the catalog; your records of it are kept."))
    if record.get("review_note") and entity.has("review_note"):
        lines.append(f"{entity.field('review_note').label.text(lang)}：{record['review_note']}")
    return "\n".join(lines)
