"""Paths of the market server's HTTP API used by the client (see docs/sync-protocol.md)."""

from __future__ import annotations

LOGIN = "/auth/login"
REFRESH = "/auth/refresh"
LOGOUT = "/auth/logout"
PUSH = "/sync/push"
PULL = "/sync/pull"
BLOBS = "/blobs"
CATALOG_SNAPSHOT = "/catalog-snapshot"
DIGESTS = "/sync/digests"
CATALOG_RECORD = "/catalog"  # /catalog/{entity}/{id}: one catalog record in full (a digest opened)
ME = "/auth/me"
