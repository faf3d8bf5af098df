"""summary.json as the analysis assembles it: input, mapping, row counts, scores, themes, model, timings.

``build_summary``     the whole summary of one analysis (the faces add nothing to it but
                      ``no_themes_reason`` and, after edits, ``edits``)
``theme_summary``     the theme counts (also recomputed after every theme edit)
``score_summary``     overall NPS (with its 95% CI), CES, CSAT and rating, once per respondent
``no_themes_reason``  why an analysis has no theme, in one sentence a reader can act on
``themes_skipped``    a score-only export (no comment column): why themes were skipped, what columns were seen

May import ``cxtext.schema``, ``cxtext.metrics``, ``cxtext.text`` (the placeholders it names), ``cxtext.io``
(the read table and column mapping it describes), ``cxtext.pipeline``, ``cxtext.themes``, ``cxtext.drivers`` and ``cxtext.social``; never the faces.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import numpy as np
import pandas as pd

from cxtext import __version__
from cxtext.io.columns import MappingDecision
from cxtext.io.table import LoadedTable
from cxtext.pipeline import PipelineConfig
from cxtext.schema import (NO_COMMENT, STATUS_ANALYZED, STATUS_BLANK, STATUS_REJECTED, STATUS_SCORE_ONLY, UNTHEMED,
                           ScoreScale)
from cxtext.text.placeholders import repeated_summary


def theme_summary(records: pd.DataFrame, themes: pd.DataFrame, theme_model: Any) -> dict[str, Any]:
    """Theme and row counts, the fit rule and tentative themes, ``taxonomy`` when one was used, and the labels
    chosen again for saying the opposite of their theme (``labels_relabelled``)."""
    analysed = records["status"] == STATUS_ANALYZED
    themable = analysed & (records["theme_id"] != NO_COMMENT)
    unthemed = int((records["theme_id"] == UNTHEMED).sum())
    out = {**_taxonomy_summary(themes, theme_model), **relabelled(theme_model)}
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


def relabelled(theme_model: Any) -> dict[str, Any]:
    """``{"labels_relabelled": [{"theme_id", "label", "previous", "why"}]}`` for labels chosen again because they
    said the opposite of their theme (:mod:`cxtext.themes.polarity`), else {}."""
    changes = [{key: e[key] for key in ("theme_id", "label", "previous", "why")}
               for e in getattr(theme_model, "edits_", []) if e.get("op") == "relabel"]
    return {"labels_relabelled": changes} if changes else {}


def _taxonomy_summary(themes: pd.DataFrame, theme_model: Any) -> dict[str, Any]:
    """``{"taxonomy": {...}}`` when the themes came partly from a team's taxonomy, else ``{}``."""
    edits = [e for e in getattr(theme_model, "edits_", []) if e.get("op") == "taxonomy"]
    if not edits or "origin" not in themes:
        return {}
    from cxtext.themes import TENTATIVE_SIZE
    from cxtext.themes.taxonomy_match import RELATIVE_RULE_MIN_COMMENTS

    own = themes[themes["origin"] == "taxonomy"]
    return {"taxonomy": {
        "source": edits[-1].get("source"),
        "themes": int(len(own)),
        "themes_with_comments": int((own["size"] > 0).sum()),
        "rows_in_taxonomy_themes": int(own["size"].sum()),
        "empty_themes": own.loc[own["size"] == 0, "label"].tolist(),
        # matched but fewer than a tentative theme's size: too few to lean on (cxtext.io.warnings says so)
        "thin_themes": {str(r.label): int(r.size) for r in own.itertuples() if 0 < r.size < TENTATIVE_SIZE},
        "thin_below": TENTATIVE_SIZE,
        # themes whose examples agreed so closely that their nearest comments joined them as examples
        # (cxtext.themes.taxonomy_match.TaxonomyMatcher, widen)
        "widened_themes": list(edits[-1].get("widened", [])),
        "rule": (f"cxtext.themes.taxonomy.TaxonomyMatcher(rule={edits[-1].get('rule', 'cluster')!r}): "
                 "see bench/results/taxonomy_lodo.md"),
        "rule_choice": ("asked for (--taxonomy-rule, themes.taxonomy_rule)"
                        if edits[-1].get("rule_asked", "auto") != "auto" else
                        f"auto: 'relative' for dumps of {RELATIVE_RULE_MIN_COMMENTS:,} comments or more, 'cluster' "
                        "below"),
    }}


def repeated_rows(table: LoadedTable, decision: MappingDecision, shown: int = 10,
                  folded: set[int] | None = None) -> dict[str, Any]:
    """``{"repeated_rows": {"count", "rows": [[row, first_row], ...]}}`` for rows that repeat an earlier row
    cell for cell (an export that wrote some answers twice: a public NPS export held 15 such rows), else {}.

    Only where two answers cannot agree by chance: the file has an id column, or the comment has 5+ words
    ("10, Great" twice is two people). Rows are 1-based data rows; the first ``shown`` pairs are listed. ``folded``:
    rows folded as copies of a social post (reposts), never named as repeats apart from their date.
    Nothing is dropped: the warning says so and what to do.
    """
    frame = table.frame
    text = decision.mapping.text
    if frame.empty or (decision.mapping.id is None and text is None):
        return {}
    if text is not None and not frame[text].astype(str).duplicated().any():
        return {}  # every repeat, cell for cell or apart from the date, repeats the comment: none here
    pairs = _repeats(frame, list(frame.columns), lambda p: decision.mapping.id is not None or _long(frame, text, p))
    if pairs:
        return {"repeated_rows": {"count": len(pairs), "rows": pairs[:shown]}}
    # a scraper that read a review twice: the same author, stars and words, another row number and (for a
    # "a year ago" date turned into a day) another date. A public Google Maps scrape: 172 of 937 rows, which
    # moved the mean rating by 0.37; none repeated cell for cell.
    # (an id that is not a row number, "R00113", says two rows are two answers: a reposted social post)
    varying = {decision.mapping.date} | {c for c in frame.columns if _row_numbers(frame[c])}
    kept = [c for c in frame.columns if c not in varying]
    if text is None or len(kept) == len(frame.columns) or len(kept) < 2:
        return {}
    # (a social post copied at another time is a repost, already folded into its first copy: ``folded`` rows)
    pairs = _repeats(frame, kept, lambda p: _long(frame, text, p) and p + 1 not in (folded or set()))
    ignored = [str(c) for c in frame.columns if c not in kept]
    return {"repeated_rows": {"count": len(pairs), "rows": pairs[:shown], "apart_from": ignored}} if pairs else {}


def _repeats(frame: pd.DataFrame, columns: list, counts) -> list[list[int]]:
    """[row, first row] (1-based) for each row equal to an earlier one on ``columns`` and for which ``counts``."""
    keys = ["\x1f".join(map(str, row)) for row in frame[columns].itertuples(index=False, name=None)]
    first_of: dict[str, int] = {}
    pairs: list[list[int]] = []
    for position, key in enumerate(keys):
        if key in first_of:
            if counts(position):
                pairs.append([position + 1, first_of[key] + 1])
        else:
            first_of[key] = position
    return pairs


def _long(frame: pd.DataFrame, text: str | None, position: int) -> bool:
    """A comment of 5+ words: two people do not write it alike by chance ("Great" twice is two people)."""
    return text is not None and len(str(frame[text].iloc[position]).split()) >= 5


def _row_numbers(values: pd.Series) -> bool:
    """A column numbering the rows: a different whole number in every row ("1.", "2.", ... as a scraper writes)."""
    numbers = pd.to_numeric(values.astype(str).str.strip().str.rstrip("."), errors="coerce")
    return bool(len(values) > 1 and numbers.notna().all() and numbers.is_unique and (numbers % 1 == 0).all())


def build_summary(table: LoadedTable, decision: MappingDecision, records: pd.DataFrame, themes: pd.DataFrame,
             theme_model: Any, config: PipelineConfig, scale: ScoreScale, model_id: str | None,
             cache_stats: dict[str, int], timings: dict[str, float]) -> dict[str, Any]:
    """The summary of one analysis, as written to summary.json (key order is the file's)."""
    analysed = int((records["status"] == STATUS_ANALYZED).sum())
    several = len(decision.mapping.text_columns) > 1
    summary: dict[str, Any] = {
        "cxtext_version": __version__,
        "pipeline": config.name,
        "input": {"name": table.name, "format": table.format, "encoding": table.encoding,
                  "delimiter": table.delimiter, "sheet": table.sheet, "layout": table.layout,
                  **({"note": table.note} if getattr(table, "note", None) else {}),
                  **({"truncated_line": table.truncated_line} if getattr(table, "truncated_line", None) else {}),
                  "header_rows_skipped": [dict(r) for r in table.skipped_rows]},
        "mapping": decision.mapping.as_dict(),
        "mapping_reasons": decision.reasons,
        "column_contents": decision.profiles,
        "rows_in": int(records["row"].nunique()) if several else int(len(records)),
        # with several comment columns these two count comments: comments_in = analysed + rejected
        **({"comments_in": int(len(records)), "text_columns": list(decision.mapping.text_columns)}
           if several else {}),
        "rows_analyzed": analysed,
        # rows_in = analysed + rejected + blank + score only (each by its status, apart: rows_left_out sums them)
        "rows_rejected": int((records["status"] == STATUS_REJECTED).sum()),
        # rows with neither a comment nor a score: an optional question left blank, not bad data
        "rows_blank": int((records["status"] == STATUS_BLANK).sum()),
        # ... and rows with a score but no comment: not themed, their scores counted in NPS, CES, CSAT
        "rows_score_only": int((records["status"] == STATUS_SCORE_ONLY).sum()),
        "rows_left_out": int(len(records) - analysed),
        "rejection_reasons": records.loc[records["status"] != STATUS_ANALYZED, "reason"]
        .value_counts().to_dict(),
        # several comment columns: a score problem rejects each comment of its row; counted once per row here,
        # for the warnings, which compare rejected scores with the rows that have one
        **({"rejection_reasons_by_row": records.loc[records["status"] != STATUS_ANALYZED]
            .drop_duplicates("row")["reason"].value_counts().to_dict()} if several else {}),
        # why the 'no comment' rows are non-answers, and the placeholders this file repeats (named in warnings)
        "no_comment_reasons": _no_comment_reasons(records),
        "repeated_non_answers": repeated_summary(records),
        "duplicates_folded": int(records["duplicate_of"].notna().sum()),
        **repeated_rows(table, decision, folded=set(records.loc[records["duplicate_of"].notna(), "row"].tolist())
                        if "duplicate_of" in records else set()),
        "rows_with_warnings": int((records["warning"] != "").sum()),
        "languages": records.loc[records["status"] == STATUS_ANALYZED, "language"].value_counts().to_dict(),
    }
    summary.update(score_summary(records, scale, decision.rating_scale))
    if decision.scores_only:  # an export of scores alone: metrics and breakdowns, no theme
        summary["themes_skipped"] = themes_skipped(decision)
    summary.update(theme_summary(records, themes, theme_model))
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


def themes_skipped(decision: MappingDecision) -> dict[str, Any]:
    """``summary.json`` ``themes_skipped`` of a score-only export: why, the score columns used, the columns seen."""
    mapped = decision.mapping.mapped()
    return {
        "reason": "no comment column found",
        "score_columns": {role: mapped[role] for role in ("nps", "ces", "csat", "rating") if role in mapped},
        "columns_seen": dict(decision.profiles),
        "note": "no column holds free-text comments, so the scores were analysed without themes (columns seen: "
                + (", ".join(f"{c} ({held})" for c, held in decision.profiles.items()) or "none")
                + "). Name the comment column with --text COLUMN to theme comments.",
    }


def _no_comment_reasons(records: pd.DataFrame) -> dict[str, int]:
    """Rows of the 'no comment' group per reason (``non_answer_reason``), most first."""
    if "non_answer_reason" not in records.columns:
        return {}
    reasons = records.loc[records["non_answer"].to_numpy() & (records["status"] == STATUS_ANALYZED).to_numpy(),
                          "non_answer_reason"]
    return {str(k): int(v) for k, v in reasons.value_counts().items()}


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
        scale = rating_scale or ScoreScale(1, 5)
        out["rating"] = {**_json_ready(asdict(metrics.mean_with_ci(ratings))), "scale": scale.label,
                         "best_end": scale.good_end}
        if scale.good_end == "low":  # said beside the mean, which is not the file's own
            out["rating"]["note"] = (f"the file's {scale.low} is the best answer; ratings are reverse-coded "
                                     f"({scale.low + scale.high} − answer) so {scale.high} = best here and in "
                                     "themes.csv and drivers.csv")
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


def no_themes_reason(summary: dict[str, Any], config: PipelineConfig, theme_model: Any) -> str:
    """Why an analysis has no theme, in one sentence a reader can act on."""
    rows_in, analysed = int(summary.get("rows_in", 0)), int(summary.get("rows_analyzed", 0))
    to_theme = int(summary.get("rows_unthemed", 0)) + int(summary.get("rows_themed", 0))
    if rows_in == 0:
        return "the input has no data rows."
    if summary.get("themes_skipped"):
        return summary["themes_skipped"]["note"]
    if analysed == 0:
        return (f"every row was rejected ({rows_in}), so no comment was left to group; rejection_reasons and "
                "the reason column of assignments.csv say why. Fix those values in the export and run again.")
    if not (config.runs("embed") and config.runs("cluster")) and theme_model is None:
        return f"the pipeline '{config.name}' does not run the theme stages (embed, cluster)."
    if to_theme == 0:
        return (f"none of the {analysed} analysed comments has content to group: all are non-answers "
                "('n/a', 'nothing', only emojis, links or punctuation), counted in the 'no comment' group "
                "(theme_id -2).")
    size = getattr(theme_model, "min_theme_size_", None) or config.params["themes"]["min_theme_size"]
    needed = f"at least {int(size)}" if size else "several"
    if to_theme == 1:
        return (f"only one comment has content to group, and a theme needs {needed} comments saying much the "
                "same thing; it is unthemed (theme_id -1). Analyse more comments together.")
    return (f"no group of similar comments was found among the {to_theme} comments with content (a theme needs "
            f"{needed} comments saying much the same thing); they are unthemed (theme_id -1). Analyse more "
            "comments together, or lower --min-theme-size.")
