"""Which themes drive detractors, effort and low ratings: the drivers stage of the flow.

``columns``      the driver tables' columns, descriptions and the constants of their rules
``respondents``  one record per respondent, so scores count once per row
``membership``   who is in which theme, whose scores are usable
``figures``      one theme against the rest: NPS drag, detractor lift and its test, CES/CSAT/rating gaps
``keydriver``    the logistic key-driver model over all themes at once
``table``        :func:`driver_table` (ranked by priority) and :func:`overall_row`
``trends``       :func:`driver_table_by` (per source, segment, month, comment column), :func:`score_table_by`
                 (scores per group, no theme: a score-only export), :func:`theme_trend` and
                 :func:`theme_score_trend` (a rating, CSAT, CES or sentiment mean per period)
``outcome``      the file's own outcome (NPS, rating, CSAT, CES, sentiment), one count per theme, "fix first"

Imports flow columns, respondents -> membership -> figures, keydriver -> table -> trends. The package may
import ``cxtext.errors``, ``cxtext.metrics``, ``cxtext.schema`` and ``cxtext.stats``; never io, embed, themes or the faces
(analysis, cli, app).
"""

from cxtext.drivers.columns import (
    ALL_COMMENTS_ID,
    ALL_COMMENTS_LABEL,
    COLUMN_DESCRIPTIONS,
    DRIVER_COLUMNS,
    GROUPINGS,
    MISSING_GROUP,
)
from cxtext.drivers.figures import detractor_lift, detractor_rate_test, nps_impact, two_proportion_p_value
from cxtext.drivers.keydriver import key_driver_model
from cxtext.drivers.membership import (
    UsableScores,
    check_min_test_size,
    theme_labels,
    theme_membership,
    usable_scores,
)
from cxtext.drivers.respondents import one_per_respondent
from cxtext.drivers.table import driver_table, overall_row, sort_and_rank
from cxtext.drivers.trends import driver_table_by, score_table_by, theme_score_trend, theme_trend

__all__ = ["ALL_COMMENTS_ID", "ALL_COMMENTS_LABEL", "COLUMN_DESCRIPTIONS", "DRIVER_COLUMNS", "GROUPINGS",
           "MISSING_GROUP", "UsableScores", "score_table_by", "check_min_test_size", "detractor_lift", "detractor_rate_test", "driver_table",
           "driver_table_by", "key_driver_model", "nps_impact", "one_per_respondent", "overall_row", "sort_and_rank",
           "theme_labels", "theme_membership", "theme_score_trend", "theme_trend", "two_proportion_p_value", "usable_scores"]
