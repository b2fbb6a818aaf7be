"""The index: chunks and vectors in Chroma, BM25 and the facts beside them, kept in step with the report files.

Each ingest writes a new generation of the store and flips a pointer to it (rag/store/generations.py); an
Index reads one generation into an immutable Snapshot and swaps in the next one whole when the pointer
moves (`follow`), so a query never mixes chunks of two versions, and replicas on one Chroma server pick up
a re-ingest without a restart.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ingest import load_chunks
from ingest.chunk import Chunk
from ingest.clean import Paragraph, clean_paragraphs
from ingest.facts import Fact, extract_facts, is_non_answer
from ingest.load import DocumentError, document_id, read_report
from ingest.sections import split_sentences
from rag.models.embedder import Embedder, load_embedder
from rag.settings import Settings
from rag.store.chroma import VectorStore, open_client
from rag.store.generations import Generations
from rag.store.keywords import KeywordIndex
from rag.text.tokenize import ChineseTokenizer
from rag.text.vocabulary import load_vocabulary

log = logging.getLogger(__name__)


class EmptyIndexError(RuntimeError):
    """The index holds no chunks, so there is nothing to search."""


@dataclass(frozen=True)
class IngestReport:
    doc_id: str
    added: int
    removed: int
    kept: int


def content_version(chunks: list[Chunk], model: str) -> str:
    """Names what an answer can depend on: the embedding model (Embedder.identity) and every chunk's words and
    where it stands (section, page, order, year). Another model is another generation, embedded anew."""
    digest = hashlib.sha1(f"{model}\x1e".encode())
    for c in sorted(chunks, key=lambda c: c.chunk_id):
        digest.update(f"{c.chunk_id}\x1f{c.section}\x1f{c.page}\x1f{c.order}\x1f{c.year}\x1e".encode())
    return digest.hexdigest()


def sync_documents(generations: Generations, embedder: Embedder, paths: list[Path], max_chars: int) -> list[IngestReport]:
    """Make the current generation hold these files' current chunks (and every other document's as it was).

    Unchanged content writes nothing. Otherwise a new generation is written whole, vectors of known chunks copied
    and only new chunks embedded, and then the pointer flips: a reader sees the old generation or the new one.
    """
    documents = [load_chunks(Path(p), max_chars) for p in paths]  # an unusable file stops us before any write
    pointer = generations.current()
    old = generations.open(pointer)
    old_chunks = old.all_chunks() if old else []
    renewed = {chunks[0].doc_id for chunks in documents}
    target = [c for c in old_chunks if c.doc_id not in renewed] + [c for chunks in documents for c in chunks]
    old_ids = {c.chunk_id for c in old_chunks}
    reports = []
    for chunks in documents:
        doc, ids = chunks[0].doc_id, {c.chunk_id for c in chunks}
        before = {c.chunk_id for c in old_chunks if c.doc_id == doc}
        reports.append(IngestReport(doc, added=len(ids - old_ids), removed=len(before - ids), kept=len(ids & before)))
    version = content_version(target, embedder.identity)
    if pointer is not None and pointer.version == version:
        return reports
    store = generations.fresh(version)
    # Vectors are copied only from a generation the same model wrote (a pointer older than this rule names none).
    same_model = pointer is not None and pointer.model == embedder.identity
    known = old.embeddings_of([c.chunk_id for c in target if c.chunk_id in old_ids]) if same_model else {}
    new = [c for c in target if c.chunk_id not in known]
    vectors = dict(zip((c.chunk_id for c in new), embedder.embed_passages([c.embedding_text for c in new]))) if new else {}
    store.add(target, np.stack([known.get(c.chunk_id, vectors.get(c.chunk_id)) for c in target]))
    generations.flip(store, version, previous=old.name if old else "", model=embedder.identity)
    dropped = generations.drop_unused()
    log.info("index generation %s: %d chunks, %d embedded; dropped %s", store.name, len(target), len(new), dropped or "none")
    return reports


@dataclass(frozen=True)
class Snapshot:
    """One generation as retrieval reads it: replaced whole, never changed, so a query sees one version."""

    version: str
    store: VectorStore
    chunks: list[Chunk]
    by_id: dict[str, Chunk]
    keywords: KeywordIndex
    facts: list[Fact]
    report_year: int
    vector_model: str = ""  # Embedder.identity of the process that wrote the vectors ("" for a store from before)
    non_answers: frozenset[str] = frozenset()  # chunks that are only headings, lead-ins, title block or ceremony


def non_answer_ids(chunks: list[Chunk]) -> frozenset[str]:
    """The chunks whose every sentence is a heading, lead-in, title block or ceremony: never an answer by themselves."""
    return frozenset(c.chunk_id for c in chunks if all(is_non_answer(s, c.section) for s in split_sentences(c.text) if s.strip()))


class Index:
    """Everything retrieval reads: the chunks, their vectors (Chroma), their keywords (BM25) and their facts."""

    def __init__(self, settings: Settings, generations: Generations, embedder: Embedder, tokenizer: ChineseTokenizer):
        self.settings = settings
        self.generations = generations
        self.embedder = embedder
        self.tokenizer = tokenizer
        self.snapshot: Snapshot | None = None
        self._checked = 0.0
        self._swap = threading.Lock()
        current = generations.open_current()
        if current is not None and current.count():
            self.reload()

    @classmethod
    def open(cls, settings: Settings | None = None, *, sync: bool = True, embedder: Embedder | None = None) -> Index:
        """Open the index; with `sync`, first bring it in step with the configured report files.

        `embedder` replaces the configured model (the fast tests pass a small deterministic one).
        """
        settings = settings or Settings.from_env()
        generations = Generations(open_client(settings.index_dir, settings.chroma_url), settings.collection)
        embedder = embedder or load_embedder(settings.model, settings.model_cache, settings.runtime)
        tokenizer = ChineseTokenizer(load_vocabulary())
        if sync:
            for report in sync_documents(generations, embedder, list(settings.documents), settings.chunk_chars):
                if report.added or report.removed:
                    log.info("indexed %s: %d new, %d removed, %d kept", report.doc_id, report.added, report.removed, report.kept)
        return cls(settings, generations, embedder, tokenizer)

    def ingest(self, paths: list[Path]) -> list[IngestReport]:
        reports = sync_documents(self.generations, self.embedder, [Path(p) for p in paths], self.settings.chunk_chars)
        self.reload()
        return reports

    # What retrieval reads, from the current snapshot.
    chunks = property(lambda self: self.snapshot.chunks if self.snapshot else [])
    by_id = property(lambda self: self.snapshot.by_id)
    keywords = property(lambda self: self.snapshot.keywords)
    facts = property(lambda self: self.snapshot.facts)
    store = property(lambda self: self.snapshot.store)
    report_year = property(lambda self: self.snapshot.report_year if self.snapshot else 0)
    version = property(lambda self: self.snapshot.version if self.snapshot else "")

    @property
    def model_mismatch(self) -> str:
        """Why this process must not search the stored vectors, or "": another model wrote them (a replica started
        with another REPORTQA_MODEL or REPORTQA_RUNTIME than the ingest), so its question vectors would not
        match them. Retrieval then ranks by keywords alone and readiness says so."""
        written_by = self.snapshot.vector_model if self.snapshot else ""
        if not written_by or written_by == self.embedder.identity:
            return ""
        return f"the stored vectors were written by {written_by}, this process embeds with {self.embedder.identity}"

    def follow(self) -> Snapshot:
        """The snapshot to answer from: the current one, or the next generation if the pointer has moved (another
        process re-ingested). The pointer is read at most every REPORTQA_REFRESH_SECONDS; while the store cannot
        be reached the snapshot in hand serves on."""
        now = time.monotonic()
        if now - self._checked >= self.settings.refresh_seconds:
            self._checked = now
            try:
                pointer = self.generations.current()
            except Exception as error:
                log.warning("cannot check the index generation: %s", error)
                pointer = None
            if pointer is not None and self.snapshot is not None and pointer.version != self.snapshot.version:
                log.info("the index moved to generation %s: reloading", pointer.collection)
                self.reload()
        return self.snapshot

    def reload(self) -> None:
        """Read the current generation into a new snapshot (BM25 and facts in step with it) and swap it in whole."""
        with self._swap:
            pointer = self.generations.current()
            store = self.generations.open(pointer)
            chunks = store.all_chunks() if store else []
            if not chunks:
                raise EmptyIndexError(
                    f"索引是空的，请先运行 reportqa ingest / the index at {self.settings.chroma_url or self.settings.index_dir} "
                    "holds no chunks: run `reportqa ingest FILE`"
                )
            ids = [c.chunk_id for c in chunks]
            folder = self._keyword_folder()
            keywords = KeywordIndex.load(folder, self.tokenizer, ids)
            if keywords is None:
                keywords = KeywordIndex.build(ids, [c.embedding_text for c in chunks], self.tokenizer)
                keywords.save(folder)
            # Facts are derived from the chunks, so they follow the same re-ingest rules; read per document,
            # because each report's own year decides what is a result and what a plan.
            documents = sorted({c.doc_id for c in chunks})
            facts = [f for doc in documents for f in extract_facts((c for c in chunks if c.doc_id == doc), self._paragraphs(doc))]
            self.snapshot = Snapshot(
                # The pointer's version, so follow() compares like with like whatever model this process runs.
                version=pointer.version if pointer else content_version(chunks, self.embedder.identity),
                store=store,
                chunks=chunks,
                by_id={c.chunk_id: c for c in chunks},
                keywords=keywords,
                facts=facts,
                report_year=max(c.year for c in chunks),
                vector_model=pointer.model if pointer else "",
                non_answers=non_answer_ids(chunks),
            )
        if self.model_mismatch:
            log.warning(
                "%s: answering from keywords alone until the report is re-ingested with this model "
                "(or REPORTQA_MODEL / REPORTQA_RUNTIME match the ingest's)",
                self.model_mismatch,
            )

    def _paragraphs(self, doc_id: str) -> list[Paragraph]:
        """The paragraphs of a configured report file, so that a fact gets the page its words stand on (as
        `reportqa figures` gives it); none for a document only the shared store knows: then its chunk's page."""
        for path in self.settings.documents:
            if document_id(path) == doc_id and Path(path).is_file():
                try:
                    return clean_paragraphs(read_report(Path(path)))
                except DocumentError:
                    return []
        return []

    def _keyword_folder(self) -> Path:
        # With a shared Chroma server each replica keeps its own BM25 copy, rebuilt from Chroma's chunks.
        name = f"bm25-{self.settings.collection}"
        return Path(self.settings.index_dir) / name
