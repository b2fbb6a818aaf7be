"""sha256 of big files, read again only when a file's stat stamp shows it may have changed.

Hashing the 490 MB model folder on every load cost more than a second of each cold start. A file
whose size, mtime and ctime are what they were when it was last hashed has not been written since:
any write, truncation, replacement or `touch` changes at least one of them (ctime cannot be set
back by a user). Silent bit rot on disk is not caught that way; a damaged disk is out of scope.

File times tick coarsely (milliseconds, a second or two on some filesystems), so a write in the same
tick as the hash would keep the stamp. As git does with its index, a hash is trusted only for a file
last changed well before it was taken; a file hashed right after it was written is read once more.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import astuple, dataclass
from pathlib import Path

# Longer than the coarsest file-time tick in use (2 s on FAT; ext4 and tmpfs tick in milliseconds).
TIME_TICK_NS = 2_000_000_000


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        while chunk := handle.read(1 << 22):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True)
class FileStamp:
    size: int
    mtime_ns: int
    ctime_ns: int

    @classmethod
    def of(cls, path: Path) -> FileStamp:
        stat = Path(path).stat()
        return cls(stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)


class HashMemo:
    """Remembered sha256s, kept in a small JSON file, each valid while its file's stamp is unchanged.

    Files are keyed by their path relative to the memo's folder, so the memo of a folder stays valid
    when the folder is renamed. A missing or unreadable memo file only costs a full re-hash; it never
    makes a file trusted.
    """

    def __init__(self, memo_file: Path) -> None:
        self.memo_file = Path(memo_file)
        # path -> (stamp when hashed, time when hashed, sha256)
        self._entries: dict[str, tuple[FileStamp, int, str]] = {}
        self._changed = False
        try:
            raw = json.loads(self.memo_file.read_text(encoding="utf-8"))
            for path, (size, mtime_ns, ctime_ns, hashed_at_ns, sha256) in raw.items():
                stamp = FileStamp(int(size), int(mtime_ns), int(ctime_ns))
                self._entries[path] = (stamp, int(hashed_at_ns), str(sha256))
        except (OSError, ValueError, TypeError, AttributeError):
            self._entries = {}

    def sha256(self, path: Path) -> str:
        """The file's sha256: remembered if its stamp is unchanged, otherwise read and remembered."""
        key = os.path.relpath(os.path.abspath(path), os.path.abspath(self.memo_file.parent))
        stamp = FileStamp.of(path)
        remembered = self._entries.get(key)
        if remembered is not None and remembered[0] == stamp and stamp.ctime_ns < remembered[1] - TIME_TICK_NS:
            return remembered[2]
        hashed_at_ns = time.time_ns()
        digest = sha256_file(path)
        if FileStamp.of(path) == stamp:  # not written to while we read it
            self._entries[key] = (stamp, hashed_at_ns, digest)
            self._changed = True
        return digest

    def save(self) -> None:
        """Write the memo if it learned something; a read-only cache folder just means hashing again next time."""
        if not self._changed:
            return
        raw = {path: [*astuple(stamp), hashed_at_ns, sha256] for path, (stamp, hashed_at_ns, sha256) in self._entries.items()}
        staging = self.memo_file.with_name(f".{self.memo_file.name}.{os.getpid()}")
        try:
            staging.write_text(json.dumps(raw, indent=1) + "\n", encoding="utf-8")
            staging.replace(self.memo_file)  # readers see the old memo or the new one, never half of one
            self._changed = False
        except OSError:
            staging.unlink(missing_ok=True)
