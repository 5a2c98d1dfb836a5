"""Sync failures the user can be told about, each with a message code from sync.messages."""

from __future__ import annotations

import sqlite3
from typing import Any

import sqlalchemy.exc

from sync.messages import lang_key, render


class SyncError(Exception):
    """Base of every sync failure; `code` keys sync.messages.MESSAGES, `params` fill its template."""

    code = "sync_failed"

    def __init__(self, detail: str = "", **params: Any) -> None:
        super().__init__(detail or self.code)
        self.detail = detail
        self.params: dict[str, Any] = {"detail": detail, **params}
        self.server_text: dict[str, str] = {}  # the server's own message, by language ("zh", "en"), if it sent one

    def message(self, lang: str = "zh_CN") -> str:
        """What to tell the user: the server's words when it gave them, else this error's message code."""
        found = self.server_text.get(lang_key(lang))
        return found or render(self.code, lang, **self.params)


class NetworkUnavailable(SyncError):
    """The server could not be reached (connection refused, DNS, timeouts) after every retry."""

    code = "network_unavailable"


class LoginRequired(SyncError):
    """The server refused our credentials and a token refresh could not fix it: log in again."""

    code = "login_required"


class ProtocolOutdated(SyncError):
    """The server no longer speaks this client's protocol (HTTP 426): the app must be updated."""

    code = "protocol_outdated"


class ServerError(SyncError):
    """The server answered with an error we cannot retry away (5xx after retries, or an unexpected 4xx)."""

    code = "server_error"

    def __init__(self, detail: str = "", *, status: int | None = None, error_code: str | None = None) -> None:
        super().__init__(detail, status=status if status is not None else "")
        self.status = status
        self.error_code = error_code


class SyncCancelled(SyncError):
    """The user cancelled the sync; everything applied so far is kept and consistent."""

    code = "sync_cancelled"


class DiskFull(SyncError):
    """The store could not be written (disk full); the transaction was rolled back and nothing saved is lost."""

    code = "disk_full"


# What a sync run reports instead of raising: sync errors, and store write failures (sqlite3's and SQLAlchemy's).
SYNC_RUN_ERRORS: tuple[type[Exception], ...] = (SyncError, sqlite3.OperationalError, sqlalchemy.exc.OperationalError)


def store_failure(exc: Exception) -> SyncError:
    """`exc` as a SyncError: itself, or DiskFull for a full disk; re-raises any other store error."""
    if isinstance(exc, SyncError):
        return exc
    if "full" in str(exc).lower():
        return DiskFull(str(getattr(exc, "orig", None) or exc).splitlines()[0][:200])
    raise exc
