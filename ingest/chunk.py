"""Section-aware chunks: runs of sentences that never cross a section, each with a stable id."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from itertools import groupby

from ingest.sections import Sentence

SECTION_SEPARATOR = " > "
# Chosen by measurement on eval/golden.jsonl (README, "How the settings were chosen"): 40 to 400
# characters compared; 80 ranked best of the sizes whose citations still point at a sentence or two.
DEFAULT_MAX_CHARS = 80


@dataclass(frozen=True)
class Chunk:
    chunk_id: str
    doc_id: str
    text: str  # the sentences of this chunk
    context: str  # every sentence of the same section in the same paragraph: what a reader needs around it
    section: str  # the section path joined with " > "
    page: int
    year: int
    order: int  # position in the document, for reading order

    @property
    def embedding_text(self) -> str:
        """What gets embedded: the section path tells the model what a bare figure is about."""
        return f"{self.section}\n{self.text}"


def chunk_id(doc_id: str, section: str, text: str) -> str:
    """Derived from content only, so re-ingesting the same text yields the same ids."""
    return hashlib.sha1(f"{doc_id}\x1f{section}\x1f{text}".encode()).hexdigest()[:16]


def pack_sentences(texts: list[str], max_chars: int) -> list[list[str]]:
    """Greedily group consecutive sentences into runs of at most `max_chars` (a longer sentence stands alone)."""
    runs: list[list[str]] = []
    for text in texts:
        if runs and sum(map(len, runs[-1])) + len(text) <= max_chars:
            runs[-1].append(text)
        else:
            runs.append([text])
    return runs


def chunk_sentences(sentences: list[Sentence], doc_id: str, max_chars: int = DEFAULT_MAX_CHARS) -> list[Chunk]:
    chunks: list[Chunk] = []
    seen: set[str] = set()
    for (section_path, _paragraph), group in groupby(sentences, key=lambda s: (s.section, s.paragraph)):
        members = list(group)
        section = SECTION_SEPARATOR.join(section_path)
        context = "".join(s.text for s in members)
        position = 0
        for run in pack_sentences([s.text for s in members], max_chars):
            first = members[position]
            position += len(run)
            text = "".join(run)
            identifier = chunk_id(doc_id, section, text)
            if identifier in seen:  # the same words twice in one section: keep one
                continue
            seen.add(identifier)
            chunks.append(Chunk(identifier, doc_id, text, context, section, first.page, first.year, len(chunks)))
    return chunks
