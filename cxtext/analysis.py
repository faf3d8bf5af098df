"""``analyze``: the one entry point the CLI, the pipelines and the app call.

It composes the stages (load -> validate -> normalize -> embed -> themes ->
drivers) as configured by a :class:`~cxtext.pipeline.PipelineConfig` and
returns an :class:`Analysis`. No stage logic lives here, only the wiring,
the timings and the bookkeeping that keeps every input row accounted for.
"""

from __future__ import annotations

import copy
import time
from dataclasses import asdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from cxtext import __version__
from cxtext.errors import ThemeEditError, ValidationError
from cxtext.io.columns import MappingDecision, detect_columns
from cxtext.io.read import LoadedTable, read_table
from cxtext.text.normalize import normalize
from cxtext.pipeline import PipelineConfig, load_pipeline
from cxtext.schema import (
    NO_COMMENT,
    NO_COMMENT_LABEL,
    NOT_THEMED,
    STATUS_ANALYZED,
    UNTHEMED,
    UNTHEMED_LABEL,
    ScoreScale,
)
from cxtext.validate import validate

# progress(stage, done, total): stage is one of "load", "validate",
# "normalize", "embed", "annotate", "themes" (then "reduce", "cluster",
# "label" while themes are fitted), "drivers"; done/total count items in it.
ProgressCallback = Callable[[str, int, int], None]

ASSIGNMENT_COLUMNS = ["row", "id", "status", "reason", "theme_id", "theme_ids", "theme_label"]
# per-comment annotations (cxtext.social), present when the pipeline's social.annotate is on
ANNOTATION_COLUMNS = ["sentiment", "sentiment_score", "kind", "competitors"]


@dataclass
class Analysis:
    """The result of one analysis.

    ``records``: every input row with the columns of :mod:`cxtext.schema`.
    ``themes``: one row per theme (``theme_id``, ``label``, ``keywords``,
    ``size``, ``share``, ``languages``, ``quotes``). ``drivers``: the
    theme-driver table (see :mod:`cxtext.drivers`). ``summary``: the
    JSON-ready overview written to ``summary.json``. ``embeddings`` holds one
    vector per row of ``records`` (NaN for rows not embedded), so themes can
    be edited and drivers recomputed without embedding again.
    """

    summary: dict[str, Any]
    records: pd.DataFrame
    themes: pd.DataFrame
    drivers: pd.DataFrame
    config: PipelineConfig
    theme_model: Any = None
    embeddings: np.ndarray | None = None
    ces_scale: ScoreScale | None = None
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def assignments(self) -> pd.DataFrame:
        """One row per input row (per comment with several comment columns, then with
        ``text_column``): ``row`` (1-based), ``id``, ``status``,
        ``reason``, ``theme_id`` (-1 unthemed, -2 no comment, -3 not themed),
        ``theme_ids`` (all themes, primary first) and ``theme_label``; then,
        when annotated, ``sentiment`` (negative|neutral|positive),
        ``sentiment_score`` (-1..1), ``kind`` and ``competitors``."""
        extra = [c for c in ANNOTATION_COLUMNS if c in self.records.columns]
        several = "text_column" in self.records.columns and self.records["text_column"].nunique() > 1
        return self.records[ASSIGNMENT_COLUMNS + (["text_column"] if several else []) + extra].copy()

    @property
    def rejected(self) -> pd.DataFrame:
        """The rejected rows with their reasons and original text."""
        mask = self.records["status"] != STATUS_ANALYZED
        return self.records.loc[mask, ["row", "id", "text", "nps", "ces", "csat", "reason"]]

    def drivers_by(self, by: str) -> pd.DataFrame:
        """The driver table per group: ``by`` is "source", "segment" or "month"."""
        from cxtext.drivers import driver_table_by

        return driver_table_by(self.records, self.themes[["theme_id", "label"]], by=by, ces_scale=self.ces_scale,
                               min_test_size=self.config.params["drivers"]["min_test_size"])

    def drivers_at(self, level: str) -> pd.DataFrame:
        """The driver table per theme (``"theme"``) or per parent theme (``"parent"``), same columns.

        ``drivers`` is at the pipeline's ``drivers.level`` (``--level``); the
        other level is computed here from the stored rows (nothing re-embedded).
        At parent level ``theme_id``/``label`` are the parent's.
        """
        if level not in ("theme", "parent"):
            raise ValidationError(f"'level' must be 'theme' or 'parent'. Got {level!r} instead.")
        if level == self.config.params["drivers"]["level"]:
            return self.drivers
        # Computed once per Analysis: the app's level switch draws a table, its notes and three
        # charts from it. Edits return a new Analysis, so this never goes stale.
        computed = self.__dict__.setdefault("_drivers_at_other_level", {})
        if level not in computed:
            config = self.config.with_overrides({"drivers": {"level": level}})
            computed[level] = _drivers(self.records, self.themes, config, self.ces_scale)
        return computed[level]

    def trend(self, freq: str = "M") -> pd.DataFrame:
        """Theme volume and NPS per period ("W" week, "M" month), emerging themes flagged."""
        from cxtext.drivers import theme_trend

        return theme_trend(self.records, self.themes[["theme_id", "label"]], freq=freq)

    # Edits -------------------------------------------------------------
    def rename_theme(self, theme_id: int, label: str) -> "Analysis":
        """Rename a theme; returns a new Analysis (drivers recomputed, nothing re-embedded)."""
        model = self._edited_model()
        model.rename(theme_id, label)
        return self._with_model_edits(model, {})

    def merge_themes(self, theme_ids: list[int], label: str | None = None) -> "Analysis":
        """Merge themes into the smallest id among them; returns a new Analysis."""
        ids = sorted({int(t) for t in theme_ids})
        model = self._edited_model()
        model.merge(ids, label)
        return self._with_model_edits(model, {old: ids[0] for old in ids[1:]})

    def delete_theme(self, theme_id: int) -> "Analysis":
        """Delete a theme: its comments become unthemed; returns a new Analysis."""
        model = self._edited_model()
        model.delete(theme_id)
        return self._with_model_edits(model, {int(theme_id): UNTHEMED})

    def split_theme(self, theme_id: int, n: int | None = None) -> "Analysis":
        """Split a theme into ``n`` parts (automatic when ``None``); returns a new Analysis.

        Re-clusters the theme's comments from the stored embeddings
        (:meth:`cxtext.themes.ThemeModel.split`: the largest part keeps the
        id, the others get new ids). Folded duplicates follow their first
        copy; secondary themes of the rows that mention the theme are worked
        out again with the new parts. Drivers are recomputed, nothing is
        embedded again.
        """
        model = self._edited_model()
        t = model._check_id(theme_id)
        records = self.records.copy()
        vectors, languages, fit_rows = self.split_members(t)
        in_theme = (records["theme_id"] == t).to_numpy()
        if fit_rows.size < 4:
            raise ThemeEditError(f"Theme {t} has {fit_rows.size} comment(s) here; a split needs at least 4.")
        ids = model.split(t, vectors[fit_rows], records["clean_text"].iloc[fit_rows].tolist(),
                          [languages[i] for i in fit_rows], n=n)
        part_of = dict(zip(fit_rows.tolist(), model.split_labels_.tolist()))
        # other rows of the theme (folded duplicates): the part of their first copy, else the nearest part
        rest = [i for i in np.flatnonzero(in_theme) if i not in part_of]
        if rest:
            E = model._prepare(np.nan_to_num(vectors[rest]), [languages[i] for i in rest])
            best, _, theme_ids = model._theme_sims(model._prototype_sims(E))
            cols = [theme_ids.index(p) for p in ids]
            for j, i in enumerate(rest):
                part_of[i] = ids[int(np.argmax(best[j, cols]))]
        theme_col = records["theme_id"].to_numpy().copy()
        for i, p in part_of.items():
            theme_col[i] = p
        records["theme_id"] = theme_col
        affected = [i for i, ids_text in enumerate(records["theme_ids"])
                    if int(theme_col[i]) >= 0 and str(t) in str(ids_text).split(";") or i in part_of]
        records["theme_ids"] = self._secondary_ids(model, records, vectors, languages, affected)
        return self._with_records(model, records)

    def move_comments(self, rows: list[int], theme_id: int) -> "Analysis":
        """Move comments (1-based ``row`` numbers, as in assignments.csv) to ``theme_id``; -1 unthemes them.

        Folded duplicates of a moved row move with it. A moved comment's
        primary theme becomes ``theme_id`` (its other themes stay, its old
        primary is dropped). Recorded in the theme model's ``edits_`` as
        ``{"op": "move", "rows", "to"}``; the model's prototypes do not
        change, so reusing it on another dump assigns exactly as before (see
        :meth:`cxtext.themes.ThemeModel.move`). Returns a new Analysis with
        themes and drivers recomputed.
        """
        model = self._edited_model()
        if isinstance(rows, (str, bytes)) or not hasattr(rows, "__iter__"):
            raise ThemeEditError(f"'rows' must be a list of row numbers. Got {rows!r} instead.")
        rows = list(rows)
        if not rows or not all(isinstance(r, (int, np.integer)) and not isinstance(r, bool) for r in rows):
            raise ThemeEditError(f"'rows' must be a non-empty list of row numbers. Got {rows!r} instead.")
        is_int = isinstance(theme_id, (int, np.integer)) and not isinstance(theme_id, bool)
        target = int(theme_id) if is_int else None
        if target != UNTHEMED:
            target = model._check_id(theme_id)
        records = self.records.copy()
        movable = ((records["status"] == STATUS_ANALYZED) & (records["theme_id"] != NO_COMMENT)).to_numpy()
        index_of = {int(r): i for i, r in enumerate(records["row"])}
        valid_rows = [int(r) for r, ok in zip(records["row"], movable) if ok]
        bad = sorted({int(r) for r in rows if int(r) not in index_of or not movable[index_of[int(r)]]})
        if bad:
            raise ThemeEditError(
                f"Row(s) {', '.join(map(str, bad))} cannot be moved: not in this analysis, rejected or "
                f"without a comment. Rows that can be moved: {_ranges(valid_rows) or 'none'}."
            )
        wanted = {int(r) for r in rows}
        dup_of = (records["duplicate_of"] if "duplicate_of" in records.columns
                  else pd.Series([pd.NA] * len(records)))
        chosen = [i for i, (r, first) in enumerate(zip(records["row"], dup_of))
                  if int(r) in wanted or (not pd.isna(first) and int(first) in wanted and movable[i])]
        theme_col = records["theme_id"].to_numpy().copy()
        ids_col = records["theme_ids"].astype(object).tolist()
        for i in chosen:
            old = int(theme_col[i])
            others = [p for p in str(ids_col[i] or "").split(";") if p and int(p) not in (old, target)]
            theme_col[i] = target
            ids_col[i] = ";".join([str(target), *others]) if target >= 0 else ""
        records["theme_id"] = theme_col
        records["theme_ids"] = ids_col
        model.move(sorted(wanted), target)
        return self._with_records(model, records)

    def split_members(self, theme_id: int) -> tuple[np.ndarray, list, np.ndarray]:
        """What :meth:`split_theme` re-clusters: ``(vectors, languages, rows)``.

        ``vectors``: one embedding per row of ``records`` (folded duplicates
        take their first copy's); ``languages``: per row (None when unknown);
        ``rows``: positions in ``records`` of the theme's comments that have
        their own embedding (folded duplicates left out). Shared with
        :mod:`cxtext.themes.suggest`, so a suggested split shows exactly the parts
        that applying it gives.
        """
        if self.embeddings is None:
            raise ThemeEditError("this analysis has no stored embeddings, so its themes cannot be split.")
        records = self.records
        vectors = self._row_vectors(records)
        in_theme = (records["theme_id"] == int(theme_id)).to_numpy()
        members = np.flatnonzero(in_theme & np.isfinite(vectors).all(axis=1))
        own = np.isfinite(np.asarray(self.embeddings, dtype=np.float64)).all(axis=1)
        rows = np.array([i for i in members if own[i]], dtype=np.int64)
        languages = records["language"].astype(object).where(records["language"].notna(), None).tolist()
        return vectors, languages, rows

    def _row_vectors(self, records: pd.DataFrame) -> np.ndarray:
        """Each row's embedding; a folded duplicate without its own takes its first copy's."""
        vectors = np.asarray(self.embeddings, dtype=np.float64).copy()
        if "duplicate_of" in records.columns:
            index_of = {int(r): i for i, r in enumerate(records["row"])}
            for i, first in enumerate(records["duplicate_of"]):
                if not pd.isna(first) and not np.isfinite(vectors[i]).all() and int(first) in index_of:
                    vectors[i] = vectors[index_of[int(first)]]
        return vectors

    @staticmethod
    def _secondary_ids(model, records: pd.DataFrame, vectors: np.ndarray, languages: list,
                       rows: list[int]) -> list:
        """``theme_ids`` with the secondary themes of ``rows`` worked out again by the model's rule."""
        out = records["theme_ids"].astype(object).tolist()
        rows = [i for i in rows if np.isfinite(vectors[i]).all()]
        if rows:
            E = model._prepare(vectors[rows], [languages[i] for i in rows])
            primary = records["theme_id"].to_numpy()[rows].astype(np.int64)
            secondary = model._secondary_from(model._prototype_sims(E), primary)
            for i, p, sec in zip(rows, primary, secondary):
                out[i] = ";".join(map(str, [int(p), *sec])) if p >= 0 else ""
        return out

    def _with_records(self, model, records: pd.DataFrame) -> "Analysis":
        themes = theme_table(records, model, self.config.params["themes"]["parents"])
        records["theme_label"] = theme_labels(records["theme_id"], themes)
        drivers = _drivers(records, themes, self.config, self.ces_scale)
        summary = dict(self.summary)
        summary.update(_theme_summary(records, themes, model))
        summary["edits"] = list(model.edits_)
        return Analysis(summary, records, themes, drivers, self.config, model, self.embeddings,
                        self.ces_scale, dict(self.timings))

    def _edited_model(self):
        if self.theme_model is None:
            raise ThemeEditError("this analysis has no themes to edit; run it with the theme stages.")
        return copy.deepcopy(self.theme_model)

    def _with_model_edits(self, model, id_map: dict[int, int]) -> "Analysis":
        records = self.records.copy()
        records["theme_id"] = [id_map.get(int(t), int(t)) for t in records["theme_id"]]
        records["theme_ids"] = [_remap_ids(ids, id_map) for ids in records["theme_ids"]]
        return self._with_records(model, records)

    # Output ------------------------------------------------------------
    def write(self, out_dir: str | Path, formats: list[str] | None = None) -> list[Path]:
        """Write summary.json, assignments, themes and drivers into ``out_dir``."""
        from cxtext.outputs import write_analysis

        return write_analysis(self, Path(out_dir), formats or self.config.params["export"]["formats"])


def _ranges(rows: list[int]) -> str:
    """``[1, 2, 3, 7, 9, 10]`` -> ``"1-3, 7, 9-10"``."""
    out: list[str] = []
    for r in sorted(set(rows)):
        if out and r == last + 1:
            start = out[-1].split("-")[0]
            out[-1] = f"{start}-{r}"
        else:
            out.append(str(r))
        last = r
    return ", ".join(out)


def _remap_ids(ids: str, id_map: dict[int, int]) -> str:
    if not ids:
        return ids
    out: list[int] = []
    for part in str(ids).split(";"):
        new = id_map.get(int(part), int(part))
        if new >= 0 and new not in out:
            out.append(new)
    return ";".join(map(str, out))


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
    competitors: list[str] | dict[str, list[str]] | None = None,
    pipeline: str | Path | PipelineConfig = "survey_comments",
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
    content unless named; ``summary["mapping_reasons"]`` says why. ``model``: "default"
    (multilingual-e5-small), "minilm", a local folder or a model name.
    ``themes``: a saved ThemeModel folder to reuse instead of discovering
    themes. ``competitors``: names to find in every comment, a list or
    ``{name: [aliases]}`` (:mod:`cxtext.social.competitors`). ``embedder``: any object with ``model_id`` and
    ``encode(texts, progress)`` (bypasses ``model``). Arguments left as
    ``None`` take the pipeline's values.
    """
    config = pipeline if isinstance(pipeline, PipelineConfig) else load_pipeline(pipeline)
    config = config.with_overrides({
        "seed": seed,
        "columns": {"text": text, "nps": nps, "ces": ces, "csat": csat, "rating": rating, "date": date,
                    "source": source, "segment": segment, "id": id},
        "ces_scale": ces_scale,
        "ces_easy_end": ces_easy_end,
        "rating_scale": rating_scale,
        "embed": {"model": model},
        "themes": {"min_theme_size": min_theme_size} if min_theme_size is not None else {},
        "social": {"competitors": competitors},
    })
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
                              rating_scale=params["rating_scale"], **params["columns"])
    if on_columns is not None:
        on_columns(table, decision)
    lap("load")

    scale = ScoreScale.parse(params["ces_scale"], params["ces_easy_end"])
    report("validate", 0, len(table.frame))
    records = validate(table.frame, decision.mapping, scale, source_name=table.name,
                       rating_scale=decision.rating_scale)
    lap("validate")

    report("normalize", 0, len(records))
    from cxtext.store import LabelCache

    with LabelCache(Path(cache_path) if cache_path else None) as language_cache:
        records = normalize(records, **params["normalize"], language_cache=language_cache)
    lap("normalize")

    theme_model = None
    embeddings = None
    cache_stats: dict[str, int] = {}
    model_id = None
    if config.runs("embed") and config.runs("cluster") or themes is not None:
        from cxtext.embed import CachedEmbedder, SentenceTransformerEmbedder
        from cxtext.store import EmbeddingCache
        from cxtext.themes import ThemeModel

        saved = ThemeModel.load(themes) if themes is not None else None
        model_name = saved.embedding_model if saved is not None else params["embed"]["model"]
        base = embedder or SentenceTransformerEmbedder(model=model_name, batch_size=params["embed"]["batch_size"],
                                                       backend=params["embed"]["backend"])
        cached = CachedEmbedder(base, EmbeddingCache(Path(cache_path) if cache_path else None))
        embed_rows = _rows_to_embed(records)
        texts = records.loc[embed_rows, "clean_text"].tolist()
        vectors = cached.encode(texts, progress=lambda done, total: report("embed", done, total))
        model_id = cached.model_id
        cache_stats = {"hits": int(cached.last_hits_), "misses": int(cached.last_misses_)}
        embeddings = np.full((len(records), vectors.shape[1] if vectors.ndim == 2 else 0), np.nan, dtype=np.float32)
        embeddings[np.flatnonzero(embed_rows)] = vectors
        lap("embed")
        if params["social"]["annotate"]:
            report("annotate", 0, 1)
            records = _annotate(records, embeddings, base, params["social"]["competitors"])
            lap("annotate")

        report("themes", 0, 1)
        if saved is not None:
            theme_model = saved
            assigned = saved.transform(texts, vectors, languages=records.loc[embed_rows, "language"].tolist())
            primary = assigned["theme_id"].to_numpy()
            all_ids = assigned["theme_ids"].tolist()
        elif not texts:
            # every row rejected, empty or a non-answer: nothing to learn themes from
            theme_model, primary, all_ids = None, np.array([], dtype=int), []
        else:
            from cxtext.themes.fitcache import ThemeFitCache, fit_key
            from cxtext.store import default_cache_path

            theme_model = theme_model_from_params(params, model_name)
            languages = records.loc[embed_rows, "language"].tolist()
            # the same texts, model and parameters always give the same fit: reuse it
            fits = ThemeFitCache(Path(cache_path or default_cache_path()).parent / "themes")
            key = fit_key(model_id, texts, languages, theme_model.get_params())
            cached_fit = fits.get(key)
            if cached_fit is not None:
                theme_model = cached_fit
            else:
                theme_model.fit(texts, vectors, languages=languages, progress=report)
                fits.put(key, theme_model)
            cache_stats["theme_fit"] = "cached" if cached_fit is not None else "fitted"
            if taxonomy is not None:
                theme_model = _with_taxonomy(theme_model, taxonomy, cached, texts, vectors, languages, report)
            primary = theme_model.labels_
            all_ids = [";".join(map(str, [p, *extra])) if p >= 0 else ""
                       for p, extra in zip(primary, theme_model.secondary_labels_)]
        records = _attach_themes(records, embed_rows, primary, all_ids)
        lap("themes")
    else:
        records = _attach_themes(records, np.zeros(len(records), dtype=bool), np.array([], dtype=int), [])

    return finish_analysis(table, decision, records, theme_model, embeddings, config, scale, model_id,
                           cache_stats, timings, report, lap)


def finish_analysis(table: LoadedTable, decision: MappingDecision, records: pd.DataFrame, theme_model: Any,
                    embeddings: np.ndarray | None, config: PipelineConfig, scale: ScoreScale, model_id: str | None,
                    cache_stats: dict[str, Any], timings: dict[str, float], report: ProgressCallback,
                    lap: Callable[[str], None]) -> Analysis:
    """The stages after theming, shared by both engines: theme table, labels, drivers, summary."""
    theme_frame = theme_table(records, theme_model, config.params["themes"]["parents"])
    records["theme_label"] = theme_labels(records["theme_id"], theme_frame)
    report("drivers", 0, 1)
    drivers = _drivers(records, theme_frame, config, scale) if config.runs("drivers") else _empty_drivers()
    lap("drivers")
    summary = _summary(table, decision, records, theme_frame, theme_model, config, scale,
                       model_id, cache_stats, timings)
    analysis = Analysis(summary, records, theme_frame, drivers, config, theme_model, embeddings, scale, timings)
    if not summary.get("theme_count"):  # empty themes and drivers must say why, in every face
        from cxtext.outputs import no_themes_reason

        summary["no_themes_reason"] = no_themes_reason(analysis)
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


def _with_taxonomy(theme_model: Any, taxonomy: Any, embedder: Any, texts: list[str], vectors: np.ndarray,
                   languages: list, report: ProgressCallback) -> Any:
    """A copy of the fitted model whose matched themes are the taxonomy's (cxtext.themes.taxonomy)."""
    from cxtext.themes.taxonomy import apply_taxonomy, embed_taxonomy

    report("taxonomy", 0, 1)
    model = copy.deepcopy(theme_model)  # the fit cache keeps the plain fit
    phrase_vectors, owner, phrase_languages = embed_taxonomy(taxonomy, embedder)
    apply_taxonomy(model, taxonomy, texts, vectors, languages, phrase_vectors, owner, phrase_languages)
    return model


def theme_model_from_params(params: dict[str, Any], model_name: str) -> Any:
    """An unfitted ThemeModel configured from a pipeline's parameters."""
    from cxtext.themes import ThemeModel

    return ThemeModel(
        min_theme_size=params["themes"]["min_theme_size"],
        reduction=params["themes"]["reduction"],
        n_components=params["themes"]["n_components"],
        center_languages=params["themes"]["center_languages"],
        min_relative_coherence=params["themes"]["min_relative_coherence"],
        embedding_model=model_name,
        random_state=params["seed"],
    )


def _rows_to_embed(records: pd.DataFrame) -> np.ndarray:
    """Analysed, real answers, first copies only: what the themes are learnt from."""
    return ((records["status"] == STATUS_ANALYZED) & ~records["non_answer"]
            & records["duplicate_of"].isna()).to_numpy()


def _attach_themes(records: pd.DataFrame, embedded: np.ndarray, primary: np.ndarray,
                   all_ids: list[str]) -> pd.DataFrame:
    """Give every row a theme code; folded duplicates inherit their first copy's."""
    out = records.copy()
    theme_id = np.full(len(out), NOT_THEMED, dtype=np.int64)
    theme_ids = np.array([""] * len(out), dtype=object)
    analysed = (out["status"] == STATUS_ANALYZED).to_numpy()
    theme_id[analysed] = UNTHEMED
    theme_id[analysed & out["non_answer"].to_numpy()] = NO_COMMENT
    theme_id[embedded] = primary
    theme_ids[embedded] = all_ids
    by_row = dict(zip(out["row"], zip(theme_id, theme_ids)))
    for index, first in enumerate(out["duplicate_of"]):
        if not pd.isna(first) and analysed[index]:
            theme_id[index], theme_ids[index] = by_row[int(first)]
    out["theme_id"] = theme_id
    out["theme_ids"] = [ids if ids else (str(t) if t >= 0 else "") for t, ids in zip(theme_id, theme_ids)]
    return out


def theme_table(records: pd.DataFrame, theme_model: Any, n_parents: int | None = None) -> pd.DataFrame:
    """themes.csv: labels and keywords from the model, sizes counted on the rows.

    ``size`` counts every row whose primary theme it is (folded duplicates
    included); ``share`` is size over all themed rows (0-1). ``parent_id`` /
    ``parent_label``: the theme's parent theme (:class:`cxtext.themes.hierarchy.ThemeHierarchy`
    with ``n_parents``; ``None`` = automatic; a taxonomy theme's own ``parent`` when its file gives one).
    ``origin``: "taxonomy" (a theme of the team's taxonomy, listed even with
    size 0) or "discovered". ``tentative``: the theme was built from few
    comments (``theme_model.tentative_``; fewer than
    :data:`cxtext.themes.TENTATIVE_SIZE` without it): shown, not to be leant on alone.
    """
    columns = ["theme_id", "label", "keywords", "size", "share", "languages", "quotes", "parent_id", "parent_label",
               "origin", "tentative"]
    if theme_model is None or not len(getattr(theme_model, "themes_", [])):
        return pd.DataFrame(columns=columns)
    themes = theme_model.themes_[["theme_id", "label", "keywords", "languages", "quotes"]].copy()
    counts = records.loc[records["theme_id"] >= 0, "theme_id"].value_counts()
    themed_total = int(counts.sum())
    themes["size"] = [int(counts.get(t, 0)) for t in themes["theme_id"]]
    themes["share"] = [round(s / themed_total, 4) if themed_total else 0.0 for s in themes["size"]]
    origins = theme_model.origins() if hasattr(theme_model, "origins") else {}
    themes["origin"] = [origins.get(int(t), "discovered") for t in themes["theme_id"]]
    themes["tentative"] = _tentative(themes, theme_model)
    # a taxonomy theme nobody mentioned is news too: it stays listed with size 0
    keep = (themes["size"] > 0) | (themes["origin"] == "taxonomy")
    themes = themes[keep] if themed_total else themes
    themes = themes.sort_values(["size", "theme_id"], ascending=[False, True]).reset_index(drop=True)
    themes = _with_parents(themes, theme_model, n_parents)
    if hasattr(theme_model, "taxonomy_parents"):
        themes = _taxonomy_parents(themes, theme_model.taxonomy_parents())
    return themes[columns]


def _tentative(themes: pd.DataFrame, theme_model: Any) -> list[bool]:
    from cxtext.themes import TENTATIVE_SIZE

    tentative = getattr(theme_model, "tentative_", None)
    if tentative is None:
        return [int(size) < TENTATIVE_SIZE for size in themes["size"]]
    return [int(t) in tentative for t in themes["theme_id"]]


def _taxonomy_parents(themes: pd.DataFrame, parent_names: dict[int, str]) -> pd.DataFrame:
    """Taxonomy themes with a ``parent`` get it as ``parent_label``, with ids after the automatic parents'."""
    if not parent_names:
        return themes
    themes = themes.copy()
    used = [int(p) for p in themes["parent_id"].dropna()]
    first = max(used, default=-1) + 1
    names = list(dict.fromkeys(parent_names[t] for t in themes["theme_id"] if int(t) in parent_names))
    id_of = {name: first + i for i, name in enumerate(names)}
    for i, t in enumerate(themes["theme_id"]):
        name = parent_names.get(int(t))
        if name:
            themes.loc[i, "parent_id"] = id_of[name]
            themes.loc[i, "parent_label"] = name
    return themes


def _with_parents(themes: pd.DataFrame, theme_model: Any, n_parents: int | None) -> pd.DataFrame:
    from cxtext.themes.hierarchy import ThemeHierarchy

    row_of = {int(t): i for i, t in enumerate(theme_model.themes_["theme_id"])}
    centroids = np.asarray(theme_model.centroids_)[[row_of[int(t)] for t in themes["theme_id"]]] \
        if len(themes) else np.zeros((0, 1))
    if n_parents is not None:
        n_parents = min(int(n_parents), len(themes))  # an edit may leave fewer themes than asked for
    hierarchy = ThemeHierarchy(n_parents=n_parents or None).fit(themes, centroids)
    return themes.merge(hierarchy.parents_, on="theme_id", how="left")


def theme_labels(theme_ids: pd.Series, themes: pd.DataFrame) -> list[str]:
    labels = dict(zip(themes["theme_id"], themes["label"]))
    special = {UNTHEMED: UNTHEMED_LABEL, NO_COMMENT: NO_COMMENT_LABEL, NOT_THEMED: ""}
    return [labels.get(int(t), special.get(int(t), UNTHEMED_LABEL)) for t in theme_ids]


def _drivers(records: pd.DataFrame, themes: pd.DataFrame, config: PipelineConfig,
             scale: ScoreScale | None) -> pd.DataFrame:
    from cxtext.drivers import driver_table

    if themes.empty:
        return _empty_drivers()
    min_test_size = config.params["drivers"]["min_test_size"]
    if config.params["drivers"]["level"] == "parent":
        records, themes = at_parent_level(records, themes)
    table = driver_table(records, themes[["theme_id", "label"]], ces_scale=scale, min_test_size=min_test_size)
    if "sentiment" in records.columns:
        from cxtext.social import add_social_columns

        table = add_social_columns(table, records, themes[["theme_id", "label"]], min_test_size)
    return table


def at_parent_level(records: pd.DataFrame, themes: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Records and themes with every theme replaced by its parent (``theme_id`` := ``parent_id``).

    Used for the parent-level driver table (``drivers.level: parent``,
    ``--level parent``): same columns, one row per parent theme.
    """
    parent_of = {int(t): int(p) for t, p in zip(themes["theme_id"], themes["parent_id"])}
    records = records.copy()
    records["theme_id"] = [parent_of.get(int(t), int(t)) if int(t) >= 0 else int(t) for t in records["theme_id"]]
    records["theme_ids"] = [";".join(dict.fromkeys(str(parent_of.get(int(t), int(t))) for t in str(ids).split(";")))
                            if ids else ids for ids in records["theme_ids"]]
    parents = (themes[["parent_id", "parent_label"]].drop_duplicates("parent_id")
               .rename(columns={"parent_id": "theme_id", "parent_label": "label"}))
    return records, parents.reset_index(drop=True)


def _annotate(records: pd.DataFrame, embeddings: np.ndarray, embedder: Any, competitors: Any) -> pd.DataFrame:
    """Sentiment, kind and competitor columns for every analysed comment (cxtext.social)."""
    from cxtext.social import annotate_records, seed_models

    sentiment_model, kind_model = seed_models(embedder)
    annotations = annotate_records(records, embeddings, competitors or None,
                                   sentiment_model=sentiment_model, kind_model=kind_model)
    analysed = (records["status"] == STATUS_ANALYZED).to_numpy()
    annotations.loc[~analysed, ["sentiment", "kind"]] = pd.NA
    annotations.loc[~analysed, "sentiment_score"] = np.nan
    return records.join(annotations)


def _empty_drivers() -> pd.DataFrame:
    return pd.DataFrame(columns=["theme_id", "label", "n_comments", "share", "nps", "nps_impact", "priority",
                                 "rank"])


def _theme_summary(records: pd.DataFrame, themes: pd.DataFrame, theme_model: Any) -> dict[str, Any]:
    analysed = records["status"] == STATUS_ANALYZED
    themable = analysed & (records["theme_id"] != NO_COMMENT)
    unthemed = int((records["theme_id"] == UNTHEMED).sum())
    out = _taxonomy_summary(themes, theme_model)
    fit = {}
    if theme_model is not None and hasattr(theme_model, "fit_rule_"):
        from cxtext.themes import TENTATIVE_SIZE

        fit = {"theme_fit_rule": str(theme_model.fit_rule_),
               "small_corpus": bool(getattr(theme_model, "small_corpus_", False)),
               "tentative_themes": sorted(int(t) for t in themes.loc[themes["tentative"], "theme_id"])
               if "tentative" in themes else [],
               "tentative_size": TENTATIVE_SIZE}
    return out | fit | {
        "theme_count": int(len(themes)),
        "rows_themed": int((records["theme_id"] >= 0).sum()),
        "rows_unthemed": unthemed,
        "rows_no_comment": int((records["theme_id"] == NO_COMMENT).sum()),
        "unthemed_share": round(unthemed / int(themable.sum()), 4) if themable.any() else 0.0,
        "raw_unthemed_share": (round(float(theme_model.raw_unthemed_share_), 4)
                               if theme_model is not None and hasattr(theme_model, "raw_unthemed_share_")
                               else None),
    }


def _taxonomy_summary(themes: pd.DataFrame, theme_model: Any) -> dict[str, Any]:
    """``{"taxonomy": {...}}`` when the themes came partly from a team's taxonomy, else ``{}``."""
    edits = [e for e in getattr(theme_model, "edits_", []) if e.get("op") == "taxonomy"]
    if not edits or "origin" not in themes:
        return {}
    own = themes[themes["origin"] == "taxonomy"]
    return {"taxonomy": {
        "source": edits[-1].get("source"),
        "themes": int(len(own)),
        "themes_with_comments": int((own["size"] > 0).sum()),
        "rows_in_taxonomy_themes": int(own["size"].sum()),
        "empty_themes": own.loc[own["size"] == 0, "label"].tolist(),
        "rule": "cxtext.themes.taxonomy.TaxonomyMatcher(rule='cluster'): see bench/results/taxonomy.md",
    }}


def _summary(table: LoadedTable, decision: MappingDecision, records: pd.DataFrame, themes: pd.DataFrame,
             theme_model: Any, config: PipelineConfig, scale: ScoreScale, model_id: str | None,
             cache_stats: dict[str, int], timings: dict[str, float]) -> dict[str, Any]:
    analysed = int((records["status"] == STATUS_ANALYZED).sum())
    several = len(decision.mapping.text_columns) > 1
    summary: dict[str, Any] = {
        "cxtext_version": __version__,
        "pipeline": config.name,
        "input": {"name": table.name, "format": table.format, "encoding": table.encoding,
                  "delimiter": table.delimiter, "sheet": table.sheet, "layout": table.layout,
                  "header_rows_skipped": [dict(r) for r in table.skipped_rows]},
        "mapping": decision.mapping.as_dict(),
        "mapping_reasons": decision.reasons,
        "column_contents": decision.profiles,
        "rows_in": int(records["row"].nunique()) if several else int(len(records)),
        # with several comment columns these two count comments: comments_in = analysed + rejected
        **({"comments_in": int(len(records)), "text_columns": list(decision.mapping.text_columns)}
           if several else {}),
        "rows_analyzed": analysed,
        "rows_rejected": int(len(records) - analysed),
        "rejection_reasons": records.loc[records["status"] != STATUS_ANALYZED, "reason"]
        .value_counts().to_dict(),
        "duplicates_folded": int(records["duplicate_of"].notna().sum()),
        "rows_with_warnings": int((records["warning"] != "").sum()),
        "languages": records.loc[records["status"] == STATUS_ANALYZED, "language"].value_counts().to_dict(),
    }
    summary.update(score_summary(records, scale, decision.rating_scale))
    summary.update(_theme_summary(records, themes, theme_model))
    if "sentiment" in records.columns:
        from cxtext.social import sentiment_nps_agreement

        summary["sentiment"] = records["sentiment"].value_counts().to_dict()
        summary["kinds"] = records["kind"].value_counts().to_dict()
        summary["sentiment_vs_nps"] = _json_ready(sentiment_nps_agreement(records))
    summary.update({
        "model": config.params["embed"]["model"] if theme_model is None else theme_model.embedding_model,
        "model_id": model_id,
        "seed": config.params["seed"],
        "parameters": config.params,
        "embedding_cache": cache_stats,
        "timings_seconds": timings,
    })
    return summary


def score_summary(records: pd.DataFrame, ces_scale: ScoreScale,
                  rating_scale: ScoreScale | None = None) -> dict[str, Any]:
    """Overall NPS (with 95% CI), CES, CSAT and rating over rows whose scores are valid, once per respondent."""
    from cxtext import metrics
    from cxtext.drivers import one_per_respondent

    records = one_per_respondent(records)
    valid = records["scores_valid"].to_numpy()
    out: dict[str, Any] = {}
    for column, compute in (("nps", metrics.nps), ("csat", metrics.csat)):
        values = records.loc[valid, column].dropna().astype(int)
        out[column] = _json_ready(asdict(compute(values))) if len(values) else None
    ces_values = records.loc[valid, "ces"].dropna().astype(int)
    out["ces"] = None
    if len(ces_values):
        out["ces"] = {**_json_ready(asdict(metrics.ces(ces_values, ces_scale))),
                      "scale": ces_scale.label, "easy_end": ces_scale.good_end}
    ratings = records.loc[valid, "rating"].dropna().astype(float) if "rating" in records else pd.Series([])
    out["rating"] = None
    if len(ratings):
        out["rating"] = {**_json_ready(asdict(metrics.mean_with_ci(ratings))),
                         "scale": (rating_scale or ScoreScale(1, 5)).label}
    return out


def _json_ready(values: dict[str, Any]) -> dict[str, Any]:
    """Round floats for reading and turn NaN into None so the JSON is valid."""
    ready: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, (float, np.floating)):
            ready[key] = None if np.isnan(value) else round(float(value), 4)
        elif isinstance(value, (np.integer,)):
            ready[key] = int(value)
        else:
            ready[key] = value
    return ready
