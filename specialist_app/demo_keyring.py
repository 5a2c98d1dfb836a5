"""Keyrings for the demo, tests and benchmarks (a file, or this process's memory), never the user's real OS keyring."""

from __future__ import annotations

import json
import os
from pathlib import Path

import keyring
import keyring.backend
import keyring.errors

ENV_KEYRING_FILE = "SPECIALIST_APP_KEYRING_FILE"


class FileKeyring(keyring.backend.KeyringBackend):
    """Secrets in one JSON file (a demo or test directory, never the user's data dir); not encrypted.

    The file is `fixed_path` when set, else $SPECIALIST_APP_KEYRING_FILE (so a child process can select this
    backend with PYTHON_KEYRING_BACKEND=specialist_app.demo_keyring.FileKeyring).
    """

    priority = 1
    fixed_path: Path | None = None  # set by use_file_keyring; None reads the environment

    def _path(self) -> Path:
        if self.fixed_path is not None:
            return self.fixed_path
        return Path(os.environ[ENV_KEYRING_FILE])

    def _load(self) -> dict[str, str]:
        try:
            data = json.loads(self._path().read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        return {str(k): str(v) for k, v in dict(data).items()}

    def _save(self, data: dict[str, str]) -> None:
        target = self._path()
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".tmp")
        tmp.write_text(json.dumps(data), encoding="utf-8")
        os.replace(tmp, target)

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(f"{service}\n{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        data = self._load()
        data[f"{service}\n{username}"] = password
        self._save(data)

    def delete_password(self, service: str, username: str) -> None:
        data = self._load()
        if data.pop(f"{service}\n{username}", None) is None:
            raise keyring.errors.PasswordDeleteError(username)
        self._save(data)


class MemoryKeyring(keyring.backend.KeyringBackend):
    """Secrets kept in this process only, gone when it ends."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # keyring ships no type hints
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.secrets.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError(username)


def use_file_keyring(path: Path) -> keyring.backend.KeyringBackend:
    """Make `path` this process's keyring; returns the backend that was in use (to restore it)."""
    previous = keyring.get_keyring()
    backend = FileKeyring()  # type: ignore[no-untyped-call]  # keyring ships no type hints
    backend.fixed_path = path
    keyring.set_keyring(backend)
    return previous
