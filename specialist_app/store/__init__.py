"""The local SQLite store: tables, opening and migrating the file, and the outbox (no Qt)."""
