"""Labels that say the opposite of their theme, chosen again from the comments that agree with it.

A label is a phrase from the theme's own comments (:mod:`cxtext.themes.phrases`); one comment can give it.
When that comment praises while the theme complains, the label says the opposite of the theme. Public exports
audited by new users (2026-12-07) had this on their worst drivers: a theme of damaged parcels and refused
refunds (mean 1.27 stars, the top driver) labelled "point positif remboursement rapide" ("good point: quick
refund"); a dirty-beach theme "beach towels without problems"; "can't open / can't play" reviews "mantap gak
ada kendala" ("great, no problems").

:func:`relabel_against_polarity` takes each comment's sentiment (``negative`` / ``neutral`` / ``positive``,
from :mod:`cxtext.social`, passed in as plain strings: this module imports nothing from there). A theme of at
least :data:`MIN_COMMENTS` comments has a *side* when :data:`SIDE_SHARE` of them are negative (or positive).
Its label *contradicts* it when most of the theme's comments containing every word of the label are on the
other side, or (given a ``judge`` of short phrases, the same sentiment model) when the label's own words read
on the other side (a positive aside of one complaint). Such a theme gets the best phrase (same candidates and
score as at fit time) among the comments on its side that does not itself read on the other side; the change is recorded in ``edits_`` as ``{"op": "relabel", "why": ...}`` and listed in
``summary.json`` (``labels_relabelled``), so a reader sees which labels were chosen again and why.

Imports :mod:`cxtext.themes.phrases`, :mod:`cxtext.text.stopwords` only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from cxtext.text.stopwords import normalize_token, tokenize
from cxtext.themes.phrases import scores, theme_candidates

#: A theme smaller than this has no side worth defending (its label is tentative anyway).
MIN_COMMENTS = 5
#: A theme is on a side when this share of its comments with a sentiment are negative (or positive): a rule,
#: not a tuned number (two in three read one way).
SIDE_SHARE = 2 / 3
_OTHER_SIDE = {"negative": "positive", "positive": "negative"}


def relabel_against_polarity(model, texts: Sequence[str], embeddings: np.ndarray,
                             languages: Sequence[str | None], polarity: Sequence[str | None],
                             judge: Callable[[list[str]], list[str]] | None = None) -> list[dict]:
    """Give each theme whose label contradicts its side (module docstring) a phrase from the comments on its
    side; returns what changed, ``[{"theme_id", "label", "previous", "why"}]``. ``texts``, ``embeddings``,
    ``languages`` and ``polarity`` are the rows the model was fitted on, in order (``model.labels_``).

    ``judge`` (optional) reads the sentiment of short phrases (the same model as ``polarity``): a label whose
    own words read on the other side contradicts too ("point positif remboursement rapide", an aside of one
    complaint), and a new label is the best-ranked phrase it does not read on the other side.
    """
    labels = np.asarray(model.labels_)
    polarity = np.asarray([p if p in ("negative", "neutral", "positive") else "" for p in polarity], dtype=object)
    if len(polarity) != len(labels) or not len(labels):
        return []
    tokens = [{normalize_token(t) for t in tokenize(text)} for text in texts]
    sided = {}
    for k, theme in sorted(model._themes.items()):
        side = _side(polarity[labels == k])
        if side is not None and theme.get("origin", "discovered") == "discovered":  # a taxonomy name is the team's
            sided[k] = side
    if not sided:
        return []
    judged = dict(zip(sided, judge([model._themes[k]["label"] for k in sided]))) if judge else {}
    contradicted = {}  # theme -> why its label contradicts it
    for k, side in sided.items():
        members = np.flatnonzero(labels == k)
        words = {normalize_token(t) for t in tokenize(model._themes[k]["label"])}
        carrying = [i for i in members if words and words <= tokens[i]]
        against = sum(polarity[i] == _OTHER_SIDE[side] for i in carrying)
        if carrying and against * 2 > len(carrying):
            because = f"{against} of the {len(carrying)} comment(s) with it are {_OTHER_SIDE[side]}"
        elif judged.get(k) == _OTHER_SIDE[side]:
            because = f"its words read {_OTHER_SIDE[side]}"
        else:
            continue
        contradicted[k] = f"{_share(polarity[members], side):.0%} of the theme's comments are {side}, while {because}"
    if not contradicted:
        return []
    ranked = _phrases_on_side(model, {k: sided[k] for k in contradicted}, labels, polarity, texts, embeddings,
                              languages)
    changes = []
    for k, why in contradicted.items():
        used = {t["label"] for c, t in model._themes.items() if c != k}
        options = [phrase for phrase in ranked.get(k, []) if phrase not in used][:JUDGED_CANDIDATES]
        readings = judge(options) if judge and options else ["" for _ in options]
        label = next((phrase for phrase, read in zip(options, readings) if read != _OTHER_SIDE[sided[k]]), None)
        if not label or label == model._themes[k]["label"]:
            continue
        changes.append({"theme_id": int(k), "label": label, "previous": model._themes[k]["label"], "why": why})
        model.edits_.append({"op": "relabel", **changes[-1]})
        model._themes[k]["label"] = label
    if changes:
        model._refresh()
    return changes


def _share(values: np.ndarray, side: str) -> float:
    rated = values[values != ""]
    return float(np.mean(rated == side)) if len(rated) else 0.0


def _side(values: np.ndarray) -> str | None:
    """"negative" or "positive" when SIDE_SHARE of the comments with a sentiment are, else None."""
    if int((values != "").sum()) < MIN_COMMENTS:
        return None
    for side in ("negative", "positive"):
        if _share(values, side) >= SIDE_SHARE:
            return side
    return None


#: How many of a theme's best phrases ``judge`` reads before giving up on a new label.
JUDGED_CANDIDATES = 10


def _phrases_on_side(model, sides: dict[int, str], labels: np.ndarray, polarity: np.ndarray, texts: Sequence[str],
                     embeddings: np.ndarray, languages: Sequence[str | None]) -> dict[int, list[str]]:
    """Per theme of ``sides``, its phrases best first (same candidates and score as at fit time, the other themes
    as they are) among its comments on its side; one pass over the corpus for all of them."""
    masked = labels.copy()
    for k, side in sides.items():
        masked[(labels == k) & (polarity != side)] = -1
    E = model._prepare(np.asarray(embeddings, dtype=np.float64), list(languages))
    ids = sorted(model._themes)
    centroids = {c: np.asarray(model._proto[c], dtype=np.float64) for c in ids if c < len(model._proto)}
    language = {c: model._themes[c].get("label_language") for c in ids}
    candidates = theme_candidates(list(texts), masked, E, list(languages), language, centroids)
    ranked = {}
    for k in sides:
        cand = candidates.get(k)
        if not cand or not cand["keys"]:
            continue
        score = scores(cand)
        order = sorted(range(len(score)), key=lambda r: (-score[r], cand["words"][r], cand["keys"][r]))
        ranked[k] = [cand["surface"][r] for r in order]
    return ranked
