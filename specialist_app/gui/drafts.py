"""Unsaved editor contents kept beside the store (never synced): one JSON file per draft, written atomically.

`DraftFiles` does the file work (call it off the UI thread); `DraftKeeper` debounces an editor's changes and
writes them through the task runner, so typing never waits on the disk and a crash loses at most a second.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer

from specialist_app import paths
from specialist_app.gui.context import AppContext
from specialist_app.services import records
from specialist_app.services.uow import ReadUnitOfWork
from specialist_app.store.db import Store
from specialist_app.store.tables import ENTITY_TABLES
from sync.fields import utc_now

DRAFTS_FOLDER = "drafts"
AUTOSAVE_DELAY_MS = 1000
_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


class DraftFiles:
    """Drafts of one profile: <profile dir>/drafts/<key>.json."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @classmethod
    def for_profile(cls, data_dir: Path, profile: str) -> DraftFiles:
        return cls(paths.profile_dir(data_dir, profile) / DRAFTS_FOLDER)

    def path(self, key: str) -> Path:
        return self.folder / f"{_UNSAFE.sub('_', key)}.json"

    def save(self, key: str, content: dict[str, Any]) -> None:
        """Write the draft: to a temp file, flushed to disk, then renamed over the old one (never half-written)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        target = self.path(key)
        tmp = target.with_suffix(".json.tmp")
        data = json.dumps({"key": key, "saved_at": utc_now(), "content": content}, ensure_ascii=False)
        with open(tmp, "w", encoding="utf-8") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, target)

    def load(self, key: str) -> dict[str, Any] | None:
        """{"key", "saved_at", "content"} or None when there is no readable draft."""
        try:
            data = json.loads(self.path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) and isinstance(data.get("content"), dict) else None

    def clear(self, key: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path(key).unlink()

    def keys(self) -> list[str]:
        if not self.folder.is_dir():
            return []
        found = []
        for file in sorted(self.folder.glob("*.json")):
            with contextlib.suppress(OSError, ValueError):
                found.append(str(json.loads(file.read_text(encoding="utf-8"))["key"]))
        return found


def _write(files: DraftFiles, key: str, content: dict[str, Any] | None) -> bool:
    """Save (or clear, for None) a draft; answers True, not None (PySide6 6.12.0 mis-counts references to None
    passed through queued signals)."""
    if content is None:
        files.clear(key)
    else:
        files.save(key, content)
    return True


def _already_saved(store: Store, key: str, content: dict[str, Any]) -> bool:
    """A new record's draft whose record is stored: the app died after the save committed, before the draft was
    removed. The record holds what the draft held; restoring it would create the same id again (and fail)."""
    entity, new, _context = key.partition("-new-")
    if not new or entity not in ENTITY_TABLES or not content.get("id"):
        return False
    with ReadUnitOfWork(store) as uow:  # deleted since counts too: the id is taken
        return records.id_taken(uow, entity, str(content["id"]))


def _read(store: Store, files: DraftFiles, key: str) -> dict[str, Any]:
    """The draft to offer ({} for none); a leftover of a completed save is removed instead."""
    found = files.load(key)
    if found is None:
        return {}
    if _already_saved(store, key, found["content"]):
        files.clear(key)
        return {}
    return found


class DraftKeeper(QObject):
    """Autosaves `snapshot()` under `key` a second after the last change, and at once on flush() (closing)."""

    def __init__(self, ctx: AppContext, key: str, snapshot: Callable[[], dict[str, Any]],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.key = key
        self.files = DraftFiles.for_profile(ctx.data_dir, ctx.profile)
        self._snapshot = snapshot
        self.active = True  # False once saved for real: no more drafts from this editor
        self.dirty = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(AUTOSAVE_DELAY_MS)
        self._timer.timeout.connect(self.flush)

    def touch(self) -> None:
        """The editor changed: write a draft soon."""
        if self.active:
            self.dirty = True
            self._timer.start()

    def flush(self) -> None:
        """Write the draft now (if anything changed since the last write)."""
        self._timer.stop()
        if not (self.active and self.dirty):
            return
        self.dirty = False
        content = self._snapshot()
        files, key = self.files, self.key
        # Keyed: a write still waiting is replaced by the newer one. Submitted without an owner: it must run
        # even when the editor is gone by then.
        self.ctx.runner.submit(lambda _store: _write(files, key, content), key=f"draft:{key}", owner=None)

    def load(self, on_found: Callable[[dict[str, Any] | None], None]) -> None:
        files, key = self.files, self.key
        self.ctx.runner.submit(lambda store: _read(store, files, key), lambda found: on_found(found or None),
                               key=f"draft-load:{key}", owner=self)

    def resume(self, key: str | None = None) -> None:
        """Keep drafts again (after a save that left the editor open, or a discarded draft), under `key`."""
        self.key = key or self.key
        self.active = True
        self.dirty = False

    def discard(self) -> None:
        """Saved or thrown away: remove the draft and stop keeping one."""
        self._timer.stop()
        self.active = False
        self.dirty = False
        files, key = self.files, self.key
        self.ctx.runner.submit(lambda _store: _write(files, key, None), key=f"draft:{key}", owner=None)
