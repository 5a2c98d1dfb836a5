"""What one sync run did (SyncReport): counts, outcome and the user-readable error; no I/O.

Apart from `engine` so that the app's window, status bar and quit guard can read reports without importing the
sync engine, its HTTP client and wire models at start.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from sync.messages import lang_key, render


@dataclass
class SyncReport:
    """What one run did; `error_code` keys sync.messages when the run failed."""

    pushed: int = 0
    pulled: int = 0
    conflicts: int = 0
    rejected: int = 0
    blobs_uploaded: int = 0  # attachment files whose bytes this run sent
    blobs_failed: int = 0  # attachment files left for the next run (network, server error); the records synced
    snapshot_cursor: int | None = None  # the catalog came as the server's snapshot taken at this version
    digests: int = 0  # digests of the catalog outside the home province that changed (sync/digests.py)
    errors: list[str] = field(default_factory=list)
    outcome: str = "ok"  # ok | partial | failed | offline | auth | cancelled
    error_code: str | None = None
    error_params: dict[str, Any] = field(default_factory=dict)
    error_text: dict[str, str] = field(default_factory=dict)  # the user-readable error, by language

    @property
    def ok(self) -> bool:
        return self.error_code is None

    def message(self, lang: str = "zh_CN") -> str | None:
        if self.error_code is None:
            return None
        return self.error_text.get(lang_key(lang)) or render(
            self.error_code, lang, **self.error_params
        )

    def as_dict(self, lang: str = "zh_CN") -> dict[str, Any]:
        return {**asdict(self), "message": self.message(lang)}
