"""JSON whose records each hold a list of records (a place and its reviews: a Google Maps scraper's output) is
read one row per inner record, with the outer record's plain fields beside it and a note saying so
(cxtext.io.json_records). Before, each place's reviews became one 1,830-word "comment" and the stars were lost."""

from __future__ import annotations

import json

import cxtext
from cxtext.io.read import read_table

REVIEWS = [("Mitarbeiter wirken überfordert, Termine nicht eingehalten", "1"),
           ("Schnelle Hilfe beim Heizungsausfall, sehr freundlich", "5"),
           ("Angebot war falsch, dreimal nachgefragt", "2"),
           ("Alles bestens, gerne wieder", "5")]


def _places(n_places: int = 6) -> list[dict]:
    # the scraper's shape: each place wrapped under its own name, its reviews in a list
    return [{f"Firma {i} GmbH": {
        "company_name": f"Firma {i} GmbH", "address": f"Straße {i}, Berlin", "avg_customer_reviews": 4.3,
        "reviews": [{"Counter": k + 1, "Customer": f"Kunde {k}", "Stars": stars, "Time": "a year ago",
                     "Review": f"{text} ({i}-{k})"} for k, (text, stars) in enumerate(REVIEWS)],
        "url": f"https://maps.example.org/{i}"}} for i in range(n_places)]


def test_each_review_of_each_place_is_a_row(tmp_path):
    path = tmp_path / "places.json"
    path.write_text(json.dumps(_places(), ensure_ascii=False), encoding="utf-8")
    table = read_table(path)
    assert len(table.frame) == 6 * len(REVIEWS)
    assert {"company_name", "address", "Review", "Stars", "Customer"} <= set(table.frame.columns)
    assert table.note.startswith("each of its 6 records holds a list 'reviews': read as 24 rows")
    feedback = cxtext.load(path)
    assert feedback.mapping.text == "Review" and feedback.mapping.rating == "Stars"
    assert feedback.records["rating"].tolist()[:4] == [1, 5, 2, 5]


def test_an_outer_field_named_like_an_inner_one_keeps_both(tmp_path):
    places = [{"name": f"Place {i}", "Stars": 4.5, "reviews": [{"Review": "slow service today", "Stars": 2},
                                                              {"Review": "lovely staff", "Stars": 5}]}
              for i in range(3)]
    path = tmp_path / "places.jsonl"
    path.write_text("\n".join(json.dumps(p) for p in places), encoding="utf-8")
    frame = read_table(path).frame
    assert frame["Stars"].tolist() == [2, 5] * 3 and frame["Stars (record)"].tolist() == [4.5] * 6


def test_records_with_a_short_list_beside_their_comment_stay_one_row_each(tmp_path):
    # a list of records in only a few rows (attachments of some tickets) is not what the file is made of
    rows = [{"comment": f"app crashes on start {i}", "nps": i % 11,
             **({"attachments": [{"name": "log.txt"}]} if i % 5 == 0 else {})} for i in range(20)]
    path = tmp_path / "tickets.json"
    path.write_text(json.dumps(rows), encoding="utf-8")
    table = read_table(path)
    assert len(table.frame) == 20 and table.note is None
