"""Driver table on planted data: the themes we made harmful must come out on top.

Every number checked here is recomputed by hand in the test (plain numpy and
scipy), not by calling cxtext helpers, and compared to 1e-9.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats

from cxtext.drivers import (
    ALL_COMMENTS_ID,
    DRIVER_COLUMNS,
    driver_table,
    driver_table_by,
    overall_row,
    theme_trend,
    one_per_respondent,
    theme_membership,
    usable_scores,
)
from cxtext.errors import ValidationError
from cxtext.schema import NO_COMMENT, UNTHEMED, ScoreScale

SEED = 20240601
CES_SCALE = ScoreScale(1, 7, "high")  # 7 = very easy
BILLING, RUDE, HOLD, DELIVERY, APP, PARKING = range(6)
LABELS = {BILLING: "billing errors", RUDE: "rude staff", HOLD: "long hold times",
          DELIVERY: "delivery", APP: "app login", PARKING: "parking"}
# Rows whose primary theme is each id; UNTHEMED and NO_COMMENT make the baseline.
PRIMARY_COUNTS = {BILLING: 300, RUDE: 240, HOLD: 300, DELIVERY: 1050, APP: 30, PARKING: 6,
                  UNTHEMED: 474, NO_COMMENT: 600}
BASE_CLASS_P = (0.20, 0.30, 0.50)  # detractor, passive, promoter
DRIVER_CLASS_P = (0.65, 0.20, 0.15)


def _scores_for(classes: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    detractor = rng.integers(0, 7, classes.size)
    passive = rng.integers(7, 9, classes.size)
    promoter = rng.integers(9, 11, classes.size)
    return np.choose(classes, [detractor, passive, promoter])


def planted_records(seed: int = SEED) -> tuple[pd.DataFrame, pd.DataFrame]:
    """~3000 rows, 6 themes: BILLING and RUDE raise detractors, HOLD raises effort,
    DELIVERY is large and neutral, APP and PARKING are small (PARKING < 10)."""
    rng = np.random.default_rng(seed)
    primary = rng.permutation(np.repeat(list(PRIMARY_COUNTS), list(PRIMARY_COUNTS.values())))
    n = primary.size
    is_driver = np.isin(primary, [BILLING, RUDE])
    classes = np.where(
        is_driver,
        rng.choice(3, n, p=DRIVER_CLASS_P),
        rng.choice(3, n, p=BASE_CLASS_P),
    )
    nps = _scores_for(classes, rng).astype(float)
    ces = np.clip(rng.integers(4, 8, n) - np.where(primary == HOLD, 2, 0), 1, 7).astype(float)
    csat = rng.integers(1, 6, n).astype(float)

    # 10 % of billing comments also mention delivery: overlapping themes.
    theme_ids = np.array([str(t) if t >= 0 else "" for t in primary], dtype=object)
    billing_rows = np.flatnonzero(primary == BILLING)
    also_delivery = rng.choice(billing_rows, size=30, replace=False)
    theme_ids[also_delivery] = f"{BILLING};{DELIVERY}"

    # Social mentions: themed but without scores.
    social = rng.random(n) < 0.08
    nps[social], ces[social], csat[social] = np.nan, np.nan, np.nan
    # Some scores are missing; some rows had a bad score, so their scores must not count.
    ces[rng.random(n) < 0.3] = np.nan
    csat[rng.random(n) < 0.5] = np.nan
    scores_valid = rng.random(n) > 0.01

    records = pd.DataFrame({
        "row": np.arange(1, n + 1),
        "status": np.where(primary == NO_COMMENT, "rejected", "analyzed"),
        "scores_valid": scores_valid,
        "nps": pd.array(nps, dtype="Float64").astype("Int64"),
        "ces": pd.array(ces, dtype="Float64").astype("Int64"),
        "csat": pd.array(csat, dtype="Float64").astype("Int64"),
        "theme_id": primary,
        "theme_ids": theme_ids,
        "date": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 90, n), unit="D"),
        "source": np.where(social, "twitter", "survey"),
        "segment": rng.choice(["retail", "business"], n),
    })
    themes = pd.DataFrame({"theme_id": list(LABELS), "label": list(LABELS.values())})
    return records, themes


@pytest.fixture(scope="module")
def planted() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    records, themes = planted_records()
    return records, themes, driver_table(records, themes, ces_scale=CES_SCALE)


# --------------------------------------------------------------------------- by hand


def _members(records: pd.DataFrame, theme_id: int) -> np.ndarray:
    listed = [theme_id in {int(t) for t in str(ids).split(";") if t} for ids in records["theme_ids"]]
    return np.array(listed) | (records["theme_id"].to_numpy() == theme_id)


def _valid(records: pd.DataFrame, column: str) -> tuple[np.ndarray, np.ndarray]:
    values = records[column].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    usable = records["scores_valid"].to_numpy() & ~np.isnan(values)
    return values, usable


def _nps_by_hand(values: np.ndarray) -> float:
    return 100.0 * (np.mean(values >= 9) - np.mean(values <= 6))


def _row(table: pd.DataFrame, theme_id: int) -> pd.Series:
    return table.set_index("theme_id").loc[theme_id]


# --------------------------------------------------------------------------- planted drivers


def test_planted_detractor_drivers_rank_first(planted) -> None:
    _, _, table = planted
    assert table["theme_id"].tolist()[:2] in ([BILLING, RUDE], [RUDE, BILLING])
    assert table["rank"].tolist() == list(range(1, 7))
    for theme_id in (BILLING, RUDE):
        row = _row(table, theme_id)
        assert row["nps_impact_ci_high"] < 0  # a clear drag
        assert row["detractor_lift"] > 2
        assert row["lift_q_value"] < 1e-6
        assert row["odds_ratio_ci_low"] > 1


def test_large_neutral_theme_is_not_a_driver(planted) -> None:
    _, _, table = planted
    delivery = _row(table, DELIVERY)
    # Its raw impact is even positive (the rest contains the drivers), so no
    # confident drag: priority below 0, ranked after both drivers...
    assert delivery["priority"] < 0
    assert delivery["rank"] > 2
    # ...and the model, which separates the overlap with billing, finds no effect.
    assert delivery["odds_ratio_ci_low"] < 1 < delivery["odds_ratio_ci_high"]
    assert 0.7 < delivery["odds_ratio"] < 1.4


def test_effort_theme_has_positive_significant_ces_gap(planted) -> None:
    _, _, table = planted
    hold = _row(table, HOLD)
    assert hold["ces_gap"] > 1.5  # planted: 2 points harder on a 7-point scale
    assert hold["ces_gap_p_value"] < 1e-10
    others = table[table["theme_id"].isin([BILLING, RUDE, DELIVERY])]
    assert (others["ces_gap"].abs() < 0.5).all()


def test_numbers_match_a_hand_computation(planted) -> None:
    records, _, table = planted
    nps_values, nps_usable = _valid(records, "nps")
    ces_values, ces_usable = _valid(records, "ces")
    csat_values, csat_usable = _valid(records, "csat")
    overall = _nps_by_hand(nps_values[nps_usable])
    themed_rows = sum(_members(records, t) for t in LABELS).astype(bool).sum()
    tested = {}
    for theme_id in (BILLING, RUDE, HOLD, DELIVERY, APP):
        member = _members(records, theme_id)
        row = _row(table, theme_id)
        theme_scores = nps_values[member & nps_usable]
        rest_scores = nps_values[~member & nps_usable]
        assert row["n_comments"] == member.sum()
        assert row["share"] == pytest.approx(member.sum() / themed_rows, abs=1e-12)
        assert row["n_nps"] == theme_scores.size
        assert row["nps"] == pytest.approx(_nps_by_hand(theme_scores), abs=1e-9)
        impact = overall - _nps_by_hand(rest_scores)
        assert row["nps_impact"] == pytest.approx(impact, abs=1e-9)
        weight = theme_scores.size / (theme_scores.size + rest_scores.size)
        assert impact == pytest.approx(weight * (_nps_by_hand(theme_scores) - _nps_by_hand(rest_scores)), abs=1e-9)
        se = weight * math.hypot(*(100 * np.std(np.where(s >= 9, 1.0, np.where(s <= 6, -1.0, 0.0))) / math.sqrt(s.size)
                                    for s in (theme_scores, rest_scores)))
        assert row["nps_impact_se"] == pytest.approx(se, abs=1e-9)

        det_theme, det_rest = int((theme_scores <= 6).sum()), int((rest_scores <= 6).sum())
        lift = (det_theme / theme_scores.size) / (det_rest / rest_scores.size)
        assert row["detractor_lift"] == pytest.approx(lift, abs=1e-9)
        table_2x2 = np.array([[det_theme, theme_scores.size - det_theme], [det_rest, rest_scores.size - det_rest]])
        expected = table_2x2.sum(1, keepdims=True) * table_2x2.sum(0, keepdims=True) / table_2x2.sum()
        if (expected < 5).any():
            p_value, test = stats.fisher_exact(table_2x2).pvalue, "fisher"
        else:
            pooled = (det_theme + det_rest) / (theme_scores.size + rest_scores.size)
            z = (det_theme / theme_scores.size - det_rest / rest_scores.size) / math.sqrt(
                pooled * (1 - pooled) * (1 / theme_scores.size + 1 / rest_scores.size))
            p_value, test = math.erfc(abs(z) / math.sqrt(2)), "two-proportion"
        assert row["lift_test"] == test
        assert row["lift_p_value"] == pytest.approx(p_value, rel=1e-9, abs=1e-300)
        tested[theme_id] = p_value

        theme_ces, rest_ces = ces_values[member & ces_usable], ces_values[~member & ces_usable]
        assert row["ces_mean"] == pytest.approx(theme_ces.mean(), abs=1e-12)
        assert row["ces_gap"] == pytest.approx(rest_ces.mean() - theme_ces.mean(), abs=1e-9)  # 7 = easy
        assert row["ces_gap_p_value"] == pytest.approx(
            stats.ttest_ind(theme_ces, rest_ces, equal_var=False).pvalue, rel=1e-9, abs=1e-300)
        theme_csat, rest_csat = csat_values[member & csat_usable], csat_values[~member & csat_usable]
        assert row["csat_gap"] == pytest.approx(theme_csat.mean() - rest_csat.mean(), abs=1e-9)

    # Benjamini-Hochberg by hand: q_(i) = min over j >= i of p_(j)·m/j.
    ordered = sorted(tested.items(), key=lambda item: item[1])
    m = len(ordered)
    running = 1.0
    for position in range(m - 1, -1, -1):
        theme_id, p_value = ordered[position]
        running = min(running, p_value * m / (position + 1))
        assert _row(table, theme_id)["lift_q_value"] == pytest.approx(running, rel=1e-9, abs=1e-300)


def test_without_nps_the_lift_test_says_there_is_none(planted) -> None:
    # a review export with stars only: "too small (n<10)" on every row read as a verdict on each theme
    records, themes, _ = planted
    table = driver_table(records.assign(nps=pd.NA), themes, ces_scale=CES_SCALE)
    assert set(table["lift_test"]) == {"no NPS answers"}


def test_too_small_theme_says_so_and_ranks_last(planted) -> None:
    _, _, table = planted
    parking = _row(table, PARKING)
    assert parking["n_nps"] < 10
    assert parking["lift_test"] == "too small (n<10)"
    for column in ("detractor_lift", "lift_p_value", "lift_q_value", "odds_ratio", "nps_impact_ci_high", "priority"):
        assert math.isnan(parking[column]), column
    assert not math.isnan(parking["nps"])  # descriptive numbers are still shown
    assert parking["rank"] == len(table)


def test_table_shape_and_documentation(planted) -> None:
    _, _, table = planted
    assert list(table.columns) == list(DRIVER_COLUMNS)
    assert table["theme_id"].dtype == np.int64
    assert set(table.attrs["column_descriptions"]) == set(DRIVER_COLUMNS)
    assert "maximum likelihood" in table.attrs["model_note"]
    assert table.attrs["ces_scale"].startswith("CES 1-7, 7 = least effort")


# --------------------------------------------------------------------------- worked example


def _example_records(theme_counts: tuple[int, int, int], rest_counts: tuple[int, int, int]) -> pd.DataFrame:
    """Theme 0 then rest (unthemed) respondents, counts as (promoters, passives, detractors)."""
    scores, themes_of = [], []
    for theme_id, (promoters, passives, detractors) in ((0, theme_counts), (UNTHEMED, rest_counts)):
        scores += [10] * promoters + [8] * passives + [3] * detractors
        themes_of += [theme_id] * (promoters + passives + detractors)
    return pd.DataFrame({
        "row": np.arange(1, len(scores) + 1), "status": "analyzed", "scores_valid": True,
        "nps": pd.array(scores, dtype="Int64"), "ces": pd.array([None] * len(scores), dtype="Int64"),
        "csat": pd.array([None] * len(scores), dtype="Int64"), "theme_id": themes_of,
    })


def test_nps_impact_worked_example_is_minus_5_56() -> None:
    # N = 1000 with overall NPS 30; the theme's 100 respondents have NPS -20.
    records = _example_records((20, 40, 40), (450, 320, 130))
    themes = pd.DataFrame({"theme_id": [0], "label": ["slow refunds"]})
    row = driver_table(records, themes).iloc[0]
    assert overall_row(records).loc[0, "nps"] == pytest.approx(30.0)
    assert row["nps"] == pytest.approx(-20.0)
    assert round(row["nps_impact"], 2) == -5.56
    assert row["nps_impact"] == pytest.approx(-50 / 9, abs=1e-9)


def test_overall_row_is_separate_and_documented() -> None:
    records, _ = planted_records()
    overall = overall_row(records)
    assert len(overall) == 1 and overall.loc[0, "theme_id"] == ALL_COMMENTS_ID
    assert overall.loc[0, "n_rows"] == len(records)
    assert overall.loc[0, "n_comments"] == (records["theme_id"] >= UNTHEMED).sum()
    assert set(overall.attrs["column_descriptions"]) == set(overall.columns)


# --------------------------------------------------------------------------- robustness


def test_separated_theme_is_left_out_and_the_others_keep_their_mle() -> None:
    # Theme 0: 15 respondents, all detractors -> infinite maximum-likelihood odds ratio.
    # Theme 1: an ordinary theme; the rest are unthemed.
    groups = {0: (0, 0, 15), 1: (10, 10, 20), UNTHEMED: (290, 190, 80)}
    scores, themes_of = [], []
    for theme_id, (promoters, passives, detractors) in groups.items():
        scores += [10] * promoters + [8] * passives + [3] * detractors
        themes_of += [theme_id] * (promoters + passives + detractors)
    records = pd.DataFrame({
        "row": np.arange(1, len(scores) + 1), "status": "analyzed", "scores_valid": True,
        "nps": pd.array(scores, dtype="Int64"), "ces": pd.array([None] * len(scores), dtype="Int64"),
        "csat": pd.array([None] * len(scores), dtype="Int64"), "theme_id": themes_of,
    })
    themes = pd.DataFrame({"theme_id": [0, 1], "label": ["outage", "billing"]})
    table = driver_table(records, themes).set_index("theme_id")
    assert "Themes [0] have all or no detractors" in table.attrs["model_note"]
    assert "maximum likelihood" in table.attrs["model_note"]
    assert math.isnan(table.loc[0, "odds_ratio"]) and math.isnan(table.loc[0, "odds_ratio_p_value"])
    # theme 1 by hand: a logit without theme 0's respondents
    kept = np.asarray(themes_of) != 0
    detractor = (np.asarray(scores) <= 6)[kept].astype(float)
    member = (np.asarray(themes_of)[kept] == 1).astype(float)
    by_hand = sm.Logit(detractor, sm.add_constant(member)).fit(disp=0)
    assert table.loc[1, "odds_ratio"] == pytest.approx(math.exp(by_hand.params[1]), rel=1e-9)
    assert table.loc[1, "odds_ratio_ci_low"] == pytest.approx(math.exp(by_hand.conf_int()[1, 0]), rel=1e-9)
    assert table.loc[1, "odds_ratio_p_value"] == pytest.approx(by_hand.pvalues[1], rel=1e-9)
    # the separated theme is still described by its lift test
    assert table.loc[0, "lift_test"] == "fisher"  # 0 non-detractors expected < 5
    by_hand_p = stats.fisher_exact([[15, 0], [100, 500]]).pvalue
    assert table.loc[0, "lift_p_value"] == pytest.approx(by_hand_p, rel=1e-9, abs=1e-300)


def test_social_only_data_ranks_by_volume() -> None:
    records, themes = planted_records()
    social = records.assign(nps=pd.array([None] * len(records), dtype="Int64"), ces=np.nan, csat=np.nan)
    table = driver_table(social, themes, ces_scale=CES_SCALE)
    assert table["n_comments"].is_monotonic_decreasing
    assert (table["priority"] == table["n_comments"]).all()
    assert "No NPS" in table.attrs["model_note"]


def test_default_ces_scale_is_recorded_not_silent() -> None:
    records, themes = planted_records()
    table = driver_table(records, themes)
    assert table.attrs["ces_scale"] == "CES 1-7, 7 = least effort (default, not stated by the caller)"


def test_ces_gap_orientation_on_low_is_easy_scale() -> None:
    records = pd.DataFrame({
        "row": range(1, 41), "status": "analyzed", "scores_valid": True,
        "nps": pd.array([None] * 40, dtype="Int64"),
        "ces": pd.array([4, 5] * 10 + [1, 2] * 10, dtype="Int64"),  # 1 = very easy
        "theme_id": [0] * 20 + [UNTHEMED] * 20,
    })
    themes = pd.DataFrame({"theme_id": [0], "label": ["returns"]})
    table = driver_table(records, themes, ces_scale=ScoreScale(1, 5, "low"))
    assert table.loc[0, "ces_gap"] == pytest.approx(3.0)  # more effort -> positive


def test_invalid_arguments_raise_validation_error() -> None:
    records, themes = planted_records()
    with pytest.raises(ValidationError, match="min_test_size"):
        driver_table(records, themes, min_test_size=0)
    with pytest.raises(ValidationError, match="label"):
        driver_table(records, themes.drop(columns="label"))
    with pytest.raises(ValidationError, match="source, segment, month"):
        driver_table_by(records, themes, by="country")


# --------------------------------------------------------------------------- by group and trend


def test_driver_table_by_source_has_leading_group_column() -> None:
    records, themes = planted_records()
    by_source = driver_table_by(records, themes, by="source", ces_scale=CES_SCALE)
    assert by_source.columns[0] == "source"
    assert set(by_source["source"]) == {"survey", "twitter"}
    survey = by_source[by_source["source"] == "survey"]
    assert survey["theme_id"].tolist()[:2] in ([BILLING, RUDE], [RUDE, BILLING])
    assert set(by_source.attrs["model_notes"]) == {"survey", "twitter"}
    by_month = driver_table_by(records, themes, by="month", ces_scale=CES_SCALE)
    assert set(by_month["month"]) == {"2024-01", "2024-02", "2024-03"}


def test_theme_trend_flags_emerging_themes() -> None:
    # theme 0: 2 -> 8 comments (+300 %, >= 5): emerging. theme 1: 10 -> 12 (+20 %): not.
    # theme 2: 1 -> 3 (+200 % but < 5 comments): not.
    months = ["2024-01"] * 2 + ["2024-02"] * 8 + ["2024-01"] * 10 + ["2024-02"] * 12 + ["2024-01"] + ["2024-02"] * 3
    theme_of = [0] * 10 + [1] * 22 + [2] * 4
    records = pd.DataFrame({
        "row": range(1, 37), "status": "analyzed", "scores_valid": True,
        "nps": pd.array([10] * 36, dtype="Int64"), "theme_id": theme_of,
        "date": pd.to_datetime([m + "-15" for m in months]),
    })
    themes = pd.DataFrame({"theme_id": [0, 1, 2], "label": ["a", "b", "c"]})
    trend = theme_trend(records, themes).set_index(["period", "theme_id"])
    assert trend.loc[("2024-02", 0), "n_comments"] == 8
    assert trend.loc[("2024-02", 0), "emerging"]
    assert not trend.loc[("2024-02", 1), "emerging"]
    assert not trend.loc[("2024-02", 2), "emerging"]
    assert not trend.xs("2024-01", level="period")["emerging"].any()
    assert trend.loc[("2024-01", 1), "nps"] == 100.0


def test_emerging_compares_shares_not_counts() -> None:
    """Issue 24: a month when every theme grows because more people answered flags no theme."""
    # 2024-01: 3 + 3 + 4 comments; 2024-02 (the survey went out): 30 + 30 + 40, the same shares
    counts = {("2024-01", 0): 3, ("2024-01", 1): 3, ("2024-01", 2): 4,
              ("2024-02", 0): 30, ("2024-02", 1): 30, ("2024-02", 2): 40}
    months = [m for (m, _), n in counts.items() for _ in range(n)]
    theme_of = [t for (_, t), n in counts.items() for _ in range(n)]
    records = pd.DataFrame({"row": range(1, len(months) + 1), "status": "analyzed", "scores_valid": True,
                            "nps": pd.array([8] * len(months), dtype="Int64"), "theme_id": theme_of,
                            "date": pd.to_datetime([m + "-15" for m in months])})
    themes = pd.DataFrame({"theme_id": [0, 1, 2], "label": ["a", "b", "c"]})
    trend = theme_trend(records, themes)
    assert not trend["emerging"].any()
    # theme 2 doubles its share (40% -> 80% of 50 comments; 50 rows become non-answers): emerging
    records.loc[records["date"].dt.month.eq(2) & records["theme_id"].isin([0, 1]), "theme_id"] = [0] * 5 + [1] * 5 + [-2] * 50
    trend = theme_trend(records, themes).set_index(["period", "theme_id"])
    assert trend.loc[("2024-02", 2), "emerging"] and not trend.loc[("2024-02", 0), "emerging"]


def test_theme_trend_fills_quiet_periods_with_zero() -> None:
    records, themes = planted_records()
    trend = theme_trend(records, themes)
    assert len(trend) == 3 * len(LABELS)  # 3 months x 6 themes
    assert trend["n_comments"].sum() == sum(_members(records, t).sum() for t in LABELS)


# --------------------------------------------------------------------------- more hand computations


Z_95 = 1.959963984540054  # scipy.stats.norm.ppf(0.975)
MODELLED = (BILLING, RUDE, HOLD, DELIVERY, APP)  # PARKING has < 10 respondents: not in the model


def _logit_by_hand(outcome: np.ndarray, design: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Maximum-likelihood logistic regression by plain Newton-Raphson: (coefficients, standard errors)."""
    x = np.column_stack([np.ones(len(outcome)), design])
    beta = np.zeros(x.shape[1])
    for _ in range(100):
        p = 1 / (1 + np.exp(-x @ beta))
        information = x.T @ (x * (p * (1 - p))[:, None])
        step = np.linalg.solve(information, x.T @ (outcome - p))
        beta += step
        if np.abs(step).max() < 1e-13:
            break
    p = 1 / (1 + np.exp(-x @ beta))
    covariance = np.linalg.inv(x.T @ (x * (p * (1 - p))[:, None]))
    return beta[1:], np.sqrt(np.diag(covariance))[1:]


def test_key_driver_odds_ratios_match_a_hand_fit(planted) -> None:
    records, _, table = planted
    nps_values, nps_usable = _valid(records, "nps")
    outcome = (nps_values[nps_usable] <= 6).astype(float)
    design = np.column_stack([_members(records, t)[nps_usable] for t in MODELLED]).astype(float)
    beta, se = _logit_by_hand(outcome, design)
    for position, theme_id in enumerate(MODELLED):
        row = _row(table, theme_id)
        assert row["odds_ratio"] == pytest.approx(math.exp(beta[position]), rel=1e-9)
        assert row["odds_ratio_ci_low"] == pytest.approx(math.exp(beta[position] - Z_95 * se[position]), rel=1e-9)
        assert row["odds_ratio_ci_high"] == pytest.approx(math.exp(beta[position] + Z_95 * se[position]), rel=1e-9)
        p_value = math.erfc(abs(beta[position] / se[position]) / math.sqrt(2))
        assert row["odds_ratio_p_value"] == pytest.approx(p_value, rel=1e-9, abs=1e-300)
    # The planted drivers, and only they, have clearly raised odds once the overlap is separated.
    assert {t for t in MODELLED if _row(table, t)["odds_ratio_ci_low"] > 1} == {BILLING, RUDE}


def test_intervals_and_priority_match_a_hand_computation(planted) -> None:
    records, _, table = planted
    nps_values, nps_usable = _valid(records, "nps")
    csat_values, csat_usable = _valid(records, "csat")
    overall = _nps_by_hand(nps_values[nps_usable])
    for theme_id in MODELLED:
        member = _members(records, theme_id)
        row = _row(table, theme_id)
        theme_scores, rest_scores = nps_values[member & nps_usable], nps_values[~member & nps_usable]
        p, d = np.mean(theme_scores >= 9), np.mean(theme_scores <= 6)
        se_theme = 100 * math.sqrt((p + d - (p - d) ** 2) / theme_scores.size)
        nps_theme = 100 * (p - d)
        assert row["nps_ci_low"] == pytest.approx(max(-100.0, nps_theme - Z_95 * se_theme), abs=1e-9)
        assert row["nps_ci_high"] == pytest.approx(min(100.0, nps_theme + Z_95 * se_theme), abs=1e-9)
        assert row["detractor_share"] == pytest.approx(d, abs=1e-12)
        assert row["promoter_share"] == pytest.approx(p, abs=1e-12)
        assert row["passive_share"] == pytest.approx(1 - p - d, abs=1e-12)

        pr, dr = np.mean(rest_scores >= 9), np.mean(rest_scores <= 6)
        se_rest = 100 * math.sqrt((pr + dr - (pr - dr) ** 2) / rest_scores.size)
        weight = theme_scores.size / (theme_scores.size + rest_scores.size)
        impact = overall - 100 * (pr - dr)
        impact_se = weight * math.sqrt(se_theme**2 + se_rest**2)
        assert row["nps_impact_ci_low"] == pytest.approx(impact - Z_95 * impact_se, abs=1e-9)
        assert row["nps_impact_ci_high"] == pytest.approx(impact + Z_95 * impact_se, abs=1e-9)
        assert row["priority"] == pytest.approx(-(impact + Z_95 * impact_se), abs=1e-9)

        theme_csat, rest_csat = csat_values[member & csat_usable], csat_values[~member & csat_usable]
        assert row["csat_mean"] == pytest.approx(theme_csat.mean(), abs=1e-12)
        assert row["csat_gap_p_value"] == pytest.approx(
            stats.ttest_ind(theme_csat, rest_csat, equal_var=False).pvalue, rel=1e-9, abs=1e-300)
    # Ranks follow priority, biggest first.
    assert table["priority"].dropna().is_monotonic_decreasing


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_planted_ranking_holds_for_other_seeds(seed: int) -> None:
    records, themes = planted_records(seed)
    table = driver_table(records, themes, ces_scale=CES_SCALE)
    assert set(table["theme_id"].head(2)) == {BILLING, RUDE}
    delivery, hold = _row(table, DELIVERY), _row(table, HOLD)
    assert delivery["priority"] < 0 and delivery["odds_ratio_ci_low"] < 1 < delivery["odds_ratio_ci_high"]
    # The effort theme is an effort driver, not an NPS driver.
    assert hold["ces_gap"] > 1.5 and hold["ces_gap_p_value"] < 1e-10 and hold["priority"] < 0
    assert (table[table["theme_id"] != HOLD]["ces_gap"].abs() < 0.5).all()


# --------------------------------------------------------------------------- exports


def test_analysis_export_writes_complete_drivers_csv_and_described_workbook(planted, tmp_path) -> None:
    from openpyxl import load_workbook

    from cxtext.analysis import Analysis
    from cxtext.outputs import write_analysis
    from cxtext.pipeline import load_pipeline

    records, themes, table = planted
    records = records.assign(
        id=[f"r{i}" for i in records["row"]], reason="",
        theme_label=[LABELS.get(t, "") for t in records["theme_id"]])
    themes = themes.assign(keywords="", size=0, share=0.0, languages="en", quotes=[["=SUM(A1)", "ok"]] * len(themes))
    config = load_pipeline("survey_comments")
    analysis = Analysis({"nps": {"nps": 1.0}}, records, themes, table, config, ces_scale=CES_SCALE)
    write_analysis(analysis, tmp_path, ["csv", "xlsx"])

    drivers_csv = pd.read_csv(tmp_path / "drivers.csv", encoding="utf-8-sig")
    assert list(drivers_csv.columns) == list(DRIVER_COLUMNS)
    assert sorted(drivers_csv["theme_id"]) == sorted(LABELS)
    assert drivers_csv["rank"].tolist() == list(range(1, len(LABELS) + 1))
    pd.testing.assert_series_equal(drivers_csv["nps_impact"], table["nps_impact"], check_exact=False, rtol=1e-12)

    workbook = load_workbook(tmp_path / "analysis.xlsx")
    assert workbook.sheetnames == ["drivers", "themes", "assignments", "summary", "columns"]
    described = {(sheet, column): text for sheet, column, text in
                 workbook["columns"].iter_rows(min_row=2, values_only=True)}
    for sheet in ("drivers", "themes", "assignments"):
        header = [cell.value for cell in workbook[sheet][1]]
        missing = [column for column in header if not described.get((sheet, column))]
        assert not missing, f"{sheet} columns without a description: {missing}"
    assert "negative means" in described[("drivers", "nps_impact")]  # the sign convention is in the workbook
    assert workbook["themes"]["G2"].value.startswith("'=")  # quotes are formula-safe


def test_themes_with_identical_respondents_enter_the_model_once() -> None:
    # theme 1's respondents are exactly theme 0's (a comment in both, via theme_ids)
    rng = np.random.default_rng(3)
    n = 400
    theme = np.where(np.arange(n) < 60, 0, np.where(np.arange(n) < 120, 2, UNTHEMED))
    scores = np.where(theme == 0, rng.integers(0, 9, n), rng.integers(0, 11, n))  # mostly detractors
    records = pd.DataFrame({
        "row": np.arange(1, n + 1), "status": "analyzed", "scores_valid": True,
        "nps": pd.array(scores, dtype="Int64"), "ces": pd.array([None] * n, dtype="Int64"),
        "csat": pd.array([None] * n, dtype="Int64"), "theme_id": theme,
        "theme_ids": ["0;1" if t == 0 else (str(t) if t >= 0 else "") for t in theme],
    })
    themes = pd.DataFrame({"theme_id": [0, 1, 2], "label": ["a", "a twin", "b"]})
    table = driver_table(records, themes).set_index("theme_id")
    assert "Themes 1 have exactly the same respondents" in table.attrs["model_note"]
    assert math.isnan(table.loc[1, "odds_ratio"]) and math.isfinite(table.loc[0, "odds_ratio"])


def _rating_records() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Ten reviews without NPS: theme 0 rated 1, 1, 2, 2 stars; the other six 4 or 5."""
    ratings = [1, 1, 2, 2, 4, 5, 4, 5, 4, 5]
    records = pd.DataFrame({
        "row": range(1, 11), "status": "analyzed", "scores_valid": True,
        "nps": pd.array([None] * 10, dtype="Int64"),
        "rating": pd.array(ratings, dtype="Float64"),
        "theme_id": [0] * 4 + [1] * 6,
    })
    return records, pd.DataFrame({"theme_id": [0, 1], "label": ["broken after a week", "works well"]})


def test_rating_gap_and_impact_match_a_hand_computation_and_rank_without_nps() -> None:
    records, themes = _rating_records()
    table = driver_table(records, themes, min_test_size=2).set_index("theme_id")
    broken = table.loc[0]
    assert broken["rating_mean"] == pytest.approx(1.5)
    assert broken["rating_gap"] == pytest.approx(1.5 - 4.5)
    # overall mean 3.3 minus the rest's 4.5 = (4/10) x (1.5 - 4.5)
    assert broken["rating_impact"] == pytest.approx(3.3 - 4.5)
    welch = stats.ttest_ind([1, 1, 2, 2], [4, 5, 4, 5, 4, 5], equal_var=False)
    interval = welch.confidence_interval(0.95)
    assert (broken["rating_gap_ci_low"], broken["rating_gap_ci_high"]) == (
        pytest.approx(interval.low), pytest.approx(interval.high))
    assert broken["rating_gap_p_value"] == pytest.approx(welch.pvalue)
    assert broken["rating_impact_ci_high"] == pytest.approx(0.4 * interval.high)
    # no NPS anywhere: ranked by the rating drag that holds with 95% confidence
    assert table.attrs["priority_basis"] == "rating"
    assert broken["rank"] == 1 and broken["priority"] == pytest.approx(-0.4 * interval.high)
    assert int(broken["n_rating"]) == 4


def test_a_respondent_with_two_comments_counts_once_per_theme() -> None:
    # row 1 wrote two comments, both in theme 0; row 2 one comment in theme 0 and one in theme 1
    records = pd.DataFrame({
        "row": [1, 1, 2, 2, 3, 4], "status": "analyzed", "scores_valid": True,
        "nps": pd.array([0, 0, 10, 10, 5, 9], dtype="Int64"),
        "theme_id": [0, 0, 0, 1, 1, UNTHEMED], "theme_ids": ["0", "0", "0", "1", "1", ""],
    })
    themes = pd.DataFrame({"theme_id": [0, 1], "label": ["a", "b"]})
    table = driver_table(records, themes, min_test_size=1).set_index("theme_id")
    assert table.loc[0, "n_comments"] == 2 and table.loc[0, "n_nps"] == 2  # rows 1 and 2, not 3 comments
    assert table.loc[1, "n_nps"] == 2  # rows 2 and 3
    assert table.loc[0, "nps"] == pytest.approx(0.0)  # one detractor (0), one promoter (10)
    overall = overall_row(records)
    assert overall.loc[0, "n_nps"] == 4 and overall.loc[0, "nps"] == pytest.approx(0.0)  # 2 promoters, 2 detractors


def test_a_small_theme_that_looks_like_a_drag_outranks_a_theme_that_clearly_lifts_nps() -> None:
    # theme 0: 14 promoters-ish (clearly lifts NPS); theme 1: 5 detractors (too small to test); rest: passives
    nps = [9, 10] * 7 + [0, 1, 2, 1, 0] + [7, 8] * 20
    records = pd.DataFrame({
        "row": range(1, len(nps) + 1), "status": "analyzed", "scores_valid": True,
        "nps": pd.array(nps, dtype="Int64"),
        "theme_id": [0] * 14 + [1] * 5 + [UNTHEMED] * 40,
    })
    themes = pd.DataFrame({"theme_id": [0, 1], "label": ["great staff", "charged twice"]})
    table = driver_table(records, themes)
    assert table["theme_id"].tolist() == [1, 0]
    small = table.iloc[0]
    assert math.isnan(small["priority"]) and small["nps_impact"] < 0 and small["lift_test"] == "too small (n<10)"
    assert table.iloc[1]["nps_impact_ci_low"] > 0  # the lifting theme is tested and clearly positive


def test_without_nps_or_rating_the_ranking_uses_csat_then_ces() -> None:
    """Issue 24: the file's own outcome ranks the themes (NPS, then rating, then CSAT, then CES)."""
    from cxtext.drivers.outcome import outcome_of, rank_by_outcome

    records, themes = planted_records()
    effort_only = records.assign(nps=pd.array([None] * len(records), dtype="Int64"), csat=np.nan)
    table = driver_table(effort_only, themes, ces_scale=CES_SCALE)
    assert table.attrs["priority_basis"] == "ces"
    assert outcome_of(table).title == "What drives customer effort"
    assert table.iloc[0]["theme_id"] == HOLD  # the planted effort theme: 2 points more effort
    stored = table.attrs["outcome_priority"]
    assert stored["ci_high"][HOLD] < 0 and table.iloc[0]["priority"] == pytest.approx(-stored["ci_high"][HOLD])
    # by hand: overall mean minus the mean of the rest, on "higher = easier"
    scores = usable_scores(one_per_respondent(effort_only))
    member = theme_membership(one_per_respondent(effort_only), [HOLD])[HOLD].to_numpy()
    present = ~np.isnan(scores.ces)
    drag = np.nanmean(scores.ces) - np.nanmean(scores.ces[~member & present])
    assert stored["drag"][HOLD] == pytest.approx(drag, rel=1e-9)

    satisfaction = records.assign(nps=pd.array([None] * len(records), dtype="Int64"))
    table = driver_table(satisfaction, themes, ces_scale=CES_SCALE)
    assert table.attrs["priority_basis"] == "csat"
    # a later stage ranking by sentiment is undone by rank_by_outcome
    resorted = table.sort_values("n_comments").assign(priority=np.nan)
    resorted.attrs = {**table.attrs, "priority_basis": "sentiment"}
    again = rank_by_outcome(resorted)
    assert again.attrs["priority_basis"] == "csat"
    assert again["theme_id"].tolist() == table["theme_id"].tolist()
