"""The saved folder of a :class:`~cxtext.themes.ThemeModel`.

**Saved folder** (:meth:`ThemeModel.save` / :meth:`ThemeModel.load`, no pickle): ``model.json``
(format, cxtext version, parameters, embedding model and dimension,
calibration, themes with labels, keywords, quotes, languages, prototypes with
thresholds and current theme ids, edits) and ``centroids.npy`` (float32, one
row per prototype, i.e. per fitted theme including merged/deleted ones, with
a split theme's prototypes replaced by its parts'; with no edits it equals
``centroids_``). ``labels_`` and ``secondary_labels_``
describe the training comments and are not saved.

The format is versioned (``FORMAT_VERSION``); :func:`load` treats the keys an
older cxtext may not have written as optional (``fit_rule``, ``themed_unit``, ``small_corpus``,
``small_corpus_cut``, ``edits``, ``language_means``, a theme's
``label_language``, ``origin``, ``parent`` and ``description``; ``tentative``
is recomputed), so folders saved by older versions still load.

Interface: :func:`to_dict` and :func:`save` read the fitted model's public
attributes, parameters (``model.get_params()``), prototypes (``_proto``,
``_proto_theme``, ``_proto_threshold``, ``_proto_size``), theme records
(``_themes``), ``edits_`` and ``language_means_``; :func:`load` takes the class
(``load(ThemeModel, path)``), builds one from the saved parameters, sets the
same attributes and calls ``model._refresh()``.
"""

from __future__ import annotations

import json
import math
import numbers
from pathlib import Path

import numpy as np

from cxtext.errors import ModelError, ValidationError
from cxtext.themes.params import PARAMS
from cxtext.themes.small_corpus import TENTATIVE_SIZE
from cxtext.themes.geometry import MIN_ASSIGN_Z

FORMAT_VERSION = 1
MODEL_FILE = "model.json"
CENTROIDS_FILE = "centroids.npy"
_OLD_FIT_RULE = "not recorded (saved by an older cxtext)"


def _version() -> str:
    try:
        from cxtext import __version__

        return str(__version__)
    except Exception:  # pragma: no cover
        return "unknown"


def to_dict(model) -> dict:
    """Everything :func:`save` writes to ``model.json``."""
    model._check_fitted()
    params = model.get_params()
    rs = params["random_state"]
    params["random_state"] = rs if rs is None or isinstance(rs, numbers.Integral) else model.seed_
    if isinstance(params["merge_threshold"], float) and math.isinf(params["merge_threshold"]):
        params["merge_threshold"] = "inf" if params["merge_threshold"] > 0 else "-inf"
    return {
        "format": "cxtext.ThemeModel",
        "format_version": FORMAT_VERSION,
        "cxtext_version": _version(),
        "params": params,
        "embedding_model": model.embedding_model,
        "embedding_dim": int(model.dim_),
        "seed": int(model.seed_),
        "n_texts": int(model.n_texts_),
        "raw_unthemed_share": float(model.raw_unthemed_share_),
        "unthemed_share": float(model.unthemed_share_),
        "calibration": {"sim_mean": float(model.sim_mean_), "sim_std": float(model.sim_std_)},
        "fit_rule": str(getattr(model, "fit_rule_", _OLD_FIT_RULE)),
        # "mention": learnt from the comments' mentions (themes.mentions); reused on mentions too
        "themed_unit": str(getattr(model, "themed_unit_", "comment")),
        "small_corpus": bool(getattr(model, "small_corpus_", False)),
        "small_corpus_cut": getattr(model, "small_corpus_cut_", None),
        "tentative_size": TENTATIVE_SIZE,
        "thresholds": {
            "rule": "cosine to a prototype >= its threshold; threshold = quantile(reassign_threshold) "
            "of the theme's core-comment cosines, floored at min(sim_mean + 2 * sim_std, median core cosine)",
            "secondary_margin_cosine": float(model.secondary_margin) * float(model.sim_std_),
            "min_assign_z": MIN_ASSIGN_Z,
        },
        "themes": [
            {
                "theme_id": t,
                "label": r["label"],
                "keywords": r["keywords"],
                "keywords_by_language": r["keywords_by_language"],
                "label_language": r.get("label_language"),
                "size": int(r["size"]),
                "languages": r["languages"],
                "quotes": r["quotes"],
                "origin": r.get("origin", "discovered"),
                "parent": r.get("parent", ""),
                "description": r.get("description", ""),
                "tentative": t in model.tentative_,
            }
            for t, r in sorted(model._themes.items())
        ],
        "prototypes": [
            {
                "row": i,
                "theme_id": int(model._proto_theme[i]) if model._proto_theme[i] >= 0 else None,
                "threshold": float(model._proto_threshold[i]),
                "size": int(model._proto_size[i]),
            }
            for i in range(model._proto.shape[0])
        ],
        "edits": list(model.edits_),
        "language_means": {code: [float(v) for v in mean] for code, mean in model.language_means_.items()},
    }


def save(model, path) -> Path:
    """Write the model to folder ``path`` (created if needed): model.json + centroids.npy."""
    model._check_fitted()
    folder = Path(path)
    if folder.exists() and not folder.is_dir():
        raise ValidationError(f"Cannot save a ThemeModel to {str(folder)!r}: it is a file, not a folder.")
    folder.mkdir(parents=True, exist_ok=True)
    data = model.to_dict()
    np.save(folder / CENTROIDS_FILE, model._proto.astype(np.float32), allow_pickle=False)
    (folder / MODEL_FILE).write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return folder


def load(cls, path):
    """Read a folder written by :func:`save` into a new ``cls`` (ThemeModel).

    Raises ModelError if it is missing or damaged."""
    folder = Path(path)
    meta_path, cent_path = folder / MODEL_FILE, folder / CENTROIDS_FILE
    if not folder.is_dir() or not meta_path.is_file() or not cent_path.is_file():
        raise ModelError(
            f"No saved theme model in {str(folder)!r}: expected a folder with {MODEL_FILE} and "
            f"{CENTROIDS_FILE}, as written by ThemeModel.save."
        )
    try:
        data = json.loads(meta_path.read_text(encoding="utf-8"))
        proto = np.load(cent_path, allow_pickle=False)
    except (ValueError, OSError) as exc:
        raise ModelError(f"The theme model in {str(folder)!r} cannot be read ({exc}). Save it again.") from exc
    if data.get("format") != "cxtext.ThemeModel" or int(data.get("format_version", -1)) > FORMAT_VERSION:
        raise ModelError(
            f"{str(meta_path)!r} is not a theme model this cxtext ({_version()}) can read "
            f"(format {data.get('format')!r}, version {data.get('format_version')!r})."
        )
    try:
        params = dict(data["params"])
        if isinstance(params.get("merge_threshold"), str):
            params["merge_threshold"] = float(params["merge_threshold"])
        model = cls(**{k: params[k] for k in PARAMS if k in params})
        protos = data["prototypes"]
        if proto.ndim != 2 or proto.shape[0] != len(protos) or proto.shape[1] != int(data["embedding_dim"]):
            raise ModelError(
                f"{CENTROIDS_FILE} has shape {proto.shape} but {MODEL_FILE} describes "
                f"{len(protos)} prototypes of dimension {data['embedding_dim']}."
            )
        model.seed_ = int(data["seed"])
        model.dim_ = int(data["embedding_dim"])
        model.n_texts_ = int(data["n_texts"])
        model.raw_unthemed_share_ = float(data["raw_unthemed_share"])
        model.unthemed_share_ = float(data["unthemed_share"])
        model.sim_mean_ = float(data["calibration"]["sim_mean"])
        model.sim_std_ = float(data["calibration"]["sim_std"])
        # folders saved before the small-corpus rule have neither: defaults
        model.fit_rule_ = str(data.get("fit_rule", _OLD_FIT_RULE))
        if data.get("themed_unit", "comment") == "mention":
            model.themed_unit_ = "mention"
        model.small_corpus_ = bool(data.get("small_corpus", False))
        cut = data.get("small_corpus_cut")
        model.small_corpus_cut_ = None if cut is None else float(cut)
        model._proto = proto.astype(np.float32)
        model._proto_theme = np.array(
            [-1 if p["theme_id"] is None else int(p["theme_id"]) for p in protos], dtype=np.int64
        )
        model._proto_threshold = np.array([float(p["threshold"]) for p in protos], dtype=np.float64)
        model._proto_size = np.array([int(p["size"]) for p in protos], dtype=np.int64)
        model._themes = {
            int(t["theme_id"]): {
                "label": t["label"],
                "keywords": [[str(a), float(b)] for a, b in t["keywords"]],
                "keywords_by_language": {k: list(v) for k, v in t["keywords_by_language"].items()},
                "label_language": t.get("label_language"),
                "size": int(t["size"]),
                "languages": {k: float(v) for k, v in t["languages"].items()},
                "quotes": list(t["quotes"]),
                "origin": t.get("origin", "discovered"),
                "parent": t.get("parent", ""),
                "description": t.get("description", ""),
            }
            for t in data["themes"]
        }
        model.edits_ = list(data.get("edits", []))
        model.language_means_ = {
            str(code): np.asarray(mean, dtype=np.float32) for code, mean in data.get("language_means", {}).items()
        }
        if any(mean.shape != (model.dim_,) for mean in model.language_means_.values()):
            raise ModelError(f"The language means in {str(meta_path)!r} do not have {model.dim_} dimensions.")
    except ModelError:
        raise
    except (KeyError, TypeError, ValueError) as exc:
        raise ModelError(f"{str(meta_path)!r} is incomplete or damaged ({exc!r}). Save the model again.") from exc
    model._refresh()
    return model


