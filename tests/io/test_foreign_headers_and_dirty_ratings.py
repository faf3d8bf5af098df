"""Layouts of three public exports of the second held-out batch (bench/results/real_exports_heldout2.md),
rebuilt with rows written for these tests:

* A, a French TripAdvisor scrape: ``note_restaurant`` (1-5 stars) must be the rating, ``id_avis`` the id,
  and neither ``titre_avis`` (a title) nor ``date_avis`` ("Rédigé le 6 décembre 2024") a comment;
* D, a Google Maps scrape (XLSX): ``Review Date`` holds "a month ago", which is not a second comment
  column (it was themed into a 57% "years ago" theme, the top driver);
* B, a Portuguese hotel table: ``comentario`` is the comment column although its few sentences repeat,
  and ``nota_geral`` (0-10 with decimals) stays the rating on 0-10 despite a planted -3, 11 and "bom".
"""

from __future__ import annotations

import pandas as pd

import cxtext
from cxtext.io.columns import detect_columns
from cxtext.io.read import read_table

FRENCH_BODIES = [
    "Agréable petit restaurant, la cuisine est bonne et faite maison, le service est rapide.",
    "Une honte, le saumon était constitué des bas morceaux et le riz était froid.",
    "Très bon moment, les plats sont très bons et le prix est raisonnable pour la qualité.",
    "Service très long, nous avons attendu une heure pour être servis, plus jamais.",
    "Belle vue sur Lyon, personnel souriant, les desserts sont à tomber.",
]
MONTHS = ["janvier", "mars", "avril", "juin", "août", "octobre", "décembre"]


def _french_scrape(n: int = 40) -> pd.DataFrame:
    return pd.DataFrame({
        "id_avis": [str(i + 1) for i in range(n)],
        "id_restaurant": [str(i % 4 + 1) for i in range(n)],
        "nom_utilisateur": [f"Companion{1000 + i}" for i in range(n)],
        "note_restaurant": [f"{(i * 7) % 5 + 1}.0" for i in range(n)],
        "date_avis": [f"Rédigé le {i % 27 + 1} {MONTHS[i % 7]} 20{18 + i % 7}" for i in range(n)],
        "titre_avis": [["Top, allez-y", "UNE BONNE SURPRISE", "Super moment", "Horrible", "Décevant"][i % 5]
                       for i in range(n)],
        "contenu_avis": [f"{FRENCH_BODIES[i % 5]} Visite numéro {i}." for i in range(n)],
    })


def test_french_tripadvisor_scrape_rating_id_and_no_title_or_date_as_comments(tmp_path):
    path = tmp_path / "avis.csv"
    _french_scrape().to_csv(path, index=False)
    feedback = cxtext.load(path)
    mapping = feedback.mapping
    assert mapping.text == "contenu_avis"
    assert mapping.extra_text == ()
    assert mapping.rating == "note_restaurant"
    assert mapping.nps is None  # 1-5 stars are not a 0-10 recommendation score
    assert mapping.id == "id_avis"
    assert feedback.records["rating"].max() == 5


def test_english_notes_column_is_still_a_comment_and_a_numeric_note_a_rating():
    frame = pd.DataFrame({"note": [str(i % 5 + 1) for i in range(30)],
                          "notes": [f"The delivery was late again, order {i}" for i in range(30)]})
    mapping = detect_columns(list(frame.columns), frame).mapping
    assert mapping.text == "notes"
    assert mapping.rating == "note"


def test_google_maps_relative_review_date_is_not_a_comment_column(tmp_path):
    n = 40
    frame = pd.DataFrame({
        "Business Name": [["CVS Pharmacy", "Walgreens Pharmacy", None][i % 3] for i in range(n)],
        "Reviewer Name": [f"Reviewer {i}" for i in range(n)],
        "Review Text": [None if i % 4 == 0 else
                        f"The pharmacist was {['rude', 'helpful', 'slow', 'kind'][i % 4]} and the line was long {i}"
                        for i in range(n)],
        "Review Date": [["a month ago", "11 months ago", "a year ago", "2 years ago", "3 weeks ago"][i % 5]
                        for i in range(n)],
        "Photo URLs": [None] * n,
        "Scraped At": [f"2025-09-24 14:{10 + i % 40:02d}:44" for i in range(n)],
    })
    path = tmp_path / "reviews.xlsx"
    frame.to_excel(path, index=False)
    mapping = cxtext.load(path).mapping
    assert mapping.text == "Review Text"
    assert mapping.extra_text == ()


def _hotel_table(n: int = 120) -> pd.DataFrame:
    # ten different sentences over many rows, as in the public table (10 in 632), and blanks
    comments = ["Recepção simpática e rápida.", "O pequeno-almoço estava frio.", "Voltaremos no próximo verão!",
                "A piscina estava sempre cheia.", "Cama confortável e quarto silencioso.", "",
                "O estacionamento é caro demais.", "Wi-fi fraco no terceiro andar.",
                "Localização perfeita para passear.",
                "Check-in demorou quase uma hora.", "Funcionários muito prestativos."]
    geral = [f"{5 + (i * 37) % 50 / 10:.1f}" for i in range(n)]
    geral[0], geral[1], geral[2], geral[3] = "-3", "11", "bom", "0"
    return pd.DataFrame({
        "id_avaliacao": [str(i + 1) for i in range(n)],
        "id_reserva": [str((i * 13) % 997 + 1) for i in range(n)],
        "nota_geral": geral,
        "nota_limpeza": ["15" if i == 5 else f"{5 + (i * 23) % 50 / 10:.1f}" for i in range(n)],
        "comentario": [comments[i % 11] for i in range(n)],
        "data_avaliacao": [f"2024-0{i % 9 + 1}-1{i % 10}" for i in range(n)],
    })


def test_named_comment_column_is_taken_although_its_sentences_repeat(tmp_path):
    path = tmp_path / "avaliacoes.csv"
    _hotel_table().to_csv(path, index=False)
    feedback = cxtext.load(path)
    assert feedback.mapping.text == "comentario"


def test_dirty_0_10_rating_keeps_its_scale_and_rejects_only_the_dirty_rows(tmp_path):
    path = tmp_path / "avaliacoes.csv"
    _hotel_table().to_csv(path, index=False)
    feedback = cxtext.load(path)
    assert feedback.mapping.rating == "nota_geral"  # not the cleanliness sub-score
    assert (feedback.rating_scale.low, feedback.rating_scale.high) == (0, 10)
    reasons = feedback.records["reason"].tolist()
    assert sum("outside 0-10" in r for r in reasons) == 2  # -3 and 11; the 0 is on the scale
    assert sum("not a number" in r for r in reasons) == 1  # "bom"


def test_read_table_keeps_the_french_date_cells_as_written(tmp_path):
    path = tmp_path / "avis.csv"
    _french_scrape(10).to_csv(path, index=False)
    assert read_table(path).frame["date_avis"].iloc[0] == "Rédigé le 1 janvier 2018"
