"""Theme labels a person would write: a short phrase from the theme's own comments.

:func:`phrase_labels` gives each theme one phrase of 2 to :data:`MAX_WORDS`
(4) words naming what its comments are about ("card declined at target",
"increase credit limit", "changed mind"), in the label language chosen by
:class:`cxtext.themes.label.ThemeLabeler`, taken from that language's comments.

**Candidates.** Every comment is cut into segments at punctuation, line
breaks and redaction placeholders (``[email]``, ``[card]``); in English
comments articles, possessives, personal pronouns and the verbs *be* and
*have* are left out, as in a headline ("my card was declined" -> "card
declined"), a phrase does not span a clause word ("but", "because", "so")
and does not start with a request filler ("help", "trying"); "be" and "have" after a modal and a subject
pronoun inside a segment end a phrase rather than vanish ("management can be bad" gives no
"management can bad", "great pay we get bonuses" no "pay get bonuses"). A segment's n-grams of 2 to ``max_words`` tokens
(:func:`segment_ngrams`) are candidates when

* the first and the last token are not stop words for the comment's language
  (:func:`cxtext.text.stopwords.stop_words_for`) and have a letter and at
  least 2 characters; inside, stop words are allowed ("waiting for refund")
  but at least half of the tokens are not stop words, and digit-only tokens
  are not allowed anywhere;
* no token looks like a name (:func:`name_like_keys`): written with a capital
  first letter (not all capitals, so "ATM" and "PIN" stay) in at least 90%
  of its occurrences inside a sentence, at least twice in the corpus;
* the n-gram is not one word repeated.

A theme's candidates are the phrases in at least 2 of its comments in the
label language; when fewer than :data:`MIN_REPEATED` (20) phrases repeat,
phrases seen once compete too (small themes rarely repeat a phrase).
Matching is by key (case folded, Arabic letters unified, Romanian diacritics
folded); a phrase is shown in its most frequent form.

**Features** of a candidate in theme ``k`` (:data:`FEATURES`):

* ``rel``: cosine between the phrase vector and the theme centre, the phrase
  vector being the normalised mean embedding of *all* comments containing it
  (whole corpus, unthemed included: a phrase used across themes gets a vector
  between them);
* ``red``: its highest cosine to another theme's centre (maximal marginal
  relevance: a label should be far from the other themes);
* ``cov``: share of the theme's comments containing it; ``prec``: share of the
  comments containing it that are in the theme;
* ``kw``: the sum of its words' weights in the theme (share of the theme's
  comments with the word x log(N / comments with the word), scaled so the
  theme's top word is 1): a phrase carrying the theme's distinctive words;
* ``words``: its length; ``content``: its words that are not stop words;
* ``whole``: share of the comments containing it in which it is whole, i.e. ends
  where its run of content words ends (next comes a stop word, a break or the
  end): "product arrived with undisclosed" is cut before "damage", "furniture
  arrived with structural" before "damage" (public complaint exports). Used as
  a rule, not a weight: a phrase never whole is not a candidate when the theme
  has another (``bench/labels.py --whole``: as a learned weight it lowered the
  held-out accuracy, 59.0% vs 60.6%; as the rule 59.9%, with the shipped
  weights 60.7% vs 60.0%, and no label cut, where 4.2% were).

**Score.** Each feature is standardised over the theme's candidates and the
score is ``sum(PHRASE_WEIGHTS[f] * z_f)``. The weights, ``MAX_WORDS`` and
``MIN_REPEATED`` are chosen leave-one-dataset-out on six labelled sets by
``bench/labels.py`` (pairwise logistic regression: a candidate whose
embedding's nearest gold name is the theme's own against one whose is not);
results in ``bench/results/labels.md``. Themes are labelled from the largest
to the smallest, and a phrase given to a larger theme is not given again. A
theme without a candidate gets ``None`` (the caller falls back to its top
keyword, :func:`keyword_label`, or without a repeated keyword to its first
quote of 2-6 words, :func:`quote_label`). Without embeddings ``rel`` and ``red`` are 0 and the word features
decide.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence

import numpy as np

from cxtext.text.stopwords import is_keyword_token, normalize_token, stop_words_for, tokenize

__all__ = ["phrase_labels", "keyword_label", "quote_label", "theme_candidates", "choose", "scores", "name_like_keys",
           "segment_ngrams", "PHRASE_WEIGHTS", "FEATURES", "MAX_WORDS", "MIN_REPEATED"]

#: The score weights (chosen leave-one-dataset-out, see bench/results/labels.md).
PHRASE_WEIGHTS = {"rel": 0.178, "red": -0.082, "cov": -0.083, "prec": -0.03, "kw": 0.743, "words": 0.001,
                  "content": -0.081}

#: Words left out of English phrases, as in a headline ("increase my credit limit" -> "increase credit
#: limit").
_ENGLISH_DROP = frozenset(
    "a an the my your our their his her its this these those some any i me you we they it "
    "is am are was were be been being have has had".split())
#: English words that end a clause: a phrase never spans them ("refund approved but money" is not one).
_ENGLISH_BREAK = frozenset("but because although though however whereas unless so then".split())
#: Request fillers that never start an English phrase ("help to recover password" -> "recover password").
_ENGLISH_NO_START = frozenset("help helping trying wondering possible".split())
#: Phrases occurring in 2+ of the theme's comments needed before phrases occurring once are left out
#: (``None``: never).
MIN_REPEATED: int | None = 20
#: Longest phrase, in words.
MAX_WORDS = 4
_SEGMENT = re.compile(r"\[[a-z]+\]|[.!?;:,()\[\]{}\"“”«»|/\n\r\t]+|\s[-–—]+\s|\.{2,}|…")
_RAW_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


#: Words after which a dropped "be"/"have" leaves no headline but a broken one ("management can be bad"
#: would read "management can bad"): there the word ends the phrase instead.
_ENGLISH_MODALS = frozenset("can could will would should may might must shall cannot".split())
#: Subject pronouns inside a segment start a new clause ("great pay we get bonuses" is not "pay get bonuses").
_ENGLISH_SUBJECTS = frozenset("i we they he she".split())


def _breaks_headline(tokens: list[str], i: int) -> bool:
    """Whether English token ``i``, a word headlines leave out, ends the phrase instead: "be" or "have"
    after a modal, or a subject pronoun after the segment's first word."""
    word = tokens[i]
    if word in ("be", "been", "have", "has", "had"):
        return i > 0 and tokens[i - 1] in _ENGLISH_MODALS
    return word in _ENGLISH_SUBJECTS and i > 0


def _segments(text: str) -> list[str]:
    return [s for s in _SEGMENT.split(str(text)) if s.strip()]


#: Languages that write every noun with a capital: there a capital inside a sentence does not mark a name (a
#: public German Trustpilot export had all 439 of its nouns banned from labels: "aktuellen tages ein
#: zurückblättern", "der bei mir").
NOUN_CAPITALISING = frozenset({"de", "lb"})


def name_like_keys(texts, languages=None) -> set[str]:
    """Keys of tokens written like names: capitalised inside sentences (see module docstring); comments in a
    language of :data:`NOUN_CAPITALISING` are not looked at."""
    cap: Counter = Counter()
    total: Counter = Counter()
    for position, text in enumerate(texts):
        if languages is not None and languages[position] in NOUN_CAPITALISING:
            continue
        for seg in re.split(r"[.!?\n\r]+", str(text)):
            toks = _RAW_TOKEN.findall(seg)
            for t in toks[1:]:
                if not t[:1].isalpha() or not t[:1].isupper() and not t[:1].islower():
                    continue  # a script without case (Arabic)
                key = normalize_token(t)
                total[key] += 1
                if t[:1].isupper() and not t.isupper():
                    cap[key] += 1
    return {k for k, c in cap.items() if c >= 2 and c >= 0.9 * total[k]}


def segment_ngrams(text: str, language: str | None, min_words: int = 2, max_words: int = 6,
                   banned: set[str] | frozenset[str] = frozenset()):
    """Candidate phrases of one comment as ``(key, surface)`` pairs (each once)."""
    return [(key, surf) for key, (surf, _) in _phrase_spans(text, language, min_words, max_words, banned).items()]


def _phrase_spans(text: str, language: str | None, min_words: int, max_words: int,
                  banned: set[str] | frozenset[str]) -> dict[str, tuple[str, bool]]:
    """Key -> (surface, whole) of one comment's candidates; *whole* when one occurrence ends where its run of
    content words ends in the comment as written (its next word is a stop word, a word headlines drop, a
    break or the segment's end): "product arrived with undisclosed" cut before "damage" is not whole,
    "student discount" before "is great" is."""
    stop = stop_words_for(language)
    drop = _ENGLISH_DROP if language == "en" else frozenset()
    no_start = _ENGLISH_NO_START if language == "en" else frozenset()
    out: dict[str, tuple[str, bool]] = {}
    for seg in _segments(text):
        raw = tokenize(seg)
        kept = range(len(raw))
        if drop:  # "to be" goes with "be"; a clause word becomes a break ("")
            kept = [i for i, t in enumerate(raw) if t not in drop or _breaks_headline(raw, i)
                    if not (t == "to" and i + 1 < len(raw) and raw[i + 1] == "be")]
        tokens = ["" if drop and (raw[i] in _ENGLISH_BREAK or _breaks_headline(raw, i)) else raw[i] for i in kept]
        # whether the comment's own next word (before headline drops) continues a run of content words
        raw_keys = [normalize_token(t) for t in raw]
        continues = [i + 1 < len(raw) and raw_keys[i + 1] not in stop and raw[i + 1] not in drop
                     and is_keyword_token(raw_keys[i + 1]) for i in kept]
        keys = [normalize_token(t) for t in tokens]
        is_stop = [k in stop for k in keys]
        edge_ok = [not s and is_keyword_token(k) and k not in banned for k, s in zip(keys, is_stop)]
        start_ok = [e and k not in no_start for e, k in zip(edge_ok, keys)]
        inner_ok = [e or (s and k not in banned and k != "") for e, s, k in zip(edge_ok, is_stop, keys)]
        m = len(tokens)
        for i in range(m):
            if not start_ok[i]:
                continue
            content = 1
            for j in range(i + 1, min(m, i + max_words)):
                if not inner_ok[j]:
                    break
                content += edge_ok[j]
                n = j - i + 1
                if n < min_words or not edge_ok[j] or 2 * content < n:
                    continue
                key = " ".join(keys[i : j + 1])
                if len(set(keys[i : j + 1])) == 1:
                    continue
                whole = not continues[j]
                if key in out:
                    out[key] = (out[key][0], out[key][1] or whole)
                else:
                    out[key] = (" ".join(tokens[i : j + 1]), whole)
    return out


def _unit(M: np.ndarray) -> np.ndarray:
    norm = np.linalg.norm(M, axis=-1, keepdims=True)
    return M / np.where(norm > 0, norm, 1.0)


def theme_candidates(texts, labels, embeddings, languages, label_language: dict, centroids: dict,
                     min_words: int = 2, max_words: int = MAX_WORDS,
                     min_repeated: int | None = MIN_REPEATED, whole_only: bool = True) -> dict:
    """Per theme id, its candidates: ``{"keys", "surface", "df"}`` and the :data:`FEATURES` arrays
    (arrays over the candidates; see the module docstring), themes ordered largest first.

    ``whole_only``: phrases never whole in their comments are left out when the theme has another."""
    labels = np.asarray(labels)
    embeddings = None if embeddings is None else np.asarray(embeddings, dtype=np.float64)
    banned = name_like_keys(texts, languages)
    index: dict[str, list[int]] = defaultdict(list)
    surface: dict[str, Counter] = defaultdict(Counter)
    wholes: Counter = Counter()  # comments in which the phrase is whole (_phrase_spans)
    words: list[set[str]] = []
    for i, text in enumerate(texts):
        stop = stop_words_for(languages[i])
        words.append({k for k in map(normalize_token, tokenize(text))
                      if k not in stop and is_keyword_token(k)})
        for key, (surf, whole) in _phrase_spans(text, languages[i], min_words, max_words, banned).items():
            index[key].append(i)
            surface[key][surf] += 1
            wholes[key] += whole
    df_all = Counter(w for ws in words for w in ws)
    n_all = max(len(texts), 1)
    ids = sorted(centroids, key=lambda k: (-int(np.sum(labels == k)), k))
    C = None
    if ids and embeddings is not None:
        C = _unit(np.asarray([centroids[k] for k in ids], dtype=np.float64))
    row = {k: r for r, k in enumerate(ids)}
    langs = np.asarray(languages, dtype=object)
    per_theme: dict[int, Counter] = {k: Counter() for k in ids}
    # each comment's theme when it is in the theme's label language, else -1
    own = [k if k in per_theme and (label_language.get(k) is None or lang == label_language[k]) else -1
           for k, lang in zip(labels.tolist(), langs.tolist())]
    for key, rows in index.items():
        for i in rows:
            if own[i] >= 0:
                per_theme[own[i]][key] += 1
    members: dict[int, list[int]] = defaultdict(list)
    for i, k in enumerate(own):
        if k >= 0:
            members[k].append(i)
    out: dict[int, dict] = {}
    for k in ids:
        size = len(members[k])
        pool = per_theme[k]
        if whole_only:  # a label is not cut inside a run of content words ("arrived with undisclosed")
            pool = {key: df for key, df in pool.items() if wholes[key]} or pool
        keys = sorted(key for key, df in pool.items() if df >= 2) if min_repeated else []
        if min_repeated is None or len(keys) < min_repeated:  # phrases occurring once compete too
            keys = sorted(pool)
        if not keys:
            out[k] = {"keys": [], "surface": []}
            out[k].update({f: np.zeros(0) for f in (*FEATURES, "df")})
            continue
        # word weights in the theme: share of its comments with the word * log(N / corpus frequency)
        df_k = Counter(w for i in members[k] for w in words[i])
        weight = {w: (d / size) * np.log(n_all / df_all[w]) for w, d in df_k.items()}
        top = max(weight.values(), default=0.0) or 1.0
        if embeddings is None:  # no vectors: the word features decide
            sims = np.zeros((len(keys), len(ids)))
        else:
            V = _unit(np.stack([embeddings[index[key]].mean(axis=0) for key in keys]))
            sims = V @ C.T
        red = np.delete(sims, row[k], axis=1).max(axis=1) if len(ids) > 1 else np.zeros(len(keys))
        out[k] = {
            "keys": keys,
            "surface": [surface[key].most_common(1)[0][0] for key in keys],
            "rel": sims[:, row[k]],
            "red": red,
            "cov": np.array([per_theme[k][key] for key in keys], dtype=np.float64) / max(size, 1),
            "words": np.array([key.count(" ") + 1 for key in keys], dtype=np.float64),
            "kw": np.array([sum(weight.get(w, 0.0) for w in set(key.split())) / top for key in keys]),
            "prec": np.array([per_theme[k][key] / len(index[key]) for key in keys]),
            "df": np.array([per_theme[k][key] for key in keys]),
            "content": np.array([sum(w in df_all for w in set(key.split())) for key in keys], dtype=float),
            "whole": np.array([wholes[key] / len(index[key]) for key in keys]),
        }
    return out


FEATURES = ("rel", "red", "cov", "prec", "kw", "words", "content", "whole")


def scores(cand: dict, weights: dict | None = None) -> np.ndarray:
    """The score of each candidate of one theme: ``sum(w_f * z_f)`` over :data:`FEATURES`, ``z_f``
    the feature standardised over the theme's candidates (module docstring)."""
    w = PHRASE_WEIGHTS if weights is None else weights
    n = len(cand["keys"])
    total = np.zeros(n)
    for f in FEATURES:
        if w.get(f, 0.0) and n:
            x = np.asarray(cand[f], dtype=np.float64)
            sd = x.std()
            total += w[f] * ((x - x.mean()) / sd if sd > 1e-12 else np.zeros(n))
    return total


def choose(cands: dict, weights: dict | None = None) -> dict:
    """The best unused candidate of each theme, largest theme first (``None``: no candidate)."""
    used: set[str] = set()
    out: dict[int, str | None] = {}
    for k, cand in cands.items():
        out[k] = None
        if not cand["keys"]:
            continue
        s = scores(cand, weights)
        for r in sorted(range(len(s)), key=lambda r: (-s[r], cand["words"][r], cand["keys"][r])):
            if cand["keys"][r] not in used:
                used.add(cand["keys"][r])
                out[k] = cand["surface"][r]
                break
    return out


def phrase_labels(texts, labels, embeddings, languages, label_language: dict, centroids: dict,
                  min_words: int = 2, max_words: int = MAX_WORDS, weights: dict | None = None) -> dict:
    """One phrase per theme id (``None`` when the theme has no candidate).

    ``labels``: theme per comment (< 0 unthemed); ``embeddings``: one row
    per comment; ``label_language[k]``: the language the label is written in
    (``None``: any); ``centroids[k]``: the theme's centre; ``weights``:
    ``redundancy``, ``coverage``, ``per_word`` overriding :data:`PHRASE_WEIGHTS`.
    """
    cands = theme_candidates(texts, labels, embeddings, languages, label_language, centroids,
                             min_words, max_words)
    return choose(cands, weights)


# ------------------------------------------------------------------ keyword labels (the fallback)
def _extend(j: int, df: np.ndarray, candidates: list[int], terms, ntok) -> int:
    """Extend term ``j`` to a longer n-gram that carries most of its comments.

    Repeatedly replace the current term by the n-gram containing it with the
    highest in-theme document frequency, if that frequency is at least half
    the current term's ("arrive" -> "card arrive"). Ties go to the shorter n-gram.
    """
    current = j
    while True:
        key = terms[current].split()
        best, best_rank = None, None
        for c in candidates:
            if ntok[c] <= len(key) or df[c] < max(2, 0.5 * df[current]):
                continue
            toks = terms[c].split()
            if not any(toks[i : i + len(key)] == key for i in range(len(toks) - len(key) + 1)):
                continue
            rank = (float(df[c]), -int(ntok[c]))
            if best_rank is None or rank > best_rank:
                best, best_rank = c, rank
        if best is None:
            return current
        current = best


def keyword_label(k: int, ranked: list[int], df: np.ndarray, score: np.ndarray, terms, display: dict, ntok,
                  max_phrases: int) -> str:
    """Up to ``max_phrases`` c-TF-IDF keyphrases joined with " · " (the labels before issue 19).

    Among the 15 best keywords (each extra token weighing +25%), the best is
    extended (:func:`_extend`); the next is the best sharing no token with
    those chosen, extended the same way. ``"theme <k>"`` without keywords.
    """
    if not ranked:
        return f"theme {k}"
    top = ranked[:15]
    boost = {j: float(score[j]) * (1.0 + 0.25 * (int(ntok[j]) - 1)) for j in top}
    chosen: list[int] = []
    used: set[str] = set()
    for j in sorted(top, key=lambda j: -boost[j]):
        toks = set(terms[j].split())
        if toks & used:
            continue
        e = _extend(j, df, ranked, terms, ntok)
        etoks = set(terms[e].split())
        if etoks & used:
            e, etoks = j, toks
        chosen.append(e)
        used |= etoks
        if len(chosen) >= max_phrases:
            break
    return " · ".join(display[terms[j]] for j in chosen)


# ------------------------------------------------------------------ quote labels (the last fallback)
_QUOTE_LABEL_WORDS = (2, 6)
_END_PUNCTUATION = " \t\n.,;:!?…'\"“”«»()[]-–—؟،"


def quote_label(quotes: Sequence[str]) -> str | None:
    """The first quote of 2-6 words as a label: lower-cased, end punctuation dropped (``None``: none so short).

    For themes without any repeated keyword, where neither a phrase nor a keyword label exists
    ("Hello is anyone there???" -> "hello is anyone there").
    """
    lo, hi = _QUOTE_LABEL_WORDS
    for quote in quotes:
        text = " ".join(str(quote).split()).strip(_END_PUNCTUATION)
        if lo <= len(text.split()) <= hi:
            return text.lower()
    return None
