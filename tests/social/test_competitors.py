"""Competitor matching: case, diacritics, Arabic letter variants, hashtags, word boundaries."""

from __future__ import annotations

import pandas as pd
import pytest

from cxtext.social.competitors import (
    CompetitorMatcher,
    competitor_share_by_theme,
    fold,
    join_names,
    parse_competitors,
    split_names,
)
from cxtext.errors import NotFittedError, ValidationError

COMPETITORS = {
    "Vodafone": ["Vodafone RO", "فودافون"],
    "Orange": ["أورانج"],
    "Digi": ["RCS RDS", "Digi Mobil"],
    "Ștefănescu Telecom": [],
    "T-Mobile": [],
    "الراجحي": ["Al Rajhi"],
}


@pytest.fixture(scope="module")
def matcher() -> CompetitorMatcher:
    return CompetitorMatcher(COMPETITORS).fit()


@pytest.mark.parametrize("text, expected", [
    ("I switched to VODAFONE last week", ["Vodafone"]),
    ("vodafone ro has better coverage", ["Vodafone"]),
    ("#VodafoneRO is better than this", ["Vodafone"]),
    ("#vodafoneromania", ["Vodafone"]),
    ("#BoycottOrange", ["Orange"]),
    ("@orange_romania why is the bill so high", ["Orange"]),
    ("Orange. Then Digi.", ["Orange", "Digi"]),
    ("digi then orange", ["Digi", "Orange"]),
    ("rcs-rds is cheaper", ["Digi"]),
    ("DigiMobil", ["Digi"]),
    ("Stefanescu Telecom", ["Ștefănescu Telecom"]),
    ("Ştefănescu telecom (cedilla)", ["Ștefănescu Telecom"]),
    ("ȘTEFĂNESCU TELECOM", ["Ștefănescu Telecom"]),
    ("tmobile", ["T-Mobile"]),
    ("t mobile", ["T-Mobile"]),
    ("وفودافون أفضل", ["Vodafone"]),
    ("فودافـــون", ["Vodafone"]),
    ("اورانج سيئة", ["Orange"]),
    ("إشتركت في أورانج", ["Orange"]),
    ("آورانج", ["Orange"]),
    ("بالراجحي", ["الراجحي"]),
    ("الرَّاجِحِي", ["الراجحي"]),
    ("al-rajhi bank", ["الراجحي"]),
])
def test_matches(matcher, text, expected):
    assert matcher.transform([text]) == [expected]


@pytest.mark.parametrize("text", ["oranges are tasty", "Orangeville", "#oranges", "vodafones?", "digital", ""])
def test_no_match_inside_words(matcher, text):
    assert matcher.transform([text]) == [[]]


def test_match_inside_words_when_asked():
    assert CompetitorMatcher(["Orange"], match_inside_words=True).fit().transform(["oranges"]) == [["Orange"]]


def test_taa_marbuta_and_alef_maqsura():
    found = CompetitorMatcher({"Al Jazira": ["الجزيرة"], "Mustashfa": ["مستشفى"]}).fit()
    assert found.transform(["الجزيره رائعة", "مستشفي جيد"]) == [["Al Jazira"], ["Mustashfa"]]


def test_each_name_once_and_missing_values(matcher):
    assert matcher.transform(["Orange, orange, ORANGE", None, float("nan")]) == [["Orange"], [], []]


def test_fold():
    assert fold("Şţ ȘȚ ăâî") == "st st aai"
    assert fold("أإآة") == "اااه"


def test_errors():
    with pytest.raises(NotFittedError):
        CompetitorMatcher(["Orange"]).transform(["x"])
    with pytest.raises(ValidationError):
        CompetitorMatcher([]).fit()
    with pytest.raises(ValidationError):
        CompetitorMatcher("Orange").fit()


def test_parse_and_join():
    assert parse_competitors("Vodafone: Vodafone RO, فودافون\nOrange; Digi:RCS\n\n") == {
        "Vodafone": ["Vodafone RO", "فودافون"], "Orange": [], "Digi": ["RCS"]}
    assert split_names(join_names(["Orange", "Digi"])) == ["Orange", "Digi"]
    assert split_names("") == [] and split_names(None) == []


def test_share_by_theme():
    records = pd.DataFrame({
        "theme_id": [0, 0, 0, 1, 1, -1],
        "theme_ids": ["0", "0;1", "0", "1", "1", ""],
        "competitors": ["Orange", "", "Orange; Digi", "", "", "Digi"],
    })
    themes = pd.DataFrame({"theme_id": [0, 1], "label": ["billing", "coverage"]})
    share = competitor_share_by_theme(records, themes).set_index("theme_id")
    assert share.loc[0, "n_comments"] == 3 and share.loc[0, "n_competitor_mentions"] == 2
    assert share.loc[0, "competitor_share"] == pytest.approx(2 / 3)
    assert share.loc[0, "top_competitors"] == "Orange (2); Digi (1)"
    assert share.loc[1, "competitor_share"] == 0 and share.loc[1, "top_competitors"] == ""
