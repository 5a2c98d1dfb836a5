"""Likely duplicates of a record being entered: normalised keys, scoring and an in-memory index, shared by both ends."""

from sync.duplicates.index import DuplicateIndex, Hit, Probe
from sync.duplicates.normalise import code_key, company_key, fold, name_key, patent_key
from sync.duplicates.records import CHECKED, INDEXED, columns_read, index_row, probe_of, put_row
from sync.duplicates.score import is_duplicate, similarity

__all__ = [
    "CHECKED",
    "INDEXED",
    "DuplicateIndex",
    "Hit",
    "Probe",
    "code_key",
    "columns_read",
    "company_key",
    "fold",
    "index_row",
    "is_duplicate",
    "name_key",
    "patent_key",
    "probe_of",
    "put_row",
    "similarity",
]
