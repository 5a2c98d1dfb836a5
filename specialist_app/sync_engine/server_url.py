"""Which server addresses the client may talk to: https anywhere, plain http only on loopback or a named lab host."""

from __future__ import annotations

import ipaddress
import logging
import os
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from specialist_app.sync_engine.errors import SyncError
from sync.messages import render

if TYPE_CHECKING:  # only the hook's argument: checking an address at sign-in needs no HTTP client
    import requests

log = logging.getLogger(__name__)

# A deliberate, per-host opt-in for a lab network without TLS: comma-separated host names or addresses.
ALLOW_HTTP_ENV = "SPECIALIST_APP_ALLOW_HTTP_HOSTS"


class InsecureServer(SyncError):
    """The address would send the password and tokens in clear (http:// to a host that is not this computer)."""

    code = "insecure_server"

    def __init__(self, url: str) -> None:
        super().__init__(url, url=url)


class BadServerUrl(SyncError):
    """The address is neither https:// nor http:// with a host."""

    code = "bad_server_url"

    def __init__(self, url: str) -> None:
        super().__init__(url, url=url)


def is_loopback(host: str) -> bool:
    """localhost, 127.0.0.0/8 or ::1 (the host as urlsplit gives it: lower case, no brackets)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def is_plain_http(url: str) -> bool:
    """Whether `url` would carry the password and tokens in clear (http:// to a host that is not this computer)."""
    parts = urlsplit(url.strip())
    return parts.scheme.lower() == "http" and not is_loopback(parts.hostname or "")


def lab_hosts() -> frozenset[str]:
    """Hosts the deployer allowed over plain http through SPECIALIST_APP_ALLOW_HTTP_HOSTS."""
    raw = os.environ.get(ALLOW_HTTP_ENV, "")
    return frozenset(part.strip().strip("[]").lower() for part in raw.split(",") if part.strip())


def check_server_url(url: str) -> str | None:
    """Raise InsecureServer/BadServerUrl for an address the client refuses; return the code of a warning to show
    (`insecure_server_allowed`) when plain http is used only because a lab host was allowed, else None."""
    parts = urlsplit(url.strip())
    scheme, host = parts.scheme.lower(), (parts.hostname or "")
    if scheme not in ("http", "https") or not host:
        raise BadServerUrl(url)
    if scheme == "https" or is_loopback(host):
        return None
    if host in lab_hosts():
        return "insecure_server_allowed"
    raise InsecureServer(url)


def warning_text(url: str, lang: str) -> str:
    """The every-use warning for a lab host reached over plain http."""
    return render("insecure_server_allowed", lang, url=url, setting=ALLOW_HTTP_ENV)


def log_insecure_use(url: str) -> None:
    log.warning("plain http to %s (allowed by %s): the password and tokens travel in clear", url, ALLOW_HTTP_ENV)


def refuse_insecure_redirect(response: requests.Response, *_args: Any, **_kwargs: Any) -> None:
    """A session response hook: a redirect to an address the client refuses (an https server sending the login's
    307 to http://…) is never followed; raises InsecureServer or BadServerUrl."""
    if response.is_redirect:
        target = urljoin(response.url, response.headers.get("Location", ""))
        response.close()
        check_server_url(target)
