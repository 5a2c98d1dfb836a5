"""`specialist-app status`: profile, store file, record counts, pending changes, last sync, conflicts, refusals."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from specialist_app import paths
from specialist_app.cli.common import counts_text, print_json
from specialist_app.cli.texts import text
from specialist_app.services import records
from specialist_app.services.uow import ReadUnitOfWork
from specialist_app.store.db import open_store
from specialist_app.sync_engine.blobs import failure_text, pending_summary
from specialist_app.sync_engine.status import sync_status
from sync.messages import render

if TYPE_CHECKING:
    from specialist_app.cli.common import SubParsers


def add_parser(subparsers: SubParsers, common: argparse.ArgumentParser) -> None:
    p = subparsers.add_parser("status", parents=[common], help="profile, data file, record and pending-change counts")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    lang: str = args.lang
    base = paths.data_dir(args.data_dir)
    profile = paths.current_profile(base)
    path = paths.store_path(base, profile)
    store = open_store(path)
    try:
        with ReadUnitOfWork(store) as uow:
            record_counts = records.record_counts(uow)
            outbox_counts = records.outbox_counts(uow)
            sync = sync_status(uow)
        files = pending_summary(store)  # attachment bytes the server does not have yet
    finally:
        store.close()
    if args.json:
        print_json({"profile": profile, "store": str(path), "records": record_counts, "outbox": outbox_counts,
                    **sync, **files})
        return 0
    pending = {k: v for k, v in outbox_counts.items() if v}
    colon = render("label_colon", lang)
    print(text("profile", lang) + colon + profile)
    print(text("store", lang) + colon + str(path))
    print(text("records", lang) + colon + counts_text(record_counts, lang))
    print(text("pending", lang) + colon + (counts_text(pending, lang) if pending else text("none", lang)))
    if files["pending_files"]:
        print(text("pending_files", lang, count=files["pending_files"], mb=_mb(files["pending_file_bytes"])))
        for file in files["files"]:
            if file["state"] == "partial":
                print(text("partial_file", lang, name=file["name"], mb=_mb(file["size"]),
                           pct=int(100 * file["sent"] / max(1, file["size"]))))
            elif file["state"] == "failed":
                print(text("failed_file", lang, name=file["name"], mb=_mb(file["size"]),
                           reason=failure_text(file["reason"], lang), since=file["since"]))
    print(text("last_sync", lang) + colon + (sync["last_sync_at"] or text("never", lang)))
    print(text("open_conflicts", lang) + colon + str(sync["open_conflicts"]))
    print(text("rejected_changes", lang) + colon + str(sync["rejected_changes"]))
    return 0


def _mb(n_bytes: int) -> str:
    return f"{n_bytes / (1024 * 1024):.1f}"
