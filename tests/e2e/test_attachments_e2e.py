"""Attachments through a real `market-server serve`, driven by `specialist-app attachment add|get` and `sync`.

Fixtures come from conftest.py (typed Any: test modules cannot import it). The blob requests (HEAD, PATCH, GET)
go straight to the server or through a cutting proxy, since conftest's proxy forwards POST only.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.specialist_app.sync_engine.cutting_proxy import CuttingProxy

MIB = 1 << 20


@pytest.fixture
def cutter(market: Any) -> Iterator[CuttingProxy]:
    proxy = CuttingProxy(market.url)
    yield proxy
    proxy.close()


def _png(size: int, seed: int) -> bytes:
    return b"\x89PNG\r\n\x1a\n" + random.Random(seed).randbytes(size - 8)


def _device(world: Any, name: str, user: str, url: str) -> Any:
    client = world.client(name)
    client.login(url, user)
    assert client.sync()["exit"] == 0
    return client


def _attach(client: Any, owner: str, path: Path) -> dict[str, Any]:
    done = client.cli("attachment", "add", "visit", owner, str(path), "--json")
    assert done.returncode == 0, done.stderr
    added: dict[str, Any] = json.loads(done.stdout)
    return added


def test_upload_interrupted_then_resumed_and_downloaded_only_by_a_reader(
    world: Any, market: Any, cutter: CuttingProxy, tmp_path: Path
) -> None:
    alice = _device(world, "alice-photos", "alice", cutter.url)
    visit = alice.create("visit", {"institution_id": world.inst, "status": "planned", "purpose": "现场拍照"})
    data = _png(2 * MIB + 4321, seed=11)
    photo = tmp_path / "现场.png"
    photo.write_bytes(data)
    added = _attach(alice, visit, photo)
    sha = added["sha256"]
    assert sha == hashlib.sha256(data).hexdigest() and added["size"] == len(data)

    cutter.cut_patch_from = MIB  # the line drops during the second chunk, and on every retry of it
    cut = alice.sync("--max-attempts", "2")
    # The records went through: the run is partial (not offline), the file failed for the network and waits.
    assert cut["exit"] == 0 and cut["outcome"] == "partial", cut
    assert cut["blobs_failed"] == 1 and cut["errors"] == ["network_unavailable"], cut
    assert alice.scalar("SELECT count(*) FROM outbox") == 0  # the rows went first and are on the server
    (partial,) = (Path(market.root) / "blobs" / "partial").glob(f"*/{sha}")  # alice's own unfinished upload
    assert partial.stat().st_size == MIB

    cutter.seen.clear()
    cutter.cut_patch_from = None
    resumed = alice.sync()
    assert resumed["exit"] == 0 and resumed["blobs_uploaded"] == 1, resumed
    offsets = cutter.patch_offsets()  # chunk sizes follow the measured speed: only where they start is fixed
    assert offsets[0] == MIB and offsets == sorted(set(offsets))  # nothing the server had was sent again
    sent = sum(n for method, _path, _h, n in cutter.seen if method == "PATCH")
    assert sent == len(data) - MIB
    stored = Path(market.root) / "blobs" / sha[:2] / sha
    assert stored.read_bytes() == data

    bob = _device(world, "bob-photos", "bob", market.url)  # assigned to the same institution
    assert bob.scalar("SELECT count(*) FROM attachment WHERE sha256 = ?", sha) == 1
    fetched = bob.cli("attachment", "get", sha, "--output", str(tmp_path / "bob.png"), "--json")
    assert fetched.returncode == 0, fetched.stderr
    assert Path(json.loads(fetched.stdout)["path"]).read_bytes() == data
    assert (tmp_path / "bob.png").read_bytes() == data

    market.add_user("carol")  # a specialist with no assignment
    carol = _device(world, "carol-photos", "carol", market.url)
    refused = carol.cli("attachment", "get", sha)
    assert refused.returncode == 1 and "not found" in refused.stderr
    assert not any(p.name == sha for p in Path(carol.data_dir).rglob("*"))


def test_same_file_is_stored_once_and_a_forbidden_type_does_not_hold_up_the_rest(
    world: Any, market: Any, cutter: CuttingProxy, tmp_path: Path
) -> None:
    alice = _device(world, "alice-docs", "alice", cutter.url)
    first = alice.create("visit", {"institution_id": world.inst, "status": "planned", "purpose": "第一次"})
    second = alice.create("visit", {"institution_id": world.inst, "status": "planned", "purpose": "第二次"})
    photo = tmp_path / "same.png"
    photo.write_bytes(_png(20_000, seed=12))
    sha = _attach(alice, first, photo)["sha256"]
    _attach(alice, second, photo)
    disguised = tmp_path / "setup.png"  # a program named like a picture: the server reads the bytes
    disguised.write_bytes(b"MZ\x90\x00" + bytes(2000))
    bad = _attach(alice, second, disguised)
    contact = alice.create("contact", {"institution_id": world.inst, "name": "同步照常"})

    report = alice.sync()
    assert report["exit"] == 0 and report["outcome"] == "partial", report
    assert (report["blobs_uploaded"], report["rejected"]) == (1, 1)
    assert len(cutter.patch_offsets()) == 2  # the photo once, the refused file's first chunk
    listed = alice.cli("conflicts", "--json")
    (rejection,) = [r for r in json.loads(listed.stdout)["rejections"] if r["row_id"] == bad["id"]]
    assert rejection["reason"] == "blob_type_not_allowed" and "setup.png" in rejection["message"]

    assert world.b.sync()["exit"] == 0
    assert world.b.get("contact", contact) is not None  # the rest of the sync went on
    assert world.b.scalar("SELECT count(*) FROM attachment WHERE sha256 = ?", sha) == 2
    assert len(list((Path(market.root) / "blobs").rglob(sha))) == 1

    cutter.seen.clear()
    other = _device(world, "alice-tablet", "alice", cutter.url)  # the same photo added on another device
    third = other.create("visit", {"institution_id": world.inst, "status": "planned", "purpose": "第三次"})
    _attach(other, third, photo)
    again = other.sync()
    assert again["exit"] == 0 and again["blobs_uploaded"] == 0 and again["rejected"] == 0
    assert cutter.patch_offsets() == []  # HEAD said the server has it


def test_get_into_a_folder_names_the_copy_from_the_checked_type(world: Any, market: Any, tmp_path: Path) -> None:
    alice = _device(world, "alice-named", "alice", market.url)
    visit = alice.create("visit", {"institution_id": world.inst, "status": "planned", "purpose": "合同扫描"})
    data = _png(30_000, seed=12)
    photo = tmp_path / "合同扫描.png"
    photo.write_bytes(data)
    sha = _attach(alice, visit, photo)["sha256"]
    assert alice.sync()["exit"] == 0
    bob = _device(world, "bob-named", "bob", market.url)
    folder = tmp_path / "bob-folder"
    folder.mkdir()
    done = bob.cli("attachment", "get", sha, "--output", str(folder), "--json")
    assert done.returncode == 0, done.stderr
    got = json.loads(done.stdout)  # the bytes were checked against the type first
    assert (got["mime_type"], got["viewable"], Path(got["output"])) == ("image/png", True, folder / "合同扫描.png")
    assert (folder / "合同扫描.png").read_bytes() == data
