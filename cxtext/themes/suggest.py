"""Theme curation suggestions: likely merges and likely splits, with their evidence.

:func:`suggest_edits` reads a finished :class:`~cxtext.analysis.Analysis`
(its stored embeddings, theme model and theme table) and returns one row per
suggestion; :func:`apply_suggestion` applies one through the Analysis edit
API (``merge_themes`` / ``split_theme``), so nothing is embedded again.

**Merges** (pairs of themes that look like one complaint):

* ``cosine``: cosine similarity of the two themes' centroids, computed on the
  comments' vectors *as the ThemeModel sees them* (language-centred and
  unit-length, :meth:`ThemeModel._prepare`), then with the mean of all themed
  comments removed before averaging (as :meth:`ThemeModel.theme_coherence`
  does: multilingual-e5 vectors share one big direction that would make every
  pair look alike). 1 = same direction, 0 = unrelated.
* ``jaccard``: overlap of the two themes' top keywords, as sets of words
  (``"charged twice"`` counts as ``charged`` and ``twice``), 0-1.
* suggested when ``cosine >= merge_cosine`` **or** ``jaccard >= merge_jaccard``;
  ``score`` = the larger of ``cosine / merge_cosine`` and
  ``jaccard / merge_jaccard`` (>= 1 for every suggestion; higher = surer; a
  threshold set to 0 or below counts the value itself).

**Splits** (themes holding two clear sub-groups): each theme with at least
``min_split_size`` comments is split in two exactly as
:meth:`Analysis.split_theme(theme, n=2) <cxtext.analysis.Analysis.split_theme>`
would (KMeans on the same vectors with the model's seed, parts described by
the same labeller) on a copy of the theme model, so the parts shown are the
parts that applying the suggestion gives.

* ``silhouette``: cosine silhouette of that 2-way split (-1..1; higher = the
  two parts are further apart than the comments within each part).
* ``part_sizes`` / ``part_keywords`` / ``part_labels``: each part's comment
  count, top keywords and label.
* ``cosine``: the centred cosine of the two parts' centroids (as for merges).
* ``language_ami``: adjusted mutual information between the parts and the
  comments' languages. Small themes of a mixed-language dump often split by
  language (the language centring of the model removes the average shift, not
  all of it); such a split is not a new complaint.
* suggested when ``silhouette >= split_silhouette``, ``cosine <=
  max_parts_cosine``, ``language_ami <= max_language_ami`` and the smaller
  part holds at least ``min_part_share`` of the theme and 3 comments;
  ``score = silhouette / split_silhouette``.
* **or by score**, when the file has NPS (or, without NPS, a rating): the same
  two parts' detractor rates (or mean ratings; ``outcome``, ``part_outcomes``)
  differ with ``outcome_p`` x (themes tested) below
  ``max_split_p`` (0.05; Bonferroni; each part needs ``min_scored_part``, 10,
  scored comments, and they must differ by a tenth of the score's span: 10
  points of detractor share, 0.4 stars on 1-5):
  a complaint that hides behind a sibling with the same words, which the
  silhouette cannot see. ``score = 1 + log10(max_split_p / corrected p)`` (1 at
  the threshold, one more for every tenfold below it). The test and its measurement are in
  :mod:`cxtext.themes.split_outcome`. Every tested split's evidence names the
  parts' detractor shares (or mean ratings), suggested or not.

**Thresholds** (defaults), chosen by looking at real data with every
threshold switched off and the evidence of every pair and every theme listed
(multilingual-e5-small unless said):

* the bundled sample (``examples/sample_feedback.csv``, 600 rows, 26 themes):
  centred centroid cosine between two themes: median -0.03, 90th percentile
  0.20, 99th 0.41, max 0.48 (shop staff praise vs "Maria at support" praise);
  keyword overlap at most 0.10. 2-way splits: silhouette 0.08-0.47, but every
  split above 0.3 except one followed the languages (``language_ami``
  0.6-1.0) or cut off 2 comments.
* ``tests/feedback.py`` (three complaints x three languages): two planted
  complaints merged into one theme split back with silhouette 0.33 (e5; 0.48
  MiniLM), parts cosine -0.61, ``language_ami`` -0.08; each single complaint
  splits with silhouette 0.17-0.19 (e5); the app fixture's single complaints
  0.11-0.23. One complaint split in two by hand gives parts at cosine 0.44
  (e5, the Arabic comments vs the rest) and 0.67 (MiniLM).

Hence ``merge_cosine = 0.4`` (the sample's top 1% of pairs; the halves of one
complaint), ``merge_jaccard = 0.5`` (five times the sample's largest overlap),
``split_silhouette = 0.24`` (above every single planted complaint, below the
merged pair), ``max_parts_cosine = 0.45``,
``max_language_ami = 0.5`` and ``min_part_share = 0.2``.

Checked on a harder set, CLINC150 banking + credit cards (1,500 English
queries, 30 intents, 43 themes; ``bench/suggest.py``, numbers in
``bench/results/suggest.md``): centred cosine of two themes of the same
intent median 0.38 (90%: 0.61), of different intents median -0.04 (90%:
0.17, max 0.61). 6 of its 28 merge suggestions join two themes of one intent
(6 of 17 such pairs found); most of the others join sibling intents
(``credit_score`` / ``improve_credit_score``, ``report_lost_card`` /
``report_fraud``). 4 of its 5 split suggestions are themes that do mix two
intents, but only one split follows the intents (ARI >= 0.5). The margins
are thin: treat the list as a reading order for a person, not a verdict.

With these defaults the sample gets 7 suggestions: merges of staff-praise
themes (shop staff + "Maria at support", cosine 0.48) and of "charged ·
hidden fees" + "unexpected charge" (0.47); splits of "best value plan"
(family plan vs value, 17 + 7), "calls dropping" (dropped calls vs waiting
in a queue, 9 + 3) and "charged · hidden fees" (double charges vs hidden
fees, 21 + 8). Finding them takes about 5 s on the sample (26 themes, one
2-way KMeans per theme).

Deterministic: the splits are seeded by the theme model's ``random_state``
(``seed_``); no other randomness.
"""

from __future__ import annotations

import copy
import math
import re
from typing import Any

import numpy as np
import pandas as pd

from cxtext.errors import CxtextError, ThemeEditError, ValidationError
from cxtext.themes.split_outcome import (MIN_SCORED_PART, Outcome, compare_parts, is_material, outcome_evidence,
                                         outcome_of)

__all__ = ["SUGGESTION_COLUMNS", "suggest_edits", "apply_suggestion", "suggestion_command"]

#: Columns of :func:`suggest_edits`'s frame.
SUGGESTION_COLUMNS = [
    "suggestion",     # 1-based position in the list (best first): what the CLI and the app refer to
    "kind",           # "merge" or "split"
    "theme_ids",      # list[int]: the two themes to merge, or [the theme] to split
    "labels",         # list[str]: their labels
    "score",          # float >= 1: how far past its threshold the evidence is; the list is sorted by it
    "cosine",         # merge: centred cosine of the two centroids; split: of the two parts' centroids
    "jaccard",        # merge: keyword overlap (0-1); split: between the two parts' keywords
    "silhouette",     # split: cosine silhouette of the 2-way split (-1..1); merge: NaN
    "part_sizes",     # split: [comments in part 1, part 2]; merge: the two themes' sizes
    "part_keywords",  # list[list[str]]: the parts' (merge: the themes') top keywords
    "part_labels",    # split: the labels the parts would get; merge: the themes' labels
    "language_ami",   # split: adjusted mutual information of parts and comment languages (0 none, 1 = by language)
    "outcome",        # split: what the parts' scores are compared on: "detractors" (NPS 0-6), "rating"; else None
    "part_outcomes",  # split: [part 1, part 2] detractor share (0-1) or mean rating among scored comments; else None
    "outcome_p",      # split: two-sided p of that comparison, before correction (NaN: not tested)
    "evidence",       # one readable sentence with the numbers
]

MERGE_COSINE = 0.4
MERGE_JACCARD = 0.5
SPLIT_SILHOUETTE = 0.24
MAX_PARTS_COSINE = 0.45
MAX_LANGUAGE_AMI = 0.5
MIN_PART_SHARE = 0.2
MIN_PART_SIZE = 3
MIN_SPLIT_SIZE = 8
MAX_SPLIT_P = 0.05
_N_KEYWORDS = 10
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def _keywords(value: Any, limit: int = _N_KEYWORDS) -> list[str]:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return []
    if isinstance(value, str):
        terms = [t.strip() for t in re.split(r";|\|", value) if t.strip()]
    else:
        terms = [t[0] if isinstance(t, (list, tuple)) else str(t) for t in value]
    return terms[:limit]


def _words(terms: list[str]) -> set[str]:
    return {w.lower() for term in terms for w in _WORD.findall(term)}


def keyword_jaccard(a: list[str], b: list[str]) -> float:
    """Jaccard overlap (0-1) of two keyword lists, compared word by word (lower case)."""
    wa, wb = _words(a), _words(b)
    return len(wa & wb) / len(wa | wb) if wa | wb else 0.0


def _unit(X: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(X, axis=1, keepdims=True)
    return X / np.maximum(norms, 1e-12)


def _check_threshold(name: str, value: float, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= float(value) <= high:
        raise ValidationError(f"'{name}' must be a number from {low:g} to {high:g}. Got {value!r} instead.")
    return float(value)


def suggest_edits(
    analysis,
    *,
    merge_cosine: float = MERGE_COSINE,
    merge_jaccard: float = MERGE_JACCARD,
    split_silhouette: float = SPLIT_SILHOUETTE,
    max_parts_cosine: float = MAX_PARTS_COSINE,
    max_language_ami: float = MAX_LANGUAGE_AMI,
    min_part_share: float = MIN_PART_SHARE,
    min_split_size: int = MIN_SPLIT_SIZE,
    max_split_p: float = MAX_SPLIT_P,
    min_scored_part: int = MIN_SCORED_PART,
    max_suggestions: int | None = 20,
) -> pd.DataFrame:
    """Likely merges and splits of ``analysis``'s themes, best first (columns: :data:`SUGGESTION_COLUMNS`).

    ``merge_cosine`` (0-1, centred centroid cosine), ``merge_jaccard`` (0-1,
    keyword word overlap), ``split_silhouette`` (-1..1, cosine silhouette of a
    2-way split), ``min_part_share`` (0-0.5, smaller part / theme size) and
    ``min_split_size`` (comments; smaller themes are not tested for a split)
    are the thresholds of the module docstring. ``max_split_p`` (0-1, family-wise:
    Bonferroni over the themes tested; 0 switches it off) also suggests a split
    whose two parts differ in detractor rate (or, without NPS, in mean rating;
    :mod:`cxtext.themes.split_outcome`), however close their words are, when each
    part has ``min_scored_part`` scored comments. ``max_suggestions`` keeps the
    best ones (``None``: all). An analysis without themes or without stored
    embeddings has no suggestions (empty frame).
    """
    merge_cosine = _check_threshold("merge_cosine", merge_cosine, 0.0, 1.0)
    merge_jaccard = _check_threshold("merge_jaccard", merge_jaccard, 0.0, 1.0)
    split_silhouette = _check_threshold("split_silhouette", split_silhouette, -1.0, 1.0)
    max_parts_cosine = _check_threshold("max_parts_cosine", max_parts_cosine, -1.0, 1.0)
    max_language_ami = _check_threshold("max_language_ami", max_language_ami, -1.0, 1.0)
    min_part_share = _check_threshold("min_part_share", min_part_share, 0.0, 0.5)
    max_split_p = _check_threshold("max_split_p", max_split_p, 0.0, 1.0)
    if isinstance(min_scored_part, bool) or not isinstance(min_scored_part, int) or min_scored_part < 2:
        raise ValidationError(f"'min_scored_part' must be a whole number of 2 or more. Got {min_scored_part!r}.")
    if isinstance(min_split_size, bool) or not isinstance(min_split_size, int) or min_split_size < 4:
        raise ValidationError(f"'min_split_size' must be a whole number of 4 or more. Got {min_split_size!r}.")
    model = getattr(analysis, "theme_model", None)
    themes = analysis.themes
    if model is None or themes.empty or analysis.embeddings is None:
        return _frame([])
    theme_ids = [int(t) for t in themes["theme_id"]]
    label_of = dict(zip(theme_ids, themes["label"].astype(str)))
    size_of = dict(zip(theme_ids, themes["size"].astype(int)))
    keywords_of = {t: _keywords(k) for t, k in zip(theme_ids, themes["keywords"])}

    vectors, languages, _ = analysis.split_members(theme_ids[0])
    theme_col = analysis.records["theme_id"].to_numpy()
    themed = np.flatnonzero((theme_col >= 0) & np.isfinite(vectors).all(axis=1))
    if themed.size == 0:
        return _frame([])
    E = model._prepare(vectors[themed], [languages[i] for i in themed])
    mean = E.mean(axis=0)
    centred = _unit(E - mean)
    labels = theme_col[themed]
    present = [t for t in theme_ids if (labels == t).any()]
    C = _unit(np.stack([centred[labels == t].mean(axis=0) for t in present])) if present else np.zeros((0, 1))
    S = C @ C.T

    rows: list[dict[str, Any]] = []
    for a in range(len(present)):
        for b in range(a + 1, len(present)):
            ta, tb = present[a], present[b]
            cosine = float(S[a, b])
            jaccard = keyword_jaccard(keywords_of[ta], keywords_of[tb])
            if cosine < merge_cosine and jaccard < merge_jaccard:
                continue
            score = max(_ratio(cosine, merge_cosine), _ratio(jaccard, merge_jaccard))
            shared = sorted(_words(keywords_of[ta]) & _words(keywords_of[tb]))
            rows.append({
                "kind": "merge", "theme_ids": [ta, tb], "labels": [label_of[ta], label_of[tb]],
                "score": round(float(score), 4), "cosine": round(cosine, 4), "jaccard": round(jaccard, 4),
                "silhouette": np.nan, "part_sizes": [size_of[ta], size_of[tb]],
                "part_keywords": [keywords_of[ta][:5], keywords_of[tb][:5]],
                "part_labels": [label_of[ta], label_of[tb]], "language_ami": np.nan,
                "outcome": None, "part_outcomes": None, "outcome_p": np.nan,
                "evidence": (f"centroid cosine {cosine:.2f} (merge from {merge_cosine:.2f}), keyword overlap "
                             f"{jaccard:.2f} (from {merge_jaccard:.2f})"
                             + (f"; shared words: {', '.join(shared[:6])}" if shared else "")),
            })

    outcome = outcome_of(analysis.records)
    splits = [row for t in theme_ids if (row := _split_row(analysis, model, t, label_of[t], vectors, languages,
                                                            mean, min_split_size, outcome,
                                                            min_scored_part)) is not None]
    n_tested = sum(row["_test"] is not None for row in splits)
    for row in splits:
        test = row.pop("_test")
        scores = []
        if _clear_split(row, split_silhouette, max_parts_cosine, max_language_ami, min_part_share):
            scores.append(_ratio(row["silhouette"], split_silhouette))
        if test is not None:
            row["evidence"] += "; " + outcome_evidence(test, n_tested)
            if 0 < test.p_value * n_tested < max_split_p and is_material(test, outcome):
                # how far past the corrected threshold: 1 at it, one more for every tenfold below it
                scores.append(1 + math.log10(max_split_p / (test.p_value * n_tested)))
        if scores:
            row["score"] = round(float(max(scores)), 4)
            rows.append(row)
    rows.sort(key=lambda r: (-r["score"], r["kind"], r["theme_ids"]))
    if max_suggestions is not None:
        rows = rows[: max(0, int(max_suggestions))]
    return _frame(rows)


def _ratio(value: float, threshold: float) -> float:
    """How far past its threshold a value is (value / threshold; the value itself when the threshold is <= 0)."""
    return float(value) / threshold if threshold > 0 else float(value)


def _clear_split(row: dict[str, Any], split_silhouette: float, max_parts_cosine: float,
                 max_language_ami: float, min_part_share: float) -> bool:
    sizes = row["part_sizes"]
    return (row["silhouette"] >= split_silhouette and row["cosine"] <= max_parts_cosine
            and row["language_ami"] <= max_language_ami and min(sizes) >= MIN_PART_SIZE
            and min(sizes) >= min_part_share * sum(sizes))


def _split_row(analysis, model, theme_id: int, label: str, vectors: np.ndarray, languages: list,
               mean: np.ndarray, min_split_size: int, outcome: Outcome,
               min_scored_part: int) -> dict[str, Any] | None:
    """Evidence of the 2-way split :meth:`Analysis.split_theme` would make (on a copy of the model).

    ``"_test"`` holds the parts' score comparison (:class:`~cxtext.themes.split_outcome.PartTest`,
    None when not testable) for the caller to correct over all themes."""
    _, _, rows = analysis.split_members(theme_id)
    if rows.size < max(min_split_size, 4):
        return None
    trial = copy.deepcopy(model)
    texts = analysis.records["clean_text"].iloc[rows].tolist()
    member_languages = [languages[i] for i in rows]
    try:
        ids = trial.split(theme_id, vectors[rows], texts, member_languages, n=2)
    except ThemeEditError:  # too few different comments: nothing to suggest
        return None
    edit = trial.edits_[-1]
    silhouette = edit.get("silhouette")
    sizes = [int(s) for s in edit["sizes"]]
    if silhouette is None or len(sizes) != 2:
        return None
    parts = trial.themes_.set_index("theme_id")
    part_keywords = [_keywords(parts.loc[i, "keywords"]) for i in ids]
    E = trial._prepare(vectors[rows], member_languages)
    centred = _unit(E - mean)
    part_of = trial.split_labels_
    from sklearn.metrics import adjusted_mutual_info_score

    codes = ["und" if lang is None else str(lang) for lang in member_languages]
    language_ami = float(adjusted_mutual_info_score(codes, part_of)) if len(set(codes)) > 1 else 0.0
    P = _unit(np.stack([centred[part_of == i].mean(axis=0) for i in ids]))
    cosine = float(P[0] @ P[1])
    jaccard = keyword_jaccard(part_keywords[0], part_keywords[1])
    test = compare_parts(outcome, rows, (part_of != ids[0]).astype(int), min_scored_part)
    return {
        "kind": "split", "theme_ids": [theme_id], "labels": [label], "score": np.nan, "cosine": round(cosine, 4),
        "jaccard": round(jaccard, 4), "silhouette": round(float(silhouette), 4), "part_sizes": sizes,
        "part_keywords": [k[:5] for k in part_keywords],
        "part_labels": [str(parts.loc[i, "label"]) for i in ids], "language_ami": round(language_ami, 4),
        "outcome": None if test is None else test.measure,
        "part_outcomes": None if test is None else [round(x, 4) for x in test.values],
        "outcome_p": np.nan if test is None else test.p_value,
        "evidence": (f"two sub-groups of {sizes[0]} and {sizes[1]} comments, silhouette {silhouette:.2f}, "
                     f"centroid cosine {cosine:.2f}: " + " | ".join(
                         ", ".join(k[:4]) for k in part_keywords)),
        "_test": test,
    }


def _frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=SUGGESTION_COLUMNS[1:])
    frame.insert(0, "suggestion", np.arange(1, len(frame) + 1, dtype=np.int64))
    return frame


def _pick(suggestions: pd.DataFrame, which: int) -> pd.Series:
    numbers = suggestions["suggestion"].astype(int).tolist()
    if isinstance(which, bool) or not isinstance(which, (int, np.integer)) or int(which) not in numbers:
        valid = ", ".join(map(str, numbers)) or "none (there are no suggestions)"
        raise CxtextError(f"There is no suggestion {which!r}. Suggestions: {valid}.")
    return suggestions[suggestions["suggestion"] == int(which)].iloc[0]


def apply_suggestion(analysis, suggestion: pd.Series | dict, *, label: str | None = None):
    """Apply one suggestion (a row of :func:`suggest_edits`); returns the edited Analysis.

    A merge calls ``analysis.merge_themes(theme_ids, label)`` (the smaller id
    is kept); a split calls ``analysis.split_theme(theme_id, n=2)``, which
    gives the parts the suggestion showed.
    """
    kind = suggestion["kind"]
    ids = [int(t) for t in suggestion["theme_ids"]]
    if kind == "merge":
        return analysis.merge_themes(ids, label)
    if kind == "split":
        return analysis.split_theme(ids[0], n=2)
    raise ValidationError(f"A suggestion's kind is 'merge' or 'split'. Got {kind!r}.")


def apply_numbered(analysis, which: int, **thresholds: Any):
    """Work the suggestions out again and apply number ``which`` (as listed by ``cxtext themes suggest``)."""
    return apply_suggestion(analysis, _pick(suggest_edits(analysis, **thresholds), which))


def suggestion_command(suggestion: pd.Series | dict, analysis_id: str = "ID") -> str:
    """The ``cxtext`` command that applies ``suggestion`` to the saved analysis ``analysis_id``."""
    ids = [int(t) for t in suggestion["theme_ids"]]
    if suggestion["kind"] == "merge":
        return f"cxtext themes merge {analysis_id} {' '.join(map(str, ids))}"
    return f"cxtext themes split {analysis_id} {ids[0]} --n 2"
