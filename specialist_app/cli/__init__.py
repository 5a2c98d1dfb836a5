"""The specialist-app command line: import, export, template and status (sync commands join later)."""
