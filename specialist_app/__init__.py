"""specialist-app: the offline desktop client for technology-market specialists."""

__version__ = "0.1.0"
