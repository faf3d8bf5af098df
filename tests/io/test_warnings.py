"""Bulk-rejection warnings (cxtext.io.warnings) on summaries whose rejected values are not plain numbers."""

from __future__ import annotations

from cxtext.io.warnings import summary_warnings


def test_outside_values_that_are_not_plain_numbers_still_get_a_sentence():
    # found by the fuzz test: a rejected cell whose value prints empty
    summary = {"rows_in": 10, "mapping": {"nps": "score"}, "nps": {"n": 2},
               "rejection_reasons": {"NPS '' is outside 0-10": 8}}
    warnings = summary_warnings(summary)
    bulk = [w for w in warnings if w.kind == "bulk_rejection"]
    assert len(bulk) == 1 and bulk[0].count == 8 and bulk[0].total == 10
    assert "some values are outside 0-10." in bulk[0].message
    assert "It looks like a score on another scale: map it as a rating, not as NPS." in bulk[0].message


def test_numbers_outside_the_scale_are_named_with_their_range():
    summary = {"rows_in": 10, "mapping": {"nps": "score"}, "nps": {"n": 5},
               "rejection_reasons": {"NPS '15' is outside 0-10": 3, "NPS '20' is outside 0-10": 2}}
    message = summary_warnings(summary)[0].message
    assert "5 of the 10 rows with a value in column 'score' (50%) were rejected as NPS" in message
    assert "values 15-20 are outside 0-10." in message


def test_with_several_comment_columns_rejected_scores_are_counted_per_row(tmp_path):
    # a survey with 2 comment columns: a row whose CSAT cannot be read rejects each of its comments, but the
    # warning compares rows with rows ("32 of the 196 rows" was said of a public survey of 182 rows)
    import pandas as pd

    import cxtext

    frame = pd.DataFrame({
        "What did you like?": [f"Fast delivery, order {i}" for i in range(10)],
        "What should we improve?": [f"The app crashes at checkout, order {i}" for i in range(10)],
        "Customer satisfaction": ["9", "9", "9", "9", "4", "5", "4", "5", "3", "4"],
    })
    analysis = cxtext.analyze(frame, cache_path=tmp_path / "cache.sqlite")
    summary = analysis.summary
    assert summary["comments_in"] == 20 and summary["rejection_reasons"] == {"CSAT '9' is outside 1-5": 8}
    assert summary["rejection_reasons_by_row"] == {"CSAT '9' is outside 1-5": 4}
    bulk = [w for w in summary["warnings"] if w["kind"] == "bulk_rejection"]
    assert bulk[0]["count"] == 4 and bulk[0]["total"] == 10, bulk
    assert bulk[0]["message"].startswith("4 of the 10 rows with a value in column 'Customer satisfaction' (40%)")


def _taxonomy_summary(mentions: dict) -> dict:
    return {"rows_in": 3010, "mentions": mentions,
            "taxonomy": {"themes": 4, "empty_themes": ["Account blocked", "Card problems"],
                         "thin_themes": {"Customer support": 1}, "thin_below": 5}}


def test_taxonomy_themes_that_matched_almost_nothing_are_named_with_their_counts():
    long_note = ("65% of the comments have 20+ words and may speak of several things ... theme its mentions: "
                 "--mentions (the app's 'Theme each mention' box)")
    warning = [w for w in summary_warnings(_taxonomy_summary({"used": False, "note": long_note}))
               if w.kind == "taxonomy_thin"]
    assert len(warning) == 1 and warning[0].count == 3 and warning[0].total == 4
    message = warning[0].message
    assert message.startswith("3 of your 4 taxonomy themes matched fewer than 5 comments: 'Account blocked' (0), "
                              "'Card problems' (0), 'Customer support' (1).")
    assert "--mentions" in message  # long comments matched whole: the suggestion that helps them
    # themed per mention already (or short comments): no such suggestion
    used = [w for w in summary_warnings(_taxonomy_summary({"used": True})) if w.kind == "taxonomy_thin"]
    assert "--mentions" not in used[0].message


def test_no_taxonomy_warning_when_every_taxonomy_theme_has_comments():
    summary = {"rows_in": 100, "taxonomy": {"themes": 2, "empty_themes": [], "thin_themes": {}, "thin_below": 5}}
    assert not [w for w in summary_warnings(summary) if w.kind == "taxonomy_thin"]
    assert not [w for w in summary_warnings({"rows_in": 100}) if w.kind == "taxonomy_thin"]


def test_rows_written_twice_are_named_and_counted_as_given(tmp_path):
    """A public Miro NPS export holds 15 rows twice (same user id, score and comment): said, not dropped."""
    import cxtext
    from cxtext.summary import repeated_rows

    rows = [f"{1000 + i},{s},\"{t}\"" for i, (s, t) in enumerate([
        (9, "Love the mind map templates"), (3, "Too slow with big boards"), (10, "Great for remote workshops"),
        (6, "Pricing for teams is confusing"), (8, "Sticky notes are handy")])]
    path = tmp_path / "nps.csv"
    path.write_text("user_id,NPS_Score,text\n" + "\n".join(rows + [rows[1], rows[3]]) + "\n", encoding="utf-8")
    feedback = cxtext.load(path)
    found = repeated_rows(feedback.table, feedback.decision)
    assert found == {"repeated_rows": {"count": 2, "rows": [[6, 2], [7, 4]]}}
    (warning,) = summary_warnings({"rows_in": 7, **found})
    assert warning.kind == "duplicate_rows" and warning.count == 2
    assert warning.message.startswith("2 row(s) repeat an earlier row cell for cell: rows 6 (= 2), 7 (= 4).")
    # no id and short answers: two people may well write the same ("10,Great")
    short = tmp_path / "short.csv"
    short.write_text("nps,comment\n10,Great\n9,Slow app\n10,Great\n", encoding="utf-8")
    feedback = cxtext.load(short)
    assert repeated_rows(feedback.table, feedback.decision) == {}


def test_reviews_read_twice_by_a_scraper_are_named_apart_from_row_number_and_date(tmp_path):
    """A public Google Maps scrape held 172 reviews twice: same author, stars and words, another row number ("481.")
    and another date (Google's "a year ago" turned into a day); the mean rating moved by 0.37, without a word."""
    import cxtext
    from cxtext.summary import repeated_rows

    reviews = [("Ana", 1, "The room smelled of smoke and nobody came to fix the leak"),
               ("Budi", 5, "Lovely pool, friendly staff and a great breakfast every day"),
               ("Citra", 2, "Check in took two hours and the lobby was full of mosquitoes")]
    lines = [f'"{n}.","{who}","2024-0{n}-10","{stars}","{text}"' for n, (who, stars, text) in enumerate(reviews, 1)]
    lines.append('"4.","Ana","2024-06-01","1","The room smelled of smoke and nobody came to fix the leak"')
    path = tmp_path / "scrape.csv"
    path.write_text('"No","User Name","Review Time","Rating","Review Text"\n' + "\n".join(lines) + "\n", encoding="utf-8")
    feedback = cxtext.load(path)
    found = repeated_rows(feedback.table, feedback.decision)
    assert found == {"repeated_rows": {"count": 1, "rows": [[4, 1]], "apart_from": ["No", "Review Time"]}}
    (warning,) = summary_warnings({"rows_in": 4, **found})
    assert warning.message.startswith("1 row(s) repeat an earlier row in every column but No, Review Time (the same "
                                      "words, scores and author: a review read twice by a scraper?): rows 4 (= 1).")
    # an id that is not a row number says they are two answers (a reposted social post: folded as a copy instead)
    path.write_text(path.read_text(encoding="utf-8").replace('"1.",', '"R1",').replace('"2.",', '"R2",')
                    .replace('"3.",', '"R3",').replace('"4.",', '"R4",').replace('"No",', '"response_id",'),
                    encoding="utf-8")
    feedback = cxtext.load(path)
    assert repeated_rows(feedback.table, feedback.decision) == {}


def test_a_repeated_placeholder_is_named_with_the_comment_column_it_was_written_in():
    # several comment columns: the warning named the first ('Please use this space ...'), which held none of them
    summary = {"rows_in": 819, "rows_analyzed": 424, "mapping": {"text": "Please use this space for comments."},
               "repeated_non_answers": [{"text": "Same as above", "rows": 9, "columns": ["Other tools?"]}]}
    warning = [w for w in summary_warnings(summary) if w.kind == "repeated_non_answer"]
    assert len(warning) == 1 and warning[0].column == "Other tools?" and warning[0].count == 9
    summary["repeated_non_answers"].append({"text": "as above", "rows": 6, "columns": ["New technology?"]})
    assert [w for w in summary_warnings(summary) if w.kind == "repeated_non_answer"][0].column is None
