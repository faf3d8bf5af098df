"""Issue 23, point 2: themes per mention (``themes.mentions: true``), rolled up to the comment.

The roll-up rule on its own (cxtext.theming.roll_up), the opt-in parameter, and end to end on a
public export: 59 Google Play reviews of Ethiopian banks with their star ratings
(tests/fixtures/real_exports, see ATTRIBUTION.md), a few of them long enough to be split, plus
two copies of a long review; embedded with the default model.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import cxtext
from cxtext.drivers import theme_membership
from cxtext.errors import ConfigError
from cxtext.pipeline import load_pipeline
from cxtext.theming import roll_up

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "real_exports"
LONG = ("The app looks clean and the login is quick. But every transfer to another bank fails with an error, "
        "and the support line never answers.")


def test_roll_up_takes_every_mention_theme_and_the_closest_as_primary():
    comment_of = np.array([0, 1, 1, 1, 2, 2, 3])
    labels = np.array([4, 2, 5, -1, -1, -1, 3])
    secondary = [[1], [], [6], [], [], [], []]
    strength = np.array([0.7, 0.5, 0.8, 0.9, 0.4, 0.3, 0.6])
    primary, ids = roll_up(comment_of, 5, labels, secondary, strength)
    assert primary.tolist() == [4, 5, -1, 3, -1]
    # one mention: what the comment alone would get; several: the closest mention's theme first,
    # the other mentions' themes, then their secondary themes; unthemed mentions add nothing
    assert ids == ["4;1", "5;2;6", "", "3", ""]


def test_mentions_is_opt_in_and_checked():
    default = load_pipeline("survey_comments")
    assert "mentions" not in default.params["themes"]  # summary.json's parameters are unchanged by default
    assert default.with_overrides({"themes": {"mentions": True}}).params["themes"]["mentions"] is True
    with pytest.raises(ConfigError, match="themes.mentions must be true or false"):
        default.with_overrides({"themes": {"mentions": "yes"}})


def _dump() -> pd.DataFrame:
    reviews = pd.read_csv(FIXTURES / "ethiopian_bank_play_reviews_59.csv")[["review_text", "rating"]]
    extra = pd.DataFrame({"review_text": [LONG, LONG], "rating": [1, 2]})
    return pd.concat([reviews, extra], ignore_index=True)


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, tuple[cxtext.Analysis, Path]]:
    folder = tmp_path_factory.mktemp("mentions")
    out = {}
    for name, pipeline in (("off", "survey_comments"),
                           ("on", load_pipeline("survey_comments").with_overrides({"themes": {"mentions": True}}))):
        analysis = cxtext.analyze(_dump(), text="review_text", rating="rating", rating_scale="1-5",
                                  pipeline=pipeline, cache_path=folder / "cache.sqlite")
        analysis.write(folder / name)
        out[name] = (analysis, folder / name)
    return out


@pytest.mark.model
def test_mentions_csv_only_when_on_and_one_assignment_row_per_input(runs):
    rows = len(_dump())
    off, off_dir = runs["off"]
    on, on_dir = runs["on"]
    assert off.mentions is None and not (off_dir / "mentions.csv").exists()
    assert (on_dir / "mentions.csv").exists()
    for folder in (off_dir, on_dir):
        assignments = pd.read_csv(folder / "assignments.csv")
        assert len(assignments) == rows and assignments["row"].tolist() == list(range(1, rows + 1))
    summary = json.loads((on_dir / "summary.json").read_text(encoding="utf-8"))
    assert summary["parameters"]["themes"]["mentions"] is True
    assert "mentions" not in json.loads((off_dir / "summary.json").read_text(encoding="utf-8"))["parameters"]["themes"]


@pytest.mark.model
def test_mention_spans_point_into_the_analysed_comment(runs):
    on, on_dir = runs["on"]
    mentions = pd.read_csv(on_dir / "mentions.csv", keep_default_na=False)
    assert list(mentions.columns) == ["row", "mention", "start", "end", "text", "theme_id", "theme_label",
                                      "similarity"]
    text_of = dict(zip(on.records["row"], on.records["clean_text"]))
    for row, start, end, text in zip(mentions["row"], mentions["start"], mentions["end"], mentions["text"]):
        assert text_of[row][start:end] == text
    long_row = int(on.records.index[on.records["clean_text"] == LONG][0]) + 1
    long_mentions = mentions[mentions["row"] == long_row]
    assert len(long_mentions) >= 2 and long_mentions["text"].iloc[0] == "The app looks clean and the login is quick."
    # its copy (fitted once, cxtext.themes.copies) has the same mentions and themes
    copy = mentions[mentions["row"] == long_row + 1]
    columns = ["mention", "start", "end", "text", "theme_id"]
    assert copy[columns].reset_index(drop=True).equals(long_mentions[columns].reset_index(drop=True))
    labels = dict(zip(on.themes["theme_id"], on.themes["label"]))
    themed = mentions[mentions["theme_id"] >= 0]
    assert (themed["theme_label"] == themed["theme_id"].map(labels)).all()


@pytest.mark.model
def test_a_comment_is_in_every_theme_of_its_mentions_primary_its_closest(runs):
    on, _ = runs["on"]
    records = on.records.set_index("row")
    for row, group in on.mentions.groupby("row"):
        themed = group[group["theme_id"] >= 0]
        ids = [int(t) for t in str(records.loc[row, "theme_ids"]).split(";") if t]
        if themed.empty:
            assert records.loc[row, "theme_id"] == -1
            continue
        assert set(themed["theme_id"]) <= set(ids)
        assert records.loc[row, "theme_id"] == ids[0] == themed.sort_values("similarity", ascending=False,
                                                                          kind="stable")["theme_id"].iloc[0]
    copies = on.records[on.records["clean_text"] == LONG]
    assert copies["theme_ids"].nunique() == 1 and len(copies["theme_ids"].iloc[0].split(";")) >= 2


@pytest.mark.model
def test_drivers_count_each_respondent_once_per_theme(runs):
    on, on_dir = runs["on"]
    drivers = pd.read_csv(on_dir / "drivers.csv").set_index("theme_id")
    membership = theme_membership(on.records, drivers.index.tolist())
    for theme_id, members in membership.items():
        # a review with two mentions in one theme counts once
        assert int(drivers.loc[theme_id, "n_comments"]) == int(members.sum())
    assert int(membership.sum(axis=1).max()) >= 2  # and a review with mentions in two themes is in both


@pytest.mark.model
def test_several_comment_columns_keep_their_mentions_apart(tmp_path):
    reviews = _dump()["review_text"].tolist()
    half = len(reviews) // 2
    frame = pd.DataFrame({"liked": reviews[:half], "disliked": reviews[half:2 * half][::-1]})
    frame.loc[0, "disliked"] = LONG
    analysis = cxtext.analyze(frame, text=["liked", "disliked"], cache_path=tmp_path / "cache.sqlite",
                              pipeline=load_pipeline("survey_comments").with_overrides({"themes": {"mentions": True}}))
    mentions = analysis.mentions
    assert "text_column" in mentions.columns
    text_of = {(r, c): t for r, c, t in zip(analysis.records["row"], analysis.records["text_column"],
                                            analysis.records["clean_text"])}
    for row, column, start, end, text in zip(mentions["row"], mentions["text_column"], mentions["start"],
                                             mentions["end"], mentions["text"]):
        assert text_of[(row, column)][start:end] == text
    assert (mentions[(mentions["row"] == 1) & (mentions["text_column"] == "disliked")]["mention"].max()) >= 1


@pytest.mark.model
def test_the_cli_flag_turns_mentions_on(tmp_path, capsys):
    from cxtext.cli import main

    source = tmp_path / "reviews.csv"
    _dump().to_csv(source, index=False)
    code = main(["analyze", str(source), "--text", "review_text", "--rating", "rating", "--rating-scale", "1-5",
                 "--mentions", "--out", str(tmp_path / "out"), "--cache", str(tmp_path / "cache.sqlite"),
                 "--no-history", "--quiet"])
    assert code == 0
    mentions = pd.read_csv(tmp_path / "out" / "mentions.csv")
    assert (mentions.groupby("row").size() > 1).any()  # the long reviews were split
    assert len(pd.read_csv(tmp_path / "out" / "assignments.csv")) == len(_dump())
    code = main(["analyze", str(source), "--mentions", "--engine", "dask", "--out", str(tmp_path / "d"), "--quiet"])
    assert code != 0 and "--mentions runs with the local engine only" in capsys.readouterr().err


def _marked_quotes(page: str) -> list[str]:
    import re

    return re.findall(r"<mark[^>]*>(.*?)</mark>", page)


@pytest.mark.model
def test_report_and_app_quote_the_mention_marked_inside_its_comment(runs):
    import html

    from app.tabs.themes import theme_detail_html
    from cxtext.report import ReportData
    from cxtext.report.html_report import render_html

    on, on_dir = runs["on"]
    quoted = on.mention_quotes()
    in_context = [(t, q) for t, quotes in quoted.items() for q in quotes if q.before or q.after]
    assert in_context, "a long review's mention should be quoted in its comment"
    theme_id, quote = in_context[0]
    comments = set(on.records["clean_text"])
    assert any(quote.before.lstrip("…") in c and quote.mention in c for c in comments)
    for data in (ReportData.from_analysis(on), ReportData.from_dir(on_dir)):  # in memory, and from the folder
        marked = [html.unescape(m) for m in _marked_quotes(render_html(data, top=50))]
        assert quote.mention in marked
    page = theme_detail_html(on, theme_id)
    assert html.escape(quote.mention) in _marked_quotes(page)
    # without mentions nothing is marked
    off, _ = runs["off"]
    assert off.mention_quotes() == {} and not _marked_quotes(render_html(off, top=50))


@pytest.mark.model
def test_the_deck_sets_the_mention_in_bold_inside_its_comment(runs, tmp_path):
    from pptx import Presentation

    from cxtext.report.pptx_report import write_pptx

    on, _ = runs["on"]
    deck = Presentation(str(write_pptx(on, tmp_path / "deck.pptx", drivers=50)))
    mentions = {q.mention for quotes in on.mention_quotes().values() for q in quotes if q.before or q.after}
    bold = [run.text for slide in deck.slides for shape in slide.shapes if shape.has_text_frame
            for paragraph in shape.text_frame.paragraphs if len(paragraph.runs) == 3 for run in paragraph.runs
            if run.font.bold]
    assert bold and set(bold) & mentions


@pytest.mark.model
def test_a_saved_mention_model_themes_the_mentions_of_new_comments(runs, tmp_path):
    on, _ = runs["on"]
    on.theme_model.save(tmp_path / "model")
    again = cxtext.analyze(_dump(), text="review_text", rating="rating", rating_scale="1-5",
                           themes=tmp_path / "model", cache_path=tmp_path / "cache.sqlite")
    assert again.mentions is not None
    columns = ["row", "mention", "start", "end", "text"]
    assert again.mentions[columns].equals(on.mentions[columns])
    # the fitted mentions' themes come back from the saved model; the few it leaves unthemed are those
    # the fit gave their nearest theme (new comments must pass a theme's threshold, as with whole comments)
    themed = again.mentions["theme_id"] >= 0
    assert themed.mean() > 0.6
    assert (again.mentions.loc[themed, "theme_id"] == on.mentions.loc[themed, "theme_id"]).mean() > 0.95
    copies = again.records[again.records["clean_text"] == LONG]
    assert len(copies["theme_ids"].iloc[0].split(";")) >= 2
    # the Dask engine themes whole comments only: it says so instead of ignoring the mentions
    from cxtext.engines.dask_engine import run_pipeline_dask

    source = tmp_path / "reviews.csv"
    _dump().to_csv(source, index=False)
    with pytest.raises(ConfigError, match="local engine only"):
        run_pipeline_dask(load_pipeline("survey_comments"), source, themes=tmp_path / "model")


@pytest.mark.model
def test_mentions_follow_a_merge_and_stay_after_an_edit(runs):
    on, _ = runs["on"]
    kept, gone = sorted(int(t) for t in on.themes["theme_id"][:2])  # a merge keeps the smallest id
    merged = on.merge_themes([kept, gone])
    assert merged.mentions is not None and len(merged.mentions) == len(on.mentions)
    assert gone not in set(merged.mentions["theme_id"]) and kept in set(merged.mentions["theme_id"])
    assert merged.rename_theme(kept, "renamed").mentions is not None


@pytest.mark.model
def test_the_summary_says_whether_mentions_were_themed_and_suggests_them_for_long_comments(runs):
    from cxtext.text.mentions import SUGGEST_MENTIONS_SHARE, mention_summary

    on, _ = runs["on"]
    off, _ = runs["off"]
    used = on.summary["mentions"]
    assert used["used"] and used["mentions"] == len(on.mentions) and used["comments_split"] >= 2
    assert "learnt from mentions" in used["note"]
    assert off.summary["mentions"]["used"] is False
    assert off.summary["mentions"]["long_comments"] == used["long_comments"] >= 2
    long_text = LONG + " " + LONG
    many = mention_summary([long_text] * 3 + ["short one"], None)
    assert many["long_share"] == 0.75 >= SUGGEST_MENTIONS_SHARE and "--mentions" in many["note"]
    assert "note" not in mention_summary([long_text] + ["short one"] * 9, None)
