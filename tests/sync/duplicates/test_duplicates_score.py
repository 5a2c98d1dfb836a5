"""Normalised keys and the similarity of names: slips of typing forgiven, other words and numbers not."""

from __future__ import annotations

import pytest

from sync.duplicates import company_key, is_duplicate, name_key, patent_key, similarity
from sync.duplicates.normalise import sorted_key
from sync.duplicates.score import THRESHOLD


def test_keys_fold_width_case_traditional_and_marks() -> None:
    assert name_key("基于ＣＰＬＤ的 IIR 濾波器（設計）") == "基于cpld的iir滤波器设计"
    assert name_key(None) == ""
    assert patent_key("ZL 2019 1 0123456.7") == patent_key("201910123456.7")


@pytest.mark.parametrize(("a", "b"), [
    ("长春光华科技有限公司", "长春光华科技有限责任公司"),
    ("长春光华科技有限公司", "長春光華科技股份有限公司"),
    ("长春光华科技有限公司", "长春光华科技有限红司"),  # a slip inside the legal form
    ("Jilin Photon Co., Ltd.", "JILIN PHOTON LIMITED"),
])
def test_company_key_drops_the_legal_form(a: str, b: str) -> None:
    assert company_key(a) == company_key(b)


def test_company_key_keeps_a_numbered_name_and_short_names() -> None:
    assert company_key("长春光华科技有限公司二期") != company_key("长春光华科技有限公司")
    assert company_key("吉林大学") == "吉林大学"


@pytest.mark.parametrize(("a", "b"), [
    ("基于深度学习的神经网络模型", "基于深度学习的神经网路模型"),  # homophone (pinyin input)
    ("玉米秸秆还田机械化技术", "玉米秸秆还田机械技术"),  # a character lost
    ("滑子菇营养成分分析与评价", "滑子菇营养成分分析与价评"),  # neighbours swapped
    ("过量空气系数与柴油机性能", "柴油机性能与过量空气系数"),  # words in another order
    ("基于虚拟样机的行星齿轮机构效率仿真分析", "行星齿轮机构效率仿真分析（基于虚拟样机）"),
])
def test_slips_and_reorders_are_duplicates(a: str, b: str) -> None:
    assert similarity(name_key(a), name_key(b), sorted_key(a), sorted_key(b)) >= THRESHOLD


@pytest.mark.parametrize(("a", "b"), [
    ("玉米秸秆还田机械化技术", "水稻秸秆还田机械化技术"),  # another crop
    ("合成甲醇性能的影响研究方法", "合成甲醇性能的传热研究方法"),  # another word, however aligned
    ("吉林一号卫星遥感数据处理", "吉林二号卫星遥感数据处理"),  # another number
    ("2号高炉煤气余热回收", "3号高炉煤气余热回收"),
])
def test_look_alikes_are_not(a: str, b: str) -> None:
    assert similarity(name_key(a), name_key(b), sorted_key(a), sorted_key(b)) < THRESHOLD


def test_similarity_bounds() -> None:
    assert similarity("", "abc") == 0.0
    assert similarity("同一个名称", "同一个名称") == 1.0
    assert is_duplicate("同一个名称", "同一个名字") is False
