"""The write rule's pieces: every refusal has words in both languages, and old English reasons are recognised."""

from __future__ import annotations

import pytest

from sync.entities import ENTITIES
from sync.messages import MESSAGES
from sync.permissions import LEGACY_DETAILS, Account, Refusal, refusal_of, refusal_problem, write_refusal


@pytest.mark.parametrize("refusal", list(Refusal))
def test_every_refusal_has_chinese_and_english_words(refusal: Refusal) -> None:
    zh, en = MESSAGES[refusal.value]
    assert zh != en and not any("a" <= c <= "z" for c in zh.lower())


@pytest.mark.parametrize(("detail", "refusal"), list(LEGACY_DETAILS.items()))
def test_an_older_servers_english_reason_is_recognised(detail: str, refusal: Refusal) -> None:
    assert refusal_of("permission", [], f"您没有权限修改该记录（{detail}）") is refusal
    assert refusal_of("validation", [], detail) is None


def test_a_refusal_travels_as_a_problem_older_apps_render_in_their_language() -> None:
    problem = refusal_problem(Refusal.NOT_ASSIGNED)
    assert refusal_of("permission", [problem.as_dict()], None) is Refusal.NOT_ASSIGNED
    assert problem.message("zh_CN") == "您没有权限修改该记录（该机构未分配给您）"


def test_a_specialist_proposes_institutions_but_changes_only_their_own_pending_one() -> None:
    kim = Account("kim", assigned=frozenset({"a"}), proposed={"p": "pending", "q": "active"})
    inst = ENTITIES["institution"]
    assert write_refusal(kim, inst, None, None) is None
    assert write_refusal(kim, inst, "p", {"proposed_by": "kim", "status": "pending"}) is None
    assert write_refusal(kim, inst, "q", {"proposed_by": "kim", "status": "active"}) is Refusal.OWN_PENDING_ONLY
    contact = ENTITIES["contact"]
    assert [write_refusal(kim, contact, s, {}) for s in ("a", "p", "q", None)] == [
        None, None, Refusal.NOT_ASSIGNED, Refusal.NO_INSTITUTION]
    assert write_refusal(kim, ENTITIES["expert"], None, {}) is Refusal.ADMIN_ONLY
    assert write_refusal(Account("root", role="admin"), ENTITIES["expert"], None, {}) is None
