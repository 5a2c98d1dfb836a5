"""Sync wire messages (push, pull, conflicts), shared by client and server; see docs/sync-protocol.md."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from sync.merge import Outcome
from sync.protocol_constants import (
    CATALOG_BUCKET as CATALOG_BUCKET,
)
from sync.protocol_constants import (
    CATALOG_SNAPSHOT_FORMAT_PATTERN as CATALOG_SNAPSHOT_FORMAT_PATTERN,
)
from sync.protocol_constants import (
    CLIENT_VERSION_HEADER as CLIENT_VERSION_HEADER,
)
from sync.protocol_constants import (
    INSTITUTION_BUCKET_PREFIX as INSTITUTION_BUCKET_PREFIX,
)
from sync.protocol_constants import (
    MAX_AUTH_BODY_BYTES as MAX_AUTH_BODY_BYTES,
)
from sync.protocol_constants import (
    MAX_BLOB_CHUNK_BYTES as MAX_BLOB_CHUNK_BYTES,
)
from sync.protocol_constants import (
    MAX_PULL_BODY_BYTES as MAX_PULL_BODY_BYTES,
)
from sync.protocol_constants import (
    MAX_PULL_LIMIT as MAX_PULL_LIMIT,
)
from sync.protocol_constants import (
    MAX_PUSH_BODY_BYTES as MAX_PUSH_BODY_BYTES,
)
from sync.protocol_constants import (
    MAX_PUSH_MUTATIONS as MAX_PUSH_MUTATIONS,
)
from sync.protocol_constants import (
    MAX_WIRE_INT as MAX_WIRE_INT,
)
from sync.protocol_constants import (
    MIN_PROTOCOL_VERSION as MIN_PROTOCOL_VERSION,
)
from sync.protocol_constants import (
    OWN_BUCKET as OWN_BUCKET,
)
from sync.protocol_constants import (
    PROTOCOL_HEADER as PROTOCOL_HEADER,
)
from sync.protocol_constants import (  # re-exported: the server and older imports name them from here
    PROTOCOL_VERSION as PROTOCOL_VERSION,
)
from sync.protocol_constants import (
    PROVINCE_PATTERN as PROVINCE_PATTERN,
)
from sync.protocol_constants import (
    institution_bucket as institution_bucket,
)

WireCount = Annotated[int, Field(ge=0, le=MAX_WIRE_INT)]


class _Message(BaseModel):
    # Unknown keys are ignored so an older peer can read a newer message that only adds fields.
    model_config = ConfigDict(extra="ignore")


class Op(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"


class Mutation(_Message):
    """One field-level change from a device's outbox."""

    seq: int = Field(gt=0, lt=MAX_WIRE_INT, description="The device's rising sequence number")
    entity: str
    id: str
    op: Op
    fields: dict[str, Any] = Field(default_factory=dict, description="New values of the changed fields")
    base: dict[str, Any] = Field(
        default_factory=dict, description="Values the client started from (for delete: the whole row)"
    )
    base_version: int | None = Field(
        default=None, ge=0, le=MAX_WIRE_INT, description="Server version the edit started from")
    resolves: str | None = Field(default=None, description="Id of the conflict this change resolves")


class PushRequest(_Message):
    device_id: str
    mutations: list[Mutation] = Field(max_length=MAX_PUSH_MUTATIONS)


class ConflictInfo(_Message):
    id: str | None = None  # the server's conflict id for this field (send it back in Mutation.resolves)
    field: str
    base: Any = None
    theirs: Any = None
    mine: Any = None


class ProblemInfo(_Message):
    field: str
    code: str
    params: dict[str, Any] = Field(default_factory=dict)


class MutationResult(_Message):
    seq: int
    entity: str
    id: str
    outcome: Outcome
    version: int | None = None  # the row's server version after this mutation
    conflict_id: str | None = None
    conflicts: list[ConflictInfo] = Field(default_factory=list)
    reason: str | None = None  # machine code for a rejection: validation, permission, not_found, bad_entity
    problems: list[ProblemInfo] = Field(default_factory=list)
    message: str | None = None  # the reason in words (zh_CN), for logs and a user who cannot be shown more
    theirs_by: str | None = None  # who last wrote the server value (conflicts)
    theirs_at: str | None = None


class PushResponse(_Message):
    results: list[MutationResult]
    server_time: str


class RowChange(_Message):
    entity: str
    id: str
    version: int
    deleted: bool = False
    fields: dict[str, Any] = Field(default_factory=dict)
    masked: list[str] = Field(default_factory=list, description="Confidential fields left out of this copy")
    scope: str | None = Field(default=None, description="Id of the institution governing this row, if any")
    updated_at: str | None = None
    updated_by: str | None = None


class PullRequest(_Message):
    device_id: str
    cursors: dict[str, WireCount] = Field(default_factory=dict, description="bucket -> last version applied")
    limit: int = Field(default=1000, gt=0, le=MAX_PULL_LIMIT)
    view: Literal["user", "public"] = Field(
        default="user",
        description="public (administrators only): the catalog bucket as a user with no institutions and no rows"
        " of their own sees it, for building a catalog snapshot",
    )
    skip: list[str] = Field(
        default_factory=list, max_length=16,
        description="Buckets not to page this time (their cursors come back unchanged): a first sync pulls its"
        " institutions before the catalog with [\"catalog\"]. An older server ignores it and pages every bucket",
    )
    count_total: bool = Field(
        default=False,
        description="Ask for `total` in the answer (a client asks on the first page of a run, to show done / total"
        " and time left). An older server ignores it and answers without",
    )
    digests: bool = Field(
        default=False,
        description="The client takes catalog rows governed outside the user's home province as digests"
        " (POST /sync/digests): the catalog bucket then leaves them out. Without a home province nothing changes",
    )
    province: str | None = Field(
        default=None, pattern=PROVINCE_PATTERN,
        description="With view public (administrators only): the catalog bucket as a specialist of this home"
        " province with no institutions pulls it with `digests`, for building a province's digest snapshot",
    )


class PullResponse(_Message):
    changes: list[RowChange]
    cursors: dict[str, int]  # bucket -> version to send next time, for every bucket in this page
    buckets: list[str]  # every bucket the user may pull now; a local bucket not listed was unassigned
    has_more: bool
    server_time: str
    total: int | None = None  # asked by count_total: rows above the request's cursors in the buckets paged now,
    # this page's included (an estimate: rows written meanwhile come on top); None when not asked, or an older server


class DigestRequest(_Message):
    """POST /sync/digests: the next page of digests above the client's own digest cursor."""

    device_id: str
    cursor: WireCount = 0
    limit: int = Field(default=2000, gt=0, le=MAX_PULL_LIMIT)
    province: str | None = Field(
        default=None, pattern=PROVINCE_PATTERN,
        description="Administrators only: the feed of a specialist of this home province with no institutions and"
        " no rows of their own (confidential fields left out of every digest), for a province's digest snapshot",
    )


class Digest(_Message):
    """The short part of an out-of-province catalog row (sync.digests.DIGEST_FIELDS); a tombstone when `deleted`."""

    entity: str
    id: str
    version: int
    deleted: bool = False
    fields: dict[str, Any] = Field(default_factory=dict)
    province: str | None = None  # the governing institution's 2-digit province prefix
    institution_name: str | None = None  # the governing institution's name (an institution: its own)
    org_type: str | None = None  # the governing institution's type
    updated_at: str | None = None


class DigestResponse(_Message):
    digests: list[Digest]
    cursor: int  # send it next time; it may pass the last digest's version (rows between were not digests)
    has_more: bool
    home_province: str | None  # None: this user has no home province (no digests; the catalog comes in full)
    server_time: str


class CatalogRecord(_Message):
    """GET /catalog/{entity}/{id}: one catalog row in full as its reader may see it (confidential fields left
    out of others' rows), with its catalog children (an achievement's IP items)."""

    row: RowChange
    children: list[RowChange] = Field(default_factory=list)


class ServerConflict(_Message):
    """A conflict as the server keeps it and lists it."""

    id: str
    entity: str
    row_id: str
    field: str
    base: Any = None
    theirs: Any = None
    mine: Any = None
    theirs_by: str | None = None
    theirs_at: str | None = None
    mine_by: str
    mine_at: str
    resolved: bool = False


class LoginRequest(_Message):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1024)
    device_id: str = Field(min_length=1, max_length=64, description="Stable id of this installation")
    device_name: str | None = Field(default=None, max_length=100)


class RefreshRequest(_Message):
    refresh_token: str = Field(min_length=1, max_length=200)
    # The device the token was issued to; a token of another device is refused (two data folders, one user).
    device_id: str | None = Field(default=None, min_length=1, max_length=64)


class UserInfo(_Message):
    username: str
    display_name: str | None = None
    role: str  # specialist | admin
    institutions: list[str] = Field(default_factory=list, description="Ids of the institutions assigned")
    home_province: str | None = Field(
        default=None, description="2-digit region prefix of the province this user's catalog holds in full; the"
        " rest of the nation comes as digests (None: the whole catalog in full)")


class TokenResponse(_Message):
    """Answer to login and refresh: a short-lived access token; login also hands out the refresh token."""

    access_token: str
    token_type: str = "Bearer"
    expires_in: int  # seconds
    refresh_token: str | None = None  # a new one from every login and refresh; keep it in the OS keyring
    user: UserInfo


class BlobStatus(_Message):
    """Answer to blob upload steps: how many bytes the server holds and whether the file is complete."""

    sha256: str
    received: int
    complete: bool


class CatalogSnapshotInfo(_Message):
    """A published catalog snapshot: an opaque gzip file of the client's store, built from the public view."""

    format: str  # the client store format it was built with; a client takes only its own format
    cursor: int  # the catalog cursor the snapshot holds every change up to
    sha256: str
    size: int  # bytes of the file as stored and served
    created_at: str
    created_by: str  # the administrator who published it
    # A digest snapshot: that home province's catalog in full and the rest of the nation as digests (left out of
    # the answer when None, so a snapshot without a province is answered exactly as before).
    province: str | None = None


class ErrorBody(_Message):
    """Every 4xx/5xx body: a machine code and a message a user can read."""

    code: str
    message: str
    message_en: str | None = None
    details: dict[str, Any] | list[Any] | None = None
