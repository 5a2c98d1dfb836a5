"""kill -9 while a catalog snapshot (or a province's digest snapshot) is being installed: the store holds either
none of it or all of it."""

from __future__ import annotations

import itertools
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from harness import record_figures, seeded

from specialist_app.services import pull_apply, search
from specialist_app.services.uow import UnitOfWork
from specialist_app.store import catalog_snapshot, digests, meta, search_index
from specialist_app.store.db import open_store
from sync.demo import achievements_only

HELPER = Path(__file__).parent / "crash_snapshot_install.py"
ROWS, CURSOR = 80, 99


def _run(store: Path, snapshot: Path, kill_at: int, province: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([os.getcwd(), os.environ.get("PYTHONPATH", "")])}
    extra = [province] if province else []
    return subprocess.run([sys.executable, str(HELPER), str(store), str(snapshot), str(kill_at), *extra],
                          capture_output=True, text=True, env=env, timeout=120, check=False)


DIGESTS, DIGEST_CURSOR = 40, 120


@pytest.fixture(scope="module", params=[None, "22"], ids=["catalog", "digest"])
def snapshot_file(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str | None]:
    """A catalog snapshot of ROWS achievements; or a digest snapshot of province 22 with DIGESTS digests beside."""
    province: str | None = request.param
    tmp = tmp_path_factory.mktemp("publisher")
    source = open_store(tmp / "publisher.sqlite3")
    changes = [{"entity": "achievement", "id": r["id"], "version": v, "updated_at": "2025-03-01T08:00:00Z",
                "fields": {k: x for k, x in r.items() if k not in ("id", "updated_at")}, "masked": []}
               for v, r in enumerate(itertools.islice(achievements_only(ROWS, seed=seeded(9)), ROWS), start=1)]
    with UnitOfWork(source) as uow:
        pull_apply.apply_page(uow.conn, {"changes": changes, "cursors": {"catalog": CURSOR}, "buckets": ["catalog"]})
        if province:
            digests.apply(uow.conn, [
                {"entity": "achievement", "id": r["id"], "version": 200 + n, "province": "11",
                 "institution_name": "北京催化研究院", "org_type": "institute", "updated_at": "2025-03-01T08:00:00Z",
                 "fields": {"title": r["title"], "trl": r.get("trl")}}
                for n, r in enumerate(itertools.islice(achievements_only(DIGESTS, seed=seeded(10)), DIGESTS))],
                DIGEST_CURSOR)
        uow.commit()
    target = tmp / "snapshot.sqlite3"
    catalog_snapshot.export(source, target, CURSOR, province=province, digest_cursor=DIGEST_CURSOR)
    source.close()
    return target, province


def _statements(tmp: Path, snapshot: Path, province: str | None) -> int:
    """How many statements a whole install runs on its connection (a run that is never killed)."""
    done = _run(tmp / "count.sqlite3", snapshot, 0, province)
    assert done.returncode == 0, done.stderr
    found = re.search(r"installed after (\d+) statements", done.stdout)
    assert found, done.stdout
    return int(found.group(1))


def test_an_install_killed_at_any_statement_leaves_none_or_all_of_the_snapshot(
    tmp_path: Path, snapshot_file: tuple[Path, str | None]
) -> None:
    snapshot, province = snapshot_file
    held = DIGESTS if province else 0
    total = _statements(tmp_path, snapshot, province)
    outcomes = set()
    for kill_at in range(1, total + 1):
        store_path = tmp_path / f"kill-{kill_at}" / "store.sqlite3"
        store_path.parent.mkdir()
        killed = _run(store_path, snapshot, kill_at, province)
        assert killed.returncode == -9, (kill_at, killed.stderr)
        store = open_store(store_path)  # runs quick_check: a damaged file would raise here
        try:
            with UnitOfWork(store) as uow:
                docs = search.search(uow, "").total
                cursors = meta.read_cursors(uow.conn)
                rows = uow.conn.exec_driver_sql("SELECT count(*) FROM achievement").scalar()
                digest_rows = uow.conn.exec_driver_sql("SELECT count(*) FROM catalog_digest").scalar()
                digest_cursor = digests.cursor(uow.conn)
                fts = search_index.FTS
                uow.conn.exec_driver_sql(f"INSERT INTO {fts} ({fts}, rank) VALUES ('integrity-check', 0)")
            if catalog_snapshot.is_empty(store):
                assert (docs, rows, cursors, digest_rows, digest_cursor) == (0, 0, {}, 0, 0), kill_at
                outcomes.add("none")
            else:
                assert (docs, rows, cursors, digest_rows, digest_cursor) == (
                    ROWS + held, ROWS, {"catalog": CURSOR}, held, DIGEST_CURSOR if province else 0), kill_at
                outcomes.add("all")
        finally:
            store.close()
        shutil.rmtree(store_path.parent)
    record_figures("snapshot_crash" if province is None else "digest_snapshot_crash", kills=total,
                   outcomes=len(outcomes))
    assert outcomes == {"none", "all"}  # the kills fell both before and after the commit
