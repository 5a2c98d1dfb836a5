"""Three-way field merge rules."""

from __future__ import annotations

from sync.merge import DELETED, Outcome, merge_delete, merge_update, rebase


def test_untouched_row_applies() -> None:
    result = merge_update({"a": 1, "b": 2}, {"a": 1}, {"a": 5})
    assert result.outcome is Outcome.APPLIED
    assert result.to_apply == {"a": 5}


def test_different_fields_merge() -> None:
    theirs = {"a": 1, "b": 9}  # b changed on the server since the client's base
    result = merge_update(theirs, {"a": 1, "b": 2}, {"a": 5})
    assert result.outcome is Outcome.MERGED
    assert result.to_apply == {"a": 5}


def test_same_field_conflicts_and_keeps_all_three_values() -> None:
    result = merge_update({"a": "theirs"}, {"a": "base"}, {"a": "mine"})
    assert result.outcome is Outcome.CONFLICT
    assert result.to_apply == {}
    (conflict,) = result.conflicts
    assert (conflict.field, conflict.base, conflict.theirs, conflict.mine) == ("a", "base", "theirs", "mine")


def test_same_value_on_both_sides_is_not_a_conflict() -> None:
    result = merge_update({"a": "same"}, {"a": "base"}, {"a": "same"})
    assert result.conflicts == [] and result.to_apply == {}


def test_device_own_earlier_write_does_not_conflict() -> None:
    # Seq 1 set a: 0 -> 1 (already applied); seq 2 started from 1 and sets 2.
    result = merge_update({"a": 1}, {"a": 1}, {"a": 2})
    assert result.outcome is Outcome.APPLIED and result.to_apply == {"a": 2}


def test_numbers_compare_by_value() -> None:
    assert merge_update({"p": 3}, {"p": 3.0}, {"p": 4.0}).to_apply == {"p": 4.0}


def test_delete_of_unchanged_row_wins() -> None:
    assert merge_delete({"a": 1, "b": 2}, {"a": 1, "b": 2}, ["a", "b"]).outcome is Outcome.APPLIED


def test_delete_racing_an_edit_is_a_conflict() -> None:
    result = merge_delete({"a": 1, "b": 3}, {"a": 1, "b": 2}, ["a", "b"])
    assert result.outcome is Outcome.CONFLICT
    (conflict,) = result.conflicts
    assert conflict.field == DELETED and conflict.theirs == {"b": 3}


def test_rebase_keeps_pending_local_fields() -> None:
    incoming = {"a": "server-a", "b": "server-b"}
    local = {"a": "local-a", "b": "old-b"}
    assert rebase(incoming, local, ["a"]) == {"a": "local-a", "b": "server-b"}
