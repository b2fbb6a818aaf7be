"""The index: chunks and vectors in Chroma, BM25 beside it, kept in step with the report files."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

from ingest import load_chunks
from ingest.chunk import Chunk
from ingest.clean import Paragraph, clean_paragraphs
from ingest.facts import Fact, extract_facts
from ingest.load import DocumentError, document_id, read_report
from rag.models.embedder import Embedder, load_embedder
from rag.settings import Settings
from rag.store.chroma import VectorStore, open_vector_store
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


def sync_document(store: VectorStore, embedder: Embedder, path: Path, max_chars: int) -> IngestReport:
    """Make the store hold exactly this file's current chunks: embed only what is new, drop what is gone."""
    chunks = load_chunks(path, max_chars)
    doc_id = chunks[0].doc_id
    stored = store.ids_of_document(doc_id)
    new = [c for c in chunks if c.chunk_id not in stored]
    gone = stored - {c.chunk_id for c in chunks}
    if new:
        store.add(new, embedder.embed_passages([c.embedding_text for c in new]))
    # A kept chunk's paragraph, order or page may have changed around it (a sentence edited or removed nearby).
    store.update_metadata([c for c in chunks if c.chunk_id in stored])
    store.delete(gone)
    return IngestReport(doc_id, added=len(new), removed=len(gone), kept=len(chunks) - len(new))


def content_version(chunks: list[Chunk]) -> str:
    """Names what an answer can depend on: every chunk's words and where it stands (section, page, order, year)."""
    digest = hashlib.sha1()
    for c in sorted(chunks, key=lambda c: c.chunk_id):
        digest.update(f"{c.chunk_id}\x1f{c.section}\x1f{c.page}\x1f{c.order}\x1f{c.year}\x1e".encode())
    return digest.hexdigest()


class Index:
    """Everything retrieval reads: the chunks, their vectors (Chroma) and their keywords (BM25)."""

    def __init__(self, settings: Settings, store: VectorStore, embedder: Embedder, tokenizer: ChineseTokenizer):
        self.settings = settings
        self.store = store
        self.embedder = embedder
        self.tokenizer = tokenizer
        self.chunks: list[Chunk] = []
        self.version = ""  # content_version of the chunks loaded; "" before any
        if store.count():
            self.reload()

    @classmethod
    def open(cls, settings: Settings | None = None, *, sync: bool = True, embedder: Embedder | None = None) -> Index:
        """Open the index; with `sync`, first bring it in step with the configured report files.

        `embedder` replaces the configured model (the fast tests pass a small deterministic one).
        """
        settings = settings or Settings.from_env()
        store = open_vector_store(settings.index_dir, settings.chroma_url, settings.collection)
        embedder = embedder or load_embedder(settings.model, settings.model_cache)
        tokenizer = ChineseTokenizer(load_vocabulary())
        if sync:
            for path in settings.documents:
                report = sync_document(store, embedder, path, settings.chunk_chars)
                if report.added or report.removed:
                    log.info("indexed %s: %d new, %d removed, %d kept", report.doc_id, report.added, report.removed, report.kept)
        return cls(settings, store, embedder, tokenizer)

    def ingest(self, paths: list[Path]) -> list[IngestReport]:
        reports = [sync_document(self.store, self.embedder, Path(p), self.settings.chunk_chars) for p in paths]
        self.reload()
        return reports

    def reload(self) -> None:
        """Read the chunks back from Chroma and bring the BM25 index and the fact index in step with them."""
        self.chunks = self.store.all_chunks()
        self.by_id = {c.chunk_id: c for c in self.chunks}
        self.version = content_version(self.chunks)
        ids = [c.chunk_id for c in self.chunks]
        self.report_year = max((c.year for c in self.chunks), default=0)
        if not ids:
            raise EmptyIndexError(
                f"索引是空的，请先运行 reportqa ingest / the index at {self.settings.chroma_url or self.settings.index_dir} "
                "holds no chunks: run `reportqa ingest FILE`"
            )
        folder = self._keyword_folder()
        keywords = KeywordIndex.load(folder, self.tokenizer, ids)
        if keywords is None:
            keywords = KeywordIndex.build(ids, [c.embedding_text for c in self.chunks], self.tokenizer)
            keywords.save(folder)
        self.keywords = keywords
        # Facts are derived from the chunks, so they follow the same re-ingest rules; read per document,
        # because each report's own year decides what is a result and what a plan.
        documents = sorted({c.doc_id for c in self.chunks})
        self.facts: list[Fact] = [
            f for doc in documents for f in extract_facts((c for c in self.chunks if c.doc_id == doc), self._paragraphs(doc))
        ]

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
