"""Scores answered in Spanish and Portuguese words, and score columns that hold no score.

A new-user audit (2026-12-07) of public survey exports: a Brazilian ombudsman survey's "😐 Regular" (65 answers,
the middle of "Muito Insatisfeito ... Muito Satisfeito") was rejected, and its CES "Muito fácil de compreender ...
Muito difícil de compreender" could not be read at all, so naming it rejected all 435 rows with their comments;
a Spanish restaurant survey's "Excepcional: el personal es amable ..." the same (0 of 364 rows analysed). The
values below are copied from those exports.
"""

from __future__ import annotations

import pandas as pd
import pytest

import cxtext
from cxtext.errors import ColumnMappingError
from cxtext.io.cells import satisfaction_score, word_key

COMMENTS = ["Demorou muito para responder", "Resposta clara e rápida", "Não resolveram nada",
            "Atendimento bom", "Fiquei sem resposta", "Tudo certo"] * 2


def test_regular_is_the_middle_of_a_satisfaction_scale():
    assert satisfaction_score("😐 Regular") == 3
    assert [satisfaction_score(v) for v in ("😠 Muito Insatisfeito", "🙂 Satisfeito", "😀 Muito Satisfeito")] == [1, 4, 5]
    assert word_key("Bueno: en general estoy satisfecho con el servicio") == "bueno"
    assert word_key("Difícil de comprender") == "dificil"


def test_a_ces_in_portuguese_words_and_a_spanish_quality_scale_are_read():
    frame = pd.DataFrame({
        "comentario": COMMENTS,
        "A resposta fornecida foi fácil de compreender?": [
            "Muito fácil de compreender", "Fácil de compreender", "Regular", "Muito difícil de compreender",
            "Difícil de comprender", "Fácil de compreender"] * 2,
        "¿Qué opinás sobre nuestro servicio al cliente?": [
            "Excepcional: el personal es amable, atento y servicial", "Bueno: en general estoy satisfecho con el servicio",
            "Aceptable: podría mejorar en algunos aspectos", "Insatisfactorio: el servicio necesita una mejora significativa",
            "Bueno: en general estoy satisfecho con el servicio", "Excepcional: el personal es amable, atento y servicial"] * 2,
    })
    feedback = cxtext.load(frame, text="comentario", csat="¿Qué opinás sobre nuestro servicio al cliente?")
    assert feedback.mapping.ces == "A resposta fornecida foi fácil de compreender?"  # "fácil" asks about effort
    assert (feedback.ces_scale.label, feedback.ces_scale.good_end) == ("1-5", "high")
    records = feedback.records
    assert (records["status"] == "analyzed").all()
    assert records["ces"].tolist()[:6] == [5, 4, 3, 1, 2, 4]
    assert records["csat"].tolist()[:6] == [5, 4, 3, 1, 4, 5]


def test_a_named_score_column_without_a_single_score_stops_with_the_column_named(tmp_path):
    frame = pd.DataFrame({"comentario": COMMENTS,
                          "¿Cuál es el motivo principal de tus visitas?": ["Comidas familiares", "Celebraciones"] * 6})
    path = tmp_path / "encuesta.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(ColumnMappingError, match="encuesta.csv: column '¿Cuál es el motivo principal de tus visitas"
                                                 r"\?' \(csat\) holds no score: none of its 12 answers"):
        cxtext.load(path, csat="¿Cuál es el motivo principal de tus visitas?")


def test_text_none_switches_the_comment_guess_off():
    frame = pd.DataFrame({"¿Qué tanto usas información digital (reservas, mensajes, visitas, comentarios)?":
                          ["La utilizo con frecuencia", "La reviso de forma ocasional"] * 6,
                          "nps": [9, 3, 10, 7, 6, 8] * 2})
    feedback = cxtext.load(frame, text=["none"])
    assert feedback.mapping.text is None and feedback.mapping.nps == "nps"
    assert "switched off by you (--text none)" in feedback.decision.reasons["text"]["why"]


def test_a_named_score_column_mostly_off_its_scale_stops_and_says_to_read_it_as_a_rating():
    """A LimeSurvey 0-10 'how satisfied' named as CSAT kept the 44 answers that happen to lie in 1-5 ('CSAT 68%
    satisfied') and rejected 299 comments; now the analysis stops and says what to do."""
    frame = pd.DataFrame({"comentario": COMMENTS, "satisfaction": [7, 8, 6, 9, 3, 10] * 2})
    with pytest.raises(ColumnMappingError, match=r"column 'satisfaction' \(csat\) is not on 1-5: 10 of its 12 answers "
                                                 r"lie outside it .* read this column with --rating instead"):
        cxtext.load(frame, text="comentario", csat="satisfaction")
    feedback = cxtext.load(frame, text="comentario", rating="satisfaction")
    assert feedback.rating_scale.label == "1-10" and (feedback.records["status"] == "analyzed").all()


def test_a_small_surveys_pick_lists_are_not_comments():
    """A public Microsoft Forms export of 18 answers and 141 columns, no open question: a frequency question
    ("Rara vez", 3 values), a pick-list of sentences and ';'-joined multiple choices were each themed in turn."""
    frame = pd.DataFrame({
        "¿Qué tanto usas información digital (reservas, mensajes, visitas, comentarios)?":
            ["La utilizo con frecuencia", "La utilizo para algunas decisiones", "La reviso de forma ocasional",
             "La utilizo con frecuencia", "La utilizo de forma sistemática", "La utilizo con frecuencia"] * 3,
        "Falta de control de inventario": ["Rara vez", "Si muchas veces", "Si pocas veces"] * 6,
        "Edad aproximada del personal": ["31 a 45 años;", "20 a 30 años;", "20 a 30 años;45 a 60 años;",
                                         "45 a 60 años;", "31 a 45 años;20 a 30 años;", "31 a 45 años;"] * 3,
    })
    with pytest.raises(ColumnMappingError, match="no column holds free-text comments"):
        cxtext.load(frame)
