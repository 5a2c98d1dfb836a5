"""Where the app keeps its files: the data directory, one profile (and store file) per server account."""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import platformdirs

ENV_DATA_DIR = "SPECIALIST_APP_DATA_DIR"
LOCAL_PROFILE = "local"  # the profile used before any login (import/export work offline without an account)
APP_NAME = "specialist-app"
STORE_FILENAME = "store.sqlite3"
_PROFILES_FILE = "profiles.json"
_SAFE_PROFILE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,99}$")


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The data directory (created): --data-dir, else $SPECIALIST_APP_DATA_DIR, else the platform's user data dir."""
    if override:
        path = Path(override)
    elif os.environ.get(ENV_DATA_DIR):
        path = Path(os.environ[ENV_DATA_DIR])
    else:
        path = platformdirs.user_data_path(APP_NAME, appauthor=False)
    path = path.expanduser()
    path.mkdir(parents=True, exist_ok=True)
    return path


def profile_key(server_url: str, username: str) -> str:
    """A filesystem-safe, stable key distinct per (server, user): a readable slug plus a hash of both."""
    parts = urlsplit(server_url.strip() if "://" in server_url else "https://" + server_url.strip())
    host = (parts.hostname or "server") + (f"-{parts.port}" if parts.port else "")
    canonical = f"{parts.scheme.lower()}://{host.lower()}{parts.path.rstrip('/')}\n{username}"
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:10]
    # Usernames keep their case in the hash: two accounts differing only in case never share a store.
    slug = re.sub(r"[^a-z0-9]+", "-", f"{host}-{username}".lower()).strip("-")[:60].strip("-")
    return f"{slug or 'profile'}-{digest}"


def _check_profile(profile: str) -> None:
    if not _SAFE_PROFILE.match(profile):
        raise ValueError(f"not a valid profile name: {profile!r}")


def profile_dir(base: Path, profile: str) -> Path:
    """base/profiles/<profile>/ (created)."""
    _check_profile(profile)
    path = Path(base) / "profiles" / profile
    path.mkdir(parents=True, exist_ok=True)
    return path


def store_path(base: Path, profile: str) -> Path:
    """The SQLite store file of a profile."""
    return profile_dir(base, profile) / STORE_FILENAME


def _read_profiles(base: Path) -> dict[str, Any]:
    try:
        data = json.loads((Path(base) / _PROFILES_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def current_profile(base: Path) -> str:
    """The profile in use (base/profiles.json "current"), LOCAL_PROFILE when none is set or the file is unreadable."""
    current = _read_profiles(base).get("current")
    if isinstance(current, str) and _SAFE_PROFILE.match(current):
        return current
    return LOCAL_PROFILE


def set_current_profile(
    base: Path, profile: str, *, server_url: str | None = None, username: str | None = None
) -> None:
    """Make `profile` the current one, remembering its server and user when given (written atomically)."""
    _check_profile(profile)
    data = _read_profiles(base)
    known = data.get("profiles")
    profiles: dict[str, Any] = known if isinstance(known, dict) else {}
    entry = profiles.get(profile) if isinstance(profiles.get(profile), dict) else {}
    assert isinstance(entry, dict)
    if server_url is not None:
        entry["server_url"] = server_url
    if username is not None:
        entry["username"] = username
    profiles[profile] = entry
    data["profiles"] = profiles
    data["current"] = profile
    target = Path(base) / _PROFILES_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(tmp, target)


def list_profiles(base: Path) -> list[dict[str, str]]:
    """Known profiles (from profiles.json and the profile folders), sorted: profile, server_url, username."""
    known = _read_profiles(base).get("profiles")
    entries: dict[str, dict[str, str]] = {}
    if isinstance(known, dict):
        for name, info in known.items():
            if isinstance(name, str) and _SAFE_PROFILE.match(name):
                info = info if isinstance(info, dict) else {}
                entries[name] = {
                    "profile": name,
                    "server_url": str(info.get("server_url") or ""),
                    "username": str(info.get("username") or ""),
                }
    folder = Path(base) / "profiles"
    if folder.is_dir():
        for child in folder.iterdir():
            if child.is_dir() and _SAFE_PROFILE.match(child.name) and child.name not in entries:
                entries[child.name] = {"profile": child.name, "server_url": "", "username": ""}
    return [entries[name] for name in sorted(entries)]
