"""#13 items 1, 2, 14: attachment bytes are checked against their type and name, and read only with a right to them."""

from __future__ import annotations

import hashlib
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from market_server import accounts
from sync.file_types import SNIFF_BYTES
from sync.ids import uuid7
from tests.market_server.conftest import Session, add_rows, add_user, institution, login, unique

PDF_MIME = "application/pdf"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _pdf(tag: str) -> bytes:
    return b"%PDF-1.4\n" + tag.encode() + b"\n" + b"x" * 500


def _attachment(owner: str, data: bytes, filename: str = "走访纪要.pdf", mime: str = PDF_MIME) -> dict[str, Any]:
    return {"entity": "attachment", "id": uuid7(), "op": "create", "fields": {
        "owner_entity": "visit", "owner_id": owner, "filename": filename, "mime_type": mime, "size": len(data),
        "sha256": _sha(data)}}


def _visit(session: Session, inst_id: str) -> str:
    visit_id = uuid7()
    (result,) = session.push({"entity": "visit", "id": visit_id, "op": "create",
                              "fields": {"institution_id": inst_id, "status": "planned"}})
    assert result["outcome"] == "applied", result
    return visit_id


def _team(client: TestClient, engine: Engine) -> tuple[str, Session, Session]:
    inst = institution()
    add_rows(engine, inst)
    inst_id = inst[1]["id"]
    return (inst_id, login(client, add_user(engine, assigned=[inst_id])),
            login(client, add_user(engine, assigned=[inst_id])))


def _head(client: TestClient, session: Session, sha: str) -> tuple[str, str]:
    answer = client.head(f"/blobs/{sha}", headers=session.headers)
    return answer.headers["Upload-Offset"], answer.headers["X-Blob-Complete"]


# Item 14 ------------------------------------------------------------------------------------------------------


def test_utf8_text_with_a_character_across_the_sniffed_prefix_is_accepted(client: TestClient, engine: Engine) -> None:
    me = login(client, add_user(engine))
    text = ("a" * (SNIFF_BYTES - 1) + "走访纪要。" * 900 + unique("")).encode()
    assert text[SNIFF_BYTES - 1:SNIFF_BYTES + 2] == "走".encode()
    whole = client.put(f"/blobs/{_sha(text)}", content=text, headers=me.headers)
    assert whole.status_code == 200 and whole.json()["complete"] is True, whole.text
    chunked = ("b" * 4096 + "纪要" * 3000 + unique("")).encode()
    headers = {**me.headers, "Upload-Length": str(len(chunked))}
    first = client.patch(f"/blobs/{_sha(chunked)}?offset=0", content=chunked[:4097], headers=headers)  # ends mid-char
    assert first.status_code == 200, first.text
    rest = client.patch(f"/blobs/{_sha(chunked)}?offset=4097", content=chunked[4097:], headers=headers)
    assert rest.json()["complete"] is True, rest.text


# Item 1 -------------------------------------------------------------------------------------------------------


def test_a_program_named_like_a_document_is_refused(client: TestClient, engine: Engine) -> None:
    inst_id, alice, _bob = _team(client, engine)
    visit = _visit(alice, inst_id)
    data = b"@echo off\r\nformat c: /q\r\n" + unique("").encode()
    (named,) = alice.push(_attachment(visit, data, filename="走访纪要.pdf.bat", mime="text/plain"))
    assert named["outcome"] == "rejected" and named["problems"][0]["code"] == "blob_name_not_allowed"
    assert named["problems"][0]["params"]["ext"] == ".bat"
    (typed,) = alice.push(_attachment(visit, data, filename="走访纪要.pdf", mime="application/x-msdownload"))
    assert typed["outcome"] == "rejected" and typed["problems"][0]["code"] == "blob_type_not_allowed"


def test_declared_type_must_be_what_the_bytes_are(client: TestClient, engine: Engine) -> None:
    inst_id, alice, bob = _team(client, engine)
    visit = _visit(alice, inst_id)
    text = ("@echo off 走访 " + unique("")).encode()
    assert client.put(f"/blobs/{_sha(text)}", content=text, headers=alice.headers).json()["complete"] is True
    (result,) = alice.push(_attachment(visit, text, mime=PDF_MIME))  # bytes already here: refused at once
    assert result["outcome"] == "rejected" and result["problems"][0]["code"] == "blob_type_mismatch"
    # Row first, bytes later (the client's order): the row grants nothing while its type does not fit.
    later = ("plain notes " + unique("")).encode()
    (row,) = alice.push(_attachment(visit, later, mime=PDF_MIME))
    assert row["outcome"] == "applied"
    assert client.put(f"/blobs/{_sha(later)}", content=later, headers=alice.headers).json()["complete"] is True
    assert client.get(f"/blobs/{_sha(later)}", headers=bob.headers).status_code == 404


def test_download_is_an_attachment_with_the_checked_type(client: TestClient, engine: Engine) -> None:
    inst_id, alice, bob = _team(client, engine)
    data = _pdf(unique("d"))
    assert client.put(f"/blobs/{_sha(data)}", content=data, headers=alice.headers).json()["complete"] is True
    alice.push(_attachment(_visit(alice, inst_id), data, filename="走访纪要.PDF"))
    answer = client.get(f"/blobs/{_sha(data)}", headers=bob.headers)
    assert answer.status_code == 200 and answer.content == data
    assert answer.headers["content-type"] == PDF_MIME
    assert answer.headers["x-content-type-options"] == "nosniff"
    disposition = answer.headers["content-disposition"]
    assert disposition.startswith("attachment;") and disposition.endswith(".pdf")


# Item 2 -------------------------------------------------------------------------------------------------------


def test_knowing_a_hash_is_not_enough(client: TestClient, engine: Engine) -> None:
    inst_id, alice, bob = _team(client, engine)
    secret = _pdf(unique("secret"))
    sha = _sha(secret)
    assert client.put(f"/blobs/{sha}", content=secret, headers=alice.headers).json()["complete"] is True
    alice.push(_attachment(_visit(alice, inst_id), secret))
    mallory = login(client, add_user(engine))  # no assignment: proposes an institution and names the hash there
    proposal = uuid7()
    mallory.push({"entity": "institution", "id": proposal, "op": "create",
                  "fields": {"name": unique("机构"), "org_type": "university"}})
    (row,) = mallory.push(_attachment(_visit(mallory, proposal), secret))
    assert row["outcome"] == "applied"
    assert client.get(f"/blobs/{sha}", headers=mallory.headers).status_code == 404
    assert _head(client, mallory, sha) == ("0", "0")  # nothing said about someone else's upload
    assert client.get(f"/blobs/{sha}/status", headers=mallory.headers).json() == {
        "sha256": sha, "received": 0, "complete": False}
    # A colleague who may read alice's row holds it without sending it again (dedupe), and downloads it.
    assert _head(client, bob, sha) == (str(len(secret)), "1")
    assert client.get(f"/blobs/{sha}", headers=bob.headers).content == secret


def test_partial_uploads_are_each_users_own(client: TestClient, engine: Engine) -> None:
    alice = login(client, add_user(engine))
    mallory = login(client, add_user(engine))
    data = _pdf(unique("p")) * 20
    sha = _sha(data)
    headers = {**alice.headers, "Upload-Length": str(len(data))}
    assert client.patch(f"/blobs/{sha}?offset=0", content=data[:1000], headers=headers).json()["received"] == 1000
    assert _head(client, alice, sha) == ("1000", "0")
    assert _head(client, mallory, sha) == ("0", "0")


def test_unassigning_takes_the_bytes_away(client: TestClient, engine: Engine) -> None:
    inst_id, alice, bob = _team(client, engine)
    data = _pdf(unique("u"))
    client.put(f"/blobs/{_sha(data)}", content=data, headers=alice.headers)
    alice.push(_attachment(_visit(alice, inst_id), data))
    assert client.get(f"/blobs/{_sha(data)}", headers=bob.headers).status_code == 200
    with engine.begin() as conn:
        accounts.unassign(conn, bob.username, [inst_id])
    assert client.get(f"/blobs/{_sha(data)}", headers=bob.headers).status_code == 404


def test_the_file_an_attachment_names_cannot_be_changed(client: TestClient, engine: Engine) -> None:
    inst_id, alice, _bob = _team(client, engine)
    data = _pdf(unique("f"))
    row = _attachment(_visit(alice, inst_id), data)
    alice.push(row)
    other = _sha(b"someone else's file")
    (result,) = alice.push({"entity": "attachment", "id": row["id"], "op": "update", "fields": {"sha256": other},
                            "base": {"sha256": _sha(data)}})
    assert result["outcome"] == "rejected" and result["problems"][0]["code"] == "parent_not_changeable"
