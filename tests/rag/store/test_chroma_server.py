"""The index on a real Chroma server (`chroma run` on loopback), as replicas of the app would share it.

To keep it quick the server gets an excerpt of the report (tests/conftest.py), enough to hold known evidence.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from ingest import load_chunks
from rag.resources import PROJECT_ROOT
from rag.retrieval.retriever import Retriever
from rag.settings import Settings
from rag.store.index import Index

pytestmark = pytest.mark.slow

COLLECTIONS = "/api/v2/tenants/default_tenant/databases/default_database/collections"
QUESTION, EVIDENCE = "历城去年GDP多少？", "预计实现地区生产总值1265亿元"


@pytest.fixture(scope="module")
def excerpt(report_excerpt: Path) -> Path:
    return report_excerpt


@pytest.fixture(scope="module")
def served_settings(chroma_url: str, excerpt: Path, model_cache: Path, tmp_path_factory) -> Iterator[Settings]:
    patch = pytest.MonkeyPatch()
    patch.setenv("REPORTQA_CHROMA_URL", chroma_url)
    try:
        yield Settings.from_env().with_(
            documents=(excerpt,), index_dir=tmp_path_factory.mktemp("bm25-only"), collection="reportqa", model_cache=model_cache
        )
    finally:
        patch.undo()


@pytest.fixture(scope="module")
def served_index(served_settings: Settings) -> Index:
    return Index.open(served_settings)


def server_count(url: str, collection: str) -> int:
    """The chunks of the collection's one generation, asked over plain HTTP, past the app's cached Chroma client."""
    listed = httpx.get(url + COLLECTIONS, timeout=10).json()
    (found,) = [c for c in listed if c["name"].startswith(f"{collection}--") and c["name"] != f"{collection}--pointer"]
    return int(httpx.get(f"{url}{COLLECTIONS}/{found['id']}/count", timeout=10).json())


def test_the_chroma_url_comes_from_the_environment(served_settings: Settings, chroma_url: str) -> None:
    assert served_settings.chroma_url == chroma_url


def test_ingest_puts_the_chunks_on_the_server(served_index: Index, served_settings: Settings, excerpt: Path) -> None:
    expected = load_chunks(excerpt)
    assert len(expected) > 20
    assert served_index.chunks == expected
    assert server_count(served_settings.chroma_url, "reportqa") == len(expected)
    # Nothing of Chroma's is stored locally; only the BM25 copy is.
    assert not (served_settings.index_dir / "chroma").exists()
    assert (served_settings.index_dir / "bm25-reportqa" / "chunk_ids.json").is_file()


def test_retrieval_from_the_server_finds_known_evidence(served_index: Index) -> None:
    passages = Retriever(served_index).retrieve(QUESTION, k=5)
    assert any(EVIDENCE in p.text for p in passages)
    assert passages[0].year == 2022


def test_a_second_replica_reads_the_same_index_without_embedding_again(
    served_index: Index, served_settings: Settings, excerpt: Path, subprocess_env: dict[str, str], tmp_path: Path
) -> None:
    before = server_count(served_settings.chroma_url, "reportqa")
    env = {
        **subprocess_env,
        "REPORTQA_CHROMA_URL": served_settings.chroma_url,
        "REPORTQA_DOCS": str(excerpt),
        "REPORTQA_INDEX_DIR": str(tmp_path / "replica"),
    }
    result = subprocess.run(
        [sys.executable, "-m", "ui.cli", "retrieve", QUESTION, "--json"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    passages = json.loads(result.stdout)
    assert any(EVIDENCE in p["text"] for p in passages)
    assert [p["chunk_id"] for p in passages] == [p.chunk_id for p in Retriever(served_index).retrieve(QUESTION, k=5)]
    assert server_count(served_settings.chroma_url, "reportqa") == before
