"""Glue between the cxtext library and the Gradio views, one module per tab in :mod:`app.tabs`.

Everything there either calls the library or formats what it returned: HTML snippets (every piece of user
text goes through :func:`html.escape`), display tables and plotly figures. No statistics are computed in
the app: NPS, impacts, intervals, trends and per-source tables all come from :mod:`cxtext`. This module
gathers the tabs' names in one place for ``app.wiring``, ``app.layout``, ``app.views`` and ``app.api``.
"""

from __future__ import annotations

from app.tabs.common import (  # noqa: F401
    DISCOVER,
    GREY,
    MAP_HOVER_CHARS,
    NONE,
    PAGE_SIZE,
    PALETTE,
    PREVIEW_ROWS,
    ROLE_LABELS,
    RTL_LANGUAGES,
    SAMPLE_PATH,
    STAGES,
    UPLOAD_TYPES,
    competitor_mentions,
    empty_figure,
    error_text,
    message_html,
    text_direction,
)
from app.tabs.upload import (  # noqa: F401
    PageMapping,
    SCORES_ONLY_NOTE,
    TAXONOMY_TYPES,
    check_roles,
    check_rows,
    check_upload,
    competitor_list,
    detect_for_page,
    detected_roles,
    keep_in_history,
    open_past,
    past_analyses,
    preview_frame,
    progress_reporter,
    read_taxonomy,
    read_upload,
    reasons_html,
    roles_from_values,
    run_analysis,
    table_summary,
)
from app.tabs.overview import (  # noqa: F401
    headline,
    overview_html,
    rejected_frame,
    run_message,
    stale_headline,
    warnings_html,
)
from app.tabs.drivers import (  # noqa: F401
    DRIVER_LEVELS,
    DRIVER_VIEW,
    RATING_RANKING_NOTE,
    SENTIMENT_RANKING_NOTE,
    SENTIMENT_VIEW,
    TENTATIVE_LEAD_NOTE,
    _ci_text,
    drivers_frame,
    drivers_heading,
    drivers_note,
    drivers_widths,
    outcome,
    with_outcome_ranking,
)
from app.tabs.drivers_charts import (  # noqa: F401
    ces_figure,
    impact_figure,
    sentiment_impact_figure,
    volume_nps_figure,
)
from app.tabs.drivers_plain import (  # noqa: F401
    drivers_view,
    drivers_view_widths,
    fix_first_html,
)
from app.tabs.themes import (  # noqa: F401
    _as_list_quotes,
    theme_choices,
    theme_count_table,
    theme_comments,
    theme_detail_html,
    theme_members,
    theme_score_figure,
    theme_tree_html,
)
from app.tabs.map import (  # noqa: F401
    map_coordinates,
    map_figure,
)
from app.tabs.trends import (  # noqa: F401
    COMPARE_KIND,
    COMPARE_SEGMENT,
    COMPARE_SOURCE,
    COMPARE_CHOICES,
    MIN_MONTH_NPS,
    compare_choices,
    source_view,
    trend_figures,
)
from app.tabs.edit import (  # noqa: F401
    MODEL_NAME,
    UNTHEMED_CHOICE,
    apply_suggestion,
    export_files,
    find_suggestions,
    models_root,
    move_comments,
    move_targets,
    new_session_dir,
    parse_rows,
    remove_session_dir,
    save_theme_model,
    saved_models,
    split_theme,
    suggestion_choices,
    suggestions_view,
    themes_frame,
    unpack_theme_model,
)
from app.tabs.social import (  # noqa: F401
    DEFAULT_TIMEZONE,
    KINDS,
    MAX_ACTIVITY_GROUPS,
    SENTIMENTS,
    activity_view,
    social_cards,
)
from cxtext.errors import ColumnMappingError, CxtextError, InputError  # noqa: F401
