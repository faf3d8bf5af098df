"""cxtext: find the themes in customer feedback that drive detractors.

Public API (imported lazily, so ``import cxtext`` stays fast; the embedding
stack loads only when comments are embedded)::

    cxtext.load(path_or_frame, ...)      -> Feedback (validated records)
    cxtext.analyze(path_or_frame, ...)   -> Analysis (.summary, .assignments, .themes, .drivers)
    cxtext.ThemeModel                    fit / transform / save / load / rename / merge / delete
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "load": ("cxtext.ingest", "load"),
    "Feedback": ("cxtext.ingest", "Feedback"),
    "analyze": ("cxtext.analysis", "analyze"),
    "run_pipeline": ("cxtext.analysis", "run_pipeline"),
    "Analysis": ("cxtext.analysis", "Analysis"),
    "load_pipeline": ("cxtext.pipeline", "load_pipeline"),
    "ThemeModel": ("cxtext.themes", "ThemeModel"),
    "ColumnMapping": ("cxtext.schema", "ColumnMapping"),
    "ScoreScale": ("cxtext.schema", "ScoreScale"),
    "CxtextError": ("cxtext.errors", "CxtextError"),
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'cxtext' has no attribute {name!r}")
    import importlib

    module_name, attribute = _EXPORTS[name]
    return getattr(importlib.import_module(module_name), attribute)
