"""Score-less drivers, sentiment/NPS agreement, activity times and the one-call annotation."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from cxtext.drivers import driver_table
from cxtext.errors import ValidationError
from cxtext.metrics import nps_from_counts
from cxtext.social import (
    SOCIAL_COLUMNS,
    activity_pivot,
    activity_table,
    add_social_columns,
    annotate_records,
    competitor_counts,
    sentiment_nps_agreement,
    social_driver_columns,
)

THEMES = pd.DataFrame({"theme_id": [0, 1], "label": ["outages", "praise for staff"]})


def social_records() -> pd.DataFrame:
    """40 mentions: theme 0 mostly negative, theme 1 mostly positive, 10 unthemed; no scores."""
    sentiment = (["negative"] * 12 + ["neutral"] * 3 + ["positive"] * 0      # theme 0: 15
                 + ["negative"] * 1 + ["neutral"] * 2 + ["positive"] * 12    # theme 1: 15
                 + ["negative"] * 3 + ["neutral"] * 4 + ["positive"] * 3)    # unthemed: 10
    theme_id = [0] * 15 + [1] * 15 + [-1] * 10
    return pd.DataFrame({
        "row": np.arange(1, 41), "status": "analyzed", "theme_id": theme_id,
        "theme_ids": [str(t) if t >= 0 else "" for t in theme_id], "sentiment": sentiment,
        "competitors": ["Orange"] * 3 + [""] * 37,
        "nps": pd.array([pd.NA] * 40, dtype="Int64"), "scores_valid": True,
    })


def test_net_sentiment_and_impact_by_hand():
    social = social_driver_columns(social_records(), THEMES).set_index("theme_id")
    assert list(social.columns) == list(SOCIAL_COLUMNS)
    row = social.loc[0]
    assert row["n_sentiment"] == 15 and row["negative_share"] == pytest.approx(12 / 15)
    assert row["net_sentiment"] == pytest.approx(100 * (0 - 12) / 15)
    overall = 100 * (15 - 16) / 40
    rest = 100 * (15 - 4) / 25  # theme 1 + unthemed
    assert row["sentiment_impact"] == pytest.approx(overall - rest)
    theme, rest_r = nps_from_counts(0, 3, 12), nps_from_counts(15, 6, 4)
    se = 15 / 40 * math.sqrt(theme.se**2 + rest_r.se**2)
    assert row["sentiment_impact_se"] == pytest.approx(se)
    assert row["sentiment_impact_ci_high"] == pytest.approx(overall - rest + 1.959963984540054 * se)
    assert row["sentiment_priority"] == pytest.approx(-row["sentiment_impact_ci_high"])
    assert row["competitor_share"] == pytest.approx(3 / 15)
    assert social.loc[1, "sentiment_impact"] > 0


def test_small_themes_get_no_interval():
    social = social_driver_columns(social_records(), THEMES, min_test_size=20)
    assert social["sentiment_impact_ci_high"].isna().all() and social["sentiment_impact"].notna().all()


def test_social_only_table_is_ranked_by_sentiment_drag():
    records = social_records()
    drivers = driver_table(records, THEMES)
    assert drivers["n_nps"].sum() == 0
    ranked = add_social_columns(drivers, records, THEMES)
    assert ranked.attrs["priority_basis"] == "sentiment"
    assert ranked["theme_id"].tolist() == [0, 1] and ranked["rank"].tolist() == [1, 2]
    assert ranked["priority"].tolist() == ranked["sentiment_priority"].tolist()
    assert "net_sentiment" in ranked.attrs["column_descriptions"]


def test_scored_table_keeps_nps_ranking():
    records = social_records()
    records["nps"] = pd.array([10] * 15 + [0] * 15 + [8] * 10, dtype="Int64")  # theme 1 hurts NPS here
    drivers = driver_table(records, THEMES)
    ranked = add_social_columns(drivers, records, THEMES)
    assert ranked.attrs["priority_basis"] == "nps"
    assert ranked["theme_id"].tolist() == drivers["theme_id"].tolist() == [1, 0]


def test_agreement_with_nps():
    records = pd.DataFrame({
        "nps": pd.array([0, 3, 6, 7, 8, 9, 10, 10, pd.NA], dtype="Int64"),
        "sentiment": ["negative", "negative", "neutral", "neutral", "positive", "positive", "positive",
                      "negative", "negative"],
        "sentiment_score": [-0.9, -0.5, 0.0, 0.1, 0.4, 0.8, 0.9, -0.2, -0.9],
        "scores_valid": True,
    })
    agreement = sentiment_nps_agreement(records)
    assert agreement["n"] == 8
    assert agreement["accuracy"] == pytest.approx(5 / 8)
    assert agreement["detractor_recall"] == pytest.approx(2 / 3, abs=1e-4)
    assert agreement["confusion"]["promoter"] == {"negative": 1, "neutral": 0, "positive": 2}
    assert -1 <= agreement["kappa"] <= 1 and agreement["spearman"] > 0
    assert sentiment_nps_agreement(records.drop(columns="sentiment"))["n"] == 0


def test_activity_in_a_timezone_per_source():
    records = pd.DataFrame({
        "date": pd.to_datetime(["2026-03-02 06:30", "2026-03-02 06:45", "2026-03-08 22:10", None,
                                "2026-03-03 12:00"]),  # naive = UTC, as validate stores them
        "source": ["twitter", "twitter", "facebook", "twitter", pd.NA],
        "status": ["analyzed", "analyzed", "analyzed", "analyzed", "rejected"],
    })
    table = activity_table(records, timezone="Europe/Bucharest")
    assert table.attrs["has_time"]
    assert table.to_dict("records") == [
        {"source": "facebook", "weekday": 0, "weekday_name": "Monday", "hour": 0, "mentions": 1},
        {"source": "twitter", "weekday": 0, "weekday_name": "Monday", "hour": 8, "mentions": 2},
    ]
    grid = activity_pivot(table, "twitter")
    assert grid.shape == (7, 24) and grid.loc["Monday", 8] == 2 and grid.values.sum() == 2
    overall = activity_table(records, by=None)
    assert overall["mentions"].sum() == 3 and "source" not in overall


def test_activity_dates_only_and_errors():
    records = pd.DataFrame({"date": pd.to_datetime(["2026-03-02", "2026-03-03"]), "source": ["a", "a"]})
    table = activity_table(records, timezone="Asia/Riyadh")
    assert not table.attrs["has_time"] and table["hour"].isna().all()
    assert table["weekday_name"].tolist() == ["Monday", "Tuesday"]
    with pytest.raises(ValidationError):
        activity_table(records, timezone="Mars/Olympus")
    with pytest.raises(ValidationError):
        activity_table(records.drop(columns="date"))


def test_competitor_counts_per_comment_most_named_first():
    records = pd.DataFrame({"competitors": ["Orange; Digi", "Digi", "", None, "Digi; Digi", "Orange"],
                            "status": ["analyzed"] * 5 + ["rejected"]})
    assert competitor_counts(records) == {"Digi": 3, "Orange": 1}
    assert list(competitor_counts(records)) == ["Digi", "Orange"]
    assert competitor_counts(records.drop(columns="competitors")) == {}
    assert competitor_counts(social_records()) == {"Orange": 3}


@pytest.mark.model
def test_annotate_records_end_to_end(tmp_path_factory):
    from cxtext.embed import CachedEmbedder, SentenceTransformerEmbedder
    from cxtext.social.kinds import KindModel
    from cxtext.social.sentiment import SentimentModel
    from cxtext.store import EmbeddingCache

    embedder = CachedEmbedder(SentenceTransformerEmbedder("default"),
                              EmbeddingCache(tmp_path_factory.getbasetemp() / "seed-embeddings.sqlite"))
    kind_model = KindModel().fit_seed(embedder)  # kinds seed also carries sentiment labels
    from cxtext.social.kinds import kinds_seed
    from cxtext.social.sentiment import sentiment_seed

    seed = kinds_seed().merge(sentiment_seed()[["text", "sentiment"]], on="text")
    sentiment_model = SentimentModel().fit(embedder.encode(seed["text"].tolist()), seed["sentiment"],
                                           seed["language"])
    records = pd.DataFrame({
        "row": [1, 2, 3, 4],
        "text": ["@VodafoneRO my internet is down again, switching to Orange", "n/a",
                 "@VodafoneRO my internet is down again, switching to Orange", "شكرا فودافون، خدمة ممتازة"],
        "language": ["en", "und", "en", "ar"],
        "duplicate_of": pd.array([pd.NA, pd.NA, 1, pd.NA], dtype="Int64"),
    })
    vectors = np.full((4, 384), np.nan, dtype=np.float32)
    vectors[[0, 3]] = embedder.encode([records.loc[0, "text"], records.loc[3, "text"]])
    out = annotate_records(records, vectors, {"Vodafone": ["فودافون"], "Orange": []},
                           sentiment_model=sentiment_model, kind_model=kind_model)
    assert list(out.columns) == ["sentiment", "sentiment_score", "kind", "competitors"]
    assert out["sentiment"].tolist()[0] == "negative" and out["kind"].tolist()[0] == "complaint"
    assert out["sentiment"].isna().tolist() == [False, True, False, False]
    assert out.iloc[2].tolist() == out.iloc[0].tolist()  # folded duplicate copies its first copy
    assert out["sentiment"].tolist()[3] == "positive"
    assert out["competitors"].tolist() == ["Vodafone; Orange", "", "Vodafone; Orange", "Vodafone"]
