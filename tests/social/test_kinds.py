"""Comment kinds on embeddings: seed set and real predictions in en/ar/ro."""

from __future__ import annotations

import numpy as np
import pytest

from cxtext.social.kinds import KINDS, KindModel, kinds_seed

EXAMPLES = [
    ("en", "complaint", "My package never arrived and nobody answers the phone"),
    ("en", "question", "How do I change my billing address?"),
    ("en", "suggestion", "Please add an option to pay with PayPal"),
    ("en", "praise", "Amazing support team, thank you so much"),
    ("ar", "complaint", "الطلب ما وصل وخدمة العملاء ما ترد"),
    ("ar", "question", "كيف أغير عنوان الفاتورة؟"),
    ("ar", "suggestion", "ياليت تضيفون خيار الدفع بباي بال"),
    ("ar", "praise", "فريق دعم رائع، شكرا جزيلا"),
    ("ro", "complaint", "coletul nu a ajuns si nu raspunde nimeni la telefon"),
    ("ro", "question", "Cum îmi schimb adresa de facturare?"),
    ("ro", "suggestion", "vă rog adăugați opțiunea de plată cu PayPal"),
    ("ro", "praise", "Echipă de suport minunată, mulțumesc mult"),
]


def test_seed_has_every_kind_in_every_language():
    seed = kinds_seed()
    counts = seed.groupby(["language", "kind"]).size().unstack()
    assert set(counts.columns) == set(KINDS) and set(counts.index) == {"en", "ar", "ro"}
    assert counts.min().min() >= 14


@pytest.mark.model
def test_kinds_of_clear_comments(tmp_path_factory):
    from cxtext.embed import CachedEmbedder, SentenceTransformerEmbedder
    from cxtext.store import EmbeddingCache

    embedder = CachedEmbedder(SentenceTransformerEmbedder("default"),
                              EmbeddingCache(tmp_path_factory.getbasetemp() / "seed-embeddings.sqlite"))
    model = KindModel().fit_seed(embedder)
    assert list(model.classes_) == sorted(KINDS)
    X = embedder.encode([text for _, _, text in EXAMPLES])
    predicted = model.predict(X, [lang for lang, _, _ in EXAMPLES])
    truth = np.array([kind for _, kind, _ in EXAMPLES])
    assert np.mean(predicted == truth) >= 0.8, list(zip(truth, predicted))
    proba = model.predict_proba(X, [lang for lang, _, _ in EXAMPLES])
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-6)
