"""Customer-experience metrics as small pure functions.

Holds ``scores`` (NPS, CSAT, CES and a plain mean with their 95 % intervals, the NPS classes),
``business`` (churn, retention, CLV, feedback response rate; first response, response and wait
times) and ``checks`` (the input checks both use). Every public name is re-exported here, so
``from cxtext.metrics import nps`` and ``cxtext.metrics.nps(...)`` work.

May import ``cxtext.errors`` and ``cxtext.schema`` only (the base of the layers).

Units and scales, once for the whole package:

* *shares* are fractions in 0-1; *percent* values are 0-100;
* NPS is in *points* from -100 to 100 (``%promoters - %detractors``);
* CES and CSAT means are on the survey's own scale (:class:`~cxtext.schema.ScoreScale`);
* confidence intervals are 95 %, two-sided.

Score inputs may be any 1-D array-like (list, numpy array, pandas Series,
including nullable ``Int64``). Missing values (``None``, ``NaN``, ``<NA>``) are
ignored: they are respondents who skipped the question. A value that is not a
whole number inside the scale raises :class:`~cxtext.errors.ValidationError`,
because a metric computed over a wrong score would mislead silently.

Nothing here raises for an empty sample: ``n == 0`` and the values are NaN,
so a dashboard over a filter with no respondents still renders.
"""

from __future__ import annotations

from cxtext.metrics.business import (
    average_response_time,
    average_wait_time,
    churn_rate,
    clv_predictive,
    clv_simple,
    feedback_response_rate,
    first_response_time,
    retention_rate,
)
from cxtext.metrics.scores import (
    DETRACTOR_MAX,
    NPS_MAX,
    NPS_MIN,
    PROMOTER_MIN,
    TOP_BOX_POINTS,
    Z_95,
    CesResult,
    CsatResult,
    MeanResult,
    NpsClass,
    NpsResult,
    ces,
    csat,
    mean_with_ci,
    nps,
    nps_class,
    nps_from_counts,
    nps_standard_error,
    t_interval,
    wilson_interval,
)

__all__ = [
    "DETRACTOR_MAX", "NPS_MAX", "NPS_MIN", "PROMOTER_MIN", "TOP_BOX_POINTS", "Z_95",
    "CesResult", "CsatResult", "MeanResult", "NpsClass", "NpsResult",
    "ces", "csat", "mean_with_ci", "nps", "nps_class", "nps_from_counts", "nps_standard_error",
    "t_interval", "wilson_interval",
    "average_response_time", "average_wait_time", "churn_rate", "clv_predictive", "clv_simple",
    "feedback_response_rate", "first_response_time", "retention_rate",
]
