"""Changes the market refused, in words: each stored rejection's reason in the reader's language."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sync.entities import ENTITIES
from sync.messages import Problem, render
from sync.permissions import refusal_of, refusal_text


def rejection_text(item: Mapping[str, Any], lang: str) -> str:
    """Why the server refused a change: its problems (one per line), else its reason, never a raw English detail."""
    problems = item.get("problems") or []
    lines = []
    ent = ENTITIES.get(str(item.get("entity")))
    for raw in problems if isinstance(problems, list) else []:
        if isinstance(raw, dict) and raw.get("code"):
            text = Problem.from_dict(raw).message(lang)
            field = str(raw.get("field") or "")
            if field and ent is not None and ent.has(field):
                text = f"{ent.field(field).label.text(lang)}：{text}"
            lines.append(text)
    if lines:
        return "\n".join(lines)
    if (refusal := refusal_of(item.get("reason"), problems, item.get("message"))) is not None:
        return refusal_text(refusal, lang)  # an older server's answer: its English reason, translated
    reason = str(item.get("reason") or "sync_failed")
    if reason == "not_found":
        return render(reason, lang)
    if item.get("message"):
        return str(item["message"])
    return render(reason, lang, detail="")
