"""Validation rules: one test per rule, with the message a user reads."""

from __future__ import annotations

from typing import Any

import pytest

from sync.entities import ACHIEVEMENT, DEMAND, ENTITIES, INSTITUTION, IP_ITEM, VISIT
from sync.messages import MESSAGES, Problem, render
from sync.validation import (
    check_record,
    clean,
    credit_code_check_char,
    is_valid_credit_code,
    is_valid_region_code,
    merge_and_check,
    validate,
)

INST_ID = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"


def codes(problems: list[Problem]) -> set[tuple[str, str]]:
    return {(p.field, p.code) for p in problems}


def test_credit_code_check_character() -> None:
    # The published example from GB 32100-2015 style codes: check char computed, then verified.
    body = "91220101MA0Y3K5X1"
    full = body + credit_code_check_char(body)
    assert is_valid_credit_code(full)
    wrong = body + ("0" if full[-1] != "0" else "1")
    assert not is_valid_credit_code(wrong)
    assert not is_valid_credit_code(full[:-1])
    assert not is_valid_credit_code(full.replace("M", "I"))  # I is not in the code's alphabet


def test_known_real_world_credit_code() -> None:
    # Alibaba (China) Co., Ltd.'s published unified social credit code.
    assert is_valid_credit_code("91330100799655058B")


def test_region_code() -> None:
    assert is_valid_region_code("220102")
    assert not is_valid_region_code("22010")
    assert not is_valid_region_code("990102")
    assert not is_valid_region_code("22010a")


def test_required_fields_are_reported_with_label() -> None:
    _, problems = validate(INSTITUTION, {"address": "长春市"})
    assert codes(problems) >= {("name", "required"), ("org_type", "required")}
    name_problem = next(p for p in problems if p.field == "name")
    assert name_problem.message("zh_CN") == "“名称”为必填项"
    assert name_problem.message("en") == "Name is required"


def test_server_managed_fields_are_not_required_of_clients() -> None:
    _, problems = validate(INSTITUTION, {"name": "吉林大学", "org_type": "高等院校"})
    assert problems == []


def test_a_demand_needs_its_type_and_is_open_unless_said_otherwise() -> None:
    values, problems = validate(DEMAND, {"title": "秸秆饲料化", "institution_id": INST_ID})
    assert codes(problems) == {("demand_type", "required")}
    assert next(p for p in problems).message("zh_CN") == "“需求类型”为必填项"
    assert values["status"] == "open"  # the default, not a "required" problem
    values, problems = validate(DEMAND, {"title": "秸秆饲料化", "institution_id": INST_ID, "demand_type": "技术攻关",
                                         "status": "对接中"})
    assert problems == [] and (values["demand_type"], values["status"]) == ("tackling", "matching")
    _, problems = validate(DEMAND, {"title": "x", "institution_id": INST_ID, "demand_type": "tackling",
                                    "status": "nonsense"})
    assert codes(problems) == {("status", "bad_code")}  # unreadable input is reported, never replaced


def test_an_old_demand_without_status_is_repaired_by_its_next_edit() -> None:
    old_row = {"title": "旧需求", "institution_id": INST_ID, "demand_type": "tackling", "status": None}
    changes, problems = merge_and_check(DEMAND, old_row, {"goal": "降低成本"})
    assert problems == [] and changes == {"goal": "降低成本", "status": "open"}
    changes, problems = merge_and_check(DEMAND, {**old_row, "status": "solved"}, {"status": None})
    assert problems == [] and changes == {"status": "open"}  # required: clearing it means the default
    _, problems = merge_and_check(DEMAND, {**old_row, "demand_type": None}, {"goal": "x"})
    assert codes(problems) == {("demand_type", "required")}


def test_lengths() -> None:
    _, problems = validate(ACHIEVEMENT, {"title": "长" * 201})
    (problem,) = [p for p in problems if p.field == "title"]
    assert problem.code == "too_long"
    assert "200" in problem.message("zh_CN") and "201" in problem.message("en")


def test_trl_range_and_negative_price() -> None:
    _, problems = validate(ACHIEVEMENT, {"title": "t", "trl": 10, "price": -1})
    assert codes(problems) == {("trl", "out_of_range"), ("price", "negative")}


def test_fixed_price_needs_a_price() -> None:
    _, problems = validate(ACHIEVEMENT, {"title": "t", "price_mode": "定价"})
    assert codes(problems) == {("price", "price_needs_value")}


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("credit_code", "91220101MA0Y3K5X1Z", "bad_credit_code"),
        ("region_code", "123", "bad_region_code"),
        ("website", "not a url", "bad_url"),
        ("org_type", "大学", "bad_code"),
    ],
)
def test_institution_formats(field: str, value: str, code: str) -> None:
    _, problems = validate(INSTITUTION, {"name": "x", "org_type": "企业", field: value})
    assert codes(problems) == {(field, code)}


def test_contact_formats() -> None:
    _, problems = clean(ENTITIES["contact"], {"email": "a@b", "phone": "abc"})
    assert codes(problems) == {("email", "bad_email"), ("phone", "bad_phone")}
    _, ok = clean(ENTITIES["contact"], {"email": "li@jlu.edu.cn", "phone": "0431-85166000 转 123"})
    assert ok == []


def test_reg_no_is_twelve_digits() -> None:
    _, problems = clean(ACHIEVEMENT, {"reg_no": "22012345678"})
    assert codes(problems) == {("reg_no", "bad_reg_no")}


def test_dates_in_order() -> None:
    _, problems = validate(IP_ITEM, {
        "achievement_id": INST_ID, "kind": "发明专利", "filed_on": "2024-05-01", "granted_on": "2023-01-01",
    })
    (problem,) = problems
    assert (problem.field, problem.code) == ("granted_on", "date_order")
    assert problem.message("zh_CN") == "“授权日”不能早于“申请日”"


def test_visit_rules() -> None:
    base: dict[str, Any] = {"institution_id": INST_ID, "status": "已走访"}
    _, problems = validate(VISIT, base)
    assert codes(problems) == {("visited_at", "visited_needs_date")}
    _, problems = validate(VISIT, {**base, "visited_at": "2025-03-18 10:00", "next_visit_at": "2025-03-01"})
    assert codes(problems) == {("next_visit_at", "date_order")}


def test_confidential_fields_must_be_allowed() -> None:
    _, problems = clean(ACHIEVEMENT, {"confidential_fields": ["price", "title"]})
    assert codes(problems) == {("confidential_fields", "bad_confidential_field")}


def test_unknown_field() -> None:
    _, problems = clean(ACHIEVEMENT, {"colour": "red"})
    assert codes(problems) == {("colour", "unknown_field")}


def test_merge_and_check_validates_the_merged_record() -> None:
    current = {"title": "旧名称", "price_mode": "negotiable"}
    values, problems = merge_and_check(ACHIEVEMENT, current, {"price_mode": "定价"})
    assert values == {"price_mode": "fixed"}
    assert codes(problems) == {("price", "price_needs_value")}
    _, problems = merge_and_check(ACHIEVEMENT, current, {"title": ""})
    assert codes(problems) == {("title", "required")}


def test_check_record_accepts_a_complete_achievement() -> None:
    record, problems = validate(ACHIEVEMENT, {
        "title": "一种玉米秸秆高值化利用技术", "trl": "6", "price_mode": "面议", "transfer_modes": "转让、许可",
        "keywords": "玉米、秸秆", "confidential_fields": ["price"], "institution_id": INST_ID,
    })
    assert problems == []
    assert check_record(ACHIEVEMENT, record) == []


def test_every_message_renders_in_both_languages() -> None:
    for code in MESSAGES:
        assert render(code, "zh_CN", label="L", max=1, length=2, min=0, other="O", value="v", choices="c",
                      name="n", detail="d", version="1")
        assert render(code, "en", label="L", max=1, length=2, min=0, other="O", value="v", choices="c",
                      name="n", detail="d", version="1")


def test_problem_round_trips_through_dict() -> None:
    _, problems = validate(ACHIEVEMENT, {"title": "t", "trl": 0})
    (problem,) = problems
    again = Problem.from_dict(problem.as_dict())
    assert again.message("en") == problem.message("en") == "TRL must be between 1 and 9"


def test_a_list_longer_than_its_maximum_is_a_problem() -> None:
    limit = VISIT.field("people_met").max_items
    assert limit is not None
    _, ok = clean(VISIT, {"people_met": [f"人{i}" for i in range(limit)]})
    assert ok == []
    _, problems = clean(VISIT, {"people_met": [f"人{i}" for i in range(limit + 1)]})
    assert codes(problems) == {("people_met", "too_many")}
    assert str(limit) in render("too_many", "en", label="People met", max=limit, count=limit + 1)
