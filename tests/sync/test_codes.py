"""Code tables: every code has both labels, and parsing accepts value, Chinese and English labels."""

from __future__ import annotations

import pytest

from sync.codes import ALL_TABLES, ORG_TYPE, TRANSFER_MODE, TRL


@pytest.mark.parametrize("table", list(ALL_TABLES.values()), ids=lambda t: t.name)
def test_every_code_has_distinct_values_and_both_labels(table) -> None:  # type: ignore[no-untyped-def]
    values = table.values()
    assert len(values) == len(set(values))
    for code in table:
        assert code.zh and code.en
        assert all(ord(ch) < 128 for ch in code.value)
        assert table.parse(code.value) == code.value
        assert table.parse(code.zh) == code.value
        assert table.parse(code.en) == code.value


def test_parse_folds_case_and_spaces() -> None:
    assert ORG_TYPE.parse("  research   INSTITUTE ") == "institute"
    assert TRANSFER_MODE.parse("作价投资") == "equity"
    assert ORG_TYPE.parse("大学") is None


def test_labels_by_language() -> None:
    assert ORG_TYPE.label("enterprise") == "企业"
    assert ORG_TYPE.label("enterprise", "en") == "Enterprise"
    assert ORG_TYPE.label("unknown") == "unknown"


def test_trl_has_nine_levels() -> None:
    assert TRL.values() == [str(n) for n in range(1, 10)]
