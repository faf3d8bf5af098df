"""A title column is the comment only when nothing else is and its values are what a customer wrote: a
help desk's subject lines, a review's title. Names in Title Case (the games of a review site, job titles)
are what was reviewed, not what was said (cxtext.io.columns, ColumnProfile.title_case)."""

from __future__ import annotations

import json

import pandas as pd

import cxtext
from cxtext.io.fits import NAMES_TITLE_CASE
from cxtext.io.profile import profile_column

# The layout of a public review-site JSONL (IGN game reviews): a link, a critic's score, the game's title,
# genres and platforms as lists; no review text.
GAMES = ["Dark Souls III", "Rise of the Tomb Raider -- Cold Darkness Awakened", "Quantum Break",
         "MLB The Show 16", "The Walking Dead: Michonne -- Episode 2: Give No Shelter", "Ashes of Singularity",
         "Oculus Rift", "Hitman: Episode 1", "Ratchet & Clank", "Star Fox Zero", "Uncharted 4: A Thief's End",
         "Stardew Valley"]
REVIEW_TITLES = ["Crashes every time I open it", "great app but too many ads", "Love it", "Login keeps failing",
                 "not worth the money", "Best fitness app I have used", "the update broke sync",
                 "Support never answered", "works fine on my phone", "Too expensive for what it does",
                 "cannot cancel my subscription", "Simple and useful"]


def test_game_titles_are_names_not_comments(tmp_path):
    path = tmp_path / "ign.jsonl"
    rows = [{"review_url": f"http://www.example.com/games/{i}", "rating": str(5 + i % 5), "title": GAMES[i % 12],
             "genre": ["Action"], "platforms": ["PC"]} for i in range(36)]
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    feedback = cxtext.load(path)
    assert feedback.mapping.text is None
    assert feedback.mapping.rating == "rating"
    title = next(p for p in feedback.mapping_reasons["text"]["passed_over"] if p["column"] == "title")
    assert "names in Title Case" in title["why"] and "--text 'title'" in title["why"]
    # the user says they are the comments: they are read
    assert cxtext.load(path, text="title").mapping.text == "title"


def test_review_titles_without_a_body_are_the_comments(tmp_path):
    path = tmp_path / "reviews.csv"
    pd.DataFrame({"title": REVIEW_TITLES * 3, "score": [1, 4, 5, 1, 2, 5] * 6}).to_csv(path, index=False)
    feedback = cxtext.load(path)
    assert feedback.mapping.text == "title"
    assert "subject line" in feedback.mapping_reasons["text"]["why"]


def test_title_case_subjects_of_a_ticket_export_are_still_read():
    subjects = ["Account Disruption", "Query About Smart Home System Integration Features", "Refund Request",
                "Billing Error On Invoice", "Password Reset Not Working", "Data Export Fails"]
    frame = pd.DataFrame({"subject": subjects * 5, "queue": ["Billing", "Technical"] * 15,
                          "priority": ["high", "low", "medium"] * 10})
    assert profile_column(frame["subject"]).title_case >= NAMES_TITLE_CASE
    assert cxtext.load(frame).mapping.text == "subject"


def test_title_case_share_of_names_and_sentences():
    assert profile_column(pd.Series(GAMES)).title_case == 1.0
    assert profile_column(pd.Series(REVIEW_TITLES)).title_case < 0.3
    assert profile_column(pd.Series(["منتج رائع وسريع", "التوصيل تأخر كثيرا"])).title_case == 0.0  # no capitals
