"""Institution names in administrators' commands (#13.13): a proposal named like an approved one changes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from market_server import accounts

from .conftest import add_rows, add_user, institution, unique


def test_a_proposal_with_an_approved_institutions_name_does_not_block_assign(engine: Engine) -> None:
    name = unique("吉林大学")
    approved = institution(name=name)
    add_rows(engine, approved, institution(name=name, status="pending", proposed_by="mallory"),
             institution(name=name, status="rejected", proposed_by="mallory"))
    user = add_user(engine)
    with engine.begin() as conn:
        assert accounts.assign(conn, user, [name]) == [approved[1]["id"]]
        assert accounts.resolve_institution(conn, name) == approved[1]["id"]


def test_two_approved_institutions_of_one_name_are_listed_with_their_ids(engine: Engine) -> None:
    name = unique("同名研究院")
    first, second = institution(name=name), institution(name=name)
    proposal = institution(name=name, status="pending", proposed_by="mallory")
    add_rows(engine, first, second, proposal)
    with engine.connect() as conn, pytest.raises(accounts.AccountError) as refused:
        accounts.resolve_institution(conn, name)
    message = str(refused.value)
    assert first[1]["id"] in message and second[1]["id"] in message and proposal[1]["id"] in message
    assert "(pending)" in message and "give the id" in message


def test_only_proposals_of_a_name_still_resolve_when_there_is_one(engine: Engine) -> None:
    name = unique("待审机构")
    proposal = institution(name=name, status="pending", proposed_by="mallory")
    add_rows(engine, proposal)
    with engine.connect() as conn:
        assert accounts.resolve_institution(conn, name) == proposal[1]["id"]
