"""Adding a file to a store: copied while hashed into the blob folder, one file per content, refusals."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from specialist_app.services import records
from specialist_app.services.attachments import AttachmentRefused, add_attachment, blob_folder, blob_path
from specialist_app.services.uow import UnitOfWork
from specialist_app.store.db import Store


def _visit(store: Store) -> str:
    with UnitOfWork(store) as uow:
        inst = records.create(uow, "institution", {"name": "浙江大学", "org_type": "university"})
        visit = records.create(uow, "visit", {"institution_id": inst, "status": "planned"})
        uow.commit()
    return visit


def test_a_file_is_copied_under_its_sha256_once_and_each_add_is_a_queued_row(store: Store, tmp_path: Path) -> None:
    visit = _visit(store)
    data = "会议纪要\n".encode() * 1000
    source = tmp_path / "纪要.txt"
    source.write_bytes(data)
    first_id, info = add_attachment(store, "visit", visit, source, caption="第一次")
    second_id, again = add_attachment(store, "visit", visit, source)
    assert info == again and info.sha256 == hashlib.sha256(data).hexdigest()
    assert (info.filename, info.mime_type, info.size) == ("纪要.txt", "text/plain", len(data))
    assert blob_path(store, info.sha256).read_bytes() == data
    assert sorted(p.name for p in blob_folder(store).iterdir()) == [info.sha256]  # no temp file left
    with UnitOfWork(store) as uow:
        row = records.get(uow, "attachment", first_id)
        queued = uow.conn.exec_driver_sql(
            "SELECT count(*) FROM outbox WHERE entity = 'attachment' AND op = 'create'").scalar()
    assert row is not None and (row["owner_id"], row["sha256"], row["caption"]) == (visit, info.sha256, "第一次")
    assert first_id != second_id and queued == 2


def test_a_type_not_allowed_or_an_unknown_owner_is_refused_without_a_row(store: Store, tmp_path: Path) -> None:
    program = tmp_path / "setup.exe"
    program.write_bytes(b"MZ\x90\x00")
    with pytest.raises(AttachmentRefused) as refused:
        add_attachment(store, "visit", _visit(store), program)
    assert refused.value.code == "blob_name_not_allowed" and "setup.exe" in refused.value.message("en")
    movie = tmp_path / "clip.avi"  # a name that is fine, of a type that is not on the list
    movie.write_bytes(b"RIFF\x00\x00\x00\x00AVI ")
    with pytest.raises(AttachmentRefused) as refused:
        add_attachment(store, "visit", _visit(store), movie)
    assert refused.value.code == "blob_type_not_allowed"
    photo = tmp_path / "a.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n")
    with pytest.raises(records.RecordInvalid):
        add_attachment(store, "visit", "0190a000-0000-7000-8000-0000000000ff", photo)
    with UnitOfWork(store) as uow:
        assert uow.conn.exec_driver_sql("SELECT count(*) FROM attachment").scalar() == 0


@pytest.mark.parametrize("name", ["纪要.exe.pdf", "走访纪要.pdf.bat", "photo.jpg.lnk", "scan\u202egpj.exe"])
def test_a_name_with_a_programs_extension_is_refused_before_anything_is_copied(
    store: Store, tmp_path: Path, name: str
) -> None:
    source = tmp_path / name
    source.write_bytes(b"%PDF-1.4 looks like a document")
    with pytest.raises(AttachmentRefused) as refused:
        add_attachment(store, "visit", _visit(store), source)
    assert refused.value.code == "blob_name_not_allowed" and name in refused.value.message("zh_CN")
    assert not blob_folder(store).exists() or not any(blob_folder(store).iterdir())
