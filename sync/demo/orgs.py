"""Institutions and their contacts: the plan every other record links to, and its records."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sync.demo import people, text
from sync.demo.layout import Layout
from sync.demo.rand import DemoRandom, IdMaker, rng_for
from sync.demo.vocab_domains import DOMAIN_BY_KEY, DOMAINS, Domain
from sync.demo.vocab_nation import (
    BRAND_FIRST,
    BRAND_SECOND,
    NATION_CITIES,
    NATION_CITY_WEIGHTS,
    UNIVERSITY_KINDS,
    province_short,
)
from sync.demo.vocab_people import ENTERPRISE_POSITIONS, INSTITUTE_POSITIONS, UNIVERSITY_POSITIONS
from sync.demo.vocab_places import (
    BRANDS,
    ENTERPRISE_SUFFIXES,
    INSTITUTE_SUFFIXES,
    INSTITUTE_TOPICS,
    INSTITUTES,
    JILIN_CITIES,
    UNIVERSITIES,
    City,
    KnownOrg,
)
from sync.validation import credit_code_check_char

_CITY_BY_SHORT = {c.short: c for c in JILIN_CITIES}
# Known organisations in the order they enter a data set: the small scale gets 4 universities and 2 institutes.
_KNOWN_ORDER: tuple[tuple[KnownOrg, str], ...] = (
    *((u, "university") for u in UNIVERSITIES[:4]),
    *((i, "institute") for i in INSTITUTES[:2]),
    *((u, "university") for u in UNIVERSITIES[4:]),
    *((i, "institute") for i in INSTITUTES[2:]),
)
_JILIN_CITY_WEIGHTS = (50, 15, 6, 4, 7, 4, 5, 3, 6)
# Ginseng, Changbai herbs and black soil are research topics of the northeast only.
_NORTHEAST = ("吉林省", "辽宁省", "黑龙江省")
_NATION_TOPICS = tuple(t for t in INSTITUTE_TOPICS if t[0] not in ("人参", "长白山中药材", "黑土地保护"))
_CREDIT_BODY = "0123456789ABCDEFGHJKLMNPQRTUWXY"


@dataclass
class ContactInfo:
    id: str
    name: str
    position: str
    phone: str
    email: str


@dataclass
class InstitutionInfo:
    id: str
    index: int
    name: str
    org_type: str
    city: City
    district: tuple[str, str]
    domains: list[Domain]
    website: str | None
    specialist: str  # username of the assigned demo specialist
    contacts: list[ContactInfo] = field(default_factory=list)
    done_visits: list[str] = field(default_factory=list)


def institution_ids(layout: Layout, seed: int) -> list[str]:
    return IdMaker(seed, "institution").take(layout.institutions)


def plan_institutions(layout: Layout, seed: int, specialists: list[str]) -> list[InstitutionInfo]:
    """Names, places and domains of every institution, ids from `institution_ids`."""
    rng = rng_for(seed, "institution-plan")
    ids = institution_ids(layout, seed)
    national = layout.scale == "national"
    used: set[str] = set()
    out: list[InstitutionInfo] = []
    for index, inst_id in enumerate(ids):
        if layout.is_research(index):
            name, org_type, city, domains, website = _research(rng, index, national, used)
        else:
            name, org_type, city, domains, website = _enterprise(rng, national, used)
        used.add(name)
        district = rng.choice(city.districts)
        specialist = specialists[layout.specialist_of(index)]
        out.append(InstitutionInfo(inst_id, index, name, org_type, city, district, domains, website, specialist))
    return out


def _pick_city(rng: DemoRandom, national: bool) -> City:
    if national and rng.random() < 0.85:
        return rng.weighted(NATION_CITIES, NATION_CITY_WEIGHTS)
    return rng.weighted(JILIN_CITIES, _JILIN_CITY_WEIGHTS)


def _research(
    rng: DemoRandom, index: int, national: bool, used: set[str]
) -> tuple[str, str, City, list[Domain], str | None]:
    if index < len(_KNOWN_ORDER):
        org, org_type = _KNOWN_ORDER[index]
        return org.name, org_type, _CITY_BY_SHORT[org.city], [DOMAIN_BY_KEY[k] for k in org.domains], org.website
    if national:
        return _national_research(rng, used)
    while True:
        city = _pick_city(rng, national)
        topic, key = rng.choice(INSTITUTE_TOPICS)
        prefix = city.short if rng.random() < 0.5 or city.province != "吉林省" else "吉林省"
        name = f"{prefix}{topic}{rng.choice(INSTITUTE_SUFFIXES)}"
        if name not in used:
            domains = [DOMAIN_BY_KEY[key], *([rng.choice(DOMAINS)] if rng.random() < 0.4 else [])]
            return name, "institute", city, list(dict.fromkeys(domains)), None


def _national_research(rng: DemoRandom, used: set[str]) -> tuple[str, str, City, list[Domain], str | None]:
    """A made-up university (湖北理工大学, 株洲职业技术学院) or institute (湖北省新能源汽车研究院) of any province."""
    while True:
        city = _pick_city(rng, True)
        by_province = rng.random() < 0.4 and city.province != city.name
        if rng.random() < 0.2:
            kind, keys, web = rng.choice(UNIVERSITY_KINDS)
            name = f"{province_short(city.province) if by_province else city.short}{kind}"
            website = None if by_province or rng.random() < 0.3 else f"www.{city.pinyin}{web}.edu.cn"
            org_type, domains = "university", [DOMAIN_BY_KEY[k] for k in keys]
        else:
            topic, key = rng.choice(INSTITUTE_TOPICS if city.province in _NORTHEAST else _NATION_TOPICS)
            name = f"{city.province if by_province else city.short}{topic}{rng.choice(INSTITUTE_SUFFIXES)}"
            website, org_type = None, "institute"
            domains = list(dict.fromkeys([DOMAIN_BY_KEY[key], *([rng.choice(DOMAINS)] if rng.random() < 0.4 else [])]))
        if name not in used:
            return name, org_type, city, domains, website


def _enterprise(rng: DemoRandom, national: bool, used: set[str]) -> tuple[str, str, City, list[Domain], str | None]:
    while True:
        city = _pick_city(rng, national)
        domain = rng.choice(DOMAINS)
        brand, brand_pinyin = _composed_brand(rng) if national else rng.choice(BRANDS)
        core = f"{city.short}{brand}{rng.choice(domain.company_words)}"
        name = core + rng.choice(ENTERPRISE_SUFFIXES)
        # Nationally one company per trade name and trade in a city (no 瑞达制药有限公司 beside 瑞达制药股份有限公司).
        if name not in used and not (national and core in used):
            if national:
                used.add(core)
            website = None
            if rng.random() < 0.7:
                website = f"www.{city.pinyin[:2]}{brand_pinyin}{rng.choice(('', 'tech', 'group', 'bio', 'hi'))}.com"
                website += rng.choice(("", "", ".cn"))
            return name, "enterprise", city, [domain], website


def _composed_brand(rng: DemoRandom) -> tuple[str, str]:
    """A two-character trade name, e.g. (瑞达, ruida); never one character twice."""
    while True:
        (first, first_py), (second, second_py) = rng.choice(BRAND_FIRST), rng.choice(BRAND_SECOND)
        if first != second:
            return first + second, first_py + second_py


def credit_code(rng: DemoRandom, info: InstitutionInfo, taken: set[str]) -> str:
    """A valid unified social credit code not in `taken` (drawn again on a clash), added to it."""
    while True:
        head = "91" if info.org_type == "enterprise" else "12"
        if info.org_type == "enterprise" and rng.random() < 0.7:
            body = "MA" + "".join(rng.choice(_CREDIT_BODY) for _ in range(7))
        else:
            body = "".join(rng.choice("0123456789") for _ in range(8)) + rng.choice("0123456789X")
        first17 = head + info.district[1] + body
        code = first17 + credit_code_check_char(first17)
        if code not in taken:
            taken.add(code)
            return code


def address(rng: DemoRandom, info: InstitutionInfo) -> str:
    city = info.city
    province = "" if city.province == city.name else city.province
    return f"{province}{city.name}{info.district[0]}{rng.choice(city.streets)}{rng.randint(1, 6999)}号"


def institution_record(rng: DemoRandom, info: InstitutionInfo, proposed: bool, codes: set[str]) -> dict[str, Any]:
    d = info.domains[0]
    fields = "、".join(x.name for x in info.domains)
    if info.org_type == "university":
        profile = (
            f"{info.name}是{info.city.province}重点建设的高等院校，在{fields}等领域形成了特色和优势，"
            f"拥有国家级和省部级科研平台{rng.randint(8, 60)}个，近五年承担各类科研项目{rng.randint(300, 3000)}项，"
            f"获授权发明专利{rng.randint(100, 2500)}件，设有技术转移机构，积极推动科技成果在省内转化落地。"
        )
    elif info.org_type == "institute":
        profile = (
            f"{info.name}主要从事{fields}领域的应用基础研究和技术开发，现有科研人员{rng.randint(40, 900)}人，"
            f"建有省级以上重点实验室和工程技术研究中心{rng.randint(2, 15)}个，"
            f"在{rng.choice(d.objects)}{rng.choice(d.actions)}等方向具有较强的研发和成果转化能力。"
        )
    else:
        honors = ("国家高新技术企业", "吉林省专精特新中小企业", "省级科技型中小企业", "省级企业技术中心依托单位")
        profile = (
            f"{info.name}成立于{rng.randint(1995, 2022)}年，注册资本{rng.randint(5, 500) * 100}万元，"
            f"主要从事{'、'.join(rng.sample(d.products, 2))}的研发、生产和销售，是{rng.choice(honors)}。"
            f"现有员工{rng.randint(30, 1500)}人，其中研发人员{rng.randint(5, 120)}人。"
        )
    return {
        "id": info.id,
        "name": info.name,
        "credit_code": credit_code(rng, info, codes),
        "org_type": info.org_type,
        "region_code": info.district[1],
        "address": address(rng, info),
        "website": f"https://{info.website}" if info.website and rng.random() < 0.5 else info.website,
        "profile": profile,
        "key_technologies": text.key_technologies(rng, info.domains),
        "status": "pending" if proposed else "active",
        "proposed_by": info.specialist if proposed else None,
        # The market asked about some proposals (the demo has no rejected ones); no random draw, so the data stays.
        "review_note": "请补充单位网址和统一社会信用代码" if proposed and len(info.name) % 2 == 0 else None,
    }


_CONTACT_NOTES = (
    "主要负责科技成果转化工作，沟通顺畅", "对技术合同登记政策较为关注", "可协助联系相关课题组", "工作日上午方便联系",
    "负责企业技术需求对接", "参加过多次供需对接会", "建议提前一周预约走访",
)


def contact_records(rng: DemoRandom, info: InstitutionInfo, n: int, ids: IdMaker) -> list[dict[str, Any]]:
    positions = {
        "university": UNIVERSITY_POSITIONS, "institute": INSTITUTE_POSITIONS,
    }.get(info.org_type, ENTERPRISE_POSITIONS)
    out = []
    for position in rng.sample(positions, n):
        name, pinyin = people.person(rng)
        phone = people.mobile(rng) if rng.random() < 0.7 else people.landline(rng, info.city.area_code)
        contact = ContactInfo(ids.next(), name, position, phone, people.email(rng, pinyin, info.website))
        info.contacts.append(contact)
        out.append({
            "id": contact.id,
            "institution_id": info.id,
            "name": name,
            "position": position,
            "phone": phone,
            "email": contact.email,
            "notes": rng.choice(_CONTACT_NOTES) if rng.random() < 0.5 else None,
        })
    return out
