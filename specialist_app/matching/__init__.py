"""Matching demands to achievements and experts (and achievements to demands) on the local store, with reasons."""
