"""Who may create, change or delete which record: the one rule the server enforces and the app offers by."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

from sync.entities import CORRECTION, Entity, Writes
from sync.messages import MESSAGES, Label, Problem, render

ADMIN = "admin"
SPECIALIST = "specialist"
PENDING = "pending"  # an institution proposal waiting for review (sync.codes.INSTITUTION_STATUS)


class Refusal(StrEnum):
    """Why a write is refused: a message code of sync.messages (zh_CN and en)."""

    ADMIN_ONLY = "refused_admin_only"
    OWN_PENDING_ONLY = "refused_own_pending_only"
    NO_INSTITUTION = "refused_no_institution"
    NOT_ASSIGNED = "refused_not_assigned"
    NOTE_SENT = "refused_note_sent"


# The English details servers before this rule sent inside the message; read back from stored rejections.
LEGACY_DETAILS: dict[str, Refusal] = {
    "experts are maintained by administrators": Refusal.ADMIN_ONLY,
    "only your own pending proposals can be changed": Refusal.OWN_PENDING_ONLY,
    "choose an institution assigned to you": Refusal.NO_INSTITUTION,
    "institution not assigned to you": Refusal.NOT_ASSIGNED,
}


class Writer(Protocol):
    """Who writes: the server's UserScope and the app's Account both answer these."""

    @property
    def username(self) -> str: ...

    @property
    def is_admin(self) -> bool: ...

    @property
    def assigned(self) -> Collection[str]: ...  # institution ids assigned to the user

    @property
    def proposed(self) -> Mapping[str, str]: ...  # institution id -> review status, of the user's proposals


@dataclass(frozen=True)
class Account:
    """The signed-in user as the app knows them from the server's last token answer and its own rows."""

    username: str
    role: str = SPECIALIST
    assigned: frozenset[str] = frozenset()
    proposed: Mapping[str, str] = field(default_factory=dict)

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN


def may_write_scope(who: Writer, scope_id: str | None) -> bool:
    """Whether the user writes records governed by this institution (assigned, or their own pending proposal)."""
    if who.is_admin:
        return True
    if scope_id is None:
        return False
    return scope_id in who.assigned or who.proposed.get(scope_id) == PENDING


def write_refusal(who: Writer, entity: Entity, scope_id: str | None,
                  row: Mapping[str, Any] | None, second_scope_id: str | None = None) -> Refusal | None:
    """None when `who` may write the row, else why not.

    `scope_id` is the institution governing the row (Entity.institution_path), `second_scope_id` the one its
    second_institution_path reaches (a match record's achievement's institution; None: none): either one will do.
    `row` is the stored row's values, None for a create. The same answer for a create, a change and a delete, except
    that anyone may propose a new institution.
    """
    if who.is_admin:
        return None
    if entity.writes is Writes.ADMIN:
        return Refusal.ADMIN_ONLY
    if entity.writes is Writes.NOTE:
        return None if row is None else Refusal.NOTE_SENT
    if entity.writes is Writes.PROPOSAL:
        if row is None:
            return None  # a proposal: the server makes it pending
        if row.get("proposed_by") == who.username and row.get("status") == PENDING:
            return None
        return Refusal.OWN_PENDING_ONLY
    scopes = [s for s in (scope_id, second_scope_id) if s is not None]
    if not scopes:
        return Refusal.NO_INSTITUTION
    if not any(may_write_scope(who, s) for s in scopes):
        return Refusal.NOT_ASSIGNED
    return None


def refusal_label(refusal: Refusal) -> Label:
    zh, en = MESSAGES[refusal.value]
    return Label(zh, en)


def refusal_text(refusal: Refusal, lang: str) -> str:
    """The refusal as the user reads it: "You are not allowed to change this record (<why>)"."""
    return render("permission_denied", lang, detail=refusal_label(refusal))


def refusal_hint(refusal: Refusal, lang: str) -> str:
    """What the user can do instead, beside a record opened read-only."""
    return render(f"hint_{refusal.value}", lang)


def may_copy(entity: Entity) -> bool:
    """Whether "copy as a new record of my institution" makes sense: a catalog record a specialist writes for
    their own institutions, standing on its own (an achievement, a demand; not a child row)."""
    return entity.writes is Writes.SCOPED and entity.in_catalog and entity.parent_field is None


def may_propose_correction(entity: Entity) -> bool:
    """Whether a correction proposal can be about a record of this entity (sync.codes.CORRECTION_TARGET)."""
    codes = CORRECTION.field("target_entity").codes
    return codes is not None and entity.name in codes


def refusal_problem(refusal: Refusal) -> Problem:
    """The refusal as the push answer carries it: "permission_denied" with the reason in both languages.

    Apps that know the code read params["refusal"]; older ones render the problem and get their language too.
    """
    return Problem("", "permission_denied", {"detail": refusal_label(refusal), "refusal": refusal.value})


def refusal_of(reason: str | None, problems: Any, message: str | None) -> Refusal | None:
    """The refusal code of a stored rejection (answers of older servers: read from their English detail)."""
    if reason != "permission":
        return None
    for raw in problems if isinstance(problems, list) else []:
        code = raw.get("params", {}).get("refusal") if isinstance(raw, dict) else None
        if isinstance(code, str) and code in Refusal._value2member_map_:
            return Refusal(code)
    for detail, refusal in LEGACY_DETAILS.items():
        if message and detail in message:
            return refusal
    return None
