"""Turkish keeps its own ş: the Romanian cedilla fix (ş -> ș) is for Romanian text only.

Seen on a public Turkish store-review export (bench/results/real_exports_heldout2.md, file C): its
theme keywords read "teșekkürler", "kullanıșlı" (Romanian s-comma) instead of "teşekkürler".
The sentences are written for this test.
"""

from __future__ import annotations

from cxtext.text.stopwords import normalize_token, tokenize
from cxtext.themes.label import extract_terms


def test_turkish_words_keep_s_cedilla():
    tokens = tokenize("Hızlı kargo, teşekkürler! Çok kullanışlı bir ürün, şarjı da iyi.")
    assert "teşekkürler" in tokens and "kullanışlı" in tokens and "şarjı" in tokens
    assert not any("ș" in t for t in tokens)


def test_romanian_cedilla_still_becomes_comma_below():
    assert tokenize("Aplicaţia se blochează şi plata nu merge") == [
        "aplicația", "se", "blochează", "și", "plata", "nu", "merge"]


def test_matching_keys_unchanged():
    # keys fold both forms to "s", as before: only what people read changed
    assert normalize_token("teşekkürler") == normalize_token("teșekkürler")


def test_keyword_terms_of_a_turkish_review_keep_s_cedilla():
    terms = extract_terms("Ürün çok kullanışlı, hızlı kargo için teşekkürler", None)
    surfaces = [surface for _, surface in terms]
    assert "teşekkürler" in surfaces and "kullanışlı" in surfaces
    assert not any("ș" in s for s in surfaces)
