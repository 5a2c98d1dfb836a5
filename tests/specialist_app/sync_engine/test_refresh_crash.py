"""The app stops between the server's refresh rotation and the keyring write: the next start still signs in (#13.7)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from market_server import accounts
from market_server.app import create_app
from market_server.db import make_engine, migrate
from market_server.settings import Settings
from specialist_app import credentials
from specialist_app.demo_keyring import MemoryKeyring
from specialist_app.sync_engine.errors import LoginRequired
from specialist_app.sync_engine.transport import Transport
from tests.market_server.conftest import PASSWORD


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("market")
    settings = Settings(data_dir=root, database_url=f"sqlite:///{root / 'market.sqlite3'}", blob_dir=root / "blobs")
    engine = make_engine(settings)
    migrate(engine)
    with engine.begin() as conn:
        accounts.add_user(conn, "ivy", "specialist", PASSWORD)
    engine.dispose()
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    app = uvicorn.Server(uvicorn.Config(create_app(settings), log_config=None, access_log=False))
    thread = threading.Thread(target=app.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not app.started:
        if not thread.is_alive():
            raise RuntimeError("the server did not start")
        time.sleep(0.01)  # waiting for the server to listen; no assertion depends on it
    yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    app.should_exit = True
    thread.join(10)
    sock.close()


class CrashingKeyring(MemoryKeyring):
    """The process "dies" at the next write: the write raises and stores nothing."""

    crash_next = False

    def set_password(self, service: str, username: str, password: str) -> None:
        if self.crash_next:
            self.crash_next = False
            raise SystemExit("killed before the keyring write")
        super().set_password(service, username, password)


def test_a_crash_before_saving_the_rotated_token_does_not_lock_the_user_out(
        server: str, tmp_path: Path, memory_keyring: MemoryKeyring) -> None:
    import keyring

    crashing = CrashingKeyring()
    keyring.set_keyring(crashing)
    creds = credentials.login(tmp_path, server, "ivy", PASSWORD, device_id="ivy-laptop")
    before = credentials.load_refresh_token(creds.account)
    http = Transport(server)
    try:
        crashing.crash_next = True
        with pytest.raises(SystemExit):  # the server rotated; the new token never reached the keyring
            credentials.Credentials(creds.account, "ivy-laptop").refresh(http)
        assert credentials.load_refresh_token(creds.account) == before
        restarted = credentials.Credentials(creds.account, "ivy-laptop")  # the next start of the app
        assert restarted.refresh(http)
        after = credentials.load_refresh_token(creds.account)
        assert after not in (None, before)
        signed_in = Transport(server, auth=restarted)
        try:
            assert signed_in.get_json("/auth/me")["username"] == "ivy"  # the app uses its new tokens
        finally:
            signed_in.close()
        keyring.set_keyring(memory_keyring)
        memory_keyring.set_password(credentials.keyring_service(creds.account.profile), creds.account.keyring_user,
                                    before or "")
        with pytest.raises(LoginRequired):  # the old token a second time: reuse, the device is signed out
            credentials.Credentials(creds.account, "ivy-laptop").refresh(http)
    finally:
        http.close()
