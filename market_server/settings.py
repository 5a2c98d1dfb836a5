"""Server settings, read from the environment (MARKET_*) with defaults for a single-machine install."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_data_dir

from sync.digests import ALL_PROVINCES, valid_province


@dataclass(frozen=True)
class Settings:
    """Everything the server needs to know about its environment."""

    data_dir: Path
    database_url: str
    blob_dir: Path
    database_schema: str | None = None  # PostgreSQL schema put first on search_path (tests, shared clusters)
    access_token_seconds: int = 15 * 60
    login_max_failures: int = 5  # per user and client address within the window below
    login_window_seconds: int = 15 * 60
    login_max_per_account: int = 20  # attempts on one user name from any address within the window
    login_max_per_address: int = 100  # attempts from one address (an office behind one NAT) within the window
    login_max_global: int = 2000  # attempts on the whole server within the window
    login_hash_workers: int = max(1, (os.cpu_count() or 2) // 2)  # password hashes at once; more get 429 at once
    trusted_proxies: str = "127.0.0.1,::1"  # peers whose X-Forwarded-For / -Proto are believed (passed to uvicorn)
    refresh_idle_seconds: int = 90 * 24 * 3600  # a device not refreshed for this long must sign in again
    refresh_grace_seconds: int = 3 * 24 * 3600  # the previous refresh token works once this long if the new is unused
    min_client_version: str = "0.1.0"  # the app version an outdated client is told to install
    snapshot_max_bytes: int = 4 * 1024**3  # largest catalog snapshot an administrator may upload
    console_idle_seconds: int = 30 * 60  # a web console session ends after this long without a request
    blob_user_quota_bytes: int = 200 * 1024**2  # unfinished upload bytes one user may hold (507 beyond)
    blob_partial_max_age_seconds: int = 7 * 86400  # an unfinished upload untouched this long is deleted
    blob_unreferenced_grace_seconds: int = 14 * 86400  # a file no live row names is kept this long, then deleted
    blob_gc_interval_seconds: int = 6 * 3600  # how often `serve` collects (0: never; use `market-server gc`)
    duplicate_warmup: bool = True  # `serve` builds the duplicate check's index at start, in the background
    log_queue_records: int = 10_000  # log records held while stderr stalls; beyond them records are dropped
    db_pool_size: int = 5  # PostgreSQL connections each serving process keeps open
    db_max_overflow: int = 10  # more connections each process may open while busy (closed when returned)
    db_loop_connections: int = 4  # PostgreSQL connections each process's event loop keeps for nothing-new pulls
    # The market's province (2-digit GB/T 2260 prefix, 22 = Jilin): its catalog goes to specialists in full, the
    # rest of the nation as digests (sync/digests.py). None: the whole catalog in full, as before.
    home_province: str | None = None

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        data_dir = Path(env.get("MARKET_DATA_DIR") or user_data_dir("market-server", appauthor=False))
        database_url = env.get("MARKET_DATABASE_URL") or f"sqlite:///{data_dir / 'market.sqlite3'}"
        blob_dir = Path(env.get("MARKET_BLOB_DIR") or data_dir / "blobs")
        return cls(
            data_dir=data_dir,
            database_url=database_url,
            blob_dir=blob_dir,
            database_schema=env.get("MARKET_DATABASE_SCHEMA") or None,
            access_token_seconds=int(env.get("MARKET_ACCESS_TOKEN_SECONDS") or 15 * 60),
            login_max_failures=int(env.get("MARKET_LOGIN_MAX_FAILURES") or 5),
            login_window_seconds=int(env.get("MARKET_LOGIN_WINDOW_SECONDS") or 15 * 60),
            login_max_per_account=int(env.get("MARKET_LOGIN_MAX_PER_ACCOUNT") or 20),
            login_max_per_address=int(env.get("MARKET_LOGIN_MAX_PER_ADDRESS") or 100),
            login_max_global=int(env.get("MARKET_LOGIN_MAX_GLOBAL") or 2000),
            login_hash_workers=int(env.get("MARKET_LOGIN_HASH_WORKERS") or max(1, (os.cpu_count() or 2) // 2)),
            trusted_proxies=env.get("MARKET_TRUSTED_PROXIES") or env.get("FORWARDED_ALLOW_IPS") or "127.0.0.1,::1",
            refresh_idle_seconds=int(env.get("MARKET_REFRESH_IDLE_SECONDS") or 90 * 24 * 3600),
            refresh_grace_seconds=int(env.get("MARKET_REFRESH_GRACE_SECONDS") or 3 * 24 * 3600),
            min_client_version=env.get("MARKET_MIN_CLIENT_VERSION") or "0.1.0",
            snapshot_max_bytes=int(env.get("MARKET_SNAPSHOT_MAX_BYTES") or 4 * 1024**3),
            console_idle_seconds=int(env.get("MARKET_CONSOLE_IDLE_SECONDS") or 30 * 60),
            blob_user_quota_bytes=_int(env, "MARKET_BLOB_USER_QUOTA_BYTES", 200 * 1024**2),
            blob_partial_max_age_seconds=_int(env, "MARKET_BLOB_PARTIAL_MAX_AGE_SECONDS", 7 * 86400),
            blob_unreferenced_grace_seconds=_int(env, "MARKET_BLOB_UNREFERENCED_GRACE_SECONDS", 14 * 86400),
            blob_gc_interval_seconds=_int(env, "MARKET_BLOB_GC_INTERVAL_SECONDS", 6 * 3600),
            duplicate_warmup=_int(env, "MARKET_DUPLICATE_WARMUP", 1) != 0,
            log_queue_records=_int(env, "MARKET_LOG_QUEUE_RECORDS", 10_000),
            db_pool_size=_int(env, "MARKET_DB_POOL_SIZE", 5),
            db_max_overflow=_int(env, "MARKET_DB_MAX_OVERFLOW", 10),
            db_loop_connections=_int(env, "MARKET_DB_LOOP_CONNECTIONS", 4),
            home_province=_province(env.get("MARKET_HOME_PROVINCE")),
        )

    def ensure_dirs(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.blob_dir.mkdir(parents=True, exist_ok=True)



def _int(env: dict[str, str], name: str, default: int) -> int:
    value = env.get(name)
    return default if value in (None, "") else int(value)


def _province(value: str | None) -> str | None:
    if not value:
        return None
    if not valid_province(value) or value == ALL_PROVINCES:
        raise ValueError(f"MARKET_HOME_PROVINCE must be a 2-digit region prefix such as 22, not {value!r}")
    return value
