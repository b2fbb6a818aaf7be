"""Two `reportqa serve` replicas on one `chroma run` server and one PostgreSQL, as a district would run them.

Both answer; a re-ingest of a changed report into the shared store (a third process, `reportqa ingest`) is
picked up by both without a restart, and while it runs neither serves a mix of old and new chunks; feedback
sent to both at once is all in the shared database. The report is the excerpt (tests/conftest.py): quick to
embed, and it holds the GDP figure changed here.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from ingest.load import read_report
from rag.resources import PROJECT_ROOT
from tests.eval.test_feedback import postgres_server, postgres_url  # noqa: F401 (fixtures)
from tests.rag.store.test_index import in_raw
from tests.ui.conftest import free_port, wait_until_healthy

QUESTION = "去年GDP多少"
OLD, NEW = "1265亿元", "1288亿元"
FOLLOW_WITHIN = 30  # seconds: REPORTQA_REFRESH_SECONDS is 1 here, plus a model call or two
FEEDBACK_EACH = 40


@pytest.fixture(scope="module")
def shared(chroma_url, report_excerpt, model_cache, subprocess_env, tmp_path_factory):
    """The environment both replicas and the ingest share: the Chroma server, the report, the model."""
    return {
        **subprocess_env,
        "REPORTQA_CHROMA_URL": chroma_url,
        "REPORTQA_COLLECTION": "replicas",
        "REPORTQA_DOCS": str(report_excerpt),
        "REPORTQA_MODEL_CACHE": str(model_cache),
        "REPORTQA_REFRESH_SECONDS": "1",
    }


@pytest.fixture
def replicas(shared, postgres_url, tmp_path, stop_process):  # noqa: F811 (a fixture)
    """Two servers, each with its own local folder (BM25 copy), one Chroma collection, one feedback database."""
    urls, servers = [], []
    try:
        for name in ("a", "b"):
            port = free_port()
            log = tmp_path / f"replica-{name}.log"
            env = {
                **shared,
                "REPORTQA_INDEX_DIR": str(tmp_path / name),
                "REPORTQA_FEEDBACK_URL": postgres_url,
                "REPORTQA_PORT": str(port),
            }
            with log.open("w") as out:
                server = subprocess.Popen(
                    [sys.executable, "-m", "ui.cli", "serve"], cwd=PROJECT_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
                )
            servers.append(server)
            url = f"http://127.0.0.1:{port}/"
            wait_until_healthy(url, server, log)  # one after the other: the first writes the index, the second reads it
            urls.append(url)
        yield urls
    finally:
        for server in servers:
            stop_process(server)


def ask(url: str) -> str:
    response = httpx.post(url + "api/ask", json={"question": QUESTION}, timeout=60)
    assert response.status_code == 200, response.text
    body = response.json()
    return body["text"] + "".join(c["text"] for c in body["citations"])


def test_both_replicas_answer_and_follow_a_reingest_without_ever_mixing_versions(replicas, shared, tmp_path):
    assert all(OLD in ask(url) and NEW not in ask(url) for url in replicas)

    changed = tmp_path / "report" / Path(shared["REPORTQA_DOCS"]).name  # the same document, a new version
    changed.parent.mkdir()
    changed.write_text(in_raw(OLD).sub(NEW, read_report(Path(shared["REPORTQA_DOCS"]))), encoding="utf-8")

    seen: list[tuple[str, str]] = []
    stop = threading.Event()

    def keep_asking(url: str) -> None:
        while not stop.is_set():
            seen.append((url, ask(url)))

    with ThreadPoolExecutor(len(replicas)) as pool:
        watchers = [pool.submit(keep_asking, url) for url in replicas]
        ingest = subprocess.run(
            [sys.executable, "-m", "ui.cli", "ingest", str(changed)],
            cwd=PROJECT_ROOT,
            env={**shared, "REPORTQA_INDEX_DIR": str(tmp_path / "ingester")},
            capture_output=True,
            text=True,
            timeout=600,
        )
        deadline = time.monotonic() + FOLLOW_WITHIN
        while time.monotonic() < deadline and not all(NEW in ask(url) for url in replicas):
            time.sleep(0.5)
        stop.set()
        for watcher in watchers:
            watcher.result()
    assert ingest.returncode == 0, ingest.stderr[-3000:]
    assert all(NEW in ask(url) and OLD not in ask(url) for url in replicas), "a replica did not follow the re-ingest"
    mixed = [text for _, text in seen if OLD in text and NEW in text]
    assert seen and not mixed, mixed[:3]


def test_feedback_from_both_replicas_at_once_is_all_in_the_shared_database(replicas, postgres_url):  # noqa: F811
    from eval.feedback import open_feedback_store

    def send(number: int) -> int:
        url = replicas[number % 2]
        body = {"rating": "down", "question": f"问题{number}", "answer": "回答[1]", "reason": "other", "comment": str(number)}
        return httpx.post(url + "api/feedback", json=body, timeout=60).status_code

    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(send, range(2 * FEEDBACK_EACH)))
    assert statuses == [201] * (2 * FEEDBACK_EACH)
    stored = open_feedback_store(postgres_url, Path("/nonexistent")).for_review("all", limit=None)
    assert sorted(int(item.feedback.comment) for item in stored) == list(range(2 * FEEDBACK_EACH))
