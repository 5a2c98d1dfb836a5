"""The client's sync engine (no Qt): transport, push, pull, conflict resolution and status."""
