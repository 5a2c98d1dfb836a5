"""Record editors generated from the contract's field definitions (sync.entities)."""
