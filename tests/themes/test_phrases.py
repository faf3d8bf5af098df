"""Label phrases (cxtext.themes.phrases): which words may be in them."""

from __future__ import annotations

from cxtext.themes.phrases import name_like_keys


def test_german_nouns_are_not_taken_for_names():
    # German writes every noun with a capital: a public German Trustpilot export had all 439 of its nouns banned
    # from labels ("aktuellen tages ein zurückblättern"); in English a word capitalised inside sentences is a name
    german = ["Die Bearbeitung dauert ewig und die Antwort kommt nie.", "Schlechter Service im Callcenter, keine Antwort.",
              "Die Antwort auf meine Anfrage kam nach Wochen."]
    english = ["I spoke to Maria about the refund.", "Then Maria never called back about the refund."]
    languages = ["de"] * 3 + ["en"] * 2
    banned = name_like_keys(german + english, languages)
    assert "antwort" not in banned and "maria" in banned
    assert "antwort" in name_like_keys(german + english)  # without the languages, as before
