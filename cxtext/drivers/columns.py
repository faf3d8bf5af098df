"""The driver tables' columns, their descriptions and the constants their rules use (no computation here)."""

from __future__ import annotations

ALL_COMMENTS_ID = -100
ALL_COMMENTS_LABEL = "All comments"
MISSING_GROUP = "(missing)"
GROUPINGS: tuple[str, ...] = ("source", "segment", "month", "text_column")

# A theme is "emerging" in a period when its share of the period's comments grew
# by more than EMERGING_MIN_GROWTH (0.5 = +50 %) over its share of the previous
# period AND it has at least EMERGING_MIN_COMMENTS comments, so 1 -> 2 comments
# is not news, nor a month when every theme grows because more people answered.
EMERGING_MIN_GROWTH = 0.5
EMERGING_MIN_COMMENTS = 5

# Expected cell count below which the chi-square/z approximation is unsafe
# (Cochran's rule), so the exact Fisher test is used instead.
FISHER_EXPECTED_MIN = 5.0
# L2 penalty of the fallback model, per coefficient on the log-likelihood/n
# scale; small enough not to hide real effects, large enough to stay finite.
FALLBACK_L2_ALPHA = 0.01

TEST_FISHER = "fisher"
TEST_Z = "two-proportion"

DRIVER_COLUMNS: tuple[str, ...] = (
    "theme_id", "label", "n_comments", "share", "n_nps", "nps", "nps_ci_low", "nps_ci_high",
    "detractor_share", "passive_share", "promoter_share",
    "nps_impact", "nps_impact_se", "nps_impact_ci_low", "nps_impact_ci_high",
    "detractor_lift", "lift_p_value", "lift_q_value", "lift_test",
    "odds_ratio", "odds_ratio_ci_low", "odds_ratio_ci_high", "odds_ratio_p_value",
    "ces_mean", "ces_gap", "ces_gap_p_value", "csat_mean", "csat_gap", "csat_gap_p_value",
    "n_rating", "rating_mean", "rating_gap", "rating_gap_ci_low", "rating_gap_ci_high", "rating_gap_p_value",
    "rating_impact", "rating_impact_ci_low", "rating_impact_ci_high",
    "priority", "rank",
)

COLUMN_DESCRIPTIONS: dict[str, str] = {
    "theme_id": "Theme number (0 and up); -100 is the all-comments row.",
    "label": "Theme name.",
    "n_comments": "Comments in the theme, counting every comment listed under it, with or without scores (with several comment columns: respondents, each row once).",
    "share": "Fraction (0-1) of themed comments that are in this theme; a comment can be in several themes, so shares may add up to more than 1.",
    "n_nps": "Respondents in the theme with a usable 0-10 NPS score.",
    "nps": "Net Promoter Score of the theme's respondents in points (-100 to 100): % scoring 9-10 minus % scoring 0-6.",
    "nps_ci_low": "Lower end of the 95% confidence interval of the theme's NPS, in points (normal approximation).",
    "nps_ci_high": "Upper end of the 95% confidence interval of the theme's NPS, in points (normal approximation).",
    "detractor_share": "Fraction (0-1) of the theme's NPS respondents who scored 0-6.",
    "passive_share": "Fraction (0-1) of the theme's NPS respondents who scored 7-8.",
    "promoter_share": "Fraction (0-1) of the theme's NPS respondents who scored 9-10.",
    "nps_impact": "Overall NPS minus the NPS of respondents not in the theme, in points; negative means the theme pulls overall NPS down by that much.",
    "nps_impact_se": "Standard error of nps_impact in points (theme and rest treated as independent samples).",
    "nps_impact_ci_low": "Lower end of the 95% confidence interval of nps_impact, in points.",
    "nps_impact_ci_high": "Upper end of the 95% confidence interval of nps_impact, in points; below 0 means the drag is statistically clear.",
    "detractor_lift": "Detractor rate in the theme divided by the detractor rate outside it; above 1 means the theme has more detractors (2 = twice as many).",
    "lift_p_value": "p-value (0-1) that the detractor rate differs between the theme and the rest; small means unlikely to be chance.",
    "lift_q_value": "lift_p_value adjusted for testing many themes (Benjamini-Hochberg false discovery rate, 0-1).",
    "lift_test": "Test behind lift_p_value: 'fisher' (exact, small counts), 'two-proportion' (z-test), 'too small (n<k)' when the theme has too few respondents to test, or 'no NPS answers' when the file has none.",
    "odds_ratio": "Odds of being a detractor with the theme versus without it, holding the other themes fixed (logistic regression); above 1 means more detractors.",
    "odds_ratio_ci_low": "Lower end of the 95% confidence interval of odds_ratio.",
    "odds_ratio_ci_high": "Upper end of the 95% confidence interval of odds_ratio.",
    "odds_ratio_p_value": "p-value (0-1) of the theme's coefficient in the logistic regression.",
    "ces_mean": "Mean customer effort score of the theme's respondents, on the survey's CES scale as given.",
    "ces_gap": "Extra effort of the theme versus the rest, in CES scale points; positive means the theme's customers report MORE effort, whatever the scale direction.",
    "ces_gap_p_value": "Welch t-test p-value (0-1) of the CES difference between the theme and the rest.",
    "csat_mean": "Mean satisfaction of the theme's respondents on the 1-5 CSAT scale (5 = very satisfied).",
    "csat_gap": "Theme CSAT mean minus the rest's mean, in scale points; negative means less satisfied.",
    "csat_gap_p_value": "Welch t-test p-value (0-1) of the CSAT difference between the theme and the rest.",
    "n_rating": "Respondents in the theme with a usable star rating or review score.",
    "rating_mean": "Mean rating of the theme's respondents, on the file's rating scale (e.g. 1-5 stars).",
    "rating_gap": "Theme mean rating minus the rest's mean, in rating points; negative means the theme's customers rate lower.",
    "rating_gap_ci_low": "Lower end of the 95% confidence interval of rating_gap (Welch).",
    "rating_gap_ci_high": "Upper end of the 95% confidence interval of rating_gap (Welch).",
    "rating_gap_p_value": "Welch t-test p-value (0-1) of the rating difference between the theme and the rest.",
    "rating_impact": "Overall mean rating minus the mean rating of respondents not in the theme, in rating points; negative means the theme pulls the average rating down by that much.",
    "rating_impact_ci_low": "Lower end of the 95% confidence interval of rating_impact.",
    "rating_impact_ci_high": "Upper end of the 95% confidence interval of rating_impact; below 0 means the drag is statistically clear.",
    "priority": "How urgent the theme is: the NPS drag in points that holds with 95% confidence (minus the upper CI end of nps_impact); higher is more urgent. Without any NPS but with ratings, the rating drag that holds with 95% confidence (minus rating_impact_ci_high). Without either, the comment count.",
    "rank": "Position in the table by priority, 1 = most urgent.",
}

OVERALL_DESCRIPTIONS: dict[str, str] = {
    "n_rows": "All input rows, including rejected ones.",
    "n_comments": "Rows with a comment that went into theming (analysed, not an empty comment).",
    "n_themed": "Comments that were placed in at least one theme.",
    "themed_share": "Fraction (0-1) of comments placed in at least one theme.",
    "n_nps": "Respondents with a usable 0-10 NPS score.",
    "n_ces": "Respondents with a usable CES score.",
    "n_csat": "Respondents with a usable 1-5 CSAT score.",
    "n_rating": "Respondents with a usable star rating or review score.",
    "rating_mean": "Mean rating of all respondents, on the file's rating scale.",
}

TREND_DESCRIPTIONS: dict[str, str] = {
    "period": "Calendar period of the comment date (e.g. '2024-03' for a month).",
    "n_comments": "Comments in the theme during the period.",
    "n_nps": "Respondents in the theme with a usable NPS score during the period.",
    "nps": "NPS of the theme's respondents in the period, in points (-100 to 100); empty without scores.",
    "emerging": (
        f"True when the theme's share of the period's comments grew by more than {EMERGING_MIN_GROWTH:.0%} "
        f"over its share of the previous period and it has at least {EMERGING_MIN_COMMENTS} comments."
    ),
}

#: The key-driver model's columns (cxtext.drivers.keydriver), joined onto the table by theme_id.
MODEL_COLUMNS: tuple[str, ...] = ("odds_ratio", "odds_ratio_ci_low", "odds_ratio_ci_high", "odds_ratio_p_value")
