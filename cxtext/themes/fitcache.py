"""Fitted theme models kept beside the embedding cache, so a re-run is instant.

Re-analysing the same dump with the same settings gives the same themes
(fits are deterministic for a seed), but fitting UMAP + HDBSCAN still takes
seconds to minutes. :class:`ThemeFitCache` stores each fit under a key that
covers everything the fit depends on, and hands it back on the next run:

``sha256`` of: the embedding model id, the ordered hashes of the embedded
(normalized, redacted) texts, their language codes, the ThemeModel
parameters, the cxtext version and the fit rule's revision
(``cxtext.themes.FIT_REVISION``). Anything else changing (a new comment,
another seed, another model) is another key, so a hit can never return a fit
of different data.

Each entry is a folder ``<cache dir>/themes/<key>/`` holding the saved
``ThemeModel`` (``model.json``, ``centroids.npy``) and ``labels.npy`` /
``secondary.json`` (the per-comment assignments). Writes go to a temporary
folder renamed into place, so a killed run never leaves a half entry; a
damaged entry is ignored and overwritten. Only texts already in the
embedding cache are involved, so this stores no text beyond what the saved
model's quotes and keywords hold.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from cxtext import __version__
from cxtext.errors import CxtextError
from cxtext.store import text_hash

__all__ = ["ThemeFitCache", "fit_key"]


def fit_key(model_id: str, texts: Sequence[str], languages: Sequence[str], params: dict[str, Any]) -> str:
    """The cache key of one fit (hex sha256); see the module docstring."""
    from cxtext.themes import FIT_REVISION

    digest = hashlib.sha256()
    header = {"model_id": model_id, "params": params, "cxtext": __version__, "fit_revision": FIT_REVISION,
              "n": len(texts)}
    digest.update(json.dumps(header, sort_keys=True, default=str).encode("utf-8"))
    for text, language in zip(texts, languages):
        digest.update(text_hash(text).encode("ascii"))
        digest.update(str(language).encode("utf-8"))
    return digest.hexdigest()


class ThemeFitCache:
    """Store and fetch fitted theme models by :func:`fit_key` in ``folder``."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)

    def __repr__(self) -> str:
        return f"ThemeFitCache({str(self.folder)!r})"

    def get(self, key: str):
        """The cached :class:`~cxtext.themes.ThemeModel` with ``labels_`` and
        ``secondary_labels_`` restored, or None."""
        from cxtext.themes import ThemeModel

        entry = self.folder / key
        if not entry.is_dir():
            return None
        try:
            model = ThemeModel.load(entry)
            model.labels_ = np.load(entry / "labels.npy", allow_pickle=False).astype(np.int64)
            model.secondary_labels_ = [list(map(int, s)) for s in
                                       json.loads((entry / "secondary.json").read_text(encoding="utf-8"))]
        except (CxtextError, OSError, ValueError):
            return None  # damaged: the caller fits again and put() replaces it
        if len(model.secondary_labels_) != len(model.labels_):
            return None
        return model

    def put(self, key: str, model) -> None:
        """Save a fitted model (with its training labels) under ``key``; failures are not fatal."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            staging = Path(tempfile.mkdtemp(prefix=".tmp-", dir=self.folder))
            model.save(staging)
            np.save(staging / "labels.npy", np.asarray(model.labels_, dtype=np.int64), allow_pickle=False)
            (staging / "secondary.json").write_text(json.dumps([list(map(int, s)) for s in model.secondary_labels_]),
                                                    encoding="utf-8")
            target = self.folder / key
            if target.exists():
                shutil.rmtree(target, ignore_errors=True)
            os.replace(staging, target)
        except OSError:
            shutil.rmtree(locals().get("staging", self.folder / ".none"), ignore_errors=True)
