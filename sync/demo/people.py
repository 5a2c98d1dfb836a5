"""Made-up people: names (with pinyin), phone numbers and e-mail addresses."""

from __future__ import annotations

from sync.demo.rand import DemoRandom
from sync.demo.vocab_nation import EIGHT_DIGIT_AREAS
from sync.demo.vocab_people import EMAIL_HOSTS, GIVEN_NAMES, SURNAMES

_MOBILE_PREFIXES = (
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "153", "155",
    "156", "158", "159", "177", "180", "181", "186", "187", "188", "189", "199",
)


def person(rng: DemoRandom) -> tuple[str, str]:
    """(Chinese name, pinyin) with common surnames more frequent."""
    surname = SURNAMES[int(len(SURNAMES) * rng.random() ** 1.7)]
    given = rng.choice(GIVEN_NAMES)
    return surname[0] + given[0], surname[1] + given[1]


def distinct_people(rng: DemoRandom, n: int) -> list[tuple[str, str]]:
    """`n` people with different names."""
    by_name: dict[str, str] = {}
    while len(by_name) < n:
        name, pinyin = person(rng)
        by_name.setdefault(name, pinyin)
    return list(by_name.items())


def mobile(rng: DemoRandom) -> str:
    return rng.choice(_MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def landline(rng: DemoRandom, area_code: str) -> str:
    digits = 8 if len(area_code) <= 3 or area_code in EIGHT_DIGIT_AREAS else 7
    first = rng.choice("5868")
    return f"{area_code}-{first}{rng.randrange(10 ** (digits - 1)):0{digits - 1}d}"


def email(rng: DemoRandom, pinyin: str, web_host: str | None) -> str:
    """An address at the organisation's domain when it has one, else at a public mail host."""
    if web_host and rng.random() < 0.75:
        host = web_host.removeprefix("www.")
        return f"{pinyin}{rng.choice(('', '', str(rng.randrange(1, 99))))}@{host}"
    return f"{pinyin}{rng.randrange(1960, 2005) if rng.random() < 0.5 else rng.randrange(100, 9999)}@" + rng.choice(
        EMAIL_HOSTS
    )
