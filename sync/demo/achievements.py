"""Achievements (科技成果) and their IP items."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from sync.demo import clock, people, text
from sync.demo.clock import REFERENCE_MS
from sync.demo.orgs import InstitutionInfo
from sync.demo.rand import IdMaker, rng_for
from sync.demo.vocab_domains import DOMAINS, Domain

_STAGE_TRL = {"lab": (3, 4), "pilot": (5, 6), "industrial": (7, 9)}
_TRANSFER_MODES = ("transfer", "license", "equity", "joint_dev", "service")
_REVIEW = (("approved", "pending", "draft", "returned"), (75, 12, 8, 5))
# Why the market returned an achievement (chosen by the title's length, so the random sequence stays as it was).
_RETURN_NOTES = ("请补充主要技术指标", "成果简介过于简略，请补充应用场景", "请提供知识产权证明材料")
_PRICE_MODES = (("fixed", "negotiable", "appraisal", "auction"), (35, 45, 12, 8))
_IP_DELAY_DAYS = {"invention": (540, 1200), "utility": (120, 360), "design": (90, 240), "software": (30, 90),
                  "plant": (720, 1440)}
_TITLE_TRIES = 8
_IP_TYPE_DIGIT = {"invention": "1", "utility": "2", "design": "3"}


class AchievementMaker:
    """Builds achievements and IP items; `institutions` may be empty (standalone records for benchmarks)."""

    def __init__(
        self, seed: int, institutions: list[InstitutionInfo], specialists: list[str], *, distinct_titles: bool = False
    ) -> None:
        self.rng = rng_for(seed, "achievement")
        self.ids = IdMaker(seed, "achievement", spread_days=730, spread_end_ms=REFERENCE_MS)
        self.ip_ids = IdMaker(seed, "ip_item", offset_ms=40_000_000)
        self.institutions = institutions
        self.specialists = specialists
        self.ip_numbers: set[str] = set()  # patent and registration numbers given so far: each is unique
        # With `distinct_titles` (the national scale, whose titles would otherwise repeat three times on average),
        # keys of the titles given so far; the province keeps its titles (and the figures measured on them).
        self.titles: set[int] | None = set() if distinct_titles else None

    def records(
        self, index: int, owner: InstitutionInfo | None, category: str, ip_count: int
    ) -> Iterator[tuple[str, dict[str, Any]]]:
        rng = self.rng
        d = rng.choice(owner.domains) if owner else rng.choice(DOMAINS)
        record = self.achievement(index, owner, d, category, ip_count)
        yield "achievement", record
        for _ in range(ip_count):
            yield "ip_item", self.ip_item(record, d)

    def achievement(
        self, index: int, owner: InstitutionInfo | None, d: Domain, category: str, ip_count: int
    ) -> dict[str, Any]:
        rng = self.rng
        title = self._title(d, category)
        stage: str | None = None
        if category == "applied":
            stage = rng.weighted(("lab", "pilot", "industrial"), (30, 35, 35))
        elif category == "basic":
            stage = "lab"
        trl = (rng.randint(*_STAGE_TRL[stage]) if category == "applied" else rng.randint(1, 3)) if stage else None
        inventors = people.distinct_people(rng, rng.randint(2, 7))
        price_mode = rng.weighted(*_PRICE_MODES)
        price = round(10 ** rng.uniform(0.7, 3.4)) * 1.0 if price_mode in ("fixed", "auction") else None
        indicators = text.indicator_lines(rng, d) if category != "soft" else None
        advantages = text.advantages(rng, d)
        confidential = None
        if rng.random() < 0.2:
            candidates = [n for n, v in (("indicators", indicators), ("advantages", advantages), ("price", price)) if v]
            confidential = rng.sample(candidates, rng.randint(1, len(candidates)))
        review = rng.weighted(*_REVIEW)
        contact_name, contact_phone, contact_email = self._contact(owner, inventors[0])
        source_visit = None
        if owner and owner.done_visits and rng.random() < 0.15:
            source_visit = rng.choice(owner.done_visits)
        return {
            "id": self.ids.next(),
            "reg_no": self._reg_no(index, owner) if review == "approved" else None,
            "title": title,
            "institution_id": owner.id if owner else None,
            "completing_units": self._units(owner),
            "inventors": [name for name, _ in inventors],
            "keywords": text.keywords(rng, d),
            "category": category,
            "attribute": rng.weighted(("original", "reinnovation", "secondary"), (55, 25, 20)),
            "stage": stage,
            "trl": trl,
            "domain": d.field,
            "industry": rng.choice(d.industries),
            "strategic_industry": rng.choice(d.strategic),
            "summary": text.summary(rng, d, title, ip_count),
            "indicators": indicators,
            "advantages": advantages,
            "transfer_modes": self._transfer_modes(category),
            "price_mode": price_mode,
            "price": price,
            "contact_name": contact_name,
            "contact_phone": contact_phone,
            "contact_email": contact_email,
            "confidential_fields": confidential,
            "review_status": review,
            "source_visit_id": source_visit,
            "collected_by": owner.specialist if owner else rng.choice(self.specialists),
            "review_note": _RETURN_NOTES[len(title) % len(_RETURN_NOTES)] if review == "returned" else None,
        }

    def _title(self, d: Domain, category: str) -> str:
        """A title; with `distinct_titles`, one not given before where a few more draws find one."""
        rng = self.rng
        title = text.title(rng, d, category)
        if self.titles is None:
            return title
        key = _title_key(title)
        for attempt in range(_TITLE_TRIES):
            if key not in self.titles:
                break
            title = text.title(rng, d, category)
            if attempt >= 2:  # the plain titles of this kind are crowded: narrow one to its users
                title = text.qualified_title(rng, d, title)
            key = _title_key(title)
        self.titles.add(key)
        return title

    def _reg_no(self, index: int, owner: InstitutionInfo | None) -> str:
        """登记号: the owner's province code, the year, and a serial from the index (unique up to 1,000,000
        achievements: `Layout` allows no more)."""
        province = owner.district[1][:2] if owner else "22"
        return f"{province}{self.rng.randint(2016, 2026)}{(index + 1) % 1_000_000:06d}"

    def _units(self, owner: InstitutionInfo | None) -> list[str]:
        rng = self.rng
        if owner is None:
            return [rng.choice(("吉林省某高校", "吉林省某研究院", "吉林省某科技企业"))]
        units = [owner.name]
        for _ in range(rng.weighted((0, 1, 2), (55, 35, 10))):
            other = rng.choice(self.institutions).name
            if other not in units:
                units.append(other)
        return units

    def _contact(self, owner: InstitutionInfo | None, first_inventor: tuple[str, str]) -> tuple[str, str, str]:
        rng = self.rng
        if owner and owner.org_type == "enterprise" and owner.contacts:
            c = rng.choice(owner.contacts)
            return c.name, c.phone, c.email
        host = owner.website if owner else None
        return first_inventor[0], people.mobile(rng), people.email(rng, first_inventor[1], host)

    def _transfer_modes(self, category: str) -> list[str]:
        rng = self.rng
        if category == "soft":
            return ["service"]
        if category == "basic":
            return rng.sample(("joint_dev", "service"), rng.randint(1, 2))
        return rng.sample(_TRANSFER_MODES, rng.randint(1, 3))

    def ip_item(self, achievement: dict[str, Any], d: Domain) -> dict[str, Any]:
        rng = self.rng
        kind = self._ip_kind(d)
        filed = date(2012, 1, 1) + timedelta(days=rng.randrange((clock.REFERENCE_DATE - date(2012, 1, 1)).days - 30))
        low, high = _IP_DELAY_DAYS[kind]
        granted: date | None = filed + timedelta(days=rng.randint(low, high))
        status = rng.weighted(("granted", "filed", "lapsed"), (72, 18, 10))
        if status == "filed" and (clock.REFERENCE_DATE - filed).days > 3 * 365:
            status = "granted"  # an application pending for years is rare; call it decided
        if status == "filed" or (granted is not None and granted >= clock.REFERENCE_DATE):
            status, granted = "filed", None
        return {
            "id": self.ip_ids.next(),
            "achievement_id": achievement["id"],
            "kind": kind,
            "number": self._ip_number(kind, filed.year),
            "title": self._ip_title(kind, d, achievement["title"]),
            "status": status,
            "filed_on": filed.isoformat(),
            "granted_on": granted.isoformat() if granted else None,
        }

    def _ip_kind(self, d: Domain) -> str:
        rng = self.rng
        if d.key == "it":
            return rng.weighted(("software", "invention"), (70, 30))
        if d.key == "agri" and rng.random() < 0.3:
            return "plant"
        return rng.weighted(("invention", "utility", "design"), (62, 32, 6))

    def _ip_number(self, kind: str, year: int) -> str:
        while True:
            number = self._draw_ip_number(kind, year)
            if number not in self.ip_numbers:
                self.ip_numbers.add(number)
                return number

    def _draw_ip_number(self, kind: str, year: int) -> str:
        rng = self.rng
        if kind == "software":
            return f"{year}SR{rng.randrange(10**7):07d}"
        if kind == "plant":
            return f"CNA{year}{rng.randrange(10**4):04d}.{rng.randrange(10)}"
        return f"ZL{year}{_IP_TYPE_DIGIT[kind]}{rng.randrange(10**7):07d}.{rng.choice('0123456789X')}"

    def _ip_title(self, kind: str, d: Domain, achievement_title: str) -> str:
        rng = self.rng
        obj, act = rng.choice(d.objects), rng.choice(d.actions)
        if kind == "invention":
            return achievement_title if achievement_title.startswith("一种") else f"一种{obj}{act}方法"
        if kind == "utility":
            return f"一种{obj}{act}装置"
        if kind == "design":
            return f"{rng.choice(d.products)}（外观）"
        if kind == "software":
            return f"{rng.choice(d.products)}{rng.choice(('管理', '监测', '分析'))}软件V{rng.randint(1, 3)}.0"
        return f"吉{rng.choice('农科单育')}{rng.randint(100, 999)}"


def _title_key(title: str) -> int:
    """64 bits of a title's BLAKE2 digest: a million of them take a fraction of the titles' memory."""
    return int.from_bytes(hashlib.blake2b(title.encode(), digest_size=8).digest(), "big")
