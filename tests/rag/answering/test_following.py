"""FollowingAnswerer: a replica's answers follow a re-ingest made by another process into the shared store."""

from __future__ import annotations

from pathlib import Path

from rag.answering.answerer import Answerer
from rag.answering.following import FollowingAnswerer
from rag.retrieval.retriever import Retriever
from rag.store.chroma import chroma_client
from rag.store.generations import Generations
from rag.store.index import Index
from tests.fakes import FakeEmbedder
from tests.rag.store.test_generations import changed_report

QUESTION = "2022年粮食总产量多少"


def test_answers_follow_a_reingest_by_another_process_without_a_restart(build_fake_index, fake_settings, tmp_path: Path):
    writer = build_fake_index(tmp_path / "index")  # stands for `reportqa ingest` run elsewhere
    replica_index = Index(
        fake_settings.with_(index_dir=writer.settings.index_dir, refresh_seconds=0),
        Generations(chroma_client(writer.settings.index_dir), "reportqa"),
        FakeEmbedder(),
        writer.tokenizer,
    )
    replica = FollowingAnswerer(Answerer(Retriever(replica_index)))
    first = replica.current
    before = replica.answer(QUESTION)
    assert "10.5万吨" in before.text and not before.refused

    writer.ingest([changed_report(tmp_path)])  # 10.5万吨 → 11.2万吨
    after = replica.answer(QUESTION)
    assert "11.2万吨" in after.text and "10.5万吨" not in after.text
    assert all("10.5万吨" not in p.text for p in after.citations)
    assert replica.current is not first and replica_index.version == writer.version  # knowledge rebuilt for it
    assert any("11.2万吨" in s.text for s in replica.current.knowledge.all_sentences)
