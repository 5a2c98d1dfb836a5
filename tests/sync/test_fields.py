"""Normalisation of loose input into the canonical value form."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from sync.entities import ACHIEVEMENT, FOLLOW_UP, VISIT
from sync.fields import Invalid, format_datetime, normalize, parse_datetime


def test_text_is_trimmed_and_empty_is_none() -> None:
    title = ACHIEVEMENT.field("title")
    assert normalize(title, "  玉米  秸秆 ") == "玉米 秸秆"
    assert normalize(title, "   ") is None
    assert normalize(title, None) is None


def test_longtext_keeps_line_breaks() -> None:
    assert normalize(ACHIEVEMENT.field("summary"), "第一段\n第二段 ") == "第一段\n第二段"


@pytest.mark.parametrize(
    "raw", ["2025-03-18", "2025/3/18", "2025.03.18", "2025年3月18日", "20250318", date(2025, 3, 18),
            datetime(2025, 3, 18, 23, 0), "2025-03-18 10:00"]
)
def test_dates_in_common_forms(raw: object) -> None:
    assert normalize(FOLLOW_UP.field("due_date"), raw) == "2025-03-18"


@pytest.mark.parametrize("raw", ["2025-02-30", "next week", "18/03/2025"])
def test_bad_dates(raw: str) -> None:
    with pytest.raises(Invalid) as err:
        normalize(FOLLOW_UP.field("due_date"), raw)
    assert err.value.code == "bad_date"


def test_datetimes_are_utc_and_naive_means_market_time() -> None:
    f = VISIT.field("planned_at")
    assert normalize(f, "2025-03-18 14:30") == "2025-03-18T06:30:00Z"
    assert normalize(f, "2025-03-18T14:30:00+00:00") == "2025-03-18T14:30:00Z"
    assert normalize(f, "2025-03-18T06:30:00Z") == "2025-03-18T06:30:00Z"
    assert normalize(f, date(2025, 3, 18)) == "2025-03-18T01:00:00Z"
    with pytest.raises(Invalid):
        normalize(f, "tomorrow at ten")


def test_datetime_round_trip() -> None:
    moment = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert parse_datetime(format_datetime(moment)) == moment


def test_int_accepts_level_suffix_and_labels() -> None:
    trl = ACHIEVEMENT.field("trl")
    assert normalize(trl, "6级") == 6
    assert normalize(trl, 7.0) == 7
    assert normalize(trl, "6级：相关环境中系统样机演示") == 6
    with pytest.raises(Invalid):
        normalize(trl, "six")
    with pytest.raises(Invalid):
        normalize(trl, True)


def test_money_accepts_units_and_separators() -> None:
    price = ACHIEVEMENT.field("price")
    assert normalize(price, "1,200.5万元") == 1200.5
    assert normalize(price, 30) == 30.0
    with pytest.raises(Invalid):
        normalize(price, "面议")
    with pytest.raises(Invalid):
        normalize(price, float("nan"))


def test_multi_codes_split_and_dedupe() -> None:
    modes = ACHIEVEMENT.field("transfer_modes")
    assert normalize(modes, "转让、许可，转让") == ["transfer", "license"]
    assert normalize(modes, ["License", "joint_dev"]) == ["license", "joint_dev"]
    with pytest.raises(Invalid) as err:
        normalize(modes, "转让、赠送")
    assert err.value.code == "bad_code"
    assert err.value.params["value"] == "赠送"


def test_strings_split_on_chinese_and_ascii_separators() -> None:
    assert normalize(ACHIEVEMENT.field("keywords"), "玉米；秸秆, 饲料、") == ["玉米", "秸秆", "饲料"]
    assert normalize(ACHIEVEMENT.field("keywords"), "") is None


def test_bool_words() -> None:
    done = FOLLOW_UP.field("done")
    assert normalize(done, "是") is True
    assert normalize(done, "No") is False
    with pytest.raises(Invalid):
        normalize(done, "maybe")


def test_refs_must_be_uuids() -> None:
    ref = ACHIEVEMENT.field("institution_id")
    assert normalize(ref, "0190A1B2-C3D4-7E5F-8A9B-0C1D2E3F4A5B") == "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"
    with pytest.raises(Invalid) as err:
        normalize(ref, "吉林大学")
    assert err.value.code == "bad_id"


def test_bad_code_lists_choices_in_the_readers_language() -> None:
    from sync.entities import INSTITUTION
    from sync.validation import clean

    _, (problem,) = clean(INSTITUTION, {"org_type": "大学"})
    assert "高等院校、科研机构" in problem.message("zh_CN")
    assert "University, Research institute" in problem.message("en")
