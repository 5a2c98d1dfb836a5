"""Push: apply a device's mutations exactly once, in chunks of one transaction each, with three-way merge."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine, insert, select, update
from sqlalchemy.exc import IntegrityError

from market_server import blob_access, duplicates, push_scopes, rows, versions
from market_server.accounts import User
from market_server.push_refs import check_refs
from market_server.push_tx import ChunkTx, Rejected, looks_like_uuid
from market_server.scope import UserScope, load_scope
from market_server.tables import SECOND_SCOPE, device_progress, mutation_result, sync_conflict
from sync.duplicates.records import CHILD_CODES, child_parent
from sync.entities import ATTACHMENT_MAX_BYTES, ATTACHMENT_MIME_TYPES, ENTITIES, Entity, Writes
from sync.file_types import file_fits, name_refusal
from sync.ids import uuid7
from sync.merge import DELETED, FieldConflict, MergeResult, Outcome, merge_delete, merge_update
from sync.messages import Problem, render
from sync.permissions import Refusal, refusal_problem
from sync.protocol import ConflictInfo, Mutation, MutationResult, Op, ProblemInfo, PushRequest
from sync.validation import clean, merge_and_check, validate

log = logging.getLogger("market_server.push")
CHUNK = 250  # mutations per transaction

# Reference fields that cannot change after creation (moving a visit or a child would strand copies).
# An attachment's bytes never change (a new file is a new attachment): the file it names is fixed with its row.
_FIXED_REFS = {"visit": ("institution_id",), "attachment": ("owner_entity", "sha256")}


@dataclass
class _Write:
    """What applying one mutation produced, before it is stored as the answer."""

    outcome: Outcome
    version: int | None
    conflicts: list[ConflictInfo] = field(default_factory=list)
    theirs_by: str | None = None
    theirs_at: str | None = None


def push(engine: Engine, user: User, request: PushRequest) -> list[MutationResult]:
    last_seq, scope = _start(engine, user, request.device_id)
    done = [m for m in request.mutations if m.seq <= last_seq]  # applied before: answered from the store
    fresh = [m for m in request.mutations if m.seq > last_seq]  # seq rises within a batch (checked by the route)
    answers = _stored_answers(engine, user.id, request.device_id, done)
    for start in range(0, len(fresh), CHUNK):
        chunk = fresh[start:start + CHUNK]
        try:
            answers.update((r.seq, r) for r in _apply_chunk(engine, scope, request.device_id, chunk))
        except IntegrityError:
            # The same mutations arrived twice at once (a retry racing the original): the first answers win.
            answers.update(_stored_answers(engine, user.id, request.device_id, chunk))
        except Exception:
            log.exception("chunk failed; applying its mutations one by one")
            for mutation in chunk:
                answers[mutation.seq] = _apply_alone(engine, scope, request.device_id, mutation)
    duplicates.check_pushed(engine, user.username, _created(fresh, answers))
    return [answers[m.seq] for m in request.mutations]


def _created(mutations: list[Mutation], answers: dict[int, MutationResult]) -> list[tuple[str, str]]:
    """The records these mutations created, and the achievements whose IP items they created (a patent number)."""
    made = []
    for m in mutations:
        if m.op is Op.CREATE and answers[m.seq].outcome in (Outcome.APPLIED, Outcome.MERGED):
            parent = child_parent(m.entity, m.fields) if m.entity in CHILD_CODES else None
            made.append(parent or (m.entity, m.id.strip().lower()))
    return made


def _start(engine: Engine, user: User, device_id: str) -> tuple[int, UserScope]:
    """The device's last applied seq and the user's scope. Two first pushes of one device at once both find no
    progress row and both add one: the second insert fails, and the row the first added is read instead."""
    try:
        with engine.begin() as conn:
            return _progress(conn, user.id, device_id), load_scope(conn, user)
    except IntegrityError:
        with engine.begin() as conn:
            return _progress(conn, user.id, device_id), load_scope(conn, user)


def _progress(conn: Connection, user_id: int, device_id: str) -> int:
    key = (device_progress.c.user_id == user_id, device_progress.c.device_id == device_id)
    found = conn.execute(select(device_progress.c.last_seq).where(*key)).scalar()
    if found is None:
        conn.execute(insert(device_progress).values(user_id=user_id, device_id=device_id, last_seq=0))
        return 0
    return int(found)


def _stored_answers(
    engine: Engine, user_id: int, device_id: str, mutations: list[Mutation]
) -> dict[int, MutationResult]:
    """The answers stored when these mutations were applied, by seq."""
    if not mutations:
        return {}
    with engine.connect() as conn:
        stored = dict(conn.execute(select(mutation_result.c.seq, mutation_result.c.result).where(
            mutation_result.c.user_id == user_id,
            mutation_result.c.device_id == device_id,
            mutation_result.c.seq.in_([m.seq for m in mutations]),
        )).all())
    # None stored: applied long ago and its answer pruned, or a sequence number the device skipped: nothing to redo.
    return {m.seq: MutationResult.model_validate_json(stored[m.seq]) if m.seq in stored else MutationResult(
        seq=m.seq, entity=m.entity, id=m.id, outcome=Outcome.APPLIED) for m in mutations}


def _apply_chunk(engine: Engine, scope: UserScope, device_id: str, chunk: list[Mutation]) -> list[MutationResult]:
    """Apply mutations in one transaction that also stores their answers and the device's last seq.

    Either all of the chunk (rows, answers, progress) commits or none of it, so a retry after a lost
    answer finds each mutation either fully applied (and answered from the store) or not at all.
    """
    with engine.begin() as conn:
        tx = ChunkTx(conn, len(chunk))
        tx.prefetch(chunk)
        results = [_answer(tx, scope, mutation) for mutation in chunk]
        tx.flush()
        _record(conn, scope.user.id, device_id, results)
    return results


def _apply_alone(engine: Engine, scope: UserScope, device_id: str, mutation: Mutation) -> MutationResult:
    """Fallback after an unexpected error in a chunk: this mutation alone, rejected if it fails again."""
    try:
        return _apply_chunk(engine, scope, device_id, [mutation])[0]
    except IntegrityError:
        return _stored_answers(engine, scope.user.id, device_id, [mutation])[mutation.seq]
    except Exception:
        log.exception("mutation failed", extra={"fields": {"seq": mutation.seq, "entity": mutation.entity}})
        result = MutationResult(seq=mutation.seq, entity=mutation.entity, id=mutation.id, outcome=Outcome.REJECTED,
                                reason="server_error", message="服务器处理该修改时出错，请稍后重新提交")
        with engine.begin() as conn:
            _record(conn, scope.user.id, device_id, [result])
        return result


def _record(conn: Connection, user_id: int, device_id: str, results: list[MutationResult]) -> None:
    conn.execute(insert(mutation_result), [
        {"user_id": user_id, "device_id": device_id, "seq": r.seq, "result": r.model_dump_json()} for r in results
    ])
    conn.execute(update(device_progress).where(
        device_progress.c.user_id == user_id, device_progress.c.device_id == device_id,
        device_progress.c.last_seq < results[-1].seq,
    ).values(last_seq=results[-1].seq))


def _answer(tx: ChunkTx, scope: UserScope, mutation: Mutation) -> MutationResult:
    base: dict[str, Any] = {"seq": mutation.seq, "entity": mutation.entity, "id": mutation.id}
    try:
        write = _apply(tx, scope, mutation)
    except Rejected as rejected:
        log.info("mutation rejected", extra={"fields": {**base, "reason": rejected.reason}})
        return MutationResult(
            **base, outcome=Outcome.REJECTED, reason=rejected.reason, message=rejected.message,
            problems=[ProblemInfo(**p.as_dict()) for p in rejected.problems],
        )
    if mutation.resolves and write.outcome is not Outcome.CONFLICT:
        tx.conn.execute(update(sync_conflict).where(
            sync_conflict.c.id == mutation.resolves, sync_conflict.c.mine_by == scope.username,
        ).values(resolved=True, resolved_at=tx.now))
    return MutationResult(
        **base, outcome=write.outcome, version=write.version, conflicts=write.conflicts,
        conflict_id=write.conflicts[0].id if write.conflicts else None,
        theirs_by=write.theirs_by, theirs_at=write.theirs_at,
    )


def _apply(tx: ChunkTx, scope: UserScope, mutation: Mutation) -> _Write:
    entity = ENTITIES.get(mutation.entity)
    if entity is None:
        raise Rejected("bad_entity", message=render("unknown_entity", name=mutation.entity))
    row_id = mutation.id.strip().lower()
    if not looks_like_uuid(row_id):
        raise Rejected("validation", [Problem("id", "bad_id", {"label": "id"})])
    current = tx.load(entity, row_id)
    if current is None:
        if mutation.op is Op.DELETE:
            return _Write(Outcome.APPLIED, None)
        if mutation.op is Op.UPDATE:
            raise Rejected("not_found", message=render("not_found"))
        return _create(tx, scope, entity, row_id, mutation.fields)
    try:
        if mutation.op is Op.DELETE:
            return _delete(tx, scope, entity, row_id, current, mutation)
        # An update, or a create of an id the server already has (a re-sent create): merge into the row.
        base = mutation.base if mutation.op is Op.UPDATE else {}
        restore = bool(current["deleted"]) and _resolves_deletion(tx.conn, scope, mutation.resolves, entity, row_id)
        return _update(tx, scope, entity, row_id, current, mutation.fields, base, restore=restore)
    finally:
        tx.wrote_existing()


def _resolves_deletion(
    conn: Connection, scope: UserScope, conflict_id: str | None, entity: Entity, row_id: str
) -> bool:
    """True when the change resolves this user's open edit-versus-delete conflict on this very row."""
    if not conflict_id:
        return False
    found = conn.execute(select(sync_conflict.c.id).where(
        sync_conflict.c.id == conflict_id, sync_conflict.c.mine_by == scope.username,
        sync_conflict.c.entity == entity.name, sync_conflict.c.row_id == row_id,
        sync_conflict.c.field == DELETED, sync_conflict.c.resolved.is_(False),
    )).first()
    return found is not None


def _client_fields(scope: UserScope, entity: Entity, fields: dict[str, Any]) -> dict[str, Any]:
    """The fields a client may set: server-managed ones are dropped (admins may set an institution's status), and
    so is a value only administrators set (an achievement approved or returned) from anyone else."""
    out = {}
    for name, value in fields.items():
        admin_status = scope.is_admin and entity.writes is Writes.PROPOSAL and name == "status"  # the review
        if entity.has(name) and entity.field(name).server_managed and not admin_status:
            continue
        if entity.has(name) and value in entity.field(name).admin_values and not scope.is_admin:
            continue
        out[name] = value
    return out


def _create(tx: ChunkTx, scope: UserScope, entity: Entity, row_id: str, fields: dict[str, Any]) -> _Write:
    values, problems = validate(entity, _client_fields(scope, entity, fields))
    if problems:
        raise Rejected("validation", problems)
    scope_id = tx.scope_of(entity, row_id, values)
    second = tx.second_scope_of(entity, values)
    if (refusal := scope.write_refusal(entity, scope_id, None, second)) is not None:
        raise _refused(refusal)
    _check_attachment(tx, entity, values)
    check_refs(tx, scope, entity, values)
    if entity.stamps_collector:
        values["collected_by"] = scope.username
    if entity.writes is Writes.PROPOSAL:
        if scope.is_admin:
            values["status"] = values.get("status") or "active"
        else:
            values["status"], values["proposed_by"] = "pending", scope.username
            scope.proposed[row_id] = "pending"
    written = tx.version.next()
    tx.insert(entity, row_id, values, version=written, scope_id=scope_id, user=scope.username,
              second_scope_id=second)
    return _Write(Outcome.APPLIED, written)


def _refused(refusal: Refusal) -> Rejected:
    return Rejected("permission", [refusal_problem(refusal)])


def _check_attachment(tx: ChunkTx, entity: Entity, values: dict[str, Any]) -> None:
    """Type on the allow-list, no program's extension in the name, and (bytes already here) the type they are."""
    if not entity.holds_file:
        return
    problems = []
    filename = str(values.get("filename") or "")
    if (bad_name := name_refusal(filename)) is not None:
        problems.append(Problem("filename", "blob_name_not_allowed", {"filename": filename, "ext": bad_name}))
    mime = values.get("mime_type")
    if mime not in ATTACHMENT_MIME_TYPES:
        problems.append(Problem("mime_type", "blob_type_not_allowed"))
    elif (known := _bytes_type(tx, str(values.get("sha256") or ""))) is not None and not file_fits(mime, known):
        problems.append(Problem("mime_type", "blob_type_mismatch", {"mime_type": mime}))
    if (values.get("size") or 0) > ATTACHMENT_MAX_BYTES:
        problems.append(Problem("size", "blob_too_large", {"max_mb": ATTACHMENT_MAX_BYTES // (1024 * 1024)}))
    sha = str(values.get("sha256") or "")
    if len(sha) != 64 or any(c not in "0123456789abcdef" for c in sha):
        problems.append(Problem("sha256", "bad_request", {"detail": "sha256 must be 64 lowercase hex digits"}))
    if problems:
        raise Rejected("validation", problems)


def _bytes_type(tx: ChunkTx, sha: str) -> str | None:
    """The type the server found the bytes to be, when someone uploaded them already (None: not known yet)."""
    found = {t for t in blob_access.holders(tx.conn, sha).values() if t != blob_access.UNKNOWN}
    return found.pop() if found else None


def _update(
    tx: ChunkTx, scope: UserScope, entity: Entity, row_id: str, current: dict[str, Any],
    fields: dict[str, Any], base: dict[str, Any], *, restore: bool = False,
) -> _Write:
    theirs = rows.field_values(entity, current)
    who = {"theirs_by": current["updated_by"], "theirs_at": current["updated_at"]}
    if (refusal := scope.write_refusal(entity, current["scope_id"], theirs, current.get(SECOND_SCOPE))) is not None:
        raise _refused(refusal)
    values, problems = clean(entity, _client_fields(scope, entity, fields))
    if problems:
        raise Rejected("validation", problems)
    for name in (*_FIXED_REFS.get(entity.name, ()), *((entity.parent_field,) if entity.parent_field else ())):
        if name in values and values[name] != theirs.get(name):
            label = entity.field(name).label
            raise Rejected("validation", [Problem(name, "parent_not_changeable", {"label": label})])
    for name in (entity.second_institution_path or ())[:1]:  # set once: the row must not leave a bucket
        if name in values and theirs.get(name) and values[name] != theirs.get(name):
            label = entity.field(name).label
            raise Rejected("validation", [Problem(name, "parent_not_changeable", {"label": label})])
    if current["deleted"] and restore:
        return _restore(tx, scope, entity, row_id, current, values)
    if current["deleted"]:
        # Editing a row someone deleted: kept as a conflict so the user decides (restore or drop the edit).
        return _conflicts(tx, scope, entity, row_id, [FieldConflict(DELETED, False, True, values)], who)
    merge: MergeResult = merge_update(theirs, base, values)
    _, problems = merge_and_check(entity, theirs, merge.to_apply)
    if problems:
        raise Rejected("validation", problems)
    if merge.to_apply:
        _check_attachment(tx, entity, {**theirs, **merge.to_apply})
        check_refs(tx, scope, entity, merge.to_apply, theirs)
    written: int | None = int(current["version"])
    if merge.to_apply:
        new_scope = tx.scope_of(entity, row_id, {**theirs, **merge.to_apply})
        second = push_scopes.second_scope(tx, entity, current, merge.to_apply)
        moved = new_scope != current["scope_id"] or second != current.get(SECOND_SCOPE)
        if moved and (refusal := scope.write_refusal(entity, new_scope, theirs, second)) is not None:
            raise _refused(refusal)
        if new_scope != current["scope_id"]:
            push_scopes.rescope_children(tx, entity, row_id, new_scope)
        written = tx.version.next()
        rows.update_row(tx.conn, entity, row_id, merge.to_apply, version=written, user=scope.username,
                        now=tx.now, scope_id=new_scope, **push_scopes.second_column(entity, second))
        if push_scopes.changes_province(entity, theirs, merge.to_apply):
            # Its rows leave one province's catalog for the digest feeds and enter another's: every one is sent
            # again (sync-protocol.md, "Digests"), at versions of this transaction's block.
            tx.wrote_others()
            versions.bump_scope(tx.conn, row_id, tx.version.next)
            bumped = rows.load(tx.conn, entity, row_id)
            written = int(bumped["version"]) if bumped is not None else written
    if merge.conflicts:
        result = _conflicts(tx, scope, entity, row_id, merge.conflicts, who)
        result.version = written
        return result
    return _Write(merge.outcome, written)


def _restore(
    tx: ChunkTx, scope: UserScope, entity: Entity, row_id: str, current: dict[str, Any], values: dict[str, Any],
) -> _Write:
    """"Keep mine" on a row someone deleted: it comes back, with the user's values over its last stored ones."""
    theirs = rows.field_values(entity, current)
    _, problems = merge_and_check(entity, theirs, values)
    if problems:
        raise Rejected("validation", problems)
    record = {**theirs, **values}
    scope_id = tx.scope_of(entity, row_id, record)
    second = push_scopes.second_scope(tx, entity, current, values)
    if (refusal := scope.write_refusal(entity, scope_id, theirs, second)) is not None:
        raise _refused(refusal)
    written = tx.version.next()
    rows.update_row(tx.conn, entity, row_id, values, version=written, user=scope.username, now=tx.now,
                    deleted=False, scope_id=scope_id, **push_scopes.second_column(entity, second))
    return _Write(Outcome.APPLIED, written)


def _delete(
    tx: ChunkTx, scope: UserScope, entity: Entity, row_id: str, current: dict[str, Any], mutation: Mutation,
) -> _Write:
    if current["deleted"]:
        return _Write(Outcome.APPLIED, int(current["version"]))
    theirs = rows.field_values(entity, current)
    if (refusal := scope.write_refusal(entity, current["scope_id"], theirs, current.get(SECOND_SCOPE))) is not None:
        raise _refused(refusal)
    known = [f.name for f in entity.fields if f.name in mutation.base and not f.server_managed]
    merge = merge_delete(theirs, mutation.base, known)
    who = {"theirs_by": current["updated_by"], "theirs_at": current["updated_at"]}
    if merge.conflicts:
        return _conflicts(tx, scope, entity, row_id, merge.conflicts, who)
    written = tx.version.next()
    rows.update_row(tx.conn, entity, row_id, {}, version=written, user=scope.username, now=tx.now, deleted=True)
    return _Write(Outcome.APPLIED, written)


def _conflicts(
    tx: ChunkTx, scope: UserScope, entity: Entity, row_id: str, conflicts: list[FieldConflict], who: dict[str, Any],
) -> _Write:
    now = tx.now
    infos = []
    for c in conflicts:
        conflict_id = uuid7()
        tx.conn.execute(insert(sync_conflict).values(
            id=conflict_id, entity=entity.name, row_id=row_id, field=c.field,
            base=_jsonable(c.base), theirs=_jsonable(c.theirs), mine=_jsonable(c.mine),
            theirs_by=who["theirs_by"], theirs_at=who["theirs_at"], mine_by=scope.username, mine_at=now,
            resolved=False,
        ))
        infos.append(ConflictInfo(id=conflict_id, field=c.field, base=c.base, theirs=c.theirs, mine=c.mine))
    return _Write(Outcome.CONFLICT, None, infos, who["theirs_by"], who["theirs_at"])


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))
