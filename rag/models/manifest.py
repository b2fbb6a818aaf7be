"""The model folder's manifest: the size and sha256 of every file, and the source file it was built from.

Written last, after every other file, so a folder whose build was killed has none and is rebuilt.
Nothing is fsynced: after a crash a half-written file fails the check and is rebuilt.
"""

from __future__ import annotations

import json
from pathlib import Path

from rag.models.e5_folder import BUILD_FORMAT, WEIGHTS_FILE, write_json
from rag.models.e5_sources import SOURCE_DIST, SOURCE_FILE, SOURCE_VERSION, TOKENIZER_DIST, TOKENIZER_VERSION
from rag.models.file_hashes import HashMemo, sha256_file

MANIFEST = "manifest.json"
# Beside the manifest, a memo of the last full check (file_hashes.HashMemo); not listed in the manifest.
HASH_MEMO = "verified-hashes.json"


def write_manifest(folder: Path, source_sha256: str) -> None:
    """Vouch for every file now in `folder`."""
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.name not in (MANIFEST, HASH_MEMO))
    write_json(
        folder / MANIFEST,
        {
            "format": BUILD_FORMAT,
            "source": {"package": f"{SOURCE_DIST}=={SOURCE_VERSION}", "file": SOURCE_FILE, "sha256": source_sha256},
            "tokenizer_source": f"{TOKENIZER_DIST}=={TOKENIZER_VERSION}",
            "files": {p.relative_to(folder).as_posix(): {"size": p.stat().st_size, "sha256": sha256_file(p)} for p in files},
        },
    )


def manifest_problem(folder: Path, source_sha256: str, hashes: HashMemo) -> str | None:
    """Why the folder cannot be trusted (missing, damaged, built from another source), or None if it can.

    `hashes` re-reads only the files written since they were last checked, so an intact folder is
    verified from its files' stat stamps in milliseconds, and a damaged one is still caught.
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
        if path.stat().st_size != size or hashes.sha256(path) != sha256:
            return f"{relative} is damaged (size or sha256 differs from the manifest)"
    return None
