"""Where model folders live: the one fact every embedding module needs, importing nothing of cxtext."""

from __future__ import annotations

import os
from pathlib import Path

ENV_MODELS_DIR = "CXTEXT_MODELS_DIR"


def models_dir() -> Path:
    """Folder holding built and saved models.

    ``$CXTEXT_MODELS_DIR`` if set; else ``<repo root>/models`` when running
    from a checkout that has that folder; else the per-user data folder
    ``platformdirs.user_data_dir("cxtext")/models``.
    """
    env = os.environ.get(ENV_MODELS_DIR)
    if env:
        return Path(env).expanduser()
    repo_models = Path(__file__).resolve().parents[2] / "models"
    if repo_models.is_dir():
        return repo_models
    import platformdirs

    return Path(platformdirs.user_data_dir("cxtext")) / "models"
