"""Reading record spreadsheets (the import templates) into validated-ready rows; shared by client and server."""
