"""The client-server contract: entity schemas, code tables, validation, sync messages and merge rules (no Qt)."""
