"""One real index for the whole session: the report embedded once (~30 s) into a pytest temp folder.

The developer's data/index is never opened. The e5 model is built into the same temp cache that
tests/rag/test_e5_model.py and test_embedding.py use, so one model is built and loaded per session.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from ingest.chunk import DEFAULT_MAX_CHARS
from ingest.load import read_report
from rag.offline import OFFLINE_ENVIRONMENT
from rag.resources import PROJECT_ROOT
from rag.retrieval.retriever import Retriever
from rag.settings import DEFAULT_REPORT, E5_SMALL, Settings
from rag.store.index import Index


@pytest.fixture(scope="session")
def model_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    cache = tmp_path_factory.getbasetemp() / "e5-model-cache"  # the path test_e5_model.py builds into
    yield cache
    shutil.rmtree(cache, ignore_errors=True)  # 490 MB, and pytest keeps the last three sessions' temp dirs


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory, model_cache: Path) -> Settings:
    """Settings.from_env() with everything the tests rely on pinned, whatever the developer exported."""
    return Settings.from_env().with_(
        documents=(DEFAULT_REPORT,),
        index_dir=tmp_path_factory.mktemp("index"),
        chroma_url="",
        collection="reportqa",
        model=E5_SMALL,
        model_cache=model_cache,
        chunk_chars=DEFAULT_MAX_CHARS,
        top_k=5,
    )


@pytest.fixture(scope="session")
def index(settings: Settings) -> Index:
    return Index.open(settings)


@pytest.fixture(scope="session")
def retriever(index: Index) -> Retriever:
    return Retriever(index)


@pytest.fixture(scope="session")
def report_excerpt(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The report's opening and first three review paragraphs (~35 chunks): quick to embed."""
    raw = read_report(DEFAULT_REPORT)
    path = tmp_path_factory.mktemp("excerpt") / DEFAULT_REPORT.name
    path.write_text(raw[: raw.index("一年来，我们狠抓项目")], encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def subprocess_env(model_cache: Path) -> dict[str, str]:
    """Environment for `python -m ui.cli …`: offline, no REPORTQA_* of the developer's, the session's model."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("REPORTQA_")}
    return {**env, **OFFLINE_ENVIRONMENT, "PYTHONPATH": str(PROJECT_ROOT), "REPORTQA_MODEL_CACHE": str(model_cache)}


def _stop(process: subprocess.Popen) -> None:
    """Ask a server started by a test to stop; kill it if it has not within 15 s."""
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="session")
def stop_process():
    return _stop
