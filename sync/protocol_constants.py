"""The sync protocol's constants: version, headers, body limits, bucket names (no pydantic, unlike `protocol`).

What the app needs at start (bucket names, the protocol version for About) without building the wire models.
"""

from __future__ import annotations

PROTOCOL_VERSION = 1
# The oldest client protocol this code still serves; older clients are told to update.
MIN_PROTOCOL_VERSION = 1
PROTOCOL_HEADER = "X-Sync-Protocol"
CLIENT_VERSION_HEADER = "X-Client-Version"
MAX_PUSH_MUTATIONS = 500
MAX_PULL_LIMIT = 5000
# Request body caps (bytes), counted while the body streams in: a larger body is answered 413 body_too_large.
MAX_AUTH_BODY_BYTES = 4 * 1024
MAX_PUSH_BODY_BYTES = 4 * 1024 * 1024
MAX_PULL_BODY_BYTES = 1024 * 1024
MAX_BLOB_CHUNK_BYTES = 4 * 1024 * 1024  # one PATCH/PUT of attachment bytes; bigger files go in several chunks

# Versions, cursors and sequence numbers are stored as signed 64-bit integers: larger ones are refused (422).
MAX_WIRE_INT = 2**63 - 1

CATALOG_BUCKET = "catalog"
OWN_BUCKET = "own"
INSTITUTION_BUCKET_PREFIX = "inst:"
# A catalog snapshot's format names the client store schema and search index it was built with.
CATALOG_SNAPSHOT_FORMAT_PATTERN = r"^[a-z0-9][a-z0-9.-]{0,63}$"
# A home province (sync/digests.py): the 2-digit GB/T 2260 prefix, 22 for Jilin.
PROVINCE_PATTERN = r"^[1-9][0-9]$"


def institution_bucket(institution_id: str) -> str:
    return INSTITUTION_BUCKET_PREFIX + institution_id

