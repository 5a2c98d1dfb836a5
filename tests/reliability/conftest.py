"""Reliability harness fixtures: a real market-server process (tests/e2e's Market), users, shared institutions.

The helper modules of this folder (faultproxy, harness) are put on sys.path so test modules can import them.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from market_server.security import use_cheap_hashing

HERE = Path(__file__).parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from tests.e2e.conftest import Market  # noqa: E402  (after the sys.path set-up above)

use_cheap_hashing()  # user passwords hashed here stay valid argon2id; the server verifies them cheaply too


def password(user: str) -> str:
    return f"pw-{user}-123456"  # what tests/e2e's Market.add_user sets


class RestartableMarket(Market):
    """A market server process that can be killed with SIGKILL and started again (`start`) on the same port and data."""

    def kill(self) -> None:
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)


@dataclass
class Team:
    """A server with an admin, three specialists and two institutions: s1+s2 share A, s2+s3 share B."""

    market: Market
    institutions: dict[str, str]
    scopes: dict[str, set[str]]  # specialist -> assigned institution ids

    @property
    def db_path(self) -> Path:
        return self.market.root / "market.sqlite3"


@pytest.fixture(scope="module")
def market(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Market]:
    server = Market(tmp_path_factory.mktemp("server"))
    yield server
    server.stop()


def make_team(market: Market, prefix: str) -> Team:
    """Users `<prefix>s1..s3` and two institutions, created through the admin CLI and an admin push."""
    from sync.ids import uuid7

    institutions = {"A": uuid7(), "B": uuid7()}
    _seed_institutions(market, institutions)
    scopes: dict[str, set[str]] = {}
    for user, keys in ((f"{prefix}s1", "A"), (f"{prefix}s2", "AB"), (f"{prefix}s3", "B")):
        market.add_user(user)
        ids = [institutions[k] for k in keys]
        market.admin("assign", user, *ids)
        scopes[user] = set(ids)
    return Team(market, institutions, scopes)


def _seed_institutions(market: Market, institutions: dict[str, str]) -> None:
    from market_server.db import make_engine
    from market_server.seed import load_records
    from market_server.settings import Settings

    engine = make_engine(Settings.from_env(market.env))
    try:
        with engine.begin() as conn:
            load_records(conn, [("institution", {"id": i, "name": f"可靠性测试机构{k}", "org_type": "university",
                                                 "status": "active"}) for k, i in institutions.items()], user="seed")
    finally:
        engine.dispose()
