"""The specialist-app command line: import, export, templates, records, status, sign-in, sync and attachments."""
