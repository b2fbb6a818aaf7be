"""Ingest and retrieval never reach past loopback: every connection and name lookup in this process is watched.

Python-level sockets only: a library that opens sockets from native code would not be seen here.
"""

from __future__ import annotations

import functools
import ipaddress
import socket
from pathlib import Path

import pytest

from rag.models import embedder as embedding
from rag.retrieval.retriever import Retriever
from rag.settings import E5_SMALL, Settings
from rag.store.index import Index
from tests.fakes import FakeEmbedder

LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"}


def is_loopback(host: object) -> bool:
    if host in (None, "", b""):
        return True
    name = (host.decode() if isinstance(host, bytes) else str(host)).strip("[]").split("%")[0].lower()
    if name in LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


class NetworkGuard:
    """Records, and refuses, every attempt to connect to or resolve a host that is not loopback."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.attempts: list[str] = []
        real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex
        real_create_connection, real_getaddrinfo = socket.create_connection, socket.getaddrinfo
        real_gethostbyname = socket.gethostbyname

        def check(what: str, host: object, port: object = None) -> None:
            if not is_loopback(host):
                self.attempts.append(f"{what} {host}:{port}")
                raise OSError(f"test forbids network access beyond loopback: {what} {host}:{port}")

        def address_of(sock: socket.socket, address: object) -> None:
            if sock.family in (socket.AF_INET, socket.AF_INET6) and isinstance(address, tuple):
                check("connect", address[0], address[1])

        def connect(sock, address):
            address_of(sock, address)
            return real_connect(sock, address)

        def connect_ex(sock, address):
            address_of(sock, address)
            return real_connect_ex(sock, address)

        def create_connection(address, *args, **kwargs):
            check("create_connection", address[0], address[1])
            return real_create_connection(address, *args, **kwargs)

        def getaddrinfo(host, port, *args, **kwargs):
            check("getaddrinfo", host, port)
            return real_getaddrinfo(host, port, *args, **kwargs)

        def gethostbyname(host):
            check("gethostbyname", host)
            return real_gethostbyname(host)

        monkeypatch.setattr(socket.socket, "connect", connect)
        monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
        monkeypatch.setattr(socket, "create_connection", create_connection)
        monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
        monkeypatch.setattr(socket, "gethostbyname", gethostbyname)


def test_the_guard_records_outside_connections_and_lets_loopback_through(monkeypatch: pytest.MonkeyPatch) -> None:
    guard = NetworkGuard(monkeypatch)
    for attempt in (
        lambda: socket.create_connection(("example.com", 443), timeout=1),
        lambda: socket.getaddrinfo("huggingface.co", 443),
        lambda: socket.socket().connect(("93.184.216.34", 80)),
    ):
        with pytest.raises(OSError, match="forbids"):
            attempt()
    assert len(guard.attempts) == 3

    with socket.socket() as listener:  # a loopback connection is allowed and not recorded
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        socket.create_connection(listener.getsockname(), timeout=1).close()
    socket.getaddrinfo("localhost", 80)
    assert len(guard.attempts) == 3


def test_the_stores_and_retrieval_make_no_connection_beyond_loopback(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, report_excerpt: Path, fake_settings: Settings, tokenizer
) -> None:
    """Chroma (telemetry), BM25 and the llama-index adapter under the guard; the model is the next test's."""
    guard = NetworkGuard(monkeypatch)
    monkeypatch.setattr("rag.store.index.ChineseTokenizer", lambda vocabulary: tokenizer)  # saves reloading jieba
    embedder = FakeEmbedder()
    settings = fake_settings.with_(documents=(report_excerpt,), index_dir=tmp_path / "index")

    index = Index.open(settings, embedder=embedder)  # a new embedded Chroma store, the excerpt embedded, BM25 built
    retriever = Retriever(index)
    for question in ["历城去年GDP多少？", "今年计划新建多少所学校", "How many companies moved to the cloud?"]:
        assert retriever.retrieve(question, k=5)
    assert retriever.as_llamaindex().retrieve("去年新增了多少高新技术企业")

    assert embedder.passages_embedded == index.store.count() == len(index.chunks) > 20
    assert guard.attempts == []


def test_the_model_ingest_and_retrieval_make_no_connection_beyond_loopback(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, report_excerpt: Path, model_cache: Path
) -> None:
    guard = NetworkGuard(monkeypatch)
    # A fresh load cache for this test, so the model is really located, checked and loaded under the guard.
    fresh = functools.lru_cache(maxsize=None)(embedding._load_embedder.__wrapped__)
    monkeypatch.setattr(embedding, "_load_embedder", fresh)
    settings = Settings.from_env().with_(
        documents=(report_excerpt,), index_dir=tmp_path / "index", chroma_url="", model=E5_SMALL, model_cache=model_cache
    )

    index = Index.open(settings)  # a new embedded Chroma store, the model, the excerpt embedded, BM25 built
    retriever = Retriever(index)
    for question in ["历城去年GDP多少？", "今年计划新建多少所学校", "How many companies moved to the cloud?"]:
        assert retriever.retrieve(question, k=5)
    assert retriever.as_llamaindex().retrieve("去年新增了多少高新技术企业")

    assert fresh.cache_info().misses == 1 and index.store.count() == len(index.chunks) > 20
    assert guard.attempts == []
