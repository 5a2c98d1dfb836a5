"""Spreadsheet import and export of records: templates, readers, writers and the import report."""
