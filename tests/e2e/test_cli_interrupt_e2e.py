"""Ctrl-C on `specialist-app sync` cancels like the app's Cancel: it answers at once, even on a stalled link,
keeps the store whole, and says so (exit 130)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from specialist_app import paths
from specialist_app.demo_keyring import ENV_KEYRING_FILE
from tests.reliability.shaping_proxy import ShapingProxy

BIN = Path(sys.executable).parent  # the venv's console scripts

def test_ctrl_c_cancels_a_sync_stuck_on_a_stalled_link(market: Any, tmp_path: Path) -> None:
    market.add_user("ctrlc")
    link = ShapingProxy(market.url)
    data = tmp_path / "laptop"
    env = {**os.environ, "PYTHON_KEYRING_BACKEND": "specialist_app.demo_keyring.FileKeyring",
           ENV_KEYRING_FILE: str(tmp_path / "keyring.json")}
    cli = [str(BIN / "specialist-app"), "--data-dir", str(data), "--lang", "zh_CN"]
    try:
        login = subprocess.run([*cli, "login", "--server", link.url, "--user", "ctrlc", "--password-stdin"],
                               input="pw-ctrlc-123456\n", env=env, text=True, capture_output=True, timeout=120)
        assert login.returncode == 0, login.stderr
        link.stall(600)  # nothing moves any more: the sync's first request hangs
        before = link.connections
        sync = subprocess.Popen([*cli, "sync"], env=env, text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        while link.connections == before:  # the sync has reached the network (its request is stuck)
            assert sync.poll() is None, sync.communicate()
            assert time.monotonic() < deadline, "the sync never connected"
            time.sleep(0.05)  # polling another process; no fixed delay in any assertion
        sync.send_signal(signal.SIGINT)
        try:
            out, err = sync.communicate(timeout=30)  # the stall lasts 600 s: only a cancel ends it this soon
        finally:
            if sync.poll() is None:
                sync.kill()
                sync.wait()
        assert sync.returncode == 130, (out, err)
        assert "同步已取消" in err, err
        assert "Traceback" not in err, err
        store = paths.store_path(data, paths.current_profile(data))
        with sqlite3.connect(store) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        link.close()
