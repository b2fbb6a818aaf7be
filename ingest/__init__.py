"""Ingest: PDF-extracted report text → clean paragraphs → outline → section-aware chunks → typed facts (ingest.facts)."""

from ingest.chunk import Chunk
from ingest.clean import Paragraph, clean_paragraphs, clean_text
from ingest.load import DocumentError, load_chunks, read_report

__all__ = ["Chunk", "DocumentError", "Paragraph", "clean_paragraphs", "clean_text", "load_chunks", "read_report"]
