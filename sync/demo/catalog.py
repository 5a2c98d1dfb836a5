"""Enterprise technology demands and experts."""

from __future__ import annotations

from typing import Any

from sync.demo import clock, people, text
from sync.demo.clock import REFERENCE_MS
from sync.demo.orgs import InstitutionInfo
from sync.demo.rand import IdMaker, rng_for
from sync.demo.vocab_domains import Domain
from sync.demo.vocab_people import EXPERT_TITLES

_COOP_MODES = ("transfer", "license", "joint_dev", "commissioned", "service", "platform")


class DemandMaker:
    def __init__(self, seed: int, institutions: list[InstitutionInfo]) -> None:
        self.rng = rng_for(seed, "demand")
        self.ids = IdMaker(seed, "demand", spread_days=730, spread_end_ms=REFERENCE_MS)
        self.research = [i for i in institutions if i.org_type != "enterprise"]
        self._fitting: dict[str, list[str]] = {}  # domain key -> names of research institutions working in it

    def demand(self, owner: InstitutionInfo) -> dict[str, Any]:
        rng = self.rng
        d = owner.domains[0]
        texts = text.demand_texts(rng, d)
        valid_until = clock.day(rng.randint(-120, 365))
        if valid_until < clock.REFERENCE_DATE:
            status = rng.choice(("closed", "solved"))
        else:
            status = rng.weighted(("open", "matching", "solved"), (60, 30, 10))
        confidentiality = rng.weighted(("public", "partial", "confidential"), (60, 30, 10))
        confidential = None
        if confidentiality != "public":
            confidential = ["budget"] if rng.random() < 0.6 else ["indicators", "budget"]
        contact = rng.choice(owner.contacts) if owner.contacts else None
        source_visit = rng.choice(owner.done_visits) if owner.done_visits and rng.random() < 0.4 else None
        return {
            "id": self.ids.next(),
            "title": text.demand_title(rng, d),
            "institution_id": owner.id,
            "demand_type": rng.weighted(("tackling", "adoption", "joint_rd", "talent"), (40, 25, 25, 10)),
            **texts,
            "keywords": text.keywords(rng, d),
            "industry": rng.choice(d.industries),
            "budget": float(rng.choice((10, 20, 30, 50, 80, 100, 150, 200, 300, 500, 800, 1000, 2000))),
            "coop_modes": rng.sample(_COOP_MODES, rng.randint(1, 3)),
            "intended_partner": self._partner(d),
            "valid_until": valid_until.isoformat(),
            "confidentiality": confidentiality,
            "contact_name": contact.name if contact else None,
            "contact_phone": contact.phone if contact else None,
            "contact_email": contact.email if contact else None,
            "confidential_fields": confidential,
            "status": status,
            "source_visit_id": source_visit,
            "collected_by": owner.specialist,
        }

    def _partner(self, d: Domain) -> str:
        rng = self.rng
        fitting = self._fitting.get(d.key)
        if fitting is None:
            fitting = self._fitting[d.key] = [i.name for i in self.research if d in i.domains]
        if fitting and rng.random() < 0.5:
            return rng.choice(fitting)
        return rng.choice(("高校或科研院所", "不限", f"{d.field}领域科研团队", "省内高校优先"))


class ExpertMaker:
    """Experts; their phone numbers never repeat, nor (with `unique_emails`) their e-mail addresses.

    The small and province scales keep the few e-mail addresses they share (two 王伟 at one university), so
    the figures measured on them (docs/matching.md, duplicates_eval) stay those of the same data.
    """

    def __init__(self, seed: int, institutions: list[InstitutionInfo], *, unique_emails: bool = False) -> None:
        self.rng = rng_for(seed, "expert")
        self.phones: set[str] = set()
        self.emails: set[str] | None = set() if unique_emails else None
        self.ids = IdMaker(seed, "expert", offset_ms=5_000_000)
        self.research = [i for i in institutions if i.org_type != "enterprise"]
        self.enterprises = [i for i in institutions if i.org_type == "enterprise"]

    def expert(self) -> dict[str, Any]:
        rng = self.rng
        pool = self.research if rng.random() < 0.8 or not self.enterprises else self.enterprises
        unit = pool[int(len(pool) * rng.random() ** 1.5)]
        d = rng.choice(unit.domains)
        name, pinyin = people.person(rng)
        return {
            "id": self.ids.next(),
            "name": name,
            "title": rng.choice(EXPERT_TITLES),
            "unit": unit.name,
            "discipline": rng.choice(d.disciplines),
            "specialties": text.specialties(rng, d),
            "industry": rng.choice(d.industries),
            "phone": self._phone(unit),
            "email": self._email(pinyin, unit),
        }

    def _phone(self, unit: InstitutionInfo) -> str:
        rng = self.rng
        while True:
            phone = people.mobile(rng) if rng.random() < 0.8 else people.landline(rng, unit.city.area_code)
            if phone not in self.phones:
                self.phones.add(phone)
                return phone

    def _email(self, pinyin: str, unit: InstitutionInfo) -> str:
        while True:
            email = people.email(self.rng, pinyin, unit.website)
            if self.emails is None:
                return email
            if email not in self.emails:
                self.emails.add(email)
                return email
