"""Where the chunks live: Chroma (vectors), bm25s (keywords) and the Index that keeps both in step with the report."""
