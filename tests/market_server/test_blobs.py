"""Attachment bytes: resumable upload, dedupe, size and type limits."""

from __future__ import annotations

import hashlib
import io
import zipfile

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from market_server.blobs import BlobStore
from sync.entities import ATTACHMENT_MAX_BYTES
from tests.market_server.conftest import Session, add_user, login

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40


@pytest.fixture
def me(client: TestClient, engine: Engine) -> Session:
    return login(client, add_user(engine))


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_upload_resumes_after_an_interruption(client: TestClient, me: Session) -> None:
    data = PNG + b"unique-1"
    sha = _sha(data)
    headers = {**me.headers, "Upload-Length": str(len(data))}
    first = client.patch(f"/blobs/{sha}?offset=0", content=data[:3000], headers=headers)
    assert first.json() == {"sha256": sha, "received": 3000, "complete": False}
    # The client lost the answer: it asks where to go on.
    head = client.head(f"/blobs/{sha}", headers=me.headers)
    assert head.headers["Upload-Offset"] == "3000" and head.headers["X-Blob-Complete"] == "0"
    wrong = client.patch(f"/blobs/{sha}?offset=100", content=data[100:], headers=headers)
    assert wrong.status_code == 409 and wrong.json()["details"] == {"offset": 3000}
    assert wrong.headers["Upload-Offset"] == "3000" and "3000" in wrong.json()["message"]
    done = client.patch(f"/blobs/{sha}?offset=3000", content=data[3000:], headers=headers)
    assert done.json()["complete"] is True
    assert client.get(f"/blobs/{sha}/status", headers=me.headers).json()["received"] == len(data)


def test_same_file_twice_is_stored_once(client: TestClient, me: Session, tmp_path_factory: pytest.TempPathFactory
                                        ) -> None:
    data = PNG + b"unique-2"
    sha = _sha(data)
    assert client.put(f"/blobs/{sha}", content=data, headers=me.headers).json()["complete"] is True
    again = client.put(f"/blobs/{sha}", content=data, headers=me.headers)
    assert again.status_code == 200 and again.json()["received"] == len(data)
    store: BlobStore = client.app.state.blobs  # type: ignore[attr-defined]
    assert list(store.root.rglob(sha)) == [store.path(sha)]


def test_hash_mismatch_is_refused(client: TestClient, me: Session) -> None:
    data = PNG + b"unique-3"
    response = client.put(f"/blobs/{'0' * 64}", content=data, headers=me.headers)
    assert response.status_code == 422 and response.json()["code"] == "blob_hash_mismatch"


def test_disallowed_type_is_refused_by_its_bytes(client: TestClient, me: Session) -> None:
    exe = b"MZ\x90\x00" + b"\x00" * 200
    response = client.put(f"/blobs/{_sha(exe)}", content=exe, headers=me.headers)
    assert response.status_code == 415 and response.json()["code"] == "blob_type_not_allowed"
    fake_docx = io.BytesIO()
    with zipfile.ZipFile(fake_docx, "w") as archive:
        archive.writestr("payload.sh", "echo hi")
    blob = fake_docx.getvalue()
    assert client.put(f"/blobs/{_sha(blob)}", content=blob, headers=me.headers).status_code == 415


def test_office_document_is_accepted(client: TestClient, me: Session) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    blob = buffer.getvalue()
    assert client.put(f"/blobs/{_sha(blob)}", content=blob, headers=me.headers).json()["complete"] is True


def test_size_limit(client: TestClient, me: Session) -> None:
    headers = {**me.headers, "Upload-Length": str(ATTACHMENT_MAX_BYTES + 1)}
    response = client.patch(f"/blobs/{'1' * 64}?offset=0", content=PNG, headers=headers)
    assert response.status_code == 413 and response.json()["code"] == "blob_too_large"


def test_bad_sha_and_missing_blob(client: TestClient, me: Session) -> None:
    assert client.put("/blobs/not-a-sha", content=PNG, headers=me.headers).status_code == 400
    assert client.get(f"/blobs/{'2' * 64}", headers=me.headers).status_code == 404
    assert client.put(f"/blobs/{_sha(PNG)}", content=PNG).status_code == 401
