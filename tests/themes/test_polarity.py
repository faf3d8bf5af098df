"""Labels that say the opposite of their theme are chosen again from the comments on the theme's side.

New-user audits of public review scrapes (2026-12-07) found the top driver of a French Trustpilot export (mean
1.27 stars: damaged parcels, refused refunds) labelled "point positif remboursement rapide", an aside of one
complaint, and a Google Maps hotel theme of complaints (72% negative) labelled "room with pool access" from
praising comments.
"""

from __future__ import annotations

import numpy as np
from vectors import unit_blobs

from cxtext.themes import ThemeModel
from cxtext.themes.polarity import relabel_against_polarity

COMPLAINTS = ["parcel arrived damaged and the refund was refused", "refund refused after the parcel arrived broken",
              "damaged parcel, still waiting for the refund", "the refund was refused for a damaged parcel"]
PRAISE = ["fast delivery and friendly driver", "friendly driver, delivery on time", "delivery was fast and easy",
          "on time delivery by a friendly driver"]
QUESTIONS = ["how do I change my address", "can I change the delivery address", "where do I change my address",
             "change of address after ordering"]


def _fitted():
    X, groups, _ = unit_blobs()
    pools = [COMPLAINTS, PRAISE, QUESTIONS]
    texts = [pools[g][i % 4] + f" ({i})" for i, g in enumerate(groups)]
    texts[3] = "good point: quick refund, but the parcel arrived damaged"  # a praising aside in a complaint
    model = ThemeModel(min_theme_size=5, random_state=0).fit(texts, X, languages=["en"] * len(texts))
    polarity = np.array([["negative", "positive", "neutral"][g] for g in groups], dtype=object)
    polarity[3] = "negative"
    return model, texts, X, polarity


def _read(phrases):
    """The sentiment of a few phrases, as a sentiment model would read them."""
    return ["positive" if any(w in p for w in ("good", "quick", "friendly", "fast")) else "neutral" for p in phrases]


def test_a_praising_label_on_a_theme_of_complaints_is_chosen_again():
    model, texts, X, polarity = _fitted()
    complaints = int(model.labels_[0])
    model.rename(complaints, "good point quick refund")
    changes = relabel_against_polarity(model, texts, X, ["en"] * len(texts), polarity, judge=_read)
    (change,) = changes
    assert change["theme_id"] == complaints and change["previous"] == "good point quick refund"
    new = change["label"]
    assert _read([new]) != ["positive"] and any(word in new for word in ("refund", "parcel", "damaged"))
    assert "100% of the theme's comments are negative, while its words read positive" == change["why"]
    assert model.themes_.set_index("theme_id").loc[complaints, "label"] == new
    assert model.edits_[-1]["op"] == "relabel"


def test_labels_on_their_side_and_themes_without_a_side_are_left_alone():
    model, texts, X, polarity = _fitted()
    before = model.themes_["label"].tolist()  # "damaged and refund refused", "delivery by friendly driver", ...
    assert relabel_against_polarity(model, texts, X, ["en"] * len(texts), polarity, judge=_read) == []
    assert model.themes_["label"].tolist() == before and not [e for e in model.edits_ if e["op"] == "relabel"]


def test_a_label_carried_by_comments_of_the_other_side_is_chosen_again_without_a_judge():
    model, texts, X, polarity = _fitted()
    complaints = int(model.labels_[0])
    model.rename(complaints, "quick refund")  # only in the one praising comment of the theme
    polarity[3] = "positive"
    (change,) = relabel_against_polarity(model, texts, X, ["en"] * len(texts), polarity)
    assert change["theme_id"] == complaints and change["label"] != "quick refund"
    assert change["why"] == "98% of the theme's comments are negative, while 1 of the 1 comment(s) with it are positive"
