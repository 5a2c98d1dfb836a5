"""Sign-in: the refresh token lives in the OS keyring (one entry per profile and data folder), the access token
only in memory."""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import keyring
import keyring.errors

from specialist_app import paths
from specialist_app.sync_engine import endpoints
from specialist_app.sync_engine.errors import LoginRequired, ServerError

if TYPE_CHECKING:  # the HTTP client and the wire models load on the first sign-in or sync, not at the app's start
    from specialist_app.sync_engine.transport import Transport
    from sync.protocol import UserInfo

log = logging.getLogger(__name__)

KEYRING_SERVICE_PREFIX = "specialist-app"


# Refreshes in this process one at a time: each reads the token the one before it saved (a refresh token is
# rotated by every refresh, and presenting a rotated one again signs the device out).
_REFRESH_LOCK = threading.Lock()


def keyring_service(profile: str) -> str:
    """The keyring service name holding a profile's refresh token (the keyring account: see keyring_user)."""
    return f"{KEYRING_SERVICE_PREFIX}:{profile}"


def folder_key(base: Path) -> str:
    """A short stable name of a data folder: two data folders of one user sign in as two devices."""
    return hashlib.sha256(str(base.expanduser().resolve()).encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Account:
    """Who the current profile signs in as, and from which data folder (folder_key; "" in tests and old code)."""

    profile: str
    server_url: str
    username: str
    folder: str = ""

    @property
    def keyring_user(self) -> str:
        """The keyring account name: the user and the data folder (before 0.2: the user name alone)."""
        return f"{self.username}@{self.folder}" if self.folder else self.username


def current_account(base: Path) -> Account | None:
    """The current profile's server and user, or None when no one has logged in (the local profile)."""
    profile = paths.current_profile(base)
    if profile == paths.LOCAL_PROFILE:
        return None
    for entry in paths.list_profiles(base):
        if entry["profile"] == profile and entry["server_url"] and entry["username"]:
            return Account(profile, entry["server_url"], entry["username"], folder_key(base))
    return None


def load_refresh_token(account: Account) -> str | None:
    return _stored(account)[0]


def _stored(account: Account) -> tuple[str | None, bool]:
    """The stored token, and whether it came from the entry of before 0.2 (keyed by the user name alone)."""
    service = keyring_service(account.profile)
    try:
        token: str | None = keyring.get_password(service, account.keyring_user)
        if token is None and account.folder:
            token = keyring.get_password(service, account.username)
            return token, token is not None
    except keyring.errors.KeyringError as exc:
        log.warning("keyring unavailable: %s", type(exc).__name__)
        return None, False
    return token, False


def save_refresh_token(account: Account, token: str) -> None:
    keyring.set_password(keyring_service(account.profile), account.keyring_user, token)


def forget_refresh_token(account: Account, *, legacy: bool = True) -> None:
    """Delete this folder's entry (and with `legacy` the one of before 0.2, so signing out stays signed out)."""
    for user in {account.keyring_user, account.username} if legacy else {account.keyring_user}:
        with contextlib.suppress(keyring.errors.PasswordDeleteError):  # nothing stored
            keyring.delete_password(keyring_service(account.profile), user)


class Credentials:
    """The transport's token source: a short-lived access token in memory, refreshed from the keyring's token."""

    def __init__(self, account: Account, device_id: str, access_token: str | None = None,
                 user: UserInfo | None = None) -> None:
        self.account = account
        self.device_id = device_id
        self._access_token = access_token
        self.user = user  # who the server said this is (role, assigned institutions) in its last token answer

    def access_token(self) -> str | None:
        return self._access_token

    def refresh(self, transport: Transport) -> str:
        """Trade the stored refresh token for a new access token (and a new refresh token, saved at once);
        LoginRequired when the server refuses it.

        The server rotates the refresh token at every refresh. The new one is written to the keyring before
        anything else; if the app stops before that, the server accepts the old one once more (its grace).
        A token from the entry of before 0.2 moves to this folder's entry once the server accepted it for
        this device; a token the server refuses for this device stays where it was (another folder's).
        """
        self._access_token = None
        with _REFRESH_LOCK:
            refresh_token, legacy = _stored(self.account)
            if not refresh_token:
                raise LoginRequired("no stored sign-in")
            try:
                answer = transport.post_json(
                    endpoints.REFRESH, {"refresh_token": refresh_token, "device_id": self.device_id}, auth=False
                )
            except ServerError as exc:
                if exc.status is not None and 400 <= exc.status < 500:
                    raise LoginRequired(exc.detail) from exc
                raise
            access, rotated = _tokens(answer)
            self.user = _user(answer) or self.user
            if (rotated and rotated != refresh_token) or legacy:
                save_refresh_token(self.account, rotated or refresh_token)
            if legacy:
                with contextlib.suppress(keyring.errors.PasswordDeleteError):
                    keyring.delete_password(keyring_service(self.account.profile), self.account.username)
        self._access_token = access
        return access


def _tokens(answer: Any) -> tuple[str, str | None]:
    if not isinstance(answer, dict) or not isinstance(answer.get("access_token"), str):
        raise ServerError("the server's sign-in answer has no access token")
    refresh = answer.get("refresh_token")
    return answer["access_token"], (refresh if isinstance(refresh, str) else None)


def _user(answer: Any) -> UserInfo | None:
    from pydantic import ValidationError

    from sync.protocol import UserInfo

    try:
        return UserInfo.model_validate(answer.get("user")) if isinstance(answer, dict) else None
    except ValidationError:
        log.warning("the server's sign-in answer names no valid user")
        return None


def login(
    base: Path,
    server_url: str,
    username: str,
    password: str,
    *,
    device_id: str,
    device_name: str = "",
    transport: Transport | None = None,
) -> Credentials:
    """Sign in: keep the refresh token in the keyring and make this (server, user) the current profile."""
    server_url = server_url.rstrip("/")
    account = Account(paths.profile_key(server_url, username), server_url, username, folder_key(base))
    from specialist_app.sync_engine.transport import Transport

    own_transport = transport is None
    http = transport or Transport(server_url, max_attempts=2)
    try:
        answer = http.post_json(
            endpoints.LOGIN,
            {"username": username, "password": password, "device_id": device_id, "device_name": device_name},
            auth=False,
        )
    finally:
        if own_transport:
            http.close()
    access, refresh = _tokens(answer)
    if not refresh:
        raise ServerError("the server's sign-in answer has no refresh token")
    save_refresh_token(account, refresh)
    paths.set_current_profile(base, account.profile, server_url=server_url, username=username)
    return Credentials(account, device_id, access, _user(answer))


def logout(base: Path, *, forget_data: bool = False, transport: Transport | None = None) -> Account | None:
    """Forget the current profile's sign-in (and its local data only with forget_data); returns who was signed in."""
    account = current_account(base)
    if account is None:
        return None
    if transport is not None:
        refresh_token = load_refresh_token(account)
        if refresh_token:
            try:  # revoke on the server when it is reachable; signing out locally never depends on it
                body = json.dumps({"refresh_token": refresh_token}).encode("utf-8")
                transport.request("POST", endpoints.LOGOUT, data=body, headers={"Content-Type": "application/json"},
                                  auth=False)
            except Exception as exc:
                log.info("server-side logout skipped: %s", type(exc).__name__)
    forget_refresh_token(account)
    if forget_data:
        shutil.rmtree(paths.profile_dir(base, account.profile), ignore_errors=True)
        paths.set_current_profile(base, paths.LOCAL_PROFILE)
    return account
