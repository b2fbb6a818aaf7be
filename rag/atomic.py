"""Writing a folder so that readers see either the old one or the whole new one, never half of it.

The model cache, the keyword index and the eval reports are all folders that a crash must not leave
half-written: each is written into a hidden staging folder beside its final place, then renamed.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def staged_directory(final: Path) -> Iterator[Path]:
    """An empty folder beside `final` to write into; when the block ends without error it becomes `final`."""
    final = Path(final)
    final.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{final.name}.tmp-", dir=final.parent))
    staging.chmod(0o755)  # mkdtemp makes it private; caches and reports are shared with other users
    try:
        yield staging
        replace_directory(staging, final)
    finally:
        shutil.rmtree(staging, ignore_errors=True)  # nothing left once renamed


def replace_directory(built: Path, final: Path) -> None:
    """Put `built` in place of `final` (a folder cannot be renamed over a non-empty one: move it aside first)."""
    stale = None
    if final.exists():
        stale = final.with_name(f".{final.name}.stale-{os.getpid()}")
        shutil.rmtree(stale, ignore_errors=True)
        final.rename(stale)
    built.rename(final)
    if stale is not None:
        shutil.rmtree(stale, ignore_errors=True)


def discard_leftovers(final: Path) -> None:
    """Remove the staging and stale folders that killed writers of `final` left behind."""
    for leftover in Path(final).parent.glob(f".{Path(final).name}.*"):
        if leftover.is_dir():
            shutil.rmtree(leftover, ignore_errors=True)
