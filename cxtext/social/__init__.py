"""Score-less feedback (social mentions, reviews without scores): the social stages of the flow.

``seedclf``            a small classifier over the embeddings, trained on bundled seed sets (cxtext/data)
``sentiment``          negative / neutral / positive and a -1..1 score per comment (the seed classifier)
``vader_data``         VADER's human-rated English sentences (MIT), fetched from PyPI at build time
``sentiment_head``     the trained 3-class head per embedding model, saved under models/sentiment/
``sentiment_train``    fitting, calibrating and choosing the neutral bias of a head
``sentiment_build``    ``python -m cxtext.social.sentiment_build``: builds the heads (make model)
``kinds``              complaint, question, suggestion, praise or other per comment
``competitors``        competitor names found in comments (case, diacritics, Arabic letter variants, hashtags)
``annotate``           all of the above for every analysed comment of the records
``sentiment_drivers``  sentiment drag per theme (like nps_impact), sentiment vs NPS agreement
``activity``           mentions by weekday and hour, per source

May import ``cxtext.errors``, ``cxtext.schema``, ``cxtext.metrics``, ``cxtext.themes.center``, ``cxtext.embed``,
``cxtext.store`` and ``cxtext.drivers``; never the faces (analysis, cli, app).
"""

from cxtext.social.activity import WEEKDAYS, activity_pivot, activity_table
from cxtext.social.annotate import (
    ANNOTATION_COLUMNS,
    annotate_analysed,
    annotate_comments,
    annotate_records,
    phrase_sentiment,
    seed_models,
    sentiment_model_info,
)
from cxtext.social.sentiment_drivers import (
    SOCIAL_COLUMNS,
    SOCIAL_DESCRIPTIONS,
    add_social_columns,
    competitor_counts,
    sentiment_nps_agreement,
    social_driver_columns,
)

__all__ = ["ANNOTATION_COLUMNS", "SOCIAL_COLUMNS", "SOCIAL_DESCRIPTIONS", "WEEKDAYS", "activity_pivot",
           "activity_table", "add_social_columns", "annotate_analysed", "annotate_comments", "annotate_records",
           "competitor_counts", "phrase_sentiment", "seed_models", "sentiment_model_info", "sentiment_nps_agreement", "social_driver_columns"]
