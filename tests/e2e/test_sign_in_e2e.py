"""Sign-in across data folders and restarts (#11.9, #13.7), through the CLI against a real server process.

Every CLI run starts without an access token, so every sync here refreshes: the refresh token rotates each time.
"""

from __future__ import annotations

import json
from pathlib import Path

from specialist_app import credentials, paths
from tests.e2e.conftest import Client, Market


def _entries(keyring_file: Path) -> dict[str, str]:
    data: dict[str, str] = json.loads(keyring_file.read_text(encoding="utf-8"))
    return data


def test_two_data_folders_of_one_user_do_not_sign_each_other_out(tmp_path: Path, market: Market) -> None:
    market.add_user("carol")
    shared = tmp_path / "os-account.keyring.json"  # one OS account: one keyring for both folders
    one, two = Client(tmp_path / "one", shared), Client(tmp_path / "two", shared)
    one.login(market.url, "carol")
    two.login(market.url, "carol")
    for client in (one, two, one):
        report = client.sync()
        assert report["exit"] == 0, report
    carol = [k for k in _entries(shared) if k.endswith(tuple("0123456789abcdef")) and "\ncarol@" in k]
    assert len(carol) == 2  # one entry per data folder, each naming its folder


def test_a_token_of_another_folder_is_sign_in_again_exit_2(tmp_path: Path, market: Market) -> None:
    market.add_user("dora")
    shared = tmp_path / "os-account.keyring.json"
    one, two = Client(tmp_path / "one", shared), Client(tmp_path / "two", shared)
    one.login(market.url, "dora")
    two.login(market.url, "dora")
    entries = _entries(shared)
    key_one, key_two = (next(k for k in entries if k.endswith("\ndora@" + credentials.folder_key(c.data_dir)))
                        for c in (one, two))
    entries[key_one] = entries[key_two]  # as the keyring entry shared by both folders before 0.2 ended up
    shared.write_text(json.dumps(entries), encoding="utf-8")
    refused = one.sync()
    assert refused["exit"] == 2 and refused["error_code"] == "login_required", refused
    assert two.sync()["exit"] == 0  # the other folder's device was not signed out by the attempt


def test_an_entry_of_before_the_upgrade_moves_to_the_folders_entry(tmp_path: Path, market: Market) -> None:
    market.add_user("erin")
    keys = tmp_path / "os-account.keyring.json"
    client = Client(tmp_path / "pc", keys)
    client.login(market.url, "erin")
    entries = _entries(keys)
    (new_key,) = [k for k in entries if "\nerin@" in k]
    old_key = new_key.split("@")[0]
    entries[old_key] = entries.pop(new_key)  # what 0.1 stored: the user name alone
    keys.write_text(json.dumps(entries), encoding="utf-8")
    assert client.sync()["exit"] == 0  # not signed out by the upgrade
    after = _entries(keys)
    assert old_key not in after and after[new_key] not in (None, entries[old_key])  # moved, and rotated


def test_a_reused_refresh_token_means_sign_in_again_and_keeps_the_outbox(tmp_path: Path, market: Market) -> None:
    market.add_user("fay")
    keys = tmp_path / "os-account.keyring.json"
    client = Client(tmp_path / "pc", keys)
    client.login(market.url, "fay")
    stolen = dict(_entries(keys))
    assert client.sync()["exit"] == 0  # rotates; the app uses its new tokens
    keys.write_text(json.dumps(stolen), encoding="utf-8")  # an old copy presented again: reuse
    client.create("institution", {"name": "复用检测研究院", "org_type": "institute"})
    refused = client.sync()
    assert refused["exit"] == 2 and refused["error_code"] == "login_required", refused
    assert client.scalar("SELECT count(*) FROM outbox") >= 1 and paths.current_profile(client.data_dir) != "local"
    client.login(market.url, "fay")  # the password once: the outbox goes out as it was
    assert client.sync()["exit"] == 0
    assert client.scalar("SELECT count(*) FROM outbox") == 0


def test_forwarded_addresses_are_believed_only_from_the_configured_proxies(tmp_path: Path) -> None:
    """A client that is not the proxy cannot pick a new address per attempt with X-Forwarded-For (#13.4)."""
    import requests

    server = Market(tmp_path / "server", env={"MARKET_TRUSTED_PROXIES": "10.255.255.1",
                                              "MARKET_LOGIN_MAX_FAILURES": "2"})
    try:
        server.add_user("gus")
        statuses = [requests.post(server.url + "/auth/login", timeout=30,
                                  json={"username": "gus", "password": "wrong-password", "device_id": "d"},
                                  headers={"X-Forwarded-For": f"198.51.100.{i}"}).status_code for i in range(3)]
    finally:
        server.stop()
    assert statuses == [401, 401, 429]  # all counted against this client's own address
