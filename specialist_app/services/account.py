"""The signed-in account as the store remembers it (for offline use): the role the server last gave."""

from __future__ import annotations

from specialist_app.services.uow import Reads, UnitOfWork
from specialist_app.store import meta
from specialist_app.store.db import Store

ROLE_KEY = "account_role"  # store meta: the signed-in user's role as the server last said (admin|specialist)


def remember_role(store: Store, role: str) -> None:
    """Keep the role the server answered, so the app knows what this user may edit while offline."""
    with UnitOfWork(store) as uow:
        meta.set_meta(uow.conn, ROLE_KEY, role)
        uow.commit()


def remembered_role(uow: Reads) -> str | None:
    return meta.get_meta(uow.conn, ROLE_KEY)
