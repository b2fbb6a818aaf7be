"""Generations of the index (rag/store/generations.py): an ingest writes a new collection, then flips a pointer.

So a reader sees the old chunk set or the new one, never a mix: another replica follows a re-ingest without a
restart, and an ingest killed with SIGKILL at any moment leaves the old index or the new one. Vectors come
from FakeEmbedder (real Chroma, real BM25).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from ingest import load_chunks
from ingest.load import read_report
from rag.resources import PROJECT_ROOT
from rag.settings import DEFAULT_REPORT, Settings
from rag.store.chroma import VectorStore, chroma_client
from rag.store.generations import Generations
from rag.store.index import Index, content_version, sync_documents
from tests.fakes import FakeEmbedder
from tests.rag.store.test_index import EDITED_FROM, EDITED_TO, in_raw


def changed_report(folder: Path, new_figure: str = EDITED_TO) -> Path:
    """The report with one figure edited, under the same name: the same document, a new version."""
    changed = folder / DEFAULT_REPORT.name
    changed.write_text(in_raw(EDITED_FROM).sub(new_figure, read_report(DEFAULT_REPORT)), encoding="utf-8")
    return changed


def generations_in(index: Index) -> set[str]:
    return {name for name in index.generations.existing() if name.startswith("reportqa--") and name != "reportqa--pointer"}


@pytest.fixture
def own_index(build_fake_index, tmp_path: Path) -> Index:
    return build_fake_index(tmp_path / "index")


def test_an_ingest_writes_one_generation_and_points_at_it(own_index: Index) -> None:
    pointer = own_index.generations.current()
    assert pointer.version == own_index.version == content_version(load_chunks(DEFAULT_REPORT), FakeEmbedder.name)
    assert generations_in(own_index) == {pointer.collection} and pointer.previous == ""


def test_ingesting_unchanged_content_writes_nothing(own_index: Index) -> None:
    before = (own_index.generations.current(), generations_in(own_index), own_index.embedder.passages_embedded)
    own_index.ingest([DEFAULT_REPORT])
    assert (own_index.generations.current(), generations_in(own_index), own_index.embedder.passages_embedded) == before


def test_a_change_writes_a_new_generation_keeps_the_one_before_and_drops_older_ones(own_index: Index, tmp_path: Path) -> None:
    first = own_index.generations.current()
    embedded = own_index.embedder.passages_embedded
    own_index.ingest([changed_report(tmp_path)])
    second = own_index.generations.current()
    assert second.version != first.version and second.previous == first.collection
    assert generations_in(own_index) == {first.collection, second.collection}
    assert own_index.embedder.passages_embedded - embedded <= 2  # the edited paragraph's chunks; the rest are copied
    assert any("11.2万吨" in c.text for c in own_index.chunks)

    (tmp_path / "third").mkdir()
    own_index.ingest([changed_report(tmp_path / "third", "粮食总产量达到12.4万吨")])
    third = own_index.generations.current()
    assert generations_in(own_index) == {second.collection, third.collection}  # the first is gone


def test_another_model_writes_a_new_generation_and_embeds_every_chunk_anew(own_index: Index) -> None:
    first = own_index.generations.current()
    other = FakeEmbedder(name="another-model")
    sync_documents(own_index.generations, other, [DEFAULT_REPORT], own_index.settings.chunk_chars)
    second = own_index.generations.current()
    assert (first.model, second.model) == (FakeEmbedder.name, "another-model")
    assert second.version != first.version and second.previous == first.collection
    assert other.passages_embedded == len(own_index.chunks)  # no vector of the first model is copied


def test_copied_vectors_are_the_ones_the_model_would_give(own_index: Index, tmp_path: Path) -> None:
    own_index.ingest([changed_report(tmp_path)])
    chunk = next(c for c in own_index.chunks if "5G基站" in c.text)
    (stored,) = own_index.store.embeddings_of([chunk.chunk_id]).values()
    assert stored == pytest.approx(FakeEmbedder().embed_passages([chunk.embedding_text])[0], abs=1e-6)


def test_a_half_written_generation_is_never_read_and_the_next_ingest_drops_it(own_index: Index, tmp_path: Path) -> None:
    before = own_index.version
    half = own_index.generations.fresh("f" * 40)  # as an ingest killed before its flip leaves it
    half.add(own_index.chunks[:3], FakeEmbedder().embed_passages([c.embedding_text for c in own_index.chunks[:3]]))
    own_index.reload()
    assert own_index.version == before and len(own_index.chunks) > 200
    own_index.ingest([changed_report(tmp_path)])
    assert half.name not in own_index.generations.existing()


def test_another_replica_follows_a_reingest_without_a_restart(own_index: Index, fake_settings: Settings, tmp_path: Path) -> None:
    replica = Index(
        fake_settings.with_(index_dir=own_index.settings.index_dir, refresh_seconds=0),
        Generations(chroma_client(own_index.settings.index_dir), "reportqa"),
        FakeEmbedder(),
        own_index.tokenizer,
    )
    seen = replica.follow()
    assert seen.version == own_index.version
    own_index.ingest([changed_report(tmp_path)])
    assert seen.version != own_index.version and any("10.5万吨" in c.text for c in seen.chunks)  # a snapshot never changes
    now = replica.follow()
    assert now.version == own_index.version and any("11.2万吨" in c.text for c in now.chunks)
    assert not any("10.5万吨" in c.text for c in now.chunks) and now.keywords.scores("10.5万").max() == 0


def test_a_store_written_before_generations_is_read_then_replaced(fake_settings: Settings, tokenizer, tmp_path: Path) -> None:
    client = chroma_client(tmp_path)
    legacy = VectorStore(client, "reportqa")
    chunks = load_chunks(DEFAULT_REPORT)
    legacy.add(chunks, FakeEmbedder().embed_passages([c.embedding_text for c in chunks]))
    embedder = FakeEmbedder()
    index = Index(fake_settings.with_(index_dir=tmp_path), Generations(client, "reportqa"), embedder, tokenizer)
    assert index.chunks == chunks
    # The same content, but nothing says which model wrote those vectors: embedded anew into its first generation.
    index.ingest([DEFAULT_REPORT])
    assert embedder.passages_embedded == len(chunks) and index.generations.current().previous == "reportqa"
    assert index.chunks == chunks


# --------------------------------------------------------------------------- SIGKILL during an ingest

INGEST_UNTIL_KILLED = """
import sys, time
from pathlib import Path
from rag.settings import Settings
from rag.store.chroma import VectorStore
from rag.store.generations import Generations
from rag.store.index import Index
from tests.fakes import FakeEmbedder

stage = sys.argv[3]

def mark(name):
    if name == stage:
        print(name, flush=True)
        time.sleep(60)  # the test kills us here

class Fake(FakeEmbedder):
    def embed_passages(self, texts):
        mark("embedding")
        return super().embed_passages(texts)

add, flip, drop = VectorStore.add, Generations.flip, Generations.drop_unused
def added(self, chunks, vectors):
    add(self, chunks[:50], vectors[:50])
    mark("adding")
    add(self, chunks[50:], vectors[50:])
def flipped(self, *args, **kwargs):
    mark("flipping")
    flip(self, *args, **kwargs)
    mark("flipped")
VectorStore.add, Generations.flip = added, flipped

settings = Settings.from_env().with_(index_dir=Path(sys.argv[1]), documents=(Path(sys.argv[2]),))
Index.open(settings, embedder=Fake())
print("done", flush=True)
"""

READ_INDEX = """
import json, sys
from pathlib import Path
from rag.settings import Settings
from rag.store.index import Index, content_version
from tests.fakes import FakeEmbedder
index = Index.open(Settings.from_env().with_(index_dir=Path(sys.argv[1])), sync=False, embedder=FakeEmbedder())
print(json.dumps({"version": index.version, "of_chunks": content_version(index.chunks, index.embedder.identity), "count": index.store.count(),
                  "chunks": len(index.chunks)}))
"""


def run_python(code: str, *args: str, env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", code, *args], cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


@pytest.mark.parametrize("stage", ["embedding", "adding", "flipping", "flipped"])
def test_an_ingest_killed_at_any_stage_leaves_the_old_index_or_the_new_one(
    own_index: Index, tmp_path: Path, subprocess_env: dict, stage: str
) -> None:
    folder = own_index.settings.index_dir
    old = own_index.version
    new = content_version(load_chunks(changed_report(tmp_path)), FakeEmbedder.name)
    env = {**subprocess_env, "REPORTQA_INDEX_DIR": str(folder)}
    ingest = run_python(INGEST_UNTIL_KILLED, str(folder), str(tmp_path / DEFAULT_REPORT.name), stage, env=env)
    try:
        assert ingest.stdout.readline().strip() == stage, ingest.stderr.read()[-3000:]
        os.kill(ingest.pid, signal.SIGKILL)
    finally:
        ingest.kill()
        ingest.wait(30)
    reader = run_python(READ_INDEX, str(folder), env=env)
    out, err = reader.communicate(timeout=120)
    assert reader.returncode == 0, err[-3000:]
    seen = json.loads(out)
    assert seen["version"] == seen["of_chunks"]  # the chunks read are exactly one version's
    assert seen["count"] == seen["chunks"]
    assert seen["version"] == (new if stage == "flipped" else old)


def test_the_next_ingest_after_a_kill_completes_the_new_index(own_index: Index, tmp_path: Path, subprocess_env: dict) -> None:
    folder = own_index.settings.index_dir
    report = changed_report(tmp_path)
    env = {**subprocess_env, "REPORTQA_INDEX_DIR": str(folder)}
    ingest = run_python(INGEST_UNTIL_KILLED, str(folder), str(report), "adding", env=env)
    assert ingest.stdout.readline().strip() == "adding"
    ingest.kill()
    ingest.wait(30)
    again = run_python(INGEST_UNTIL_KILLED, str(folder), str(report), "never", env=env)
    out, err = again.communicate(timeout=120)
    assert again.returncode == 0 and out.strip() == "done", err[-3000:]
    reader = run_python(READ_INDEX, str(folder), env=env)
    seen = json.loads(reader.communicate(timeout=120)[0])
    assert seen["version"] == content_version(load_chunks(report), FakeEmbedder.name)
