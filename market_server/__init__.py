"""The central market server: accounts, the province catalog, and the sync endpoints."""
