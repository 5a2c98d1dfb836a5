"""How a first sync may bring the market's catalog: the choices of Settings and `sync --catalog`.

Kept apart from `snapshot` (which imports the store, the wire models and the HTTP client) so that reading the
preference at the app's start imports nothing else.
"""

# "auto" measures the link on the snapshot's first bytes and pulls pages instead when that is sooner done.
CATALOG_MODES = ("auto", "snapshot", "pages")
