"""Dialogs of the desktop app: conflicts, rejected change, settings, about."""
