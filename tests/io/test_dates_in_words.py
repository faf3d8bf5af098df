"""Dates with month names in nine languages, after a short phrase (a public French TripAdvisor export writes
"Rédigé le 6 décembre 2024"); numeric day-first / month-first detection is unchanged. Strings written for
the test in the forms review sites use."""

from __future__ import annotations

import pandas as pd
import pytest

import cxtext
from cxtext.io.dates import date_text, is_relative_date
from cxtext.io.profile import profile_column
from cxtext.validate import day_first


@pytest.mark.parametrize("text,expected", [
    ("Rédigé le 6 décembre 2024", "2024-12-06"),         # TripAdvisor fr
    ("Rédigé le 1er janvier 2025", "2025-01-01"),
    ("Avis publié le 23 févr. 2023", "2023-02-23"),
    ("Escrito em 12 de outubro de 2022", "2022-10-12"),  # pt
    ("6 de março de 2023", "2023-03-06"),
    ("Escrita el 3 de septiembre de 2021", "2021-09-03"),  # es
    ("Freitag, 6. Dezember 2024", "2024-12-06"),          # de
    ("Geschrieben am 14. März 2024", "2024-03-14"),
    ("Scritta il 12 aprile 2020", "2020-04-12"),          # it
    ("Geschreven op 5 maart 2019", "2019-03-05"),         # nl
    ("14 Şubat 2023", "2023-02-14"),                       # tr
    ("2 Ağustos 2022", "2022-08-02"),
    ("Scris pe 15 septembrie 2022 14:30", "2022-09-15 14:30"),  # ro
    ("30 мар 2024", "2024-03-30"),                         # ru (a bank review export), abbreviated
    ("12 января 2024 г.", "2024-01-12"),
    ("1 мая 2023", "2023-05-01"),
    ("5 травня 2022 року", "2022-05-05"),                  # uk
    ("Written on December 6, 2024", "2024-12-06"),        # en, month first
    ("Reviewed 23 Aug 2023", "2023-08-23"),
    ("Written on 12/06/2024", "12/06/2024"),              # numbers: day or month first decided per column
    ("Date: 2024-12-06 10:00", "2024-12-06 10:00"),
])
def test_dates_in_words_after_a_phrase(text, expected):
    assert date_text(text) == expected


@pytest.mark.parametrize("text", ["The app crashed on 3 May 2024 again", "Date of stay: March 2024", "a month ago",
                                  "2024-12-06T10:00:00Z", "great food, 5 stars"])
def test_other_text_is_left_alone(text):
    assert date_text(text) == text


def test_relative_dates_are_recognised_and_nothing_else():
    for text in ("a month ago", "2 years ago", "an hour ago", "il y a 3 mois", "hace 2 meses", "há 3 meses",
                 "vor 3 Tagen", "3 ay önce", "2 mesi fa", "3 maanden geleden", "acum 2 luni", "yesterday"):
        assert is_relative_date(text), text
    for text in ("I was here a month ago", "once a year", "6 décembre 2024", "great service", ""):
        assert not is_relative_date(text), text


def test_a_french_review_date_column_is_read():
    frame = pd.DataFrame({
        "contenu_avis": [f"Très bon accueil et plats savoureux, visite numéro {i}" for i in range(12)],
        "date_avis": ["Rédigé le 6 décembre 2024", "Rédigé le 3 février 2024", "Rédigé le 23 mai 2023",
                      "Rédigé le 1er janvier 2025", "Rédigé le 14 juillet 2022", "Rédigé le 30 août 2021"] * 2,
    })
    assert profile_column(frame["date_avis"]).is_date
    feedback = cxtext.load(frame)
    assert feedback.mapping.date == "date_avis"
    dates = feedback.records["date"]
    assert dates.notna().all() and (feedback.records["warning"] == "").all()
    assert list(dates.head(6).dt.strftime("%Y-%m-%d")) == ["2024-12-06", "2024-02-03", "2023-05-23", "2025-01-01",
                                                           "2022-07-14", "2021-08-30"]


def test_numeric_day_first_detection_is_unchanged_behind_a_phrase():
    assert day_first([date_text(t) for t in ("Written on 04/03/2023", "Written on 20/01/2020")]) is True
    assert day_first([date_text(t) for t in ("Written on 04/03/2023", "Written on 01/20/2020")]) is False
    frame = pd.DataFrame({"comment": [f"Delivery was late again, order {i}" for i in range(4)],
                          "date": ["Written on 04/03/2023", "Written on 20/01/2020", "04/05/2023", "12/11/2022"]})
    dates = cxtext.load(frame, date="date").records["date"].dt.strftime("%Y-%m-%d").tolist()
    assert dates == ["2023-03-04", "2020-01-20", "2023-05-04", "2022-11-12"]


def test_date_order_when_no_number_is_above_12_follows_which_number_varies():
    """A French Google Forms export (public) answered over five days, 08/11/2021 ... 12/11/2021, was read as
    five months with no warning. The number that takes more values is the day; the reason says "check it"."""
    from cxtext.io.dates import date_order

    french = [f"{d:02d}/11/2021 10:{m:02d}:00" for d in range(8, 13) for m in range(3)]
    first, why = date_order(french)
    assert first and "first number takes 5 different values and the second 1" in why and "check it" in why
    american = [f"11/{d:02d}/2021" for d in range(1, 13)]
    assert date_order(american)[0] is False
    assert date_order(["20/01/2020", "03/04/2020"]) == (True, "day first ('20/01/2020' has no month 20)")
    assert date_order(["01/20/2020", "03/04/2020"])[0] is False
    assert date_order(["04.03.2023", "05.03.2023"])[0] is True
    assert date_order(["04/03/2023", "03/04/2023"])[1].startswith("month first, as US exports write")
    assert date_order(["2023-03-04", "n/a"]) == (False, None)


def test_the_column_mapping_says_which_number_is_the_day(tmp_path):
    import cxtext

    path = tmp_path / "forms.csv"
    rows = [f"{d:02d}/11/2021 10:00:00,{s},Produit {'super' if s > 8 else 'moyen'} et livraison rapide"
            for d in range(8, 13) for s in (3, 9, 10)]
    path.write_text("Horodateur,Recommandation,Pourquoi\n" + "\n".join(rows) + "\n", encoding="utf-8")
    feedback = cxtext.load(path)
    assert feedback.mapping.date == "Horodateur"
    assert "day first" in feedback.mapping_reasons["date"]["why"]
    assert feedback.records["date"].dt.month.unique().tolist() == [11]


def test_amazon_review_dates_and_stars_in_their_own_words(tmp_path):
    # a public Amazon.it scraper export: "Recensito in Italia il 31 gennaio 2024" was read as a second comment
    # column (9 of 19 themes "recensito in <country>") and "5,0 su 5 stelle" as labels, so no rating
    countries = ["Italia", "Stati Uniti", "Regno Unito", "Germania"]
    stars = ["5,0 su 5 stelle", "1,0 su 5 stelle", "4,0 su 5 stelle", "3,0 su 5 stelle", "2,0 su 5 stelle"]
    rows = [{"review_text": f"La termocamera funziona bene, batteria dura {i} ore" if i % 2 else
             f"Arrivata rotta, assistenza assente da {i} giorni",
             "review_date": f"Recensito in {countries[i % 4]} il {1 + i % 28} gennaio 2024",
             "review_stars": stars[i % 5],
             "review_flavor": f"Recensito in {countries[i % 4]} il {1 + i % 28} gennaio 2024"} for i in range(40)]
    path = tmp_path / "amazon_it.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    feedback = cxtext.load(path)
    assert feedback.mapping.text_columns == ("review_text",)
    assert feedback.mapping.date == "review_date" and feedback.mapping.rating == "review_stars"
    assert feedback.records["rating"].tolist()[:5] == [5, 1, 4, 3, 2]
    assert str(feedback.records["date"].iloc[2])[:10] == "2024-01-03"
    english = profile_column(pd.Series([f"Reviewed in the United States on January {d}, 2024" for d in range(1, 20)]))
    assert english.is_date
