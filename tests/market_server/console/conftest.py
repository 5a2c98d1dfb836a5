"""Console test helpers: a browser-like client (own cookie jar) signed in through the sign-in form."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from tests.market_server.conftest import PASSWORD

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def csrf_of(page: Response) -> str:
    found = CSRF.search(page.text)
    assert found, page.text[:500]
    return found.group(1)


def sign_in(browser: TestClient, username: str, password: str = PASSWORD) -> Response:
    """Post the sign-in form as a browser would (its CSRF token comes from the form and its cookie)."""
    form = browser.get("/admin/login")
    return browser.post("/admin/login", data={"username": username, "password": password, "csrf": csrf_of(form)},
                        follow_redirects=False)


def signed_in(browser: TestClient, username: str) -> str:
    """Sign in and return the session's CSRF token for forms."""
    answer = sign_in(browser, username)
    assert answer.status_code == 303, answer.text
    return csrf_of(browser.get("/admin/"))


@pytest.fixture
def browser(client: TestClient) -> Iterator[TestClient]:
    """A fresh cookie jar on the module's server app."""
    with TestClient(client.app) as fresh:
        yield fresh
