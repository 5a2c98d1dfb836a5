"""`make demo`: a local market-server seeded with demo data, and the app signed in as the demo specialist.

Usage: python -m specialist_app.demo [--scale province] [--dir DIR] [--fresh] [--lang zh_CN|en] [--smoke]

Everything lives in one demo folder (--dir, else a folder per scale in the user's data dir, kept between runs):
the server's database, the app's data folder and a file keyring, so the demo never touches the user's real data
or OS keyring. The server listens on the port remembered in that folder, so the app's profile (keyed on server
and user) is the same at every start and what was typed offline is there next time; --fresh starts over.
The server runs as a child process: closing the app stops it, and on Linux the kernel stops it too if the
launcher dies (PR_SET_PDEATHSIG). --smoke opens the window, waits for the first sync, checks the assigned
institutions arrived and exits 0.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import platformdirs
import requests

from specialist_app import credentials, paths
from specialist_app.demo_keyring import use_file_keyring
from specialist_app.services import sync_ops
from specialist_app.services.uow import ReadUnitOfWork
from specialist_app.store import meta
from specialist_app.store.db import open_store
from sync.demo.users import DEMO_ADMIN_PASSWORD, DEMO_SPECIALIST_PASSWORD

DEMO_USER = "demo"
SERVER_START_TIMEOUT_S = 60.0
SMOKE_TIMEOUT_MS = 300_000


def _say(text: str) -> None:
    print(text, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _port_free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def default_dir(scale: str) -> Path:
    """The demo folder kept between runs of `make demo`: one per scale (each is seeded differently)."""
    return platformdirs.user_data_path(paths.APP_NAME + "-demo", appauthor=False) / scale


def demo_url(port: int) -> str:
    return f"http://127.0.0.1:{port}"


def stable_port(root: Path, client_dir: Path) -> int:
    """The port remembered in `root` (a new free one the first time, remembered).

    If something else holds it now, a new port is taken and the demo user's profile moves to the new server
    address, so the offline work in it stays the demo's.
    """
    remembered = root / "port"
    with contextlib.suppress(OSError, ValueError):
        port = int(remembered.read_text(encoding="ascii").strip())
        if _port_free(port):
            return port
        new = free_port()
        _move_profile(client_dir, demo_url(port), demo_url(new))
        remembered.write_text(str(new), encoding="ascii")
        return new
    port = free_port()
    remembered.write_text(str(port), encoding="ascii")
    return port


def _move_profile(client_dir: Path, old_url: str, new_url: str) -> None:
    old = client_dir / "profiles" / paths.profile_key(old_url, DEMO_USER)
    new = client_dir / "profiles" / paths.profile_key(new_url, DEMO_USER)
    if old.is_dir() and not new.exists():
        new.parent.mkdir(parents=True, exist_ok=True)
        old.rename(new)
        _say(f"演示端口已变更，档案随之迁移 / the demo port changed; the profile moved along: {new.name}")


def _market_command() -> str:
    beside = Path(sys.executable).parent / "market-server"
    found = str(beside) if beside.exists() else shutil.which("market-server")
    if not found:
        raise SystemExit("market-server not found: run `make demo` (it installs the server extras)")
    return found


def _die_with_parent() -> None:
    """In the child before exec: get SIGTERM when the launcher dies, however it dies (Linux only)."""
    import ctypes

    pr_set_pdeathsig = 1
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


class DemoServer:
    """`market-server serve` on a free loopback port over its own data folder."""

    def __init__(self, root: Path, scale: str, port: int) -> None:
        self.root = root
        self.env = {**os.environ, "MARKET_DATA_DIR": str(root)}
        self.command = _market_command()
        self.port = port
        self.url = demo_url(port)
        self.proc: subprocess.Popen[bytes] | None = None
        self.scale = scale

    def prepare(self) -> None:
        _say(f"准备演示数据（{self.scale}）/ preparing the demo data ({self.scale})…")
        for args in (["migrate"], ["seed-demo", "--scale", self.scale, "--demo-passwords"]):
            subprocess.run([self.command, *args], env=self.env, check=True, stdout=subprocess.DEVNULL)

    def start(self) -> None:
        log = (self.root / "server.log").open("ab")
        self.proc = subprocess.Popen(
            [self.command, "serve", "--host", "127.0.0.1", "--port", str(self.port)],
            env=self.env, stdout=log, stderr=subprocess.STDOUT,
            preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
        )
        log.close()
        atexit.register(self.stop)
        deadline = time.monotonic() + SERVER_START_TIMEOUT_S
        while True:
            # Refused (not listening yet) or slow (listening, starting up on a busy machine): ask again.
            with contextlib.suppress(requests.ConnectionError, requests.Timeout):
                if requests.get(self.url + "/health", timeout=1).ok:
                    break
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the demo server did not start; see {self.root / 'server.log'}")
            time.sleep(0.1)  # waiting for the child to listen
        _say(f"演示服务器 / demo server: {self.url}")
        _say(f"管理后台 / web console: {self.url}/admin/  (admin / {DEMO_ADMIN_PASSWORD})")

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def sign_in_demo(data_dir: Path, url: str) -> credentials.Account:
    """Sign in as the demo specialist (the refresh token goes to the demo's file keyring)."""
    store = open_store(paths.store_path(data_dir, paths.profile_key(url, DEMO_USER)))
    try:
        device = sync_ops.device_id(store)
    finally:
        store.close()
    account = credentials.login(data_dir, url, DEMO_USER, DEMO_SPECIALIST_PASSWORD, device_id=device,
                                device_name=platform.node()).account
    _say(f"已登录 / signed in: {DEMO_USER} @ {url}")
    return account


def _smoke_setup(session: Any, app: Any) -> None:
    """Exit 0 once the first sync succeeded and assigned institutions are in the store; 1 otherwise."""
    from PySide6.QtCore import QTimer

    def check(report: Any) -> None:
        if not report.ok:
            _say(f"smoke: sync failed: {report.message('en')}")
            app.exit(1)
            return

        def counted(assigned: int) -> None:
            summary = f"smoke: synced, pulled {report.pulled}, assigned institutions {assigned}"
            _say(summary)
            app.exit(0 if assigned > 0 and session.window is not None and session.window.isVisible() else 1)

        session.ctx.runner.submit(_assigned_count, counted)

    session.sync_finished.connect(check)
    QTimer.singleShot(SMOKE_TIMEOUT_MS, lambda: app.exit(2))


def _assigned_count(store: Any) -> int:
    with ReadUnitOfWork(store) as read:
        return len(meta.assigned_institutions(read.conn))


def run_app(data_dir: Path, lang: str | None, smoke: bool) -> int:
    from PySide6.QtWidgets import QApplication

    from specialist_app.gui.i18n import install_translator, resolve_language
    from specialist_app.gui.session import run_session
    from specialist_app.gui.settings import GuiSettings

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName(paths.APP_NAME)
    chosen = lang or resolve_language(GuiSettings(data_dir).language)
    translator = install_translator(app, chosen)
    setup = (lambda session: _smoke_setup(session, app)) if smoke else None
    code = run_session(app, data_dir, chosen, setup=setup)
    del translator
    return code


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="specialist-app-demo", description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=("small", "province", "national"), default="province")
    parser.add_argument("--dir", help="keep the demo here (default: a folder per scale in the user's data dir)")
    parser.add_argument("--fresh", action="store_true", help="start over: remove the demo folder's data first")
    parser.add_argument("--lang", choices=("zh_CN", "en"))
    parser.add_argument("--smoke", action="store_true", help="exit after the first sync (for tests)")
    args = parser.parse_args(argv)
    root = Path(args.dir) if args.dir else default_dir(args.scale)
    if args.fresh:
        for sub in ("server", "client", "keyring.json", "port"):
            target = root / sub
            if target.is_dir():
                shutil.rmtree(target, ignore_errors=True)
            else:
                target.unlink(missing_ok=True)
    for sub in ("server", "client"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    _say(f"演示文件夹 / demo folder: {root}")
    use_file_keyring(root / "keyring.json")
    server = DemoServer(root / "server", args.scale, stable_port(root, root / "client"))
    try:
        if not (root / "server" / ".seeded").exists():
            server.prepare()
            (root / "server" / ".seeded").touch()
        server.start()
        sign_in_demo(root / "client", server.url)
        return run_app(root / "client", args.lang, args.smoke)
    finally:
        server.stop()


if __name__ == "__main__":
    sys.exit(main())
