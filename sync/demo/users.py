"""Demo user accounts: one administrator and the specialists the generated records name."""

from __future__ import annotations

from dataclasses import dataclass, field

from sync.demo.layout import Layout, specialist_names
from sync.demo.orgs import institution_ids

# Demo passwords are public by design (README, `make demo`); never reuse them outside demo data.
DEMO_ADMIN_PASSWORD = "admin-demo-2026"
DEMO_SPECIALIST_PASSWORD = "demo-2026"


@dataclass
class DemoUser:
    username: str
    password: str
    role: str  # "admin" | "specialist"
    display_name: str
    institution_ids: list[str] = field(default_factory=list)


def demo_users(scale: str = "small", *, seed: int = 2026) -> list[DemoUser]:
    """The admin, then the specialists ("demo" first), each with the ids of the institutions assigned to them."""
    layout = Layout(scale)
    ids = institution_ids(layout, seed)
    specialists = [
        DemoUser(username, DEMO_SPECIALIST_PASSWORD, "specialist", display_name)
        for username, display_name in specialist_names(layout.specialists)
    ]
    for index, inst_id in enumerate(ids):
        specialists[layout.specialist_of(index)].institution_ids.append(inst_id)
    return [DemoUser("admin", DEMO_ADMIN_PASSWORD, "admin", "系统管理员"), *specialists]
