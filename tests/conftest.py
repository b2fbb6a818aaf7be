"""What every test shares: a private environment, two indexes of the report, and the test tiers.

Environment. Before anything is collected, every REPORTQA_* variable the developer exported is dropped
and REPORTQA_INDEX_DIR, REPORTQA_MODEL_CACHE and the XDG folders point into one temp folder for the run,
so no test, subprocess or server can read or write data/index or ~/.cache, even one that forgets to
configure its own. The folder (with the 490 MB model built into it) is removed at the end.

Two indexes of the whole report, each built once per session in its own temp folder, both with the
real embedded Chroma and the real BM25:
- `fake_index` / `fake_retriever`: embedded by tests/fakes.py's FakeEmbedder in a second. For everything
  that is not about the model: sync and re-ingest, the stores, fusion and year mechanics, bad input.
- `index` / `retriever` (and `settings`, `model_cache`): the real e5 model (~30 s to build and embed).
  Only for retrieval and answer quality.

Tiers (pyproject.toml markers). A test is marked here from the fixtures it uses, so the mark cannot be
forgotten: `model` when it needs the real model (anything built on `model_cache`), `slow` when it starts
a server or a subprocess. `pytest -m "not model and not browser and not slow"` is the unit tier, and a
unit-tier run fails if sentence_transformers was imported at all.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from ingest.chunk import DEFAULT_MAX_CHARS
from ingest.load import read_report
from rag.offline import OFFLINE_ENVIRONMENT
from rag.resources import PROJECT_ROOT
from rag.settings import DEFAULT_REPORT, E5_SMALL, Settings
from tests.fakes import FakeEmbedder

# Fixtures that mean "this test loads the real model" and "this test starts another process".
MODEL_FIXTURES = frozenset({"model_cache"})
PROCESS_FIXTURES = frozenset({"subprocess_env", "stop_process"})
# Importing it is the first step of every real-model load, and costs seconds on its own.
MODEL_LIBRARY = "sentence_transformers"

_run_folder = pytest.StashKey[Path]()
_private_environment = pytest.StashKey[dict[str, str]]()
_library_loaded_before = pytest.StashKey[bool]()


# --------------------------------------------------------------------------- the environment


def pytest_configure(config: pytest.Config) -> None:
    folder = Path(tempfile.mkdtemp(prefix="reportqa-tests-"))
    config.stash[_run_folder] = folder
    private = {
        **OFFLINE_ENVIRONMENT,
        "REPORTQA_INDEX_DIR": str(folder / "index"),  # for a test that builds settings of its own
        "REPORTQA_MODEL_CACHE": str(folder / "e5-model-cache"),
        **{name: str(folder / name.lower()) for name in ("XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME")},
    }
    config.stash[_private_environment] = private
    for name in [n for n in os.environ if n.startswith("REPORTQA_")]:
        del os.environ[name]
    os.environ.update(private)


def pytest_unconfigure(config: pytest.Config) -> None:
    if _run_folder in config.stash:
        shutil.rmtree(config.stash[_run_folder], ignore_errors=True)


# --------------------------------------------------------------------------- tiers


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by these marks
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if fixtures & MODEL_FIXTURES:
            item.add_marker(pytest.mark.model)
        if fixtures & PROCESS_FIXTURES:
            item.add_marker(pytest.mark.slow)


def pytest_runtest_setup(item: pytest.Item) -> None:
    item.stash[_library_loaded_before] = MODEL_LIBRARY in sys.modules


@pytest.hookimpl(trylast=True)  # after the test's fixtures are torn down
def pytest_runtest_teardown(item: pytest.Item) -> None:
    if item.get_closest_marker("model") or item.stash.get(_library_loaded_before, True):
        return
    if MODEL_LIBRARY in sys.modules:
        pytest.fail(
            f"{item.nodeid} is not marked `model` but imported {MODEL_LIBRARY}: use the fake_index / "
            "fake_retriever fixtures, or a fixture built on `model_cache` (which marks it)",
            pytrace=False,
        )


def pytest_sessionfinish(session: pytest.Session) -> None:
    """A run without model tests that imported the model library anyway (a test module importing it at
    module level, say) fails: the unit tier must stay fast."""
    if MODEL_LIBRARY not in sys.modules or not session.items:
        return
    if any(item.get_closest_marker("model") for item in session.items):
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter:
        reporter.write_sep(
            "=",
            f"no selected test is marked `model`, yet {MODEL_LIBRARY} was imported: by the test named above, "
            "or by a test module at import",
            red=True,
        )
    session.exitstatus = pytest.ExitCode.TESTS_FAILED


# --------------------------------------------------------------------------- the indexes


def pinned_settings(index_dir: Path, model: str, model_cache: Path) -> Settings:
    """Settings.from_env() with everything the tests rely on pinned."""
    return Settings.from_env().with_(
        documents=(DEFAULT_REPORT,),
        index_dir=index_dir,
        chroma_url="",
        collection="reportqa",
        model=model,
        model_cache=model_cache,
        chunk_chars=DEFAULT_MAX_CHARS,
        top_k=5,
    )


@pytest.fixture(scope="session")
def tokenizer():
    """One jieba tokenizer for the session: each new one loads the dictionary again (~1.5 s)."""
    from rag.text.tokenize import ChineseTokenizer
    from rag.text.vocabulary import load_vocabulary

    return ChineseTokenizer(load_vocabulary())


@pytest.fixture(scope="session")
def fake_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    # A model name nothing can load: should a fake-tier test reach load_embedder, it fails instead of loading e5.
    folder = tmp_path_factory.mktemp("fake-index")
    return pinned_settings(folder, FakeEmbedder.name, folder / "no-model-cache")


@pytest.fixture(scope="session")
def build_fake_index(fake_settings: Settings, tokenizer):
    """`build_fake_index(folder)`: a new index of the report in `folder`, embedded by its own FakeEmbedder,
    exactly as `reportqa ingest` builds one (the session's tokenizer saves reloading jieba)."""
    from rag.store.chroma import chroma_client
    from rag.store.generations import Generations
    from rag.store.index import Index

    def build(folder: Path) -> Index:
        settings = fake_settings.with_(index_dir=folder)
        index = Index(settings, Generations(chroma_client(folder), settings.collection), FakeEmbedder(), tokenizer)
        index.ingest(list(settings.documents))
        return index

    return build


@pytest.fixture(scope="session")
def fake_index(fake_settings: Settings, build_fake_index):
    """The whole report in embedded Chroma and BM25, vectors from FakeEmbedder. Tests must leave it as they found it."""
    return build_fake_index(fake_settings.index_dir)


@pytest.fixture(scope="session")
def fake_retriever(fake_index):
    from rag.retrieval.retriever import Retriever

    return Retriever(fake_index)


@pytest.fixture(scope="session")
def model_cache(pytestconfig: pytest.Config) -> Path:
    """Where the e5 model is built once per run (REPORTQA_MODEL_CACHE, so subprocesses share it)."""
    return Path(pytestconfig.stash[_private_environment]["REPORTQA_MODEL_CACHE"])


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory, model_cache: Path) -> Settings:
    return pinned_settings(tmp_path_factory.mktemp("index"), E5_SMALL, model_cache)


@pytest.fixture(scope="session")
def index(settings: Settings):
    from rag.store.index import Index

    return Index.open(settings)


@pytest.fixture(scope="session")
def retriever(index):
    from rag.retrieval.retriever import Retriever

    return Retriever(index)


# --------------------------------------------------------------------------- files and processes

CHROMA_CLI = Path(sys.executable).parent / "chroma"
CHROMA_START_TIMEOUT = 60


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def chroma_url(tmp_path_factory: pytest.TempPathFactory, stop_process) -> Iterator[str]:
    """A `chroma run` server on a free loopback port, for the session (replicas share one like this)."""
    assert CHROMA_CLI.is_file(), f"the chroma CLI is missing from {CHROMA_CLI.parent}"
    folder = tmp_path_factory.mktemp("chroma-server")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = (folder / "server.log").open("w")
    server = subprocess.Popen(
        [str(CHROMA_CLI), "run", "--path", str(folder / "data"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
    )
    try:
        deadline = time.monotonic() + CHROMA_START_TIMEOUT
        while True:
            assert server.poll() is None, f"chroma exited with {server.returncode}: {(folder / 'server.log').read_text()[-2000:]}"
            try:
                if httpx.get(f"{url}/api/v2/heartbeat", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, f"chroma did not answer within {CHROMA_START_TIMEOUT} s"
            time.sleep(0.2)
        yield url
    finally:
        stop_process(server)
        log.close()


@pytest.fixture(scope="session")
def report_excerpt(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The report's opening and first three review paragraphs (~35 chunks): quick to embed."""
    raw = read_report(DEFAULT_REPORT)
    path = tmp_path_factory.mktemp("excerpt") / DEFAULT_REPORT.name
    path.write_text(raw[: raw.index("一年来，我们狠抓项目")], encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def subprocess_env(pytestconfig: pytest.Config) -> dict[str, str]:
    """Environment for `python -m ui.cli …`: offline, the run's private folders (set up above) whatever a
    test has patched meanwhile, the checkout importable. A subprocess that builds an index sets
    REPORTQA_INDEX_DIR to a folder of its own."""
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("REPORTQA_")}
    return {**inherited, **pytestconfig.stash[_private_environment], "PYTHONPATH": str(PROJECT_ROOT)}


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
