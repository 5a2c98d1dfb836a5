"""Demo data for the server: the shared demo generator's records, plus its demo users and assignments."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine

from market_server import accounts
from market_server.seed import load_records


@dataclass(frozen=True)
class SeedReport:
    rows: int
    users: list[Any]  # sync.demo DemoUser


def seed_demo(engine: Engine, scale: str, seed: int = 2026) -> SeedReport:
    """Load the demo records and create the demo users (existing users are kept, assignments added)."""
    from sync.demo import demo_users, generate

    with engine.begin() as conn:
        rows = load_records(conn, generate(scale, seed=seed), user="demo")
        users = demo_users(scale, seed=seed)
        for user in users:
            if accounts.find_user(conn, user.username) is None:
                accounts.add_user(conn, user.username, user.role, user.password, user.display_name)
            accounts.assign(conn, user.username, user.institution_ids)
    return SeedReport(rows, users)
