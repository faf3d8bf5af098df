"""Theme keywords, readable labels, representative quotes and languages.

:class:`ThemeLabeler` describes each theme of a clustering:

**Keywords: class-based TF-IDF over 1-3-grams.** All comments of a theme
form one "class document". A term's weight in theme ``c`` is
``tf(t, c) * log(1 + A / f(t))`` where ``tf`` is the number of the theme's
comments containing ``t`` divided by the theme's total term count, ``f(t)``
the number of comments containing ``t`` in the whole corpus (unthemed
comments included, as one more class) and ``A`` the average term count per
class (BERTopic's c-TF-IDF, with per-comment binary counts so one comment
repeating a word cannot carry a theme). Terms:

* tokens come from :func:`cxtext.text.stopwords.tokenize`; they are matched by
  their key (case folded, Arabic letter variants unified, Romanian diacritics
  folded), and shown in their most frequent surface form;
* an n-gram may contain a stop word only in the middle ("money back",
  "waiting for refund"), never at either end; a unigram is never a stop word;
  the stop list depends on the comment's language
  (:func:`cxtext.text.stopwords.stop_words_for`);
* tokens without a letter (digits-only) or of one character never appear;
* a term must occur in at least 2 of the theme's comments (1 when the theme
  has fewer than 4).

Keywords are also computed **per language** (the same weighting restricted to
the comments of one language), kept in ``keywords_by_language_``.

**Label.** A short phrase (2-4 words) from the theme's comments, the way a
person would name the complaint ("card declined at target", "increase credit
limit"): :func:`cxtext.themes.phrases.phrase_labels`, where the candidates,
the score and the benchmark behind it are described. Language: English when
the theme has English comments (at least 2 and at least 10% of it),
otherwise its most frequent language with keywords and at least 2 of its
comments when any language has 2 (one comment in a language is not the
theme's language: a greeting theme of 11 comments was labelled "mohit", a
name from the one comment read as Pidgin); the phrase comes from that language's comments. A theme without
a candidate phrase gets a keyword label
(:func:`cxtext.themes.phrases.keyword_label`). A theme without any repeated
keyword (every term in one comment only) gets its most central short quote
instead (2-6 words, lower-cased, end punctuation dropped: "hello is anyone
there"), since a phrase or keyword would come from one comment; without a
quote that short, the phrase or keyword label as above, and ``"theme <id>"``
when there is neither. Keywords stay in their own column.

**Quotes.** The ``n_quotes`` (5) comments nearest the theme centroid (cosine
in embedding space), skipping exact repeats and near-duplicates (cosine >
``dedup_threshold`` = 0.95 with a quote already chosen); comments of 3+
words and at most 280 characters are preferred.

**Languages.** Share of the theme's comments per language code, formatted
"en 60%, ar 25%, ro 15%" by :func:`format_languages`.
"""

from __future__ import annotations

import numbers
from collections import Counter, defaultdict
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import sparse

from cxtext.errors import NotFittedError, ValidationError
from cxtext.text.stopwords import guess_language, is_keyword_token, normalize_token, stop_words_for, tokenize
from cxtext.themes.phrases import keyword_label, phrase_labels, quote_label

__all__ = ["ThemeLabeler", "format_languages", "extract_terms", "THEME_COLUMNS"]

THEME_COLUMNS = ["theme_id", "label", "keywords", "size", "share", "languages", "quotes"]
_QUOTE_MAX_CHARS = 280


def format_languages(shares: dict[str, float], max_items: int = 4) -> str:
    """``{"en": .6, "ar": .25, "ro": .15}`` → ``"en 60%, ar 25%, ro 15%"``.

    Sorted by share (then code); shares under 0.5% are written "<1%"; beyond
    ``max_items`` codes the rest are summed as "other".
    """
    items = sorted(((c, float(s)) for c, s in shares.items() if s > 0), key=lambda cs: (-cs[1], cs[0]))
    if len(items) > max_items:
        rest = sum(s for _, s in items[max_items - 1 :])
        items = items[: max_items - 1] + [("other", rest)]

    def pct(s: float) -> str:
        p = round(100 * s)
        return "<1%" if p < 1 else f"{p}%"

    return ", ".join(f"{c} {pct(s)}" for c, s in items)


def extract_terms(text: str, language: str | None, ngram_range: tuple[int, int] = (1, 3)):
    """Keyword terms of one comment as ``(key, surface)`` pairs (repeats kept).

    See the module docstring for which n-grams qualify.
    """
    tokens = tokenize(text)
    keys = [normalize_token(t) for t in tokens]
    ok = [is_keyword_token(k) for k in keys]
    stop = stop_words_for(language)
    is_stop = [k in stop for k in keys]
    lo, hi = ngram_range
    out = []
    for i in range(len(tokens)):
        if not ok[i] or is_stop[i]:
            continue
        for n in range(lo, hi + 1):
            j = i + n
            if j > len(tokens):
                break
            if not all(ok[i:j]):
                break
            if is_stop[j - 1]:
                continue
            if n > 1 and len(set(keys[i:j])) == 1:
                continue
            out.append((" ".join(keys[i:j]), " ".join(tokens[i:j])))
    return out


def _check_positive_int(name: str, value, low: int = 1) -> None:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < low:
        raise ValidationError(f"The '{name}' parameter must be an int >= {low}. Got {value!r} instead.")


class ThemeLabeler:
    """Keywords, label, quotes and language mix for each theme.

    Parameters
    ----------
    n_keywords : int >= 1
        Keywords kept per theme (and per theme and language).
    n_quotes : int >= 1
        Representative comments kept per theme.
    ngram_range : (int, int)
        Smallest and largest n-gram, default (1, 3).
    dedup_threshold : float in (0, 1]
        Quotes whose embeddings have cosine above this are near-duplicates.
    max_label_phrases : int >= 1
        Keyphrases in a keyword label (joined with " · ").
    label_style : "phrase" or "keywords"
        "keywords" gives every theme the keyword label (the labels before
        issue 19, with ``max_label_phrases=2``; ``bench/labels.py``).

    ``fit(texts, labels, embeddings=None, languages=None, centroids=None)``;
    labels < 0 (unthemed, no comment, rejected) are never described but
    count in the corpus term frequencies. ``embeddings`` (L2-normalised rows)
    are needed for centroid-nearest quotes; without them the quotes are the
    comments containing the most of the theme's keywords. ``languages``: one
    ISO code per text; ``None`` uses :func:`cxtext.text.stopwords.guess_language`.

    Fitted attributes (dicts keyed by theme id)
    -------------------------------------------
    theme_ids_, theme_labels_, keywords_, keyword_scores_ (term, score),
    keywords_by_language_ ({lang: [terms]}), label_language_, quotes_,
    languages_ ({lang: share}), sizes_, n_texts_.
    """

    def __init__(
        self,
        n_keywords: int = 10,
        n_quotes: int = 5,
        ngram_range: tuple[int, int] = (1, 3),
        dedup_threshold: float = 0.95,
        max_label_phrases: int = 1,
        label_style: str = "phrase",
    ):
        self.label_style = label_style
        self.n_keywords = n_keywords
        self.n_quotes = n_quotes
        self.ngram_range = ngram_range
        self.dedup_threshold = dedup_threshold
        self.max_label_phrases = max_label_phrases

    # ------------------------------------------------------------------ checks
    def _validate_params(self) -> None:
        _check_positive_int("n_keywords", self.n_keywords)
        _check_positive_int("n_quotes", self.n_quotes)
        _check_positive_int("max_label_phrases", self.max_label_phrases)
        if self.label_style not in ("phrase", "keywords"):
            raise ValidationError(
                "The 'label_style' parameter must be 'phrase' or 'keywords'. "
                f"Got {self.label_style!r} instead.")
        nr = self.ngram_range
        if (
            not isinstance(nr, (tuple, list))
            or len(nr) != 2
            or not all(isinstance(v, numbers.Integral) and not isinstance(v, bool) for v in nr)
            or not 1 <= nr[0] <= nr[1]
        ):
            raise ValidationError(
                f"The 'ngram_range' parameter must be a pair (low, high) with 1 <= low <= high. Got {nr!r} instead."
            )
        d = self.dedup_threshold
        if isinstance(d, bool) or not isinstance(d, numbers.Real) or not 0.0 < float(d) <= 1.0:
            raise ValidationError(f"The 'dedup_threshold' parameter must be a float in (0, 1]. Got {d!r} instead.")

    # --------------------------------------------------------------------- fit
    def fit(self, texts: Sequence[str], labels, embeddings=None, languages=None, centroids=None) -> "ThemeLabeler":
        self._validate_params()
        if isinstance(texts, str):
            raise ValidationError("'texts' must be a sequence of strings, not a single string.")
        texts = ["" if t is None or (isinstance(t, float) and np.isnan(t)) else str(t) for t in texts]
        n = len(texts)
        labels = np.asarray(labels)
        if labels.ndim != 1 or labels.shape[0] != n:
            raise ValidationError(f"'labels' must have one entry per text ({n}). Got shape {labels.shape} instead.")
        labels = labels.astype(np.int64)
        if languages is None:
            languages = [guess_language(t) for t in texts]
        else:
            languages = ["und" if lang is None or (isinstance(lang, float) and np.isnan(lang)) else str(lang)
                         for lang in languages]
            if len(languages) != n:
                raise ValidationError(
                    f"'languages' must have one code per text ({n}). Got {len(languages)} instead."
                )
        if embeddings is not None:
            embeddings = np.asarray(embeddings, dtype=np.float64)
            if embeddings.ndim != 2 or embeddings.shape[0] != n:
                raise ValidationError(
                    f"'embeddings' must have one row per text ({n}). Got shape {embeddings.shape} instead."
                )
        self.n_texts_ = n
        ids = sorted(int(k) for k in np.unique(labels) if k >= 0)
        self.theme_ids_ = ids

        # term matrix (binary per comment)
        vocab: dict[str, int] = {}
        surface: dict[str, Counter] = defaultdict(Counter)
        rows, cols = [], []
        for i, (text, lang) in enumerate(zip(texts, languages)):
            seen = set()
            for key, surf in extract_terms(text, lang, tuple(self.ngram_range)):
                surface[key][surf] += 1
                j = vocab.setdefault(key, len(vocab))
                if j not in seen:
                    seen.add(j)
                    rows.append(i)
                    cols.append(j)
        terms = np.array(sorted(vocab, key=vocab.get), dtype=object)
        D = sparse.csr_matrix(
            (np.ones(len(rows), dtype=np.float64), (rows, cols)), shape=(n, len(vocab))
        )
        self._terms = terms
        self._display = {k: c.most_common(1)[0][0] for k, c in surface.items()}
        ntok = np.array([len(t.split()) for t in terms]) if len(terms) else np.zeros(0, int)
        self._ntok = ntok

        langs = np.array(languages, dtype=object)
        self.sizes_ = {k: int(np.sum(labels == k)) for k in ids}
        self.languages_ = {}
        for k in ids:
            cnt = Counter(langs[labels == k])
            self.languages_[k] = {c: v / self.sizes_[k] for c, v in sorted(cnt.items(), key=lambda cv: (-cv[1], cv[0]))}

        all_rows = np.arange(n)
        scores, dfs = self._ctfidf(D, labels, all_rows, ids)
        self.keyword_scores_ = {}
        self.keywords_ = {}
        for k in ids:
            ranked = self._rank(scores[k], dfs[k], self.sizes_[k])
            self.keyword_scores_[k] = [(self._display[terms[j]], float(scores[k][j])) for j in ranked[: self.n_keywords]]
            self.keywords_[k] = [t for t, _ in self.keyword_scores_[k]]

        # per language
        self.keywords_by_language_ = {k: {} for k in ids}
        per_lang_rank: dict[int, dict[str, tuple[list[int], np.ndarray]]] = {k: {} for k in ids}
        for lang in sorted(set(languages)):
            sel = np.flatnonzero(langs == lang)
            lang_ids = [k for k in ids if np.any(labels[sel] == k)]
            if not lang_ids:
                continue
            ls, ld = self._ctfidf(D, labels, sel, lang_ids)
            for k in lang_ids:
                nk = int(np.sum(labels[sel] == k))
                ranked = self._rank(ls[k], ld[k], nk)
                if ranked:
                    self.keywords_by_language_[k][lang] = [self._display[terms[j]] for j in ranked[: self.n_keywords]]
                    per_lang_rank[k][lang] = (ranked, ld[k], ls[k])

        # centroids (for phrases and quotes)
        members = {k: np.flatnonzero(labels == k) for k in ids}
        cents = {k: None for k in ids}
        if embeddings is not None:
            for k in ids:
                given = centroids is not None and k < len(centroids)
                c = np.asarray(centroids[k], dtype=np.float64) if given else embeddings[members[k]].mean(axis=0)
                cents[k] = c / (np.linalg.norm(c) or 1.0)

        # quotes (before labels: a theme without keywords is labelled by its shortest central quote)
        self.quotes_ = {k: self._central_quotes(members[k], cents[k], texts, embeddings, languages, k) for k in ids}

        # labels: a phrase, else the keyword label, else a short quote
        self.label_language_ = {k: self._label_language(k, per_lang_rank[k]) for k in ids}
        phrases = (phrase_labels(texts, labels, embeddings, languages, self.label_language_, cents)
                   if self.label_style == "phrase" else {})
        self.theme_labels_ = {}
        for k in ids:
            lang = self.label_language_[k]
            quote = None if self.keywords_[k] else quote_label(self.quotes_[k])
            if quote:  # no term repeats: a phrase or keyword would come from one comment, a quote says more
                self.theme_labels_[k] = quote
                continue
            if phrases.get(k):
                self.theme_labels_[k] = phrases[k]
                continue
            if lang is not None:
                ranked, df, sc = per_lang_rank[k][lang]
            else:
                ranked, df, sc = self._rank(scores[k], dfs[k], self.sizes_[k]), dfs[k], scores[k]
            self.theme_labels_[k] = keyword_label(k, ranked, df, sc, self._terms, self._display, self._ntok,
                                                  self.max_label_phrases)
        return self

    # ------------------------------------------------------------ internals
    @staticmethod
    def _ctfidf(D, labels, rows, ids):
        """c-TF-IDF scores and in-class document frequencies for classes ``ids`` on ``rows``."""
        sub = D[rows]
        lab = labels[rows]
        classes = list(ids)
        has_rest = bool(np.any(~np.isin(lab, classes)))
        n_classes = len(classes) + (1 if has_rest else 0)
        f = np.asarray(sub.sum(axis=0)).ravel()
        total = f.sum()
        A = total / max(n_classes, 1)
        with np.errstate(divide="ignore"):
            idf = np.where(f > 0, np.log1p(A / np.where(f > 0, f, 1)), 0.0)
        scores, dfs = {}, {}
        for k in classes:
            m = lab == k
            df = np.asarray(sub[m].sum(axis=0)).ravel()
            tot = df.sum()
            tf = df / tot if tot > 0 else df
            scores[k] = tf * idf
            dfs[k] = df
        return scores, dfs

    @staticmethod
    def _rank(score: np.ndarray, df: np.ndarray, size: int) -> list[int]:
        min_df = 2 if size >= 4 else 1
        cand = np.flatnonzero((df >= min_df) & (score > 0))
        if cand.size == 0:
            return []
        order = np.lexsort((cand, -df[cand], -score[cand]))
        return [int(j) for j in cand[order]]

    def _label_language(self, k: int, per_lang: dict) -> str | None:
        shares = self.languages_[k]
        size = self.sizes_[k]
        en = shares.get("en", 0.0) * size
        if "en" in per_lang and en >= 2 and en >= 0.1 * size:
            return "en"
        # a language of one comment is the theme's language only when no language has two
        one_is_enough = max(shares.values(), default=0.0) * size < 2
        for lang, share in shares.items():  # most frequent first
            if lang in per_lang and (share * size >= 2 or one_is_enough):
                return lang
        return None

    def _central_quotes(self, rows: np.ndarray, centre, texts: list[str], embeddings, languages, k: int) -> list[str]:
        """Theme ``k``'s quotes: its comments nearest the centre (without embeddings: carrying most keywords)."""
        if embeddings is not None:
            E = embeddings[rows]
            norms = np.linalg.norm(E, axis=1, keepdims=True)
            E = E / np.where(norms > 0, norms, 1)
            return self._pick_quotes(rows[np.argsort(-(E @ centre), kind="stable")], texts, embeddings)
        top = {normalize_token(t) for t, _ in self.keyword_scores_[k]}
        cover = np.array([len({key for key, _ in extract_terms(texts[i], languages[i])} & top) for i in rows])
        return self._pick_quotes(rows[np.argsort(-cover, kind="stable")], texts, None)

    def _pick_quotes(self, order: np.ndarray, texts: list[str], embeddings) -> list[str]:
        def good(i: int) -> bool:
            t = texts[i].strip()
            return len(t) <= _QUOTE_MAX_CHARS and len(t.split()) >= 3

        chosen: list[int] = []
        seen_text: set[str] = set()
        for preferred in (True, False):
            for i in order:
                if len(chosen) >= self.n_quotes:
                    break
                i = int(i)
                if i in chosen or (good(i) != preferred):
                    continue
                norm = " ".join(texts[i].casefold().split())
                if not norm or norm in seen_text:
                    continue
                if embeddings is not None and chosen:
                    sims = embeddings[chosen] @ embeddings[i]
                    norms = np.linalg.norm(embeddings[chosen], axis=1) * (np.linalg.norm(embeddings[i]) or 1.0)
                    if np.any(sims / np.where(norms > 0, norms, 1.0) > self.dedup_threshold):
                        continue
                chosen.append(i)
                seen_text.add(norm)
        return [texts[i].strip() for i in chosen]

    # ---------------------------------------------------------------- output
    def to_frame(self) -> pd.DataFrame:
        """One row per theme with :data:`THEME_COLUMNS` (keywords "; "-joined)."""
        if not hasattr(self, "theme_ids_"):
            raise NotFittedError("This ThemeLabeler is not fitted yet. Call 'fit' first.")
        rows = []
        for k in self.theme_ids_:
            rows.append(
                {
                    "theme_id": k,
                    "label": self.theme_labels_[k],
                    "keywords": "; ".join(self.keywords_[k]),
                    "size": self.sizes_[k],
                    "share": self.sizes_[k] / self.n_texts_ if self.n_texts_ else 0.0,
                    "languages": format_languages(self.languages_[k]),
                    "quotes": list(self.quotes_[k]),
                }
            )
        return pd.DataFrame(rows, columns=THEME_COLUMNS)
