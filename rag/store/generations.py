"""Generations of the index in one Chroma store: every ingest writes a whole new collection, then flips a pointer.

A reader (an app replica, `reportqa ask`) follows the pointer, so it sees the old chunk set or the new one,
never a mix: an ingest killed at any moment (SIGKILL included) leaves the pointer on the old generation,
and the half-written one is deleted by the next ingest. The generation before the current one is kept, so a
replica still answering from it keeps working until it notices the flip (Index.follow).

    reportqa            the legacy collection, from before generations (read until the first new ingest)
    reportqa--<hash>    a generation: the chunks of one content version (rag.store.index.content_version)
    reportqa--pointer   one record: which generation is current, its version and the one before it
"""

from __future__ import annotations

from dataclasses import dataclass

import chromadb

from rag.store.chroma import StoreError, VectorStore

POINTER_ID = "current"
# How much of the content version names a generation's collection: unique enough, short enough to read.
NAME_CHARS = 16


@dataclass(frozen=True)
class Pointer:
    collection: str  # the current generation
    version: str  # its content version
    previous: str  # the generation before it, kept for replicas that have not flipped yet ("" when none)
    model: str  # the embedder that wrote its vectors (Embedder.identity; "" from before it was recorded)


class Generations:
    """The generations of one collection name in one Chroma store."""

    def __init__(self, client: chromadb.api.ClientAPI, collection: str):
        self.client = client
        self.collection = collection
        self.pointer_name = f"{collection}--pointer"
        try:
            self._pointer = client.get_or_create_collection(self.pointer_name, embedding_function=None)
        except Exception as error:
            raise StoreError(f"cannot open the Chroma collection {self.pointer_name!r}: {error}") from error

    def generation_name(self, version: str) -> str:
        return f"{self.collection}--{version[:NAME_CHARS]}"

    def current(self) -> Pointer | None:
        """Where readers look now; None before the first ingest (or when only a legacy collection exists)."""
        try:
            got = self._pointer.get(ids=[POINTER_ID], include=["metadatas"])
        except Exception as error:  # a server that stopped raises plain Exceptions
            raise StoreError(f"the Chroma store cannot be reached: {' '.join(str(error).split())[:200]}") from error
        if not got["ids"]:
            return None
        metadata = got["metadatas"][0]
        return Pointer(metadata["collection"], metadata["version"], metadata.get("previous", ""), metadata.get("model", ""))

    def existing(self) -> set[str]:
        return {c if isinstance(c, str) else c.name for c in self.client.list_collections()}

    def open_current(self) -> VectorStore | None:
        return self.open(self.current())

    def open(self, pointer: Pointer | None) -> VectorStore | None:
        """The generation `pointer` names (a pointer already read, so its version and the store agree), or the
        legacy collection while no generation has been written, or None."""
        if pointer is not None:
            return VectorStore(self.client, pointer.collection)
        if self.collection in self.existing():
            return VectorStore(self.client, self.collection)
        return None

    def fresh(self, version: str) -> VectorStore:
        """An empty collection for a new generation; a half-written one of the same name (a killed ingest) is dropped."""
        name = self.generation_name(version)
        if name in self.existing():
            self.client.delete_collection(name)
        return VectorStore(self.client, name)

    def flip(self, store: VectorStore, version: str, previous: str, model: str) -> None:
        """Make `store` the current generation: one write, so readers see the old pointer or the new one."""
        metadata = {"collection": store.name, "version": version, "previous": previous, "model": model}
        # Chroma stores a vector with every record; the pointer's is a placeholder nobody searches.
        self._pointer.upsert(ids=[POINTER_ID], embeddings=[[1.0]], metadatas=[metadata], documents=[""])

    def drop_unused(self) -> list[str]:
        """Delete every generation that is neither current nor the one before it (half-written ones included)."""
        pointer = self.current()
        if pointer is None:
            return []
        keep = {pointer.collection, pointer.previous, self.pointer_name}
        mine = [name for name in self.existing() if name == self.collection or name.startswith(f"{self.collection}--")]
        dropped = sorted(name for name in mine if name not in keep)
        for name in dropped:
            self.client.delete_collection(name)
        return dropped
