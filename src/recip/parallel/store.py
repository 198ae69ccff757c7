"""Checkpoints of chunked work: each finished chunk is a file, written atomically.

A store is a folder holding ``manifest.json`` (what the work is: a fingerprint of its inputs and
the number of chunks) and one ``chunk-NNNNNN.npy`` per finished chunk. A chunk file is written to
a temporary name in the same folder and renamed into place, so it is either complete or absent:
after a kill, resuming reruns exactly the chunks whose files are missing.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import numpy as np

from ..core.errors import ScenarioError

MANIFEST = "manifest.json"


class ChunkStore:
    """The checkpoint folder of one piece of chunked work (see the module docstring).

    ``fingerprint`` identifies the work (e.g. a hash of the scenario and the sweep's
    specification); ``resume`` says whether finished chunks found in the folder may be reused.
    Opening a folder that holds other work, or finished chunks without ``resume``, is refused.
    """

    def __init__(self, folder: Path, fingerprint: str, n_chunks: int, *, resume: bool):
        self.folder = Path(folder)
        self.fingerprint = fingerprint
        self.n_chunks = n_chunks
        manifest = self.folder / MANIFEST
        if manifest.exists():
            try:
                old = json.loads(manifest.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                old = {}
            if old.get("fingerprint") != fingerprint or old.get("chunks") != n_chunks:
                raise ScenarioError(
                    "this folder holds checkpoints of other work; choose another --out or "
                    "remove the folder",
                    file=str(self.folder),
                )
            if not resume and self.done():
                raise ScenarioError(
                    f"this folder holds {len(self.done())} finished chunks of this work: add "
                    "--resume to finish it, or choose another --out",
                    file=str(self.folder),
                )
        self.folder.mkdir(parents=True, exist_ok=True)
        _write_atomic(
            manifest,
            json.dumps({"fingerprint": fingerprint, "chunks": n_chunks}, indent=1).encode(),
        )

    def path(self, index: int) -> Path:
        return self.folder / f"chunk-{index:06d}.npy"

    def done(self) -> set[int]:
        """Indices of the chunks whose results are stored."""
        return {i for i in range(self.n_chunks) if self.path(i).exists()}

    def save(self, index: int, result: np.ndarray) -> None:
        import io

        buf = io.BytesIO()
        np.save(buf, np.asarray(result), allow_pickle=False)
        _write_atomic(self.path(index), buf.getvalue())

    def load(self, index: int) -> np.ndarray:
        return np.load(self.path(index), allow_pickle=False)


def _write_atomic(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
