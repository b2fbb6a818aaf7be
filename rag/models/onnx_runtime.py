"""The embedding model's transformer run by ONNX Runtime instead of torch: the same vectors, half the CPU.

Measured on this 2-core machine (e5-small, 200 citizens' questions, one thread): ONNX Runtime needs 21 ms
of CPU for a question alone and 17 ms in passes of 8; torch needs 45 and 22 (79 and 30 with its default two
threads). Rows agree with torch's to 1e-7. ONNX Runtime also holds no GIL during a forward pass, where torch
returns to Python between operations, so two embedding threads really run at once.

`run_transformer_in_onnx(model, folder)` exports the model's first module (the transformer) once into
`folder` with torch.onnx (about 9 s and 470 MB for e5-small), checks the file against torch on probe
sentences, and swaps that module's forward pass for an ONNX Runtime session. Tokenizing, pooling and
normalizing stay sentence-transformers'. A file that does not load or does not match is exported again.
"""

from __future__ import annotations

import logging
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

log = logging.getLogger(__name__)

# Runs the two halves of a large pass at once (OnnxForward); ONNX Runtime holds no GIL while it computes.
_HALVES = ThreadPoolExecutor(max_workers=2, thread_name_prefix="onnx-half")

ONNX_FILE = "transformer.onnx"
# The inputs a BERT-like transformer may take; a tokenizer gives a subset (XLM-R's has no token types).
TRANSFORMER_INPUTS = ("input_ids", "attention_mask", "token_type_ids")
# Sentences the exported file must embed as torch does: a question, a passage, a long mixed one.
PROBES = (
    "query: 2023年新增学位多少",
    "passage: 新建19处中小学、幼儿园，新增学位1.7万个，“双减”落地见效。",
    "query: 请问 e-commerce 和 GDP growth 去年分别是多少？" * 4,
)
# Largest difference allowed between an ONNX row and torch's: float32 reordering gives about 1e-7.
MAX_ROW_DIFFERENCE = 1e-4


class OnnxExportError(RuntimeError):
    """The transformer could not be exported, or its export does not embed as torch does."""


def run_transformer_in_onnx(model: SentenceTransformer, folder: Path) -> None:
    """Swap `model`'s transformer forward pass for ONNX Runtime, exporting it into `folder` if needed.

    Raises OnnxExportError when no matching file can be made; `model` is then left running in torch.
    """
    from filelock import FileLock  # a dependency of torch and huggingface_hub

    folder.mkdir(parents=True, exist_ok=True)
    expected = model.encode(list(PROBES), convert_to_numpy=True, show_progress_bar=False)
    with FileLock(str(folder / f"{ONNX_FILE}.lock")):  # replicas starting together export once
        path = folder / ONNX_FILE
        forward = _checked_forward(model, path, expected) if path.exists() else None
        if forward is None:
            if path.exists():
                log.warning("the ONNX file %s does not load or does not embed as torch does: exporting it again", path)
            _export(model, path)
            forward = _checked_forward(model, path, expected)
            if forward is None:
                path.unlink(missing_ok=True)
                raise OnnxExportError(f"the exported {path} does not embed as torch does")
        model[0].forward = forward


class OnnxForward:
    """A sentence-transformers Transformer module's forward pass, computed by an ONNX Runtime session.

    A pass of at least `split_rows` rows (passages at ingest come 32 at a time) is cut in two halves run at once
    on the two cores; the session runs one thread a pass (`_session`), and concurrent runs of one session are safe.
    """

    def __init__(self, session, input_names: tuple[str, ...], output_name: str, split_rows: int = 16):
        self.session = session
        self.input_names = input_names
        self.output_name = output_name
        self.split_rows = split_rows

    def __call__(self, features: dict, **_ignored) -> dict:
        import torch

        feeds = {name: features[name].numpy().astype(np.int64, copy=False) for name in self.input_names}
        rows = len(feeds[self.input_names[0]])
        if rows < self.split_rows:
            (hidden,) = self.session.run(None, feeds)
        else:
            half = rows // 2
            halves = [{n: v[:half] for n, v in feeds.items()}, {n: v[half:] for n, v in feeds.items()}]
            hidden = np.concatenate([h for (h,) in _HALVES.map(lambda f: self.session.run(None, f), halves)])
        features[self.output_name] = torch.from_numpy(hidden)
        return features


def _checked_forward(model: SentenceTransformer, path: Path, expected: np.ndarray) -> OnnxForward | None:
    """The forward pass from `path`, or None when the file does not load or its rows differ from `expected`."""
    try:
        forward = OnnxForward(_session(path), _input_names(model), model[0].module_output_name)
    except Exception as exc:  # onnxruntime raises its own error types for a damaged or truncated file
        log.info("cannot load %s: %s", path, exc)
        return None
    torch_forward = model[0].forward
    model[0].forward = forward
    try:
        got = model.encode(list(PROBES), convert_to_numpy=True, show_progress_bar=False)
    finally:
        model[0].forward = torch_forward
    difference = float(np.abs(got - expected).max())
    return forward if difference <= MAX_ROW_DIFFERENCE else None


def _session(path: Path):
    import onnxruntime as ort

    options = ort.SessionOptions()
    # One thread a pass: the batcher runs two passes at once on the two cores, and a pass of short questions
    # is too small to split well (two threads cost 25% more CPU for the same questions).
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.log_severity_level = 3  # warnings about unused initializers are noise here
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def _input_names(model: SentenceTransformer) -> tuple[str, ...]:
    features = model.preprocess(["probe"])
    return tuple(name for name in TRANSFORMER_INPUTS if name in features)


def _export(model: SentenceTransformer, path: Path) -> None:
    import warnings

    import torch

    class LastHiddenState(torch.nn.Module):
        def __init__(self, transformer):
            super().__init__()
            self.transformer = transformer

        def forward(self, *inputs):
            return self.transformer(**dict(zip(names, inputs, strict=True))).last_hidden_state

    partial = path.with_suffix(".partial")
    log.info("exporting the embedding model's transformer to %s (once)", path)
    try:
        names = _input_names(model)
        features = model.preprocess(list(PROBES[:2]))
        axes = {name: {0: "batch", 1: "tokens"} for name in (*names, "hidden")}
        with warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")  # tracer warnings about Python control flow on shapes
            torch.onnx.export(
                LastHiddenState(model[0].model).eval(),
                tuple(features[name] for name in names),
                str(partial),
                input_names=list(names),
                output_names=["hidden"],
                dynamic_axes=axes,
                opset_version=17,
                dynamo=False,  # the tracing exporter needs no onnxscript, and handles BERT well
            )
    except Exception as exc:  # many types: a model without a transformer module, an unsupported operator, disk full
        partial.unlink(missing_ok=True)
        raise OnnxExportError(f"cannot export the transformer to ONNX: {exc}") from exc
    os.replace(partial, path)  # a killed export leaves only the .partial file, never a half-written model
