"""A signed-in start shows its first data before the sync engine, its HTTP client and wire models are imported.

They cost ~0.3 s of a start on a laptop (docs/performance.md, "Cold start: importing less before the window");
the sync at start imports them once the window's first queries are answered. Checked in a fresh interpreter:
this test process has imported everything already.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from specialist_app import credentials, paths
from specialist_app.credentials import Account
from specialist_app.demo_keyring import ENV_KEYRING_FILE
from specialist_app.store.db import open_store
from tests.e2e.conftest import free_port

ROOT = Path(__file__).resolve().parents[3]
# Loaded only by a sync, a sign-in or a download (each ~20-150 ms to import here).
SYNC_ONLY = ("pydantic", "requests", "urllib3", "zstandard", "sync.protocol", "specialist_app.sync_engine.engine",
             "specialist_app.sync_engine.transport", "specialist_app.store.catalog_snapshot", "sync.demo.generator")

START = """
import json, sys
from pathlib import Path
from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

app = QApplication([])
from specialist_app.gui.session import Session

SYNC_ONLY = {sync_only!r}
seen = {{}}
session = Session(Path(sys.argv[1]), "en")

def opened(window):
    def first_data():
        seen["loaded"] = sorted(m for m in SYNC_ONLY if m in sys.modules)
        seen["syncing"] = session.controller.is_running()
    session.ctx.runner.idle.connect(first_data)  # before the session's own: runs first

session.window_opened.connect(opened)
assert session.start()
loop = QEventLoop()
session.controller.started.connect(loop.quit)
QTimer.singleShot(20_000, loop.quit)
if not session.controller.is_running():
    loop.exec()
seen["sync_started"] = session.controller.is_running() or session.controller.last_report is not None
session.shutdown()
print("seen: " + json.dumps(seen))
"""


@pytest.fixture
def signed_in(tmp_path: Path, keyring_file: Path) -> Path:
    """A data dir whose current profile signed in before (token in the file keyring) at a server nobody runs."""
    url = f"http://127.0.0.1:{free_port()}"
    account = Account(paths.profile_key(url, "demo"), url, "demo", credentials.folder_key(tmp_path))
    open_store(paths.store_path(tmp_path, account.profile)).close()
    paths.set_current_profile(tmp_path, account.profile, server_url=url, username="demo")
    credentials.save_refresh_token(account, "refresh-demo")
    return tmp_path


def test_first_data_shows_before_the_sync_engine_loads_then_the_sync_starts(signed_in: Path,
                                                                              keyring_file: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT),
           "PYTHON_KEYRING_BACKEND": "specialist_app.demo_keyring.FileKeyring", ENV_KEYRING_FILE: str(keyring_file)}
    done = subprocess.run([sys.executable, "-c", START.format(sync_only=SYNC_ONLY), str(signed_in)], env=env,
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("seen: ")), None)
    assert done.returncode == 0 and line is not None, done.stderr[-3000:]
    seen = json.loads(line.removeprefix("seen: "))
    assert seen["loaded"] == []  # none of them imported before the first data was shown
    assert seen["syncing"] is False  # the sync at start waits for the first data
    assert seen["sync_started"] is True  # and then runs
