"""Training a :class:`~cxtext.social.sentiment_head.SentimentHead`: fit, calibrate, choose the neutral band.

The recipe (measured in ``bench/sentiment.py``, chosen on validation data only):

1. **Labels.** VADER's mean human ratings (-4..+4) become three classes: neutral when
   ``|rating| < label_band``.
2. **Centring.** Every vector has its language's mean removed (means from the bundled
   seed set, class-balanced in every language; English training vectors use the English
   seed mean), then is re-normalised: it removes the offset between languages in a
   multilingual model, so an English-trained head reads Arabic and Romanian.
3. **Head.** Multinomial logistic regression (``C``) on the training split.
4. **Calibration.** One temperature dividing the logits, minimising the log-loss on the
   validation split (VADER's held-out 20%), so probabilities mean what they say.
5. **Neutral bias.** The label is the largest logit once a bias is added to the neutral one;
   the bias (-1.5..1.5, 0 = the plain most probable class) maximises the mean of accuracy and
   macro-F1 on the validation data (VADER's held-out 20%; never a benchmark set).
6. The final head is refitted on all rated sentences with the chosen settings.

Imports :mod:`cxtext.errors` and :mod:`cxtext.social.sentiment_head`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from cxtext.errors import ValidationError
from cxtext.social.sentiment_head import LABELS, SentimentHead, centre_vectors, labels_from_logits

BIAS_GRID: tuple[float, ...] = tuple(round(x, 2) for x in np.arange(-1.5, 1.51, 0.1))
TEMPERATURE_GRID: tuple[float, ...] = tuple(round(x, 2) for x in np.exp(np.linspace(np.log(0.25), np.log(4.0), 41)))


@dataclass(frozen=True)
class ValidationSet:
    """Labelled vectors to choose settings on: ``name``, ``vectors`` (n, dim), ``labels``, ``languages``."""

    name: str
    vectors: np.ndarray
    labels: np.ndarray
    languages: tuple[str, ...]


def language_means(vectors: np.ndarray, languages: Sequence[str], min_size: int = 20) -> dict[str, np.ndarray]:
    """Mean vector per language with at least ``min_size`` rows, plus ``"*"`` (all rows)."""
    from cxtext.themes.center import LanguageCenterer

    if len(languages) != len(vectors) or not len(vectors):
        raise ValidationError(f"language_means needs one language per vector; got {len(languages)} for {len(vectors)}.")
    centerer = LanguageCenterer(min_size).fit(vectors, [str(c) for c in languages])
    return {code: mean.astype(np.float32) for code, mean in centerer.means_.items()}


def fit_linear(vectors: np.ndarray, labels: np.ndarray, languages: Sequence[str],
               means: Mapping[str, np.ndarray], C: float, random_state: int = 0,
               sample_weight: np.ndarray | None = None) -> SentimentHead:
    """A head (temperature 1, neutral bias 0) fitted by logistic regression on centred ``vectors``."""
    from sklearn.linear_model import LogisticRegression

    centred = centre_vectors(np.asarray(vectors, dtype=np.float32), languages, dict(means))
    missing = sorted(set(LABELS) - set(labels))
    if missing:
        raise ValidationError(f"The training labels lack {missing}: widen the neutral band or add data.")
    model = LogisticRegression(C=C, max_iter=3000, random_state=random_state).fit(centred, labels, sample_weight=sample_weight)
    order = [list(model.classes_).index(c) for c in LABELS]
    return SentimentHead(model.coef_[order].astype(np.float32), model.intercept_[order].astype(np.float32),
                         dict(means), 0.0)


def with_settings(head: SentimentHead, neutral_bias: float, temperature: float, **extra: object) -> SentimentHead:
    """``head`` with another neutral bias, temperature, model id or provenance."""
    fields = dict(coef=head.coef, intercept=head.intercept, language_means=head.language_means,
                  neutral_bias=neutral_bias, temperature=temperature, model_id=head.model_id,
                  provenance=head.provenance)
    fields.update(extra)
    return SentimentHead(**fields)


def choose_temperature(head: SentimentHead, valid: ValidationSet) -> float:
    """The temperature minimising the mean log-loss on ``valid`` (grid 0.25..4, log-spaced)."""
    index = np.array([LABELS.index(label) for label in valid.labels])
    best, best_loss = 1.0, np.inf
    for temperature in TEMPERATURE_GRID:
        proba = with_settings(head, 0.0, temperature).predict_proba(valid.vectors, valid.languages)
        loss = -np.mean(np.log(np.clip(proba[np.arange(len(index)), index], 1e-12, None)))
        if loss < best_loss - 1e-9:
            best, best_loss = float(temperature), loss
    return best


def macro_f1(truth: np.ndarray, predicted: np.ndarray) -> float:
    """Macro-F1 over the classes present in ``truth``."""
    from sklearn.metrics import f1_score

    classes = sorted(set(truth))
    return float(f1_score(truth, predicted, labels=classes, average="macro", zero_division=0))


def choose_neutral_bias(head: SentimentHead, valid_sets: Sequence[ValidationSet]) -> tuple[float, dict[float, float]]:
    """The neutral bias with the best mean of accuracy and macro-F1 over ``valid_sets``, and the curve."""
    logits = [head.logits(v.vectors, v.languages) for v in valid_sets]
    curve = {}
    for bias in BIAS_GRID:
        values = []
        for valid, rows in zip(valid_sets, logits):
            predicted = labels_from_logits(rows, bias)
            values.append((float(np.mean(predicted == valid.labels)) + macro_f1(valid.labels, predicted)) / 2)
        curve[bias] = round(float(np.mean(values)), 4)
    best = max(curve, key=lambda b: (curve[b], -abs(b)))
    return float(best), curve


def evaluate(head: SentimentHead, valid: ValidationSet) -> dict[str, float]:
    """Accuracy, macro-F1 and the majority-class share of ``valid``."""
    predicted = head.predict(valid.vectors, valid.languages)
    _, counts = np.unique(valid.labels, return_counts=True)
    return {"n": int(len(valid.labels)), "accuracy": round(float(np.mean(predicted == valid.labels)), 4),
            "macro_f1": round(macro_f1(valid.labels, predicted), 4),
            "majority": round(float(counts.max() / counts.sum()), 4)}
