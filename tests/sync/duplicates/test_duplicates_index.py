"""The duplicate index: exact identifiers, near names within the institution and across, replace and remove."""

from __future__ import annotations

from sync.duplicates import DuplicateIndex, Probe

SAMPLE = [
    ("a1", "基于深度学习的玉米病害识别方法", "i1", "222021000001"),
    ("a2", "玉米秸秆还田机械化技术", "i1", None),
    ("a3", "水稻秸秆还田机械化技术", "i2", None),
    ("a4", "高性能硅铁合金制备技术", "i2", "222021000004"),
]


def _index() -> DuplicateIndex:
    index = DuplicateIndex()
    for id_, title, inst, reg_no in SAMPLE:
        index.put("achievement", id_, title, institution_id=inst, codes=[("reg_no", reg_no)])
    index.put("institution", "i1", "长春光华科技有限公司", codes=[("credit_code", "91220101MA0000000X")])
    index.put("expert", "e1", "王华", unit="吉林大学")
    return index


def test_near_title_found_with_its_institution() -> None:
    hits = _index().find(Probe("achievement", "基于深度学习的玉米病害识別方法", "i1"))
    assert [(h.id, h.reason, h.same_institution) for h in hits] == [("a1", "name", True)]
    across = _index().find(Probe("achievement", "玉米秸稈還田機械化技術", "i9"))
    assert [(h.id, h.same_institution) for h in across] == [("a2", False)]


def test_look_alike_is_not_found() -> None:
    assert _index().find(Probe("achievement", "小麦秸秆还田机械化技术")) == []


def test_exact_identifiers_come_first_whatever_the_name() -> None:
    index = _index()
    index.add_code("achievement", "a4", "patent", "ZL 2019 1 0123456.7")
    hits = index.find(Probe("achievement", "全新的名称", codes=(("patent", "201910123456.7"),)))
    assert [(h.id, h.reason, h.score) for h in hits] == [("a4", "patent", 1.0)]
    by_code = index.find(Probe("institution", "别的名字", codes=(("credit_code", "91220101ma0000000x"),)))
    assert [h.id for h in by_code] == ["i1"]
    assert [h.id for h in index.find(Probe("institution", "長春光華科技股份有限公司"))] == ["i1"]


def test_the_record_itself_is_left_out() -> None:
    assert _index().find(Probe("achievement", "玉米秸秆还田机械化技术", exclude_id="a2")) == []


def test_put_again_replaces_and_remove_forgets() -> None:
    index = _index()
    index.put("achievement", "a2", "大豆高产栽培技术", institution_id="i1")
    assert index.find(Probe("achievement", "玉米秸秆还田机械化技术")) == []
    assert [h.id for h in index.find(Probe("achievement", "大豆高产栽培技朮"))] == ["a2"]
    index.remove("achievement", "a4")
    assert index.find(Probe("achievement", "x", codes=(("reg_no", "222021000004"),))) == []
    assert len(index) == 5


def test_an_expert_is_the_same_name_in_the_same_or_an_unknown_unit() -> None:
    index = _index()
    assert [h.id for h in index.find(Probe("expert", "王 華", unit="吉林大学"))] == ["e1"]
    assert [h.id for h in index.find(Probe("expert", "王华"))] == ["e1"]
    assert index.find(Probe("expert", "王华", unit="东北师范大学")) == []
    assert index.find(Probe("expert", "王桦", unit="吉林大学")) == []
