"""The result of one analysis: :class:`Analysis`, its tables and the edits that return a new one.

``analyze`` (:mod:`cxtext.analysis`) builds it; the CLI, the app, the report and the history read it.
Its theme edits rebuild the theme table, the drivers and the summary from the edited rows
(:mod:`cxtext.edits`, :mod:`cxtext.tables`, :mod:`cxtext.summary`), nothing embedded again; writing
is :mod:`cxtext.outputs`. Imports no face and not :mod:`cxtext.analysis`.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from cxtext.edits import move_records, remap_records, split_members, split_records
from cxtext.errors import ThemeEditError, ValidationError
from cxtext.io.warnings import summary_warnings
from cxtext.pipeline import PipelineConfig
from cxtext.schema import STATUS_ANALYZED, UNTHEMED, ScoreScale
from cxtext.social import ANNOTATION_COLUMNS
from cxtext.summary import theme_summary
from cxtext.tables import drivers_for, theme_labels, theme_table
from cxtext.text.mentions import mention_quotes
from cxtext.themes.split_hints import split_hints

ASSIGNMENT_COLUMNS = ["row", "id", "status", "reason", "theme_id", "theme_ids", "theme_label"]


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
    # themes.mentions on: one row per mention of the themed comments (cxtext.theming.fit_mention_themes)
    mentions: pd.DataFrame | None = None

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

    def mention_quotes(self) -> dict:
        """Per theme id, its quotes as mentions in their comments (:func:`cxtext.tables.mention_quotes`);
        empty unless themes were learnt from mentions (``themes.mentions``). Computed once (edits return
        a new Analysis)."""
        if "_mention_quotes" not in self.__dict__:
            self.__dict__["_mention_quotes"] = mention_quotes(self.themes, self.mentions, self.records)
        return self.__dict__["_mention_quotes"]

    def drivers_by(self, by: str) -> pd.DataFrame:
        """The driver table per group: ``by`` is "source", "segment" or "month"."""
        from cxtext.drivers import driver_table_by

        return driver_table_by(self.records, self.themes[["theme_id", "label"]], by=by, ces_scale=self.ces_scale,
                               min_test_size=self.config.params["drivers"]["min_test_size"])

    def scores_by(self, by: str) -> pd.DataFrame:
        """NPS (with its 95% CI), CES, CSAT and rating per group ("source", "segment" or "month"), no theme:
        what a score-only export (no comment column) is broken down by (:func:`cxtext.drivers.score_table_by`)."""
        from cxtext.drivers import score_table_by

        return score_table_by(self.records, by=by)

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
            computed[level] = drivers_for(self.records, self.themes, config, self.ces_scale)
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
        return self._with_records(model, split_records(model, self.records, self.embeddings, theme_id, n))

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
        return self._with_records(model, move_records(model, self.records, rows, theme_id))

    def split_members(self, theme_id: int) -> tuple[np.ndarray, list, np.ndarray]:
        """What :meth:`split_theme` re-clusters: ``(vectors, languages, rows)``.

        ``vectors``: one embedding per row of ``records`` (folded duplicates
        take their first copy's); ``languages``: per row (None when unknown);
        ``rows``: positions in ``records`` of the theme's comments that have
        their own embedding (folded duplicates left out). Shared with
        :mod:`cxtext.themes.suggest`, so a suggested split shows exactly the parts
        that applying it gives.
        """
        return split_members(self.records, self.embeddings, theme_id)

    def _with_records(self, model, records: pd.DataFrame, id_map: dict[int, int] | None = None) -> "Analysis":
        themes = theme_table(records, model, self.config.params["themes"]["parents"])
        records["theme_label"] = theme_labels(records["theme_id"], themes)
        drivers = drivers_for(records, themes, self.config, self.ces_scale)
        summary = dict(self.summary)
        summary.update(theme_summary(records, themes, model))
        summary["edits"] = list(model.edits_)
        mentions = self.mentions
        if mentions is not None and id_map:  # a mention follows its theme into a merge or a deletion
            mentions = mentions.assign(theme_id=[id_map.get(int(t), int(t)) for t in mentions["theme_id"]])
        edited = Analysis(summary, records, themes, drivers, self.config, model, self.embeddings,
                          self.ces_scale, dict(self.timings), mentions)
        if "split_hints" in summary:  # the hints name themes: said again for the edited ones (a split one is gone)
            summary["split_hints"] = split_hints(edited)
            summary["warnings"] = [w.as_dict() for w in summary_warnings(summary)]
        return edited

    def _edited_model(self):
        if self.theme_model is None:
            raise ThemeEditError("this analysis has no themes to edit; run it with the theme stages.")
        return copy.deepcopy(self.theme_model)

    def _with_model_edits(self, model, id_map: dict[int, int]) -> "Analysis":
        return self._with_records(model, remap_records(self.records, id_map), id_map)

    # Output ------------------------------------------------------------
    def write(self, out_dir: str | Path, formats: list[str] | None = None) -> list[Path]:
        """Write summary.json, assignments, themes and drivers into ``out_dir``."""
        from cxtext.outputs import write_analysis

        return write_analysis(self, Path(out_dir), formats or self.config.params["export"]["formats"])
