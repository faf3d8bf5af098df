"""Named, declarative pipelines: which stages run, with which parameters.

A pipeline is a YAML file in ``pipelines/`` (see ``survey_comments.yaml``).
This module only reads and checks it; :mod:`cxtext.analysis` runs it. The
CLI's ``analyze`` command loads ``survey_comments`` and overrides its
parameters with the flags given, so both paths share one definition.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from cxtext.errors import ConfigError

STAGES: tuple[str, ...] = (
    "load", "validate", "normalize", "embed", "reduce", "cluster", "label", "drivers", "export",
)
# Stages every analysis needs; the others may be left out of a pipeline.
REQUIRED_STAGES = ("load", "validate", "normalize")

DEFAULT_PARAMS: dict[str, Any] = {
    "seed": 0,
    "columns": {},
    "ces_scale": "auto",
    "ces_easy_end": "auto",
    "rating_scale": None,
    "normalize": {"all_social": False, "fold_duplicates": True, "languages": None, "redact_pii": True},
    "embed": {"model": "auto", "batch_size": 32, "backend": "auto"},
    "themes": {"min_theme_size": None, "reduction": "umap", "n_components": 5, "center_languages": True,
               "parents": None, "min_relative_coherence": 0.65, "reassign_threshold": None, "merge_threshold": None},
    "drivers": {"min_test_size": 10, "by": [], "trend": "M", "level": "theme"},
    "social": {"annotate": True, "competitors": [], "sentiment_model": "default"},
    "export": {"formats": ["csv"]},
}
# social.sentiment_model: "default" scores sentiment and kinds on multilingual-e5-small's vectors even when an
# English dump's themes run all-MiniLM-L6-v2 (one more embedding pass, cached; +2..7 points of accuracy on held-out
# English sets, bench/results/sentiment_heads.md); "themes" reuses the theme model's vectors (faster).
SENTIMENT_MODELS = ("default", "themes")
# Opt-in parameters: accepted like the others, but absent from a pipeline's params (and so from
# summary.json's "parameters") unless a pipeline file or an override sets them, so that adding
# one never changes the outputs of the pipelines that leave it out. Read with .get(key, default).
OPTIONAL_PARAMS: dict[str, dict[str, Any]] = {
    # mentions: theme each mention of long comments, rolled up (cxtext.text.mentions); taxonomy_rule: how
    # comments are matched to a --taxonomy (auto: "relative" from 150 comments, else "cluster";
    # cxtext.themes.taxonomy_match.default_rule)
    "themes": {"mentions": False, "taxonomy_rule": "auto"},
}
EXPORT_FORMATS = ("csv", "xlsx", "parquet", "json")
TAXONOMY_RULES = ("auto", "relative", "cluster")


def pipelines_dir() -> Path:
    """The project's ``pipelines/`` folder (beside the ``cxtext`` package)."""
    return Path(__file__).resolve().parents[1] / "pipelines"


@dataclass(frozen=True)
class PipelineConfig:
    """A checked pipeline: its name, the stages to run and their parameters."""

    name: str
    stages: tuple[str, ...]
    params: dict[str, Any] = field(default_factory=dict)
    description: str = ""

    def runs(self, stage: str) -> bool:
        return stage in self.stages

    def with_overrides(self, overrides: dict[str, Any]) -> "PipelineConfig":
        """A copy whose params are updated by ``overrides`` (nested dicts merge; None values are skipped)."""
        params = _merge(copy.deepcopy(self.params), overrides)
        return PipelineConfig(self.name, self.stages, _checked_params(params, self.name), self.description)


def load_pipeline(name_or_path: str | Path) -> PipelineConfig:
    """Load ``pipelines/NAME.yaml`` by name, or any YAML file by path."""
    if not isinstance(name_or_path, (str, Path)):
        raise ConfigError(f"pipeline must be a pipeline's name, the path of a YAML file or a PipelineConfig; got "
                          f"{type(name_or_path).__name__}. Known pipelines: "
                          f"{', '.join(sorted(p.stem for p in pipelines_dir().glob('*.yaml')))}.")
    path = Path(name_or_path)
    if not path.suffix:
        path = pipelines_dir() / f"{name_or_path}.yaml"
    if not path.is_file():
        known = sorted(p.stem for p in pipelines_dir().glob("*.yaml"))
        raise ConfigError(f"pipeline '{name_or_path}' not found. Known pipelines: {', '.join(known)}; "
                          "or pass the path of a YAML file.")
    try:
        spec = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path.name}: is not valid YAML ({exc}).") from exc
    if not isinstance(spec, dict):
        raise ConfigError(f"{path.name}: must be a mapping with name, stages and params.")
    unknown_keys = set(spec) - {"name", "description", "stages", "params"}
    if unknown_keys:
        raise ConfigError(f"{path.name}: unknown key(s) {sorted(unknown_keys)}; "
                          "allowed: name, description, stages, params.")
    stages = tuple(spec.get("stages") or STAGES)
    unknown = [s for s in stages if s not in STAGES]
    if unknown:
        raise ConfigError(f"{path.name}: unknown stage(s) {unknown}; stages are {', '.join(STAGES)}.")
    missing = [s for s in REQUIRED_STAGES if s not in stages]
    if missing:
        raise ConfigError(f"{path.name}: stage(s) {missing} are required in every pipeline.")
    params = _merge(copy.deepcopy(DEFAULT_PARAMS), spec.get("params") or {}, where=path.name)
    name = str(spec.get("name") or path.stem)
    return PipelineConfig(name, stages, _checked_params(params, path.name), str(spec.get("description", "")))


def _merge(base: dict[str, Any], update: dict[str, Any], where: str = "overrides") -> dict[str, Any]:
    for key, value in update.items():
        if key not in base and key not in DEFAULT_PARAMS:
            raise ConfigError(f"{where}: unknown parameter '{key}'; known: {', '.join(DEFAULT_PARAMS)}.")
        if value is None:
            continue
        if isinstance(base.get(key), dict) and key != "columns":
            if not isinstance(value, dict):
                raise ConfigError(f"{where}: parameter '{key}' must be a mapping, got {value!r}.")
            for sub_key, sub_value in value.items():
                if sub_key not in DEFAULT_PARAMS[key] and sub_key not in OPTIONAL_PARAMS.get(key, {}):
                    raise ConfigError(f"{where}: unknown parameter '{key}.{sub_key}'; "
                                      f"known: {', '.join([*DEFAULT_PARAMS[key], *OPTIONAL_PARAMS.get(key, {})])}.")
                if sub_value is not None or sub_key in ("min_theme_size", "languages", "parents"):
                    base[key][sub_key] = sub_value
        elif key == "columns":
            base[key] = {**(base.get(key) or {}), **{k: v for k, v in (value or {}).items() if v}}
        else:
            base[key] = value
    return base


def _checked_params(params: dict[str, Any], where: str) -> dict[str, Any]:
    if params["ces_scale"] not in ("auto", "1-4", "1-5", "1-7"):
        raise ConfigError(f"{where}: ces_scale must be 'auto', '1-4', '1-5' or '1-7'. Got {params['ces_scale']!r} "
                          "instead.")
    if params["ces_easy_end"] not in ("auto", "low", "high"):
        raise ConfigError(f"{where}: ces_easy_end must be 'auto', 'low' or 'high'. "
                          f"Got {params['ces_easy_end']!r} instead.")
    rating_scale = params.get("rating_scale")
    if rating_scale is not None and not re.fullmatch(r"\d+-\d+", str(rating_scale)):
        raise ConfigError(f"{where}: rating_scale must be LOW-HIGH such as '1-5' or '1-10' ('5-1' when 1 is the "
                          f"best answer), or null (detected). Got {rating_scale!r} instead.")
    size = params["themes"]["min_theme_size"]
    if size is not None and (not isinstance(size, int) or isinstance(size, bool) or size < 2):
        raise ConfigError(f"{where}: themes.min_theme_size must be an int >= 2 or null. Got {size!r} instead.")
    if not isinstance(params["seed"], int) or isinstance(params["seed"], bool):
        raise ConfigError(f"{where}: seed must be an int. Got {params['seed']!r} instead.")
    bad_by = [b for b in params["drivers"]["by"] or [] if b not in ("source", "segment", "month", "text_column")]
    if bad_by:
        raise ConfigError(f"{where}: drivers.by accepts source, segment, month, text_column. Got {bad_by} instead.")
    if params["drivers"]["trend"] not in ("W", "M", None):
        raise ConfigError(f"{where}: drivers.trend must be W (weekly), M (monthly) or null. "
                          f"Got {params['drivers']['trend']!r} instead.")
    formats = params["export"]["formats"]
    bad = [f for f in formats if f not in EXPORT_FORMATS]
    if bad:
        raise ConfigError(f"{where}: unknown export format(s) {bad}; choose from {', '.join(EXPORT_FORMATS)}.")
    parents = params["themes"]["parents"]
    if parents is not None and (not isinstance(parents, int) or isinstance(parents, bool) or parents < 1):
        raise ConfigError(f"{where}: themes.parents must be an int >= 1 or null (automatic). Got {parents!r} instead.")
    if params["drivers"]["level"] not in ("theme", "parent"):
        raise ConfigError(f"{where}: drivers.level must be theme or parent. Got {params['drivers']['level']!r} instead.")
    from cxtext.embed.recipes import BACKENDS

    if params["embed"]["backend"] not in BACKENDS:
        raise ConfigError(f"{where}: embed.backend must be one of {', '.join(BACKENDS)}. "
                          f"Got {params['embed']['backend']!r} instead.")
    if not isinstance(params["social"]["annotate"], bool):
        raise ConfigError(f"{where}: social.annotate must be true or false. Got {params['social']['annotate']!r} instead.")
    if params["social"]["sentiment_model"] not in SENTIMENT_MODELS:
        raise ConfigError(f"{where}: social.sentiment_model must be one of {', '.join(SENTIMENT_MODELS)}. "
                          f"Got {params['social']['sentiment_model']!r} instead.")
    competitors = params["social"]["competitors"]
    if not isinstance(competitors, (list, dict)):
        raise ConfigError(f"{where}: social.competitors must be a list of names or a mapping name -> [aliases]. "
                          f"Got {competitors!r} instead.")
    if not isinstance(params["themes"]["center_languages"], bool):
        raise ConfigError(f"{where}: themes.center_languages must be true or false. "
                          f"Got {params['themes']['center_languages']!r} instead.")
    ratio = params["themes"]["min_relative_coherence"]
    if ratio is not None and (isinstance(ratio, bool) or not isinstance(ratio, (int, float)) or not 0 <= ratio <= 1):
        raise ConfigError(f"{where}: themes.min_relative_coherence must be a number from 0 to 1 (a fraction of the "
                          f"median theme's coherence) or null (keep catch-all themes). Got {ratio!r} instead.")
    quantile = params["themes"]["reassign_threshold"]
    if quantile is not None and (isinstance(quantile, bool) or not isinstance(quantile, (int, float))
                                 or not 0 <= quantile < 1):
        raise ConfigError(f"{where}: themes.reassign_threshold must be a quantile from 0 to below 1, or null (every "
                          f"comment HDBSCAN leaves out joins its nearest theme). Got {quantile!r} instead.")
    merge = params["themes"]["merge_threshold"]
    if merge is not None and (isinstance(merge, bool) or not isinstance(merge, (int, float))):
        raise ConfigError(f"{where}: themes.merge_threshold must be a z-score such as 7.0, or null (no merging). "
                          f"Got {merge!r} instead.")
    if not isinstance(params["themes"].get("mentions", False), bool):
        raise ConfigError(f"{where}: themes.mentions must be true or false. "
                          f"Got {params['themes']['mentions']!r} instead.")
    if params["themes"].get("taxonomy_rule", "auto") not in TAXONOMY_RULES:
        raise ConfigError(f"{where}: themes.taxonomy_rule must be one of {', '.join(TAXONOMY_RULES)}. "
                          f"Got {params['themes']['taxonomy_rule']!r} instead.")
    if params["themes"]["reduction"] not in ("umap", "pca", "none"):
        raise ConfigError(f"{where}: themes.reduction must be umap, pca or none. "
                          f"Got {params['themes']['reduction']!r} instead.")
    return params
