"""Chroma holds the chunks and their vectors: embedded on disk by default, or a server by URL.

We always pass embeddings ourselves: Chroma's default embedding function would download a model.
"""

from __future__ import annotations

import logging
import shutil
import threading
from pathlib import Path
from urllib.parse import urlparse

import chromadb
import numpy as np
from chromadb.config import Settings as ChromaSettings

from ingest.chunk import Chunk

log = logging.getLogger(__name__)
_clients: dict[str, chromadb.api.ClientAPI] = {}
_clients_lock = threading.Lock()
# Chroma allows one client per path per process; the app, CLI and tests share these.
BATCH = 128
# What Chroma says when its SQLite file is no database any more (overwritten, truncated, half-copied). A
# local store is derived from the report, so it is rebuilt; a locked or unreadable file is no damage and is
# never touched.
DAMAGE_SIGNS = ("file is not a database", "database disk image is malformed", "no such table")


class StoreError(RuntimeError):
    """The vector store cannot be reached or opened; the message says where and why."""


def chroma_client(index_dir: Path, chroma_url: str = "") -> chromadb.api.ClientAPI:
    key = chroma_url or str(local_store_path(index_dir))
    with _clients_lock:
        if key not in _clients:
            settings = ChromaSettings(anonymized_telemetry=False)
            try:
                if chroma_url:
                    url = urlparse(chroma_url if "://" in chroma_url else f"http://{chroma_url}")
                    _clients[key] = chromadb.HttpClient(
                        host=url.hostname or "127.0.0.1", port=url.port or 8000, ssl=url.scheme == "https", settings=settings
                    )
                else:
                    Path(key).mkdir(parents=True, exist_ok=True)
                    _clients[key] = chromadb.PersistentClient(path=key, settings=settings)
            except Exception as error:  # chromadb raises plain Exceptions for unreachable servers
                raise StoreError(f"cannot open the Chroma store at {chroma_url or key}: {error}") from error
        return _clients[key]


def local_store_path(index_dir: Path) -> Path:
    return Path(index_dir).resolve() / "chroma"


def _forget_client(path: Path) -> None:
    """Drop the cached client of a local store, and Chroma's own per-path system, so the path can be opened anew."""
    from chromadb.api.shared_system_client import SharedSystemClient

    with _clients_lock:
        _clients.pop(str(path), None)
        # Chroma keeps one system per path even when opening it failed; the next client would get the broken one.
        SharedSystemClient._identifier_to_system.pop(str(path), None)


def open_client(index_dir: Path, chroma_url: str) -> chromadb.api.ClientAPI:
    """The store's client; a damaged local store is set aside as chroma.damaged and a fresh one created in its
    place (the caller syncs it from the report). A server's store is never touched: its errors are the operator's."""
    try:
        return chroma_client(index_dir, chroma_url)
    except StoreError as error:
        if chroma_url or not any(sign in str(error) for sign in DAMAGE_SIGNS):
            raise
        path = local_store_path(index_dir)
        aside = path.with_name("chroma.damaged")
        log.warning("the Chroma store at %s is damaged (%s): set aside as %s, rebuilding from the report", path, error, aside)
        _forget_client(path)
        shutil.rmtree(aside, ignore_errors=True)
        path.rename(aside)
        return chroma_client(index_dir)


def _metadata(chunk: Chunk) -> dict:
    return {
        "doc_id": chunk.doc_id,
        "context": chunk.context,
        "section": chunk.section,
        "page": chunk.page,
        "year": chunk.year,
        "order": chunk.order,
    }


def _chunk(chunk_id: str, text: str, metadata: dict) -> Chunk:
    return Chunk(
        chunk_id=chunk_id,
        doc_id=metadata["doc_id"],
        text=text,
        context=metadata["context"],
        section=metadata["section"],
        page=int(metadata["page"]),
        year=int(metadata["year"]),
        order=int(metadata["order"]),
    )


class VectorStore:
    """One Chroma collection of chunks and their vectors."""

    def __init__(self, client: chromadb.api.ClientAPI, collection: str):
        self.name = collection
        try:
            self._collection = client.get_or_create_collection(
                collection, metadata={"hnsw:space": "cosine"}, embedding_function=None
            )
        except Exception as error:
            raise StoreError(f"cannot open the Chroma collection {collection!r}: {error}") from error

    def count(self) -> int:
        return self._collection.count()

    def add(self, chunks: list[Chunk], embeddings: np.ndarray) -> None:
        for start in range(0, len(chunks), BATCH):
            batch = chunks[start : start + BATCH]
            self._collection.upsert(
                ids=[c.chunk_id for c in batch],
                documents=[c.text for c in batch],
                metadatas=[_metadata(c) for c in batch],
                embeddings=embeddings[start : start + BATCH].tolist(),
            )

    def embeddings_of(self, chunk_ids: list[str]) -> dict[str, np.ndarray]:
        """The stored vectors of these chunks (those the collection holds), to copy instead of embedding again."""
        found: dict[str, np.ndarray] = {}
        for start in range(0, len(chunk_ids), BATCH):
            got = self._collection.get(ids=chunk_ids[start : start + BATCH], include=["embeddings"])
            found.update(zip(got["ids"], (np.asarray(e, dtype=np.float32) for e in got["embeddings"])))
        return found

    def all_chunks(self) -> list[Chunk]:
        got = self._collection.get(include=["documents", "metadatas"])
        chunks = [_chunk(i, d, m) for i, d, m in zip(got["ids"], got["documents"], got["metadatas"])]
        return sorted(chunks, key=lambda c: (c.doc_id, c.order))

    def nearest(self, query_embedding: np.ndarray, n: int) -> list[tuple[str, float]]:
        """The `n` nearest chunk ids with their cosine similarity; StoreError when the store cannot be reached.
        Chroma gives fewer when the collection holds fewer (tests/rag/store/test_index.py), so its size is not
        asked first: that was a second read on every question."""
        if n == 0:
            return []
        try:
            got = self._collection.query(query_embeddings=[query_embedding.tolist()], n_results=n, include=["distances"])
        except Exception as error:  # a server that stopped raises plain Exceptions (connection errors)
            raise StoreError(f"the Chroma store cannot be searched: {' '.join(str(error).split())[:200]}") from error
        return [(i, 1.0 - d) for i, d in zip(got["ids"][0], got["distances"][0])]
