"""The province-wide duplicate check of pushed records, and the administrators' decisions (docs/matching.md).

After a push, every institution, achievement, demand or expert it created (and every achievement that gained a
patent number) is looked up with sync.duplicates against everything the server holds: many laptops' records,
where one laptop sees only its own and the catalog. A likely duplicate is flagged, never refused: the row is
applied as pushed, a `duplicate_flag` row lists it for administrators, and the row's server-managed fields
`duplicate_of`/`duplicate_state` (suspected) reach the specialist's app on the next sync.

Decisions (`market-server review duplicates`): keep both (the flag is closed, the fields cleared; the pair is
not flagged again), or mark the pushed row as a duplicate of the other (`duplicate_state` confirmed: the row
and its history stay, every edit still syncs and merges, and catalog lists leave it out). Nothing is deleted
or moved: records offline on other laptops may hold unsent edits of either row, and a delete racing them would
turn those edits into conflicts (sync/merge.py), so "merge" here means this mark, not a fold of one row into
the other.

Each server process keeps the index in memory and reads, before each check, only the rows whose version rose
since (the version index makes that cheap); several instances (and `serve --workers N`'s processes) each keep
their own. `warm` builds it in the background when a server starts (app.py), so the first push does not wait
for a read of the whole province; a push arriving during that read waits for it on the index's lock. The web
console's review pages ask the same index (`likely`) and decide through the same `decide` as the CLI.
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from market_server import rows, versions
from market_server.tables import ENTITY_TABLES, duplicate_flag
from sync.duplicates import CHECKED, INDEXED, DuplicateIndex, Hit, columns_read, index_row, probe_of
from sync.duplicates.records import CHILD_CODES, NAME_FIELD
from sync.entities import ENTITIES
from sync.fields import utc_now

log = logging.getLogger("market_server.duplicates")
CHECKER = "duplicate check"  # recorded as the writer of the flag fields


@dataclass
class _Cache:
    index: DuplicateIndex = field(default_factory=DuplicateIndex)
    seen: dict[str, int] = field(default_factory=dict)  # table -> highest version read
    lock: threading.Lock = field(default_factory=threading.Lock)


# One index per engine, as pull_marks keeps its marks: not per URL, which two databases can share (PostgreSQL
# schemas chosen by search_path have one URL: a URL-keyed index answered one schema with another's rows).
_caches: weakref.WeakKeyDictionary[Engine, _Cache] = weakref.WeakKeyDictionary()
_caches_lock = threading.Lock()


def _cache(engine: Engine) -> _Cache:
    with _caches_lock:
        cache = _caches.get(engine)
        if cache is None:
            cache = _caches[engine] = _Cache()
        return cache


def _refresh(conn: Connection, cache: _Cache, stop: threading.Event | None = None) -> bool:
    """Read the rows whose version rose since the last read; False when `stop` was set before the end (what was
    read is kept: the next refresh goes on from there)."""
    for entity in INDEXED:
        table = ENTITY_TABLES[entity]
        state = [table.c.duplicate_state] if "duplicate_state" in table.c else []
        query = (select(table.c.id, table.c.deleted, table.c.version, *state,
                        *(table.c[n] for n in columns_read(entity)))
                 .where(table.c.version > cache.seen.get(entity, 0)).order_by(table.c.version))
        for n, found in enumerate(conn.execute(query).mappings()):
            if stop is not None and n % 1000 == 0 and stop.is_set():
                return False
            row = dict(found)
            # A confirmed duplicate is no record to flag a new one against: the record it repeats is.
            row["deleted"] = bool(row["deleted"]) or row.get("duplicate_state") == "confirmed"
            index_row(cache.index, entity, row)
            cache.seen[entity] = int(row["version"])
    return True


def warm(engine: Engine, stop: threading.Event | None = None) -> bool:
    """Build this process's index of `engine` now (a server's start-up, in the background): True when done.

    Holds the index's lock while reading, so a push in the meantime waits for the index instead of building
    a second one; `stop` (the server shutting down) ends the read early."""
    cache = _cache(engine)
    with cache.lock, engine.connect() as conn:
        return _refresh(conn, cache, stop)


class Warmup:
    """`warm` on a thread of its own, started with the server (its lifespan) and stopped with it: the server is
    ready at once, and the first push waits only for what is left of the read, if anything."""

    def __init__(self, engine: Engine) -> None:
        self.stopping = threading.Event()
        self.done = threading.Event()
        self.seconds: float | None = None
        self._engine = engine
        self._thread = threading.Thread(target=self._run, name="duplicate-index-warmup", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        started = time.perf_counter()
        try:
            finished = warm(self._engine, self.stopping)
        except Exception:  # the first push builds it instead
            log.exception("duplicate index warm-up failed")
            return
        finally:
            self.done.set()
        if finished:
            self.seconds = time.perf_counter() - started
            log.info("duplicate index ready", extra={"fields": {"seconds": round(self.seconds, 2)}})

    def stop(self, timeout: float = 10.0) -> None:
        self.stopping.set()
        self._thread.join(timeout)


def likely(engine: Engine, entity: str, records: Iterable[dict[str, Any]], limit: int = 3) -> dict[str, list[Hit]]:
    """The records of the province each of `records` (stored rows of `entity`) looks like, best first, by id: the
    push check's rule and index, for a page that shows a record beside its likely twins (the console's review)."""
    cache = _cache(engine)
    with cache.lock, engine.connect() as conn:
        _refresh(conn, cache)
        found = {}
        for row in records:
            row_id = str(row["id"])
            probe = probe_of(entity, row, patents=_child_codes(conn, entity, row_id), exclude_id=row_id)
            found[row_id] = cache.index.find(probe, limit=limit)
        return found


def _child_codes(conn: Connection, entity: str, row_id: str) -> list[str]:
    """The identifiers a record's children give it (an achievement's patent numbers)."""
    found: list[str] = []
    for child, (_kind, name) in CHILD_CODES.items():
        e = ENTITIES[child]
        if e.parent_field is None or e.parent_name({}) != entity:
            continue
        table = ENTITY_TABLES[child]
        found.extend(str(n) for n in conn.execute(select(table.c[name]).where(
            table.c[e.parent_field] == row_id, table.c.deleted.is_(False))).scalars() if n)
    return found


def _decided(conn: Connection, entity: str, row_id: str) -> set[str]:
    """Records this one was already flagged against (either way round), whatever was decided."""
    t = duplicate_flag.c
    found = conn.execute(select(t.row_id, t.other_id).where(
        t.entity == entity, (t.row_id == row_id) | (t.other_id == row_id))).all()
    return {other if mine == row_id else mine for mine, other in found}


def check_pushed(engine: Engine, username: str, created: Iterable[tuple[str, str]]) -> int:
    """Flag the likely duplicates of these (entity, id) rows just pushed; returns how many flags were added.

    A failure is logged and swallowed: the push it follows has committed, and a missed flag is not worth
    failing it.
    """
    wanted = sorted({(e, i) for e, i in created if e in CHECKED})
    if not wanted:
        return 0
    try:
        return _check(engine, username, wanted)
    except IntegrityError:  # another instance flagged the same pair at the same moment
        return 0
    except Exception:
        log.exception("duplicate check failed")
        return 0


def _check(engine: Engine, username: str, wanted: list[tuple[str, str]]) -> int:
    cache = _cache(engine)
    found: list[tuple[str, str, Hit, dict[str, Any]]] = []
    with cache.lock, engine.connect() as conn:
        _refresh(conn, cache)
        for entity, row_id in wanted:
            row = rows.load(conn, ENTITIES[entity], row_id)
            if row is None or row["deleted"]:
                continue
            patents = _child_codes(conn, entity, row_id)
            known = _decided(conn, entity, row_id)
            for hit in cache.index.find(probe_of(entity, row, patents=patents, exclude_id=row_id), limit=3):
                if hit.id not in known:
                    found.append((entity, row_id, hit, row))
    if not found:
        return 0
    now = utc_now()
    with engine.begin() as conn:
        version = versions.allocate(conn, len(found))  # the writers' lock before the first write
        marked: set[str] = set()
        for n, (entity, row_id, hit, row) in enumerate(found):
            conn.execute(insert(duplicate_flag).values(
                entity=entity, row_id=row_id, other_id=hit.id, reason=hit.reason, score=hit.score, status="open",
                flagged_by=username, flagged_at=now))
            if row_id not in marked and not row.get("duplicate_state"):
                marked.add(row_id)
                rows.update_row(conn, ENTITIES[entity], row_id,
                                {"duplicate_of": hit.id, "duplicate_state": "suspected"},
                                version=version + n, user=CHECKER, now=now)
    log.info("duplicates flagged", extra={"fields": {"flags": len(found), "by": username}})
    return len(found)


@dataclass(frozen=True)
class Flag:
    id: int
    entity: str
    row_id: str
    row_name: str
    other_id: str
    other_name: str
    reason: str
    score: float
    flagged_by: str | None
    flagged_at: str


def open_flags(conn: Connection, *, limit: int | None = None, flag_id: int | None = None,
               row_id: str | None = None) -> list[Flag]:
    """Flags waiting for a decision, oldest first, with both records' names (the first `limit`; only flag
    `flag_id`, or the flags of the pushed row `row_id`, when given)."""
    t = duplicate_flag.c
    query = select(duplicate_flag).where(t.status == "open").order_by(t.id).limit(limit)
    if flag_id is not None:
        query = query.where(t.id == flag_id)
    if row_id is not None:
        query = query.where(t.row_id == row_id)
    listed = []
    for flag in conn.execute(query).mappings():
        entity = ENTITIES[flag["entity"]]
        names = {r["id"]: r.get(NAME_FIELD[entity.name]) or "" for r in (
            rows.load(conn, entity, flag["row_id"]), rows.load(conn, entity, flag["other_id"])) if r}
        listed.append(Flag(flag["id"], entity.name, flag["row_id"], names.get(flag["row_id"], ""), flag["other_id"],
                           names.get(flag["other_id"], ""), flag["reason"], flag["score"], flag["flagged_by"],
                           flag["flagged_at"]))
    return listed


def count_open(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(duplicate_flag).where(
        duplicate_flag.c.status == "open")).scalar_one())


class FlagError(ValueError):
    pass


def decide(conn: Connection, flag_id: int, decision: str, *, by: str) -> Flag:
    """"keep" (both records stay, the row's duplicate fields are cleared) or "duplicate" (the row is a confirmed
    duplicate of the other: catalog lists leave it out). Returns the flag as it was listed."""
    if decision not in ("keep", "duplicate"):
        raise FlagError(f"unknown decision {decision!r}")
    flag = next(iter(open_flags(conn, flag_id=flag_id)), None) if 0 < flag_id < 2**31 else None
    if flag is None:
        raise FlagError(f"no open duplicate flag {flag_id}")
    entity = ENTITIES[flag.entity]
    now = utc_now()
    version = versions.allocate(conn)
    conn.execute(update(duplicate_flag).where(duplicate_flag.c.id == flag_id).values(
        status="kept" if decision == "keep" else "duplicate", decided_by=by, decided_at=now))
    row = rows.load(conn, entity, flag.row_id)
    if row is not None and not row["deleted"]:
        values: dict[str, Any] = {"duplicate_of": flag.other_id, "duplicate_state": "confirmed"}
        if decision == "keep":  # still suspected while another flag of the row waits
            waiting = next(iter(open_flags(conn, row_id=flag.row_id)), None)
            values = ({"duplicate_of": waiting.other_id, "duplicate_state": "suspected"} if waiting
                      else {"duplicate_of": None, "duplicate_state": None})
        if row.get("duplicate_state") != "confirmed" or decision == "duplicate":
            rows.update_row(conn, entity, flag.row_id, values, version=version, user=by, now=now)
    return flag
