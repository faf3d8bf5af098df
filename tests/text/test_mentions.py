"""cxtext.text.mentions: a comment split into mentions, each a span of its text."""

from __future__ import annotations

import pytest

from cxtext.text.mentions import MENTION_COLUMNS, MIN_WORDS_TO_SPLIT, mentions_frame, split_mentions


def parts(text: str) -> list[str]:
    return [text[start:end] for start, end in split_mentions(text)]


def test_short_comments_stay_one_mention_whole():
    text = "  The app crashes. Fix it please, but keep the design.  "
    assert len(text.split()) < MIN_WORDS_TO_SPLIT
    assert parts(text) == [text.strip()]
    assert split_mentions("") == [] and split_mentions("   ") == []


def test_sentences_and_contrastive_clauses_of_a_long_review():
    text = ("The room was tiny and the walls were thin, but the staff were lovely and helpful. "
            "Breakfast was cold every single morning! Would we come back? Probably not.")
    assert parts(text) == [
        "The room was tiny and the walls were thin",
        "but the staff were lovely and helpful.",
        "Breakfast was cold every single morning!",
        "Would we come back? Probably not.",  # "Probably not." (2 words) joins its neighbour
    ]


def test_spans_are_exact_ordered_and_disjoint():
    text = ("Great!  The check-in took 3.5 hours, e.g. far too long.\nHowever the location near the metro "
            "is perfect and the price is fair, although parking costs extra.")
    spans = split_mentions(text)
    assert spans == sorted(spans)
    assert all(end <= next_start for (_, end), (next_start, _) in zip(spans, spans[1:]))
    for start, end in spans:
        assert text[start:end] == text[start:end].strip() and text[start:end]
    joined = parts(text)
    assert joined[0].startswith("Great!  The check-in took 3.5 hours, e.g. far too long.")  # no cut in 3.5 or e.g.
    assert "However the location near the metro is perfect and the price is fair" in joined
    assert joined[-1] == "although parking costs extra."


def test_plain_and_and_short_additive_clauses_are_not_cut():
    text = ("The room was clean and quiet and the bed was comfortable and the view over the old harbour "
            "was nice and calm too")
    assert len(text.split()) >= MIN_WORDS_TO_SPLIT and parts(text) == [text]
    romanian = ("Camera a fost curată și liniștită, personalul foarte amabil la recepție, dar micul dejun "
                "a fost slab și scump în fiecare dimineață.")
    assert parts(romanian) == ["Camera a fost curată și liniștită, personalul foarte amabil la recepție",
                               "dar micul dejun a fost slab și scump în fiecare dimineață."]


def test_arabic_question_mark_comma_and_but():
    text = ("الغرفة كانت نظيفة جدا والموقع ممتاز قريب من البحر، لكن الإفطار كان سيئا والموظفين غير متعاونين "
            "أبدا؟ لن أعود مرة أخرى أبدا")
    assert parts(text) == ["الغرفة كانت نظيفة جدا والموقع ممتاز قريب من البحر",
                           "لكن الإفطار كان سيئا والموظفين غير متعاونين أبدا؟",
                           "لن أعود مرة أخرى أبدا"]


def test_romanian_sentences_and_iar():
    text = ("Aplicația se blochează la fiecare plată cu cardul de credit. Interfața nouă arată foarte bine, "
            "iar suportul nu răspunde niciodată la telefon.")
    assert parts(text) == ["Aplicația se blochează la fiecare plată cu cardul de credit.",
                           "Interfața nouă arată foarte bine", "iar suportul nu răspunde niciodată la telefon."]


def test_a_first_tiny_fragment_joins_the_next_mention():
    text = ("Honestly? The booking page froze twice and nobody answered the chat for an hour. "
            "The refund took three weeks to arrive on my card.")
    assert parts(text) == ["Honestly? The booking page froze twice and nobody answered the chat for an hour.",
                           "The refund took three weeks to arrive on my card."]


def test_a_request_with_its_reason_stays_whole():
    # the 12-word rule cut CLINC150 requests like this one at "but" (bench/results/mentions.md)
    text = "i was trying to use my card to get food at publix but it got declined"
    assert parts(text) == [text]


def test_mentions_frame_columns_rows_and_spans():
    texts = ["Short one.", "", ("The screen is sharp and bright. The battery dies after two hours, "
                                "but the keyboard feels great to type on all day long.")]
    frame = mentions_frame(texts, rows=[10, 11, 12])
    assert list(frame.columns) == MENTION_COLUMNS
    assert frame["row"].tolist() == [10, 12, 12, 12]
    assert frame["mention"].tolist() == [0, 0, 1, 2]
    for row, start, end, text in zip(frame["row"], frame["start"], frame["end"], frame["text"]):
        assert texts[row - 10][start:end] == text
    with pytest.raises(ValueError, match="must name every text"):
        mentions_frame(texts, rows=[1])


def test_quote_in_comment_cuts_the_comment_at_spaces_around_the_mention():
    from cxtext.text.mentions import quote_in_comment

    text = "First part of the review about the room size. The breakfast was cold every day. Staff were kind."
    start = text.index("The breakfast")
    end = text.index("day.") + 4
    whole = quote_in_comment(text, start, end)
    assert whole.before + whole.mention + whole.after == text and whole.mention == "The breakfast was cold every day."
    cut = quote_in_comment(text, start, end, context_chars=12)
    assert cut.before == "…room size. " and cut.after == " Staff were…"  # whole words only, "…" where cut
    with pytest.raises(ValueError, match="not inside"):
        quote_in_comment(text, 5, len(text) + 1)


def test_comment_from_mentions_keeps_every_offset():
    from cxtext.text.mentions import comment_from_mentions

    text = ("The room was tiny and the air conditioning rattled all night, so we barely slept; "
            "the breakfast was excellent, with fresh bread and good coffee every single morning.")
    frame = mentions_frame([text])
    assert len(frame) == 2  # cut after the ";" (both sides long), which the cut drops
    rebuilt = comment_from_mentions(frame)
    for start, end, mention in zip(frame["start"], frame["end"], frame["text"]):
        assert rebuilt[start:end] == mention
    assert rebuilt.replace(" ", "") == text.replace(";", "").replace(" ", "")


def test_mention_quotes_finds_each_quote_in_its_comment_and_keeps_whole_comments_whole():
    import pandas as pd

    from cxtext.text.mentions import MentionQuote, mention_quotes

    text = ("The room was tiny and the air conditioning rattled all night long, so we barely slept at all. "
            "But the breakfast was excellent, with fresh bread and good coffee every single morning of our stay.")
    mentions = mentions_frame([text], rows=[7]).assign(theme_id=[2, 3])
    breakfast = mentions["text"].iloc[1]
    themes = pd.DataFrame({"theme_id": [3, 4], "quotes": [[breakfast, "A whole comment, quoted by a split."], []]})
    records = pd.DataFrame({"row": [7], "clean_text": [text]})
    for quoted in (mention_quotes(themes, mentions, records), mention_quotes(themes, mentions)):
        first, second = quoted[3]
        assert first.mention == breakfast and first.before.endswith("barely slept at all. ") and first.after == ""
        assert second == MentionQuote("", "A whole comment, quoted by a split.", "")
        assert quoted[4] == []
    assert mention_quotes(themes, None) == {}


def test_a_comment_stripped_of_its_punctuation_is_cut_at_the_double_spaces_left_behind():
    # as a public Glassdoor scrape writes its reviews: lower-cased, full stops removed, two spaces left
    text = ("they didn't have any meaningful work for the team  mid level management isn't helpful at all  "
            "the tech stack is old and uses some weird tools")
    assert parts(text) == ["they didn't have any meaningful work for the team",
                            "mid level management isn't helpful at all",
                            "the tech stack is old and uses some weird tools"]
    # with a full stop anywhere, double spaces are only spaces
    dotted = text.replace("old and", "old. And")
    assert "mid level management isn't helpful at all  the tech stack is old." in parts(dotted)[0]
