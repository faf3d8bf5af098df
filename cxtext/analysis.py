"""``analyze``: the one entry point the CLI, the pipelines and the app call.

It composes the stages (read -> detect columns -> validate -> normalize -> embed -> themes ->
drivers -> summary) as configured by a :class:`~cxtext.pipeline.PipelineConfig` and returns an
:class:`Analysis` (:mod:`cxtext.result`, re-exported here): only the wiring, the timings and the
bookkeeping that keeps every input row accounted for. Each stage's glue on the records table lives with it: :mod:`cxtext.theming`,
:mod:`cxtext.tables`, :mod:`cxtext.summary`, :mod:`cxtext.edits` (theme edits on the rows),
:func:`cxtext.social.annotate_analysed`; :mod:`cxtext.outputs` writes. Imports no face.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from cxtext.embed.choice import ModelChoice, model_for
from cxtext.errors import ConfigError, ValidationError
from cxtext.io.columns import MappingDecision, detect_columns
from cxtext.io.read import read_table
from cxtext.io.table import LoadedTable
from cxtext.io.warnings import summary_warnings
from cxtext.themes.split_hints import split_hints
from cxtext.pipeline import PipelineConfig, load_pipeline
from cxtext.result import Analysis
from cxtext.schema import DEFAULT_CES_SCALE, ScoreScale
from cxtext.summary import build_summary, no_themes_reason
from cxtext.tables import drivers_for, empty_drivers, theme_labels, theme_table
from cxtext.text.mentions import mention_summary
from cxtext.text.normalize import normalize
from cxtext.theming import (assign_mention_themes, attach_themes, fit_mention_themes, fit_themes, rows_to_embed,
                            scores_only_records, with_taxonomy)
from cxtext.validate import validate

# progress(stage, done, total): stage is one of "load", "validate",
# "normalize", "embed", "annotate", "themes" (then "reduce", "cluster",
# "label" while themes are fitted), "drivers"; done/total count items in it.
ProgressCallback = Callable[[str, int, int], None]



def analyze(
    data: str | Path | pd.DataFrame | LoadedTable,
    *,
    text: str | list[str] | None = None,
    nps: str | None = None,
    ces: str | None = None,
    csat: str | None = None,
    rating: str | None = None,
    date: str | None = None,
    source: str | None = None,
    segment: str | None = None,
    id: str | None = None,
    ces_scale: str | None = None,
    ces_easy_end: str | None = None,
    rating_scale: str | None = None,
    model: str | None = None,
    min_theme_size: int | None = None,
    seed: int | None = None,
    themes: str | Path | None = None,
    taxonomy: Any = None,
    taxonomy_rule: str | None = None,
    competitors: list[str] | dict[str, list[str]] | None = None,
    pipeline: str | Path | PipelineConfig | None = "survey_comments",
    sheet: str | int | None = None,
    embedder: Any = None,
    cache_path: str | Path | None = None,
    progress: ProgressCallback | None = None,
) -> Analysis:
    """Analyse a comment dump end to end.

    ``data``: a file path (CSV, TSV, XLSX, JSON, JSONL, Parquet) or a
    DataFrame. Column roles (``text``, one column or a list of several,
    ``nps`` 0-10, ``ces`` on ``ces_scale`` "1-5"/"1-7" whose easy end is
    ``ces_easy_end`` "high"/"low", ``csat`` 1-5, ``rating`` (stars or a
    review score on ``rating_scale``, detected unless given, e.g. "1-10"),
    ``date``, ``source``, ``segment``, ``id``) are detected from headers and
    content unless named; ``summary["mapping_reasons"]`` says why. ``model``: "auto" (the pipelines' default:
    all-MiniLM-L6-v2 for English dumps, else multilingual-e5-small; ``summary["model_choice"]`` says why),
    "default" (multilingual-e5-small), "minilm", a local folder or a model name.
    ``themes``: a saved ThemeModel folder to reuse instead of discovering
    themes. ``taxonomy``: a team's own themes (a file or a :class:`~cxtext.themes.taxonomy.Taxonomy`);
    ``taxonomy_rule`` how comments join them: "auto" (by the dump's size), "relative" or "cluster"
    (``--taxonomy-rule``, the pipeline's ``themes.taxonomy_rule``). ``competitors``: names to find in every comment, a list or
    ``{name: [aliases]}`` (:mod:`cxtext.social.competitors`). ``embedder``: any object with ``model_id`` and
    ``encode(texts, progress)`` (bypasses ``model``). Arguments left as
    ``None`` take the pipeline's values.
    """
    config = pipeline if isinstance(pipeline, PipelineConfig) else load_pipeline(
        "survey_comments" if pipeline is None else pipeline)
    config = config.with_overrides({
        "seed": seed,
        "columns": {"text": text, "nps": nps, "ces": ces, "csat": csat, "rating": rating, "date": date,
                    "source": source, "segment": segment, "id": id},
        "ces_scale": ces_scale,
        "ces_easy_end": ces_easy_end,
        "rating_scale": rating_scale,
        "embed": {"model": model},
        "themes": {**({"min_theme_size": min_theme_size} if min_theme_size is not None else {}),
                   **({"taxonomy_rule": taxonomy_rule} if taxonomy_rule is not None else {})},
        "social": {"competitors": competitors},
    })
    if taxonomy_rule is not None and taxonomy is None:
        raise ConfigError("taxonomy_rule says how comments are matched to a taxonomy: give the taxonomy with "
                          "taxonomy=FILE, or leave taxonomy_rule out.")
    return run_pipeline(config, data, themes=themes, taxonomy=taxonomy, sheet=sheet, embedder=embedder,
                        cache_path=cache_path, progress=progress)


def run_pipeline(
    config: PipelineConfig,
    data: str | Path | pd.DataFrame | LoadedTable,
    *,
    themes: str | Path | None = None,
    taxonomy: Any = None,
    sheet: str | int | None = None,
    embedder: Any = None,
    cache_path: str | Path | None = None,
    progress: ProgressCallback | None = None,
    on_columns: Callable[[LoadedTable, MappingDecision], None] | None = None,
) -> Analysis:
    """Run a configured pipeline on ``data``; see :func:`analyze`.

    ``on_columns(table, decision)`` is called once the columns are mapped,
    before any comment is analysed (the CLI prints the mapping there).
    """
    report = progress or (lambda stage, done, total: None)
    if taxonomy is not None:
        from cxtext.themes.taxonomy import load_taxonomy

        if themes is not None:
            raise ValidationError("Pass either a saved theme model (--themes) or a taxonomy (--taxonomy), not "
                                  "both: a model saved from a taxonomy run already holds its themes.")
        taxonomy = load_taxonomy(taxonomy)  # fail on a bad file before any embedding
    params = config.params
    timings: dict[str, float] = {}
    lap = stage_timer(timings)

    report("load", 0, 1)
    table = data if isinstance(data, LoadedTable) else read_table(data, sheet=sheet)
    decision = detect_columns(table.frame.columns, frame=table.frame, questions=table.questions,
                              source_name=table.name,
                              rating_scale=params["rating_scale"], ces_scale=params["ces_scale"],
                              ces_easy_end=params["ces_easy_end"], **params["columns"])
    if on_columns is not None:
        on_columns(table, decision)
    lap("load")

    scale = decision.ces_scale or DEFAULT_CES_SCALE  # no CES column: the default, never used
    report("validate", 0, len(table.frame))
    records = validate(table.frame, decision.mapping, scale, source_name=table.name,
                       rating_scale=decision.rating_scale)
    lap("validate")

    report("normalize", 0, len(records))
    if decision.scores_only:  # no comment column: the scores are analysed alone, nothing to normalize or theme
        records = scores_only_records(records)
    else:
        from cxtext.store import LabelCache

        with LabelCache(Path(cache_path) if cache_path else None) as language_cache:
            records = normalize(records, **params["normalize"], language_cache=language_cache)
    lap("normalize")

    theme_model = None
    embeddings = None
    cache_stats: dict[str, int] = {}
    model_id = None
    choice = None
    sentiment_info = None
    mentions = None
    if decision.scores_only:
        pass  # scores_only_records set every row's theme codes (-3, not themed)
    elif config.runs("embed") and config.runs("cluster") or themes is not None:
        from cxtext.embed import CachedEmbedder, SentenceTransformerEmbedder
        from cxtext.store import EmbeddingCache
        from cxtext.themes import ThemeModel

        saved = ThemeModel.load(themes) if themes is not None else None
        embed_rows = rows_to_embed(records)
        texts = records.loc[embed_rows, "clean_text"].tolist()
        choice = model_for(params["embed"]["model"], records.loc[embed_rows, "language"], saved, embedder, texts)
        model_name = choice.model
        base = embedder or SentenceTransformerEmbedder(model=model_name, batch_size=params["embed"]["batch_size"],
                                                       backend=params["embed"]["backend"])
        cached = CachedEmbedder(base, EmbeddingCache(Path(cache_path) if cache_path else None))
        vectors = cached.encode(texts, progress=lambda done, total: report("embed", done, total))
        model_id = cached.model_id
        cache_stats = {"hits": int(cached.last_hits_), "misses": int(cached.last_misses_)}
        embeddings = row_matrix(vectors, embed_rows)
        lap("embed")
        if params["social"]["annotate"]:
            from cxtext.social import annotate_analysed, sentiment_model_info

            report("annotate", 0, 1)
            annotator, annotate_vectors = base, embeddings
            if embedder is None and params["social"]["sentiment_model"] == "default" \
                    and not is_default_model(model_name):
                # an English dump's themes run MiniLM; sentiment and kinds read the default model's vectors
                annotator, annotate_vectors = default_model_vectors(params, cache_path, texts, embed_rows, report)
            records = annotate_analysed(records, annotate_vectors, annotator, params["social"]["competitors"])
            sentiment_info = sentiment_model_info(annotator)
            lap("annotate")

        report("themes", 0, 1)
        if saved is not None and getattr(saved, "themed_unit_", "comment") == "mention" and texts:
            # a model learnt from mentions themes the new comments' mentions, as when it was fitted
            theme_model = saved
            primary, all_ids, mentions = assign_mention_themes(saved, records, embed_rows, vectors, cached, report)
        elif saved is not None:
            theme_model = saved
            assigned = saved.transform(texts, vectors, languages=records.loc[embed_rows, "language"].tolist())
            primary = assigned["theme_id"].to_numpy()
            all_ids = assigned["theme_ids"].tolist()
        elif not texts:
            # every row rejected, empty or a non-answer: nothing to learn themes from
            theme_model, primary, all_ids = None, np.array([], dtype=int), []
        elif params["themes"].get("mentions"):
            theme_model, primary, all_ids, mentions, reused = fit_mention_themes(
                params, model_name, model_id, records, embed_rows, vectors, cached, cache_path, report, taxonomy)
            cache_stats["theme_fit"] = "cached" if reused else "fitted"
        else:
            languages = records.loc[embed_rows, "language"].tolist()
            theme_model, reused = fit_themes(params, model_name, model_id, texts, vectors, languages,
                                             cache_path, report)
            cache_stats["theme_fit"] = "cached" if reused else "fitted"
            if taxonomy is not None:
                theme_model = with_taxonomy(theme_model, taxonomy, cached, texts, vectors, languages, report,
                                            params["themes"].get("taxonomy_rule", "auto"))
            if params["social"]["annotate"]:  # a praise phrase does not name a theme of complaints (nor the reverse)
                from cxtext.social import phrase_sentiment
                from cxtext.themes.polarity import relabel_against_polarity

                relabel_against_polarity(theme_model, texts, vectors, languages,
                                         records.loc[embed_rows, "sentiment"].tolist(),
                                         judge=lambda phrases: phrase_sentiment(phrases, annotator))
            primary = theme_model.labels_
            all_ids = [";".join(map(str, [p, *extra])) if p >= 0 else ""
                       for p, extra in zip(primary, theme_model.secondary_labels_)]
        records = attach_themes(records, embed_rows, primary, all_ids)
        lap("themes")
    else:
        records = attach_themes(records, np.zeros(len(records), dtype=bool), np.array([], dtype=int), [])

    return finish_analysis(table, decision, records, theme_model, embeddings, config, scale, model_id,
                           cache_stats, timings, report, lap, model_choice=choice, sentiment_model=sentiment_info,
                           mentions=mentions)


def finish_analysis(table: LoadedTable, decision: MappingDecision, records: pd.DataFrame, theme_model: Any,
                    embeddings: np.ndarray | None, config: PipelineConfig, scale: ScoreScale, model_id: str | None,
                    cache_stats: dict[str, Any], timings: dict[str, float], report: ProgressCallback,
                    lap: Callable[[str], None], model_choice: ModelChoice | None = None,
                    sentiment_model: dict[str, Any] | None = None, mentions: pd.DataFrame | None = None) -> Analysis:
    """The stages after theming, shared by both engines: theme table, labels, drivers, summary.

    ``mentions``: the mentions themes were learnt from (``themes.mentions``), None for whole comments."""
    theme_frame = theme_table(records, theme_model, config.params["themes"]["parents"])
    records["theme_label"] = theme_labels(records["theme_id"], theme_frame)
    report("drivers", 0, 1)
    drivers = drivers_for(records, theme_frame, config, scale) if config.runs("drivers") else empty_drivers()
    lap("drivers")
    summary = build_summary(table, decision, records, theme_frame, theme_model, config, scale,
                       model_id, cache_stats, timings)
    # what the driver ranking stands on (nps, rating, csat, ces, sentiment or volume), for every face
    summary["priority_basis"] = drivers.attrs.get("priority_basis")
    summary["model_choice"] = model_choice.as_dict() if model_choice is not None else None
    # which sentiment model scored the comments (a trained head, or the seed classifier and why)
    summary["sentiment_model"] = sentiment_model
    if theme_model is not None:  # what was themed, whole comments or their mentions, and why
        summary["mentions"] = mention_summary(records.loc[rows_to_embed(records), "clean_text"].tolist(), mentions)
    # scores rejected in bulk, headline figures on a minority of rows, thin taxonomy themes (it reads the
    # mentions block, so it comes after it): said in summary.json, the CLI, the app and the report
    analysis = Analysis(summary, records, theme_frame, drivers, config, theme_model, embeddings, scale, timings,
                        mentions)
    # themes whose halves differ in detractor rate or rating (a person decides whether to split them)
    hints = split_hints(analysis) if config.runs("drivers") else None
    if hints is not None:
        summary["split_hints"] = hints
    summary["warnings"] = [w.as_dict() for w in summary_warnings(summary)]
    if not summary.get("theme_count"):  # empty themes and drivers must say why, in every face
        summary["no_themes_reason"] = no_themes_reason(summary, config, theme_model)
    return analysis


def stage_timer(timings: dict[str, float]) -> Callable[[str], None]:
    """``lap(stage)`` records the seconds since the previous lap (or creation) in ``timings``."""
    clock = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[stage] = round(now - clock, 4)
        clock = now

    return lap


def default_model_vectors(params: dict[str, Any], cache_path: str | Path | None, texts: list[str],
                          embed_rows: np.ndarray, report: ProgressCallback) -> tuple[Any, np.ndarray]:
    """The default model's embedder and its vectors for ``texts`` (one row per record, NaN where not embedded).

    Used for sentiment and kinds when the themes run another model (``social.sentiment_model: default``).
    """
    from cxtext.embed import CachedEmbedder, SentenceTransformerEmbedder
    from cxtext.store import EmbeddingCache

    annotator = SentenceTransformerEmbedder(model="default", batch_size=params["embed"]["batch_size"],
                                            backend=params["embed"]["backend"])
    cached = CachedEmbedder(annotator, EmbeddingCache(Path(cache_path) if cache_path else None))
    vectors = cached.encode(texts, progress=lambda done, total: report("annotate", done, total))
    return annotator, row_matrix(vectors, embed_rows)


def row_matrix(vectors: np.ndarray, embed_rows: np.ndarray) -> np.ndarray:
    """One row per record: the vectors of the embedded rows (``embed_rows`` mask), NaN elsewhere."""
    full = np.full((len(embed_rows), vectors.shape[1] if vectors.ndim == 2 else 0), np.nan, dtype=np.float32)
    full[np.flatnonzero(embed_rows)] = vectors
    return full


def is_default_model(name: str) -> bool:
    """Whether the model name means multilingual-e5-small, the model the default sentiment head reads."""
    from cxtext.embed import resolve_model
    from cxtext.errors import ModelError

    try:
        return resolve_model(name, build_missing=False).model_id == resolve_model("default", build_missing=False).model_id
    except ModelError:
        return False
