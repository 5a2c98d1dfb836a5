"""kill -9 of a syncing `specialist-app` takes its tokenizing process (and that one's resource tracker) with it."""

from __future__ import annotations

import itertools
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from market_server.db import make_engine
from market_server.seed import load_records
from market_server.settings import Settings
from sync.demo import achievements_only
from tests.e2e.conftest import BIN, Client, Market
from tests.specialist_app.sync_engine.slow_proxy import SlowProxy

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads processes from /proc")

ROWS = 4500  # pages of 200, 2000, 2000, 300: the second page starts the tokenizing process


def _children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    """Running, or stopped; an exited process its new parent has not reaped yet (a zombie) counts as gone."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def _wait(condition: object, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.05)  # polling another process's state; no assertion depends on the interval
    return False


@pytest.fixture(scope="module")
def market(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Market]:
    server = Market(tmp_path_factory.mktemp("server"))
    engine = make_engine(Settings.from_env({"MARKET_DATA_DIR": str(server.root)}))
    rows = [("achievement", r) for r in itertools.islice(achievements_only(ROWS, seed=7), ROWS)]
    try:
        with engine.begin() as conn:
            load_records(conn, rows, "admin")
    finally:
        engine.dispose()
    server.add_user("kim")
    yield server
    server.stop()


def test_kill_9_during_a_page_pull_leaves_no_tokenizing_process_behind(market: Market, tmp_path: Path) -> None:
    proxy = SlowProxy(market.url, rate=150_000)
    proxy.slow = ("POST /sync/pull",)
    client = Client(tmp_path / "kim-pc", tmp_path / "kim.keyring.json")
    client.login(proxy.url, "kim")
    with open(tmp_path / "sync.log", "wb") as log:
        sync = subprocess.Popen(
            [str(BIN / "specialist-app"), "--data-dir", str(client.data_dir), "sync", "--catalog", "pages"],
            env=client.env, stdout=log, stderr=log,
        )
    try:
        assert _wait(lambda: _children(sync.pid), 60), (tmp_path / "sync.log").read_text()
        children = _children(sync.pid)
        os.kill(sync.pid, signal.SIGKILL)
        sync.wait(10)
        assert _wait(lambda: not any(_alive(c) for c in children), 5), [
            Path(f"/proc/{c}/cmdline").read_bytes() for c in children if _alive(c)]
    finally:
        if sync.poll() is None:
            sync.kill()
            sync.wait()
        proxy.close()
