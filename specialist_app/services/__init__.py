"""Services: the only code that commits; every call runs in a unit of work (no Qt)."""
