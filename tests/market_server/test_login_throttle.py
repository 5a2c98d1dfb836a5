"""Sign-in CPU limits (#13.4): a bounded hashing pool, and attempt limits per address, account and overall."""

from __future__ import annotations

import dataclasses
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any, cast

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from market_server.errors import ApiError
from market_server.settings import Settings
from market_server.throttle import HashingPool, check_password

from .conftest import PASSWORD, add_user, unique


def _attempt(engine: Engine, settings: Settings, pool: HashingPool, name: str, password: str, ip: str) -> str:
    try:
        check_password(engine, settings, pool, name, password, ip)
    except ApiError as err:
        return err.code
    return "ok"


def test_sixty_concurrent_wrong_passwords_get_no_more_than_the_limit_checked(
        engine: Engine, settings: Settings) -> None:
    name = add_user(engine)
    limited = dataclasses.replace(settings, login_max_failures=5)
    pool = HashingPool(60)
    start = threading.Barrier(60)

    def one(_i: int) -> str:
        start.wait()
        return _attempt(engine, limited, pool, name, "wrong-password", "10.0.0.60")

    with ThreadPoolExecutor(60) as workers:
        codes = list(workers.map(one, range(60)))
    checked = codes.count("login_failed")
    assert checked <= 5 and codes.count("login_rate_limited") == 60 - checked  # 0 too: all counted at once
    for _ in range(5 - checked):  # attempts refused unchecked do not count: the rest of the limit is still there
        assert _attempt(engine, limited, pool, name, "wrong-password", "10.0.0.60") == "login_failed"
    assert _attempt(engine, limited, pool, name, PASSWORD, "10.0.0.60") == "login_rate_limited"
    assert _attempt(engine, limited, pool, name, PASSWORD, "10.0.0.61") == "ok"  # another address


def test_a_full_hashing_pool_answers_429_at_once(engine: Engine, settings: Settings) -> None:
    pool = HashingPool(1)
    with pool.slot(), pytest.raises(ApiError) as refused:
        check_password(engine, settings, pool, add_user(engine), PASSWORD, "10.0.1.1")
    assert refused.value.status == 429 and refused.value.code == "login_busy"
    assert refused.value.headers == {"Retry-After": "1"}
    assert _attempt(engine, settings, pool, add_user(engine), PASSWORD, "10.0.1.1") == "ok"


def test_one_account_is_limited_across_addresses(engine: Engine, settings: Settings) -> None:
    name = add_user(engine)
    limited = dataclasses.replace(settings, login_max_per_account=3)
    pool = HashingPool(2)
    codes = [_attempt(engine, limited, pool, name, "wrong-password", f"10.0.2.{i}") for i in range(4)]
    assert codes == ["login_failed"] * 3 + ["login_rate_limited"]


def test_one_address_is_limited_across_new_names(engine: Engine, settings: Settings) -> None:
    limited = dataclasses.replace(settings, login_max_per_address=3)
    pool = HashingPool(2)
    codes = [_attempt(engine, limited, pool, unique("nobody"), "wrong-password", "10.0.3.1") for _ in range(4)]
    assert codes == ["login_failed"] * 3 + ["login_rate_limited"]
    assert _attempt(engine, limited, pool, unique("nobody"), "wrong-password", "10.0.3.2") == "login_failed"


def test_the_whole_server_is_limited(engine: Engine, settings: Settings) -> None:
    pool = HashingPool(2)
    tight = dataclasses.replace(settings, login_max_global=0)
    assert _attempt(engine, tight, pool, unique("nobody"), "wrong-password", "10.0.4.1") == "login_rate_limited"


def test_a_right_password_clears_that_name_and_address(engine: Engine, settings: Settings) -> None:
    name = add_user(engine)
    limited = dataclasses.replace(settings, login_max_failures=3)
    pool = HashingPool(2)
    for _ in range(2):
        assert _attempt(engine, limited, pool, name, "wrong-password", "10.0.5.1") == "login_failed"
    assert _attempt(engine, limited, pool, name, PASSWORD, "10.0.5.1") == "ok"
    for _ in range(3):
        assert _attempt(engine, limited, pool, name, "wrong-password", "10.0.5.1") == "login_failed"


def test_a_full_pool_answers_sign_ins_before_the_app_reads_them(client: TestClient) -> None:
    pool = cast(Any, client.app).state.hashing_pool
    slots = [pool.slot() for _ in range(64)]
    held = []
    for slot in slots:  # take every slot there is
        try:
            slot.__enter__()
        except ApiError:
            break
        held.append(slot)
    try:
        busy = client.post("/auth/login", content=b"not even json")  # refused before parsing
        assert busy.status_code == 429 and busy.json()["code"] == "login_busy"
        assert busy.headers["retry-after"] == "1" and busy.headers["cache-control"] == "no-store"
    finally:
        for slot in held:
            slot.__exit__(None, None, None)
    assert client.post("/auth/login", content=b"not even json").status_code == 422
