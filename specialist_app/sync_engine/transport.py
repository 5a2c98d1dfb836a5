"""HTTP transport to the market server: one session, timeouts, retries with backoff, TLS always verified."""

from __future__ import annotations

import contextlib
import gzip
import json
import logging
import random
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from importlib import metadata
from typing import Any, BinaryIO, Protocol

import requests
import zstandard

from specialist_app.sync_engine import link
from specialist_app.sync_engine.abort import SocketTracker, watching
from specialist_app.sync_engine.errors import (
    LoginRequired,
    NetworkUnavailable,
    ProtocolOutdated,
    ServerError,
    SyncCancelled,
    SyncError,
)
from specialist_app.sync_engine.server_url import check_server_url, log_insecure_use, refuse_insecure_redirect
from sync.protocol_constants import CLIENT_VERSION_HEADER, PROTOCOL_HEADER, PROTOCOL_VERSION

log = logging.getLogger(__name__)


def _client_version() -> str:
    try:
        return metadata.version("specialist-app")
    except metadata.PackageNotFoundError:
        return "0"


CLIENT_VERSION = _client_version()

CONNECT_TIMEOUT_S = 5.0
READ_TIMEOUT_S = 60.0
PROBE_OVER = 64 * 1024  # a body this large is worth a round trip to learn whether it may go compressed
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
# Network failures worth a retry; an answer cut off mid-body (or mid-gzip-stream) is one too.
_TRANSIENT = (
    requests.ConnectionError,
    requests.Timeout,
    requests.exceptions.ChunkedEncodingError,
    requests.exceptions.ContentDecodingError,
)


class TokenSource(Protocol):
    """Supplies the bearer token; `refresh` gets a new one or raises LoginRequired."""

    def access_token(self) -> str | None: ...

    def refresh(self, transport: Transport) -> str: ...


class Transport:
    """JSON requests to one server with bounded retries (exponential backoff, full jitter)."""

    def __init__(
        self,
        server_url: str,
        *,
        auth: TokenSource | None = None,
        ca_bundle: str | None = None,
        max_attempts: int = 5,
        base_delay_s: float = 0.5,
        max_delay_s: float = 10.0,
        connect_timeout_s: float = CONNECT_TIMEOUT_S,
        read_timeout_s: float = READ_TIMEOUT_S,
        gzip_requests_over: int | None = None,
        sleep: Callable[[float], None] | None = None,
        jitter: Callable[[], float] = random.random,
        session: requests.Session | None = None,
    ) -> None:
        self.server_url = server_url.rstrip("/")
        # Never a request to an address that would carry the password or tokens in clear (request() refuses).
        self._refused: SyncError | None = None
        try:
            if check_server_url(self.server_url) is not None:
                log_insecure_use(self.server_url)
        except SyncError as exc:
            self._refused = exc
        self.auth = auth
        self.max_attempts = max(1, max_attempts)
        self.base_delay_s = base_delay_s
        self.max_delay_s = max_delay_s
        self.timeout = (connect_timeout_s, read_timeout_s)
        self.gzip_requests_over = gzip_requests_over
        self._sleep = sleep  # None: wait between attempts, waking early when the run is cancelled
        self._jitter = jitter
        self.session = session or requests.Session()
        self.session.hooks["response"].append(refuse_insecure_redirect)
        self.cancel: threading.Event | None = None  # set by `cancelled_by` for the length of a run
        # Told (attempt about to start, max attempts) before each retry, so the user sees the link is unstable.
        self.on_retry: Callable[[int, int], None] | None = None
        self._tracker = SocketTracker()
        for prefix in ("https://", "http://"):
            self.session.mount(prefix, self._tracker.adapter())
        self.throughput = link.Throughput()
        self.server_reads_zstd = False  # learnt from the server's answers (Accept-Encoding, RFC 7694)
        self._probed = False
        # Verification stays on; a custom CA bundle only changes which authorities are trusted.
        self.session.verify = ca_bundle if ca_bundle else True
        self.session.headers.update(
            {
                PROTOCOL_HEADER: str(PROTOCOL_VERSION),
                CLIENT_VERSION_HEADER: CLIENT_VERSION,
                "Accept": "application/json",
                "Accept-Encoding": "zstd, gzip",
                "User-Agent": f"specialist-app/{CLIENT_VERSION}",
            }
        )

    def close(self) -> None:
        self.session.close()

    @contextlib.contextmanager
    def cancelled_by(self, cancel: threading.Event) -> Iterator[None]:
        """While the block runs, setting `cancel` ends the request in flight at once (SyncCancelled)."""
        self.cancel = cancel
        self._tracker.reset()
        try:
            with watching(cancel, self._tracker.abort):
                yield
        finally:
            self.cancel = None
            self._tracker.reset()  # later requests (a next run on this transport) open connections as usual

    def cancelled(self) -> bool:
        return self.cancel is not None and self.cancel.is_set()

    def raise_if_cancelled(self) -> None:
        if self.cancelled():
            raise SyncCancelled()

    def post_json(self, path: str, payload: Mapping[str, Any], *, auth: bool = True) -> Any:
        """POST a JSON body and return the decoded JSON answer."""
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        headers = {"Content-Type": "application/json"}
        if not self.server_reads_zstd and not self._probed and len(body) > PROBE_OVER:
            self._probe_encodings()
        if self.server_reads_zstd and len(body) > 1024:
            body = link.zstd_compress(body)
            headers["Content-Encoding"] = "zstd"
        elif self.gzip_requests_over is not None and len(body) > self.gzip_requests_over:
            body = gzip.compress(body, compresslevel=5)
            headers["Content-Encoding"] = "gzip"
        return _json(self.request("POST", path, data=body, headers=headers, auth=auth))

    def _probe_encodings(self) -> None:
        """Before the first large body: one small answer says whether the server reads zstd (a round trip is
        cheaper than a body sent plain on a slow link)."""
        self._probed = True
        with contextlib.suppress(SyncError):
            self.request("GET", "/health", auth=False).close()

    def get_json(self, path: str, *, params: Mapping[str, Any] | None = None, auth: bool = True) -> Any:
        return _json(self.request("GET", path, params=params, auth=auth))

    def request(
        self,
        method: str,
        path: str,
        *,
        data: bytes | BinaryIO | None = None,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        auth: bool = True,
        ok_statuses: frozenset[int] = frozenset(),
        stream: bool = False,
    ) -> requests.Response:
        """Send with retries; 401 triggers one token refresh. Raises the errors of sync_engine.errors.

        `stream`: the body is read by the caller (response.iter_content), e.g. a file download.
        """
        if self._refused is not None:
            raise self._refused
        refreshed = False
        while True:
            response = self._send_with_retries(method, path, data=data, params=params, headers=headers, auth=auth,
                                               stream=stream)
            if response.status_code == 401 and auth and self.auth is not None and not refreshed:
                refreshed = True
                self.auth.refresh(self)
                continue
            return self._check(response, ok_statuses)

    def _send_with_retries(
        self,
        method: str,
        path: str,
        *,
        data: bytes | BinaryIO | None,
        params: Mapping[str, Any] | None,
        headers: Mapping[str, str] | None,
        auth: bool,
        stream: bool = False,
    ) -> requests.Response:
        url = self.server_url + path
        for attempt in range(1, self.max_attempts + 1):
            self.raise_if_cancelled()
            if not isinstance(data, bytes | None):
                data.seek(0)  # a file body (a large upload, streamed): every attempt sends it whole
            send_headers = dict(headers or {})
            if auth and self.auth is not None:
                token = self.auth.access_token()
                if token is None:
                    token = self.auth.refresh(self)
                send_headers["Authorization"] = f"Bearer {token}"
            last = attempt == self.max_attempts
            try:
                with link.Timer(self.throughput, len(data) if isinstance(data, bytes) else 0):
                    response = self.session.request(
                        method, url, data=data, params=params, headers=send_headers, timeout=self.timeout,
                        stream=stream,
                    )
            except requests.exceptions.SSLError as exc:
                # A certificate problem does not go away by retrying; never fall back to an unverified request.
                raise NetworkUnavailable(f"TLS: {type(exc).__name__}") from exc
            except _TRANSIENT as exc:
                if self.cancelled():  # the socket was shut down by the cancel: not a network failure
                    raise SyncCancelled() from exc
                log.info("%s %s: %s (attempt %d/%d)", method, path, type(exc).__name__, attempt, self.max_attempts)
                if last:
                    raise NetworkUnavailable(type(exc).__name__) from exc
                self._wait(attempt, self._delay(attempt, None))
                continue
            if link.accepts_zstd(response):
                self.server_reads_zstd = True
            if response.status_code in RETRY_STATUSES and not last:
                log.info("%s %s: HTTP %d (attempt %d/%d)", method, path, response.status_code, attempt,
                         self.max_attempts)
                retry_after = response.headers.get("Retry-After")
                response.close()
                self._wait(attempt, self._delay(attempt, retry_after))
                continue
            return response
        raise AssertionError("unreachable")

    def _wait(self, attempt: int, delay: float) -> None:
        """The pause before attempt `attempt + 1`, announced first; a cancel ends it at once."""
        if self.on_retry is not None:
            self.on_retry(attempt + 1, self.max_attempts)
        if self._sleep is not None:
            self._sleep(delay)
        elif self.cancel is not None:
            self.cancel.wait(delay)
        else:
            time.sleep(delay)
        self.raise_if_cancelled()

    def _delay(self, attempt: int, retry_after: str | None) -> float:
        """Full jitter: uniform in [0, min(cap, base * 2**(attempt-1))]; a server's Retry-After is a floor."""
        ceiling = min(self.max_delay_s, self.base_delay_s * (2 ** (attempt - 1)))
        delay: float = ceiling * self._jitter()
        if retry_after is not None:
            with contextlib.suppress(ValueError):
                delay = max(delay, min(float(retry_after), self.max_delay_s))
        return delay

    def _check(self, response: requests.Response, ok_statuses: frozenset[int]) -> requests.Response:
        status = response.status_code
        if status < 400 or status in ok_statuses:
            return response
        code, message, message_en = _error_body(response)
        failure: SyncError
        if status == 401 or code == "wrong_device":  # every "sign in again" answer, whatever its status
            failure = LoginRequired(message or "unauthorized")
        elif status == 426:
            failure = ProtocolOutdated(message or "protocol outdated", version=_required_version(response))
        else:
            failure = ServerError(message or f"HTTP {status}", status=status, error_code=code)
        failure.server_text = {k: v for k, v in (("zh", message), ("en", message_en)) if v}
        raise failure


def _json(response: requests.Response) -> Any:
    """The decoded answer; an answer that is not JSON (a proxy's page, a cut-off body) is a ServerError."""
    try:
        return json.loads(link.decoded_content(response))
    except (ValueError, zstandard.ZstdError) as exc:
        raise ServerError(f"HTTP {response.status_code}: the answer is not JSON", status=response.status_code) from exc


def _error_body(response: requests.Response) -> tuple[str | None, str | None, str | None]:
    """(code, message, message_en) of an ErrorBody answer (or FastAPI's {"detail": ...}); None where absent."""
    try:
        body = response.json()
    except ValueError:
        return None, None, None
    if not isinstance(body, dict):
        return None, None, None
    if isinstance(body.get("detail"), dict):
        body = body["detail"]
    code, message, message_en = body.get("code"), body.get("message") or body.get("detail"), body.get("message_en")
    return (
        str(code) if code else None,
        message if isinstance(message, str) else None,
        message_en if isinstance(message_en, str) else None,
    )


def _required_version(response: requests.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return ""
    if isinstance(body, dict):
        details = body.get("details") if isinstance(body.get("details"), dict) else body.get("detail")
        if isinstance(details, dict):
            for key in ("min_client_version", "min_protocol_version", "version"):
                if details.get(key) is not None:
                    return str(details[key])
    return ""
