"""Map tab: every comment placed by meaning (2-D projection, cached per analysis) and coloured by theme."""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from app.tabs.common import GREY, MAP_HOVER_CHARS, PALETTE, _clip, _short_label, empty_figure


# --------------------------------------------------------------------------- map


def map_coordinates(analysis, cache: dict | None = None) -> pd.DataFrame:
    """2-D position of every embedded comment: ``row, x, y, theme_id, theme_label, text``.

    The projection is the library's :class:`cxtext.themes.reduce.Reducer` (UMAP) on
    ``analysis.embeddings``. Theme edits keep the embeddings, so ``cache``
    (a per-session dict) keeps the projection across edits.
    """
    from cxtext.themes.reduce import Reducer

    embeddings = analysis.embeddings
    columns = ["row", "x", "y", "theme_id", "theme_label", "text"]
    if embeddings is None or embeddings.size == 0:
        return pd.DataFrame(columns=columns)
    embedded = ~np.isnan(embeddings).any(axis=1)
    if not embedded.any():
        return pd.DataFrame(columns=columns)
    key = (id(embeddings), embeddings.shape, int(embedded.sum()))
    if cache is not None and cache.get("key") == key:
        xy = cache["xy"]
    else:
        xy = Reducer(method="umap", n_components=2, random_state=analysis.summary.get("seed", 0) or 0,
                     min_dist=0.1).fit_transform(embeddings[embedded])
        if cache is not None:
            cache.clear()
            cache.update(key=key, xy=xy)
    records = analysis.records[embedded]
    return pd.DataFrame({"row": records["row"].to_numpy(), "x": xy[:, 0], "y": xy[:, 1],
                         "theme_id": records["theme_id"].to_numpy(), "theme_label": records["theme_label"].to_numpy(),
                         "text": records["text"].to_numpy()})


def map_figure(coordinates: pd.DataFrame) -> go.Figure:
    if coordinates.empty:
        return empty_figure("No embedded comments to place on the map.", 500)
    figure = go.Figure()
    order = coordinates.groupby("theme_id").size().sort_values(ascending=False).index.tolist()
    order = [t for t in order if t >= 0] + [t for t in order if t < 0]
    for index, theme_id in enumerate(order):
        part = coordinates[coordinates["theme_id"] == theme_id]
        label = str(part["theme_label"].iloc[0])
        colour = GREY if theme_id < 0 else PALETTE[index % len(PALETTE)]
        figure.add_trace(go.Scattergl(
            x=part["x"], y=part["y"], mode="markers", name=f"{_short_label(label, 32)} ({len(part)})",
            marker={"size": 6 if theme_id >= 0 else 4, "color": colour, "opacity": 0.85 if theme_id >= 0 else 0.5},
            customdata=np.stack([[html.escape(_clip(html.unescape(str(t)), MAP_HOVER_CHARS)) for t in part["text"]],
                                 [html.escape(label)] * len(part), part["row"]], axis=1),
            hovertemplate="<b>%{customdata[1]}</b> · row %{customdata[2]}<br>%{customdata[0]}<extra></extra>",
        ))
    figure.update_layout(title="Comments by meaning (UMAP of the embeddings), coloured by theme",
                         height=640, template="plotly_white", xaxis={"visible": False}, yaxis={"visible": False},
                         legend={"font": {"size": 11}, "itemsizing": "constant"},
                         margin={"l": 10, "r": 10, "t": 50, "b": 10})
    return figure
