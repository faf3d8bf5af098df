"""Embedding: the embed stage of the flow (texts -> unit-length float32 vectors, cached).

``paths``     where model folders live (imports nothing of cxtext)
``build``     builds the default model (multilingual-e5-small) from PyPI packages, offline
``models``    which model a name means (:func:`resolve_model`), the :class:`Embedder` protocol
``backends``  how a model runs: torch, ONNX (int8), Model2Vec; built once per model
``embedder``  :class:`SentenceTransformerEmbedder` and :class:`CachedEmbedder`

Imports flow paths -> build -> models -> backends -> embedder (function-level imports included);
the package may also import ``cxtext.errors`` and ``cxtext.store`` (the vector cache), never
themes, drivers or the faces (analysis, cli, app).
"""

from cxtext.embed.embedder import CachedEmbedder, SentenceTransformerEmbedder
from cxtext.embed.models import E5_PREFIX, MINILM_ID, Embedder, Progress, ResolvedModel, minilm_dir, resolve_model
from cxtext.embed.paths import ENV_MODELS_DIR, models_dir

__all__ = ["CachedEmbedder", "E5_PREFIX", "ENV_MODELS_DIR", "Embedder", "MINILM_ID", "Progress", "ResolvedModel",
           "SentenceTransformerEmbedder", "minilm_dir", "models_dir", "resolve_model"]
