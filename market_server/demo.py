"""Demo data for the server: the shared demo generator's records, plus its demo users and assignments."""

from __future__ import annotations

import dataclasses
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, select

from market_server import accounts
from market_server.security import hash_password
from market_server.seed import load_records
from market_server.tables import app_user


class DemoRefused(Exception):
    """The database holds accounts that are not demo accounts (a real deployment): seeding needs --force."""

    def __init__(self, others: list[str]) -> None:
        super().__init__(", ".join(others))
        self.others = others


@dataclass(frozen=True)
class SeedReport:
    rows: int
    users: list[Any]  # sync.demo DemoUser, with the password it was created with
    created: set[str] = dataclasses.field(default_factory=set)  # user names new in this run (others kept theirs)


def seed_demo(engine: Engine, scale: str, seed: int = 2026, *, demo_passwords: bool = True,
              force: bool = True) -> SeedReport:
    """Load the demo records and create the demo users (existing users are kept, assignments added).

    `demo_passwords`: the documented fixed demo passwords, else a new random one per user. Without `force`,
    a database holding any user who is not a demo user is refused (DemoRefused) before anything is written.
    """
    from sync.demo import demo_users, generate

    users = demo_users(scale, seed=seed)
    if not demo_passwords:
        users = [dataclasses.replace(u, password=secrets.token_urlsafe(12)) for u in users]
    names = {u.username for u in users}
    created: set[str] = set()
    with engine.begin() as conn:
        if not force:
            others = sorted(n for n in conn.execute(select(app_user.c.username)).scalars() if n not in names)
            if others:
                raise DemoRefused(others)
        rows = load_records(conn, generate(scale, seed=seed), user="demo")
        # The published demo passwords are hashed once each, not once per account (argon2 costs ~0.15 s a hash:
        # 5 minutes of CPU for the national scale's 2,001 accounts); random passwords each get their own hash.
        shared: dict[str, str] = {}
        for user in users:
            if accounts.find_user(conn, user.username) is None:
                digest = None
                if demo_passwords:
                    if user.password not in shared:
                        shared[user.password] = hash_password(user.password)
                    digest = shared[user.password]
                accounts.add_user(conn, user.username, user.role, user.password, user.display_name,
                                  password_hash=digest)
                created.add(user.username)
            accounts.assign(conn, user.username, user.institution_ids)
    return SeedReport(rows, users, created)
