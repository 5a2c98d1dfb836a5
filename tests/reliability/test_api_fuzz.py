"""API fuzzing with schemathesis against the server's own /openapi.json, signed in as a specialist.

No request may get a 5xx, and every 4xx answer is an ErrorBody with a machine code and a readable message.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from harness import SCALE, SEED, record_figures
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from market_server import accounts
from market_server.app import create_app
from market_server.db import make_engine, migrate
from market_server.seed import load_records
from market_server.settings import Settings
from sync.ids import uuid7
from sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION

EXAMPLES_PER_OPERATION = 25 * SCALE


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[FastAPI, dict[str, str]]]:
    root = tmp_path_factory.mktemp("fuzz")
    config = Settings(data_dir=root, database_url=f"sqlite:///{root / 'market.sqlite3'}", blob_dir=root / "blobs")
    engine = make_engine(config)
    migrate(engine)
    inst = uuid7()
    with engine.begin() as conn:
        load_records(conn, [("institution", {"id": inst, "name": "模糊测试机构", "org_type": "university",
                                             "status": "active"})], user="seed")
        accounts.add_user(conn, "fuzzer", "specialist", "fuzz-password-1")
        accounts.assign(conn, "fuzzer", [inst])
    engine.dispose()
    application = create_app(config)
    with TestClient(application) as client:
        answer = client.post("/auth/login", json={"username": "fuzzer", "password": "fuzz-password-1",
                                                  "device_id": "fuzz-device", "device_name": "fuzz"})
        assert answer.status_code == 200, answer.text
        headers = {"Authorization": f"Bearer {answer.json()['access_token']}", PROTOCOL_HEADER: str(PROTOCOL_VERSION)}
        yield application, headers
    application.state.engine.dispose()


@pytest.mark.slow
def test_no_request_gets_a_500_and_every_4xx_explains_itself(app: tuple[FastAPI, dict[str, str]]) -> None:
    application, headers = app
    schema = schemathesis.openapi.from_asgi("/openapi.json", application)
    statuses: Counter[int] = Counter()
    unexplained: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = cast(Any, result).ok()
        operations += 1

        @seed(SEED)  # used only when not derandomized: a soak run's own examples
        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, derandomize=SEED == 0, database=None,
                  suppress_health_check=list(HealthCheck))
        def fuzz(case: Any) -> None:
            given_headers = {**(case.headers or {}), **headers}  # fuzzed headers, but signed in
            response = case.call(headers=given_headers)
            statuses[response.status_code] += 1
            where = f"{case.method} {case.formatted_path}"
            assert response.status_code < 500, f"{where}: {response.status_code} {response.text[:300]}"
            if 400 <= response.status_code < 500 and case.method != "HEAD":
                body = response.json()
                if not (isinstance(body, dict) and body.get("code") and body.get("message")
                        and body.get("message_en")):
                    unexplained.append(f"{where}: {response.status_code} {response.text[:200]}")

        fuzz()
    fuzzed = sum(statuses.values())
    record_figures("api_fuzz", operations=operations, requests=fuzzed, statuses=dict(statuses),
                   server_errors=sum(n for s, n in statuses.items() if s >= 500), unexplained=len(unexplained))
    assert unexplained == []
    assert operations >= 10 and fuzzed >= operations * 5


def test_the_fuzzer_sees_every_route(app: tuple[FastAPI, dict[str, str]], tmp_path: Path) -> None:
    application, _headers = app
    schema = schemathesis.openapi.from_asgi("/openapi.json", application)
    operations = [cast(Any, r).ok() for r in schema.get_all_operations()]
    seen = {(op.method.upper(), op.path) for op in operations}
    assert ("POST", "/sync/push") in seen and ("PATCH", "/blobs/{sha}") in seen and ("POST", "/auth/login") in seen
    assert {("PUT", "/catalog-snapshot"), ("GET", "/catalog-snapshot"), ("GET", "/catalog-snapshot/{sha}")} <= seen


@given(value=st.one_of(st.integers(min_value=2**63, max_value=2**80), st.integers(max_value=-1)),
       where=st.sampled_from(["seq", "base_version", "cursor", "snapshot_cursor", "offset"]))
@settings(max_examples=60, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_huge_and_negative_numbers_get_a_4xx(app: tuple[FastAPI, dict[str, str]], value: int, where: str) -> None:
    """Numbers past what the database stores (2^63 and up) in every integer the API reads: a 4xx, never a 500."""
    application, headers = app
    with TestClient(application) as client:
        mutation: dict[str, Any] = {"seq": 1, "entity": "visit", "id": uuid7(), "op": "update", "fields": {}}
        if where in ("seq", "base_version"):
            mutation[where] = value
            response = client.post("/sync/push", json={"device_id": "fuzz-device", "mutations": [mutation]},
                                   headers=headers)
        elif where == "cursor":
            response = client.post("/sync/pull", json={"device_id": "fuzz-device", "cursors": {"catalog": value}},
                                   headers=headers)
        elif where == "snapshot_cursor":
            response = client.put("/catalog-snapshot", params={"format": "f.v1", "cursor": value, "sha256": "0" * 64},
                                  content=b"x", headers=headers)
        else:
            response = client.patch("/blobs/" + "0" * 64, params={"offset": value}, content=b"x",
                                    headers={**headers, "Upload-Length": "10"})
    assert 400 <= response.status_code < 500, f"{where}={value}: {response.status_code} {response.text[:200]}"
    assert response.json()["message_en"]
