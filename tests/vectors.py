"""Small synthetic vectors for tests of the vector-only stages (taxonomy matching, neighbours, votes)."""

from __future__ import annotations

import numpy as np


def unit_blobs(seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Three tight, far-apart groups of 40 unit vectors in 16 dimensions: (vectors, group per row, directions)."""
    rng = np.random.default_rng(seed)
    centres = np.eye(16)[:3]
    X = np.concatenate([c + 0.15 * rng.standard_normal((40, 16)) for c in centres])
    return X / np.linalg.norm(X, axis=1, keepdims=True), np.repeat(np.arange(3), 40), centres
