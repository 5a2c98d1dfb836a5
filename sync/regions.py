"""Place names of GB/T 2260 region codes (吉林省长春市朝阳区 for 220104), in zh_CN and en.

Provinces are all listed; cities and districts where the contract knows them (Jilin's, and the cities the demo
uses elsewhere: `sync/demo/vocab_places.py`, `vocab_nation.py`). A code below a known level shows the levels known
above it.
"""

from __future__ import annotations

import functools

from sync.demo.vocab_nation import NATION_CITIES
from sync.demo.vocab_places import JILIN_CITIES
from sync.messages import is_chinese

PROVINCES: dict[str, tuple[str, str]] = {
    "11": ("北京市", "Beijing"), "12": ("天津市", "Tianjin"), "13": ("河北省", "Hebei"), "14": ("山西省", "Shanxi"),
    "15": ("内蒙古自治区", "Inner Mongolia"), "21": ("辽宁省", "Liaoning"), "22": ("吉林省", "Jilin"),
    "23": ("黑龙江省", "Heilongjiang"), "31": ("上海市", "Shanghai"), "32": ("江苏省", "Jiangsu"),
    "33": ("浙江省", "Zhejiang"), "34": ("安徽省", "Anhui"), "35": ("福建省", "Fujian"), "36": ("江西省", "Jiangxi"),
    "37": ("山东省", "Shandong"), "41": ("河南省", "Henan"), "42": ("湖北省", "Hubei"), "43": ("湖南省", "Hunan"),
    "44": ("广东省", "Guangdong"), "45": ("广西壮族自治区", "Guangxi"), "46": ("海南省", "Hainan"),
    "50": ("重庆市", "Chongqing"), "51": ("四川省", "Sichuan"), "52": ("贵州省", "Guizhou"),
    "53": ("云南省", "Yunnan"), "54": ("西藏自治区", "Tibet"), "61": ("陕西省", "Shaanxi"),
    "62": ("甘肃省", "Gansu"), "63": ("青海省", "Qinghai"), "64": ("宁夏回族自治区", "Ningxia"),
    "65": ("新疆维吾尔自治区", "Xinjiang"), "71": ("台湾省", "Taiwan"), "81": ("香港特别行政区", "Hong Kong"),
    "82": ("澳门特别行政区", "Macao"),
}
_MUNICIPALITIES = frozenset({"11", "12", "31", "50"})  # the province is the city: 北京市海淀区, not 北京市北京市


@functools.cache
def _cities() -> dict[str, tuple[str, str]]:
    """4-digit prefix -> (zh name, en name)."""
    found: dict[str, tuple[str, str]] = {}
    for city in (*JILIN_CITIES, *NATION_CITIES):
        for _name, code in city.districts:
            found.setdefault(code[:4], (city.name, city.pinyin.capitalize()))
    return found


@functools.cache
def _districts() -> dict[str, str]:
    return {code: name for city in (*JILIN_CITIES, *NATION_CITIES) for name, code in city.districts}


def region_name(code: object, lang: str) -> str | None:
    """The place a region code names, as far as known: 吉林省长春市朝阳区, in English "朝阳区, Changchun, Jilin"
    (districts have no English names here); None when it is not a region code or its province is unknown."""
    text = str(code or "").strip()
    if len(text) != 6 or not text.isdigit() or text[:2] not in PROVINCES:
        return None
    zh = is_chinese(lang)
    province = PROVINCES[text[:2]]
    city = None if text[:2] in _MUNICIPALITIES else _cities().get(text[:4])
    district = _districts().get(text) if text[4:] != "00" else None
    if zh:
        return province[0] + (city[0] if city else "") + (district or "")
    parts = [f"{district}" if district else None, city[1] if city else None, province[1]]
    return ", ".join(p for p in parts if p)
