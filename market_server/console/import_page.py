"""Catalog import: upload a spreadsheet, see every bad row before anything is written, then import; snapshot status."""

from __future__ import annotations

import re
import secrets
import time
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select

from market_server import audit, catalog_import
from market_server.body_limits import CONSOLE_IMPORT_MAX_BYTES
from market_server.console.auth import AdminDep, PostingAdminDep
from market_server.console.texts import text
from market_server.console.web import client_ip, engine_of, lang_of, redirect, render, settings_of
from market_server.tables import catalog_snapshot
from sync.tabular.columns import CATALOG_IMPORT_ENTITIES
from sync.tabular.messages import TransferError

router = APIRouter(prefix="/import")
KEEP_UPLOADS_SECONDS = 24 * 3600
_TOKEN = re.compile(r"^[0-9a-f]{32}\.(xlsx|csv)$")


def _uploads(request: Request) -> Path:
    folder = settings_of(request).data_dir / "console-uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _last_snapshot(request: Request) -> object:
    with engine_of(request).connect() as conn:
        return conn.execute(select(catalog_snapshot).order_by(catalog_snapshot.c.id.desc()).limit(1)).first()


@router.get("", response_class=HTMLResponse)
def import_form(request: Request, admin: AdminDep, notice: str | None = None,
                problem: str | None = None) -> HTMLResponse:
    return render(request, "import.html", admin=admin, active="nav_import", entities=CATALOG_IMPORT_ENTITIES,
                  snapshot=_last_snapshot(request), notice=notice, problem=problem, report=None)


@router.post("/check", response_class=HTMLResponse)
async def check(request: Request, admin: PostingAdminDep, file: UploadFile,
                entity: Annotated[str, Form(max_length=32)] = "") -> Response:
    """Keep the upload under a random name and validate every row of it; nothing reaches the catalog."""
    lang = lang_of(request)
    suffix = Path(file.filename or "").suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        return redirect(request, "/import", problem=text("file_unusable", lang, reason=file.filename or "?"))
    folder = _uploads(request)
    for old in folder.iterdir():  # uploads never imported are dropped after a day
        if old.stat().st_mtime < time.time() - KEEP_UPLOADS_SECONDS:
            old.unlink(missing_ok=True)
    token = secrets.token_hex(16) + suffix
    data = await file.read(CONSOLE_IMPORT_MAX_BYTES)  # the body cap already refused anything larger
    (folder / token).write_bytes(data)
    try:
        report = catalog_import.import_catalog(engine_of(request), folder / token, entity=entity or None,
                                               author=admin.name, lang=lang, dry_run=True)
    except TransferError as err:
        (folder / token).unlink(missing_ok=True)
        return redirect(request, "/import", problem=text("file_unusable", lang, reason=err.message(lang)))
    return render(request, "import.html", admin=admin, active="nav_import", entities=CATALOG_IMPORT_ENTITIES,
                  snapshot=_last_snapshot(request), report=report, token=token, entity_choice=entity,
                  filename=file.filename, errors=[_named(e.as_dict(lang), token, file.filename)
                                                  for e in report.sorted_errors()])


def _named(error: dict[str, object], token: str, filename: str | None) -> dict[str, object]:
    """A CSV's one sheet is named after the stored file; show the uploaded file's name instead."""
    if error.get("sheet") == Path(token).stem:
        error["sheet"] = Path(filename or token).stem
    return error


@router.post("/run")
def run(request: Request, admin: PostingAdminDep, token: Annotated[str, Form(max_length=40)],
        entity: Annotated[str, Form(max_length=32)] = "", skip_invalid: Annotated[bool, Form()] = False,
        filename: Annotated[str, Form(max_length=255)] = "") -> Response:
    lang = lang_of(request)
    path = _uploads(request) / token
    if not _TOKEN.match(token) or not path.exists():
        return redirect(request, "/import", problem=text("upload_missing", lang))
    try:
        report = catalog_import.import_catalog(engine_of(request), path, entity=entity or None,
                                               skip_invalid=skip_invalid, author=admin.name, lang=lang)
    except TransferError as err:
        return redirect(request, "/import", problem=text("file_unusable", lang, reason=err.message(lang)))
    if not report.written:
        return redirect(request, "/import", problem=text("check_errors", lang, count=len(report.errors)))
    path.unlink(missing_ok=True)
    with engine_of(request).begin() as conn:
        audit.record(conn, admin.name, "catalog.import", filename or token, {
            "imported": {name: c.imported for name, c in report.counts.items()}, "bad_rows": report.bad_rows,
            "skip_invalid": skip_invalid}, client_ip(request))
    return redirect(request, "/import", notice=text("imported_msg", lang, count=report.imported))
