"""Clean comment text before embedding, per source kind.

Stage 3 of the flow. ``normalize(records, ...)`` adds to the ``records``
frame (see :mod:`cxtext.schema`): ``clean_text``, ``language``,
``text_hash``, ``non_answer``, ``non_answer_reason``, ``duplicate_of`` and ``is_social``.

Why each step:

* HTML entities and tags, zero-width characters and runs of whitespace are
  noise the embedding model would otherwise treat as content.
* In social mentions, URLs and @handles say who and where, not what, and a
  retweet prefix ("RT @x:") would make retweets look different from the
  post; hashtags keep their words (``#NuvioFail`` -> ``Nuvio Fail``).
* Exact duplicate social posts (after cleaning) are *folded*: they point to
  the first copy through ``duplicate_of`` so one viral post cannot form a
  theme by itself, yet each copy still counts in volumes.
* Personal data (e-mail, phone, card, IBAN, @handle, token links) is masked
  before anything else sees the text: on by default, ``redact_pii=False``
  to switch off.
* Non-answers ("n/a", "nothing", "No Negative", "لا يوجد", "nimic") and a file's own
  repeated content-free placeholders go to their own "no comment" group, with a reason
  (``non_answer_reason``), so they cannot swamp the themes
  (:mod:`cxtext.text.placeholders`).
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable

import numpy as np
import pandas as pd

from cxtext.text.placeholders import (  # noqa: F401 (answer_key, is_non_answer, ... are used from here too)
    NON_ANSWERS, answer_key, is_non_answer, mark_non_answers, non_answer_reason, strip_diacritics)
from cxtext.text.redact import PLACEHOLDERS, Redactor
from cxtext.store import LabelCache, text_hash
from cxtext.schema import STATUS_ANALYZED

# Channels whose rows are treated as social mentions when the pipeline does
# not say that every row is one. Compared case-insensitively.
SOCIAL_SOURCES = frozenset({
    "twitter", "x", "facebook", "instagram", "tiktok", "linkedin", "reddit", "youtube",
    "threads", "social", "social media", "mastodon", "bluesky",
})

_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_RETWEET = re.compile(r"^\s*RT\s+@\w+\s*:?\s*", re.IGNORECASE)
_HANDLE = re.compile(r"(?<![\w.])@\w+")
_HASHTAG = re.compile(r"#(\w+)")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
# In a social post a masked handle or link carries no meaning: drop it.
_PLACEHOLDER = re.compile("|".join(re.escape(PLACEHOLDERS[k]) for k in ("handle", "url")))
_TAG = re.compile(r"<[^>]{1,200}>")
_SPACE = re.compile(r"\s+")
# Zero-width and bidi control characters: invisible, but they split words
# for the tokenizer. ZWNJ/ZWJ (200C/200D) are kept: Persian and emoji need them.
_INVISIBLE = dict.fromkeys([0x00AD, 0x200B, 0x200E, 0x200F, *range(0x202A, 0x202F),
                            *range(0x2060, 0x2065), *range(0x2066, 0x206A), 0xFEFF])

# Line breaks written as the two characters backslash + n (a JSON or database dump pasted into a CSV:
# "Dear Support,\\n\\nI am writing"): a break when another follows, or a capital, a digit, a quote, a space or the
# end, or when it follows a sentence's punctuation; not inside a path such as C:\\new_folder.
_ESCAPED_BREAK = re.compile(r"(?:\\r)?\\n(?=\\(?:r|n)|[\s\"'\d]|[^\W\d_](?<=[A-ZÀ-ÞĀ-Ž])|$)|(?<=[.,!?;])(?:\\r)?\\n|\\t(?=[\s\\])")

_ANY_ESCAPED_BREAK = re.compile(r"(?:\\r)?\\n(?=[^\W\d_])")
_WINDOWS_PATH = re.compile(r"\b[A-Za-z]:\\|\\\\[\w.]")

# The frame of an e-mail around a ticket's message: a quoted earlier message ("On Mon, 3 Feb 2025 Ann wrote:",
# "-----Original Message-----", "From: ... Sent: ...", lines starting with ">"), a salutation ("Dear Customer
# Support Team,", "Sehr geehrtes Support-Team,"), "I hope this message finds you well", and a closing with
# the sender's name ("Best regards, Ann"; not "Thanks Nuvio!", "thank you in advance" nor "Mulțumesc": in a
# survey comment or a review they are part of what the customer says). English, German, French, Spanish, Portuguese, Italian, Romanian,
# Arabic. Dropped only from a text of 8+ words, and only when 3+ words of the message are left.
_QUOTED = re.compile(
    r"(?:-{2,}\s*(?:original message|ursprüngliche nachricht|message d'origine|mensaje original|"
    r"mensagem original)\s*-{2,}|^[ \t]*(?:on|am|le|el|em|il)\s[^\n]{4,120}?\s(?:wrote|schrieb|a écrit|escribió|"
    r"escreveu|ha scritto)(?:\s[^\n:]{1,60})?\s?:|^[ \t]*from:\s[^\n]{1,120}?\s(?:sent|date):|^[ \t]*>).*\Z",
    re.IGNORECASE | re.DOTALL | re.MULTILINE)  # a reply header starts its own line: "I called on Monday" is not one
_SALUTATION = re.compile(
    r"\A\s*(?:dear|hello|hi|hey|greetings|good (?:morning|afternoon|evening)|to whom it may concern|"
    r"sehr geehrte[rs]?|hallo|guten (?:tag|morgen)|bonjour|hola|estimad[oa]s?|buen(?:os|as) (?:días|dias|tardes)|"
    r"olá|prezad[oa]s?|gentile|egregi[oa]|bună ziua|buna ziua|stimat[eă]|مرحبا|السلام عليكم)"
    # then whom it greets, in at most 5 words: names and titles are capitalised ("Dear Customer Support Team,",
    # "Hi John,"), or one of these; so "Hi the app crashes, ..." keeps its words
    r"(?:\s+(?:(?-i:[A-ZÀ-ÖØ-ÞĀ-Ž])[\w.'-]*|team|all|there|everyone|sir|madam|support|folks|guys|damen|und|"
    r"herren|mesdames|messieurs|señor(?:es)?|señora|senhor(?:es)?|[\u0600-\u06ff]+)){0,5}\s*[,!:\n]\s*",
    re.IGNORECASE)
_PLEASANTRY = re.compile(
    r"\A\s*(?:i hope (?:this|my) (?:message|e-?mail|note|letter) (?:finds|reaches) you[^.!\n]{0,30}|"
    r"i hope you(?: are|'re)(?: doing)? well[^.!\n]{0,20}|ich hoffe,? (?:diese nachricht|es geht ihnen)[^.!\n]{0,50}|"
    r"j'espère que vous allez bien|espero que (?:se encuentre|este mensaje)[^.!\n]{0,40})[.!]\s*", re.IGNORECASE)
_CLOSING = re.compile(
    r"[\s,.!]*(?:(?:best|kind|warm|many thanks and|thanks and|thank you and|with kind)\s+regards|regards|sincerely(?: yours)?|"
    r"yours (?:truly|sincerely)|best wishes|mit freundlichen grüßen|"
    r"viele grüße|beste grüße|freundliche grüße|cordialement|bien à vous|salutations distinguées|"
    r"saludos(?: cordiales)?|atentamente|cumprimentos|atenciosamente|distinti saluti|cordiali saluti|cu stimă|"
    r"cu respect|مع التحية)[\s,.!]*(?:<[^>]{1,40}>|\[[^\]]{1,40}\]|(?-i:[A-ZÀ-ÖØ-ÞĀ-Ž])[\w.'-]*"
    r"(?:\s+(?-i:[A-ZÀ-ÖØ-ÞĀ-Ž])[\w.'-]*){0,3})?[\s,.!]*\Z", re.IGNORECASE)  # a name: capitalised words
# "RE: ", "Fwd: ", "AW: ", "TR: ", "RV: ", "SV: " before a subject line (an e-mailed ticket's subject), repeated.
_REPLY_PREFIX = re.compile(r"\A\s*(?:(?:re|fw|fwd|aw|wg|tr|rv|sv|vs|ref|res|enc)\s*(?:\[\d+\])?\s*:\s*)+(?=\S)",
                           re.IGNORECASE)
_MIN_FRAMED_WORDS = 8
_MIN_LEFT_WORDS = 3
# Google Maps' machine translation of a review: "(Translated by Google) <translation> (Original) <review>" (or the
# note alone), in the language of the account that scraped it. The customer's own words are the original; the
# note otherwise heads the keywords of every theme (a public German Google Maps scrape: 982 of 1,012 reviews).
_MACHINE_TRANSLATION = re.compile(
    r"\A\s*\((?:translated by google|übersetzt von google|traduit par google|traducido por google|"
    r"traduzido pelo google|tradotto da google|tradus de google|تمت الترجمة بواسطة google|google tarafından "
    r"çevrildi|diterjemahkan oleh google)\)\s*(?P<translation>.*?)(?:\s*\((?:original|originale|asli|orijinal|"
    r"الأصل|النص الأصلي)\)\s*(?P<original>.+))?\Z", re.IGNORECASE | re.DOTALL)


def original_words(text: str) -> str:
    """A review's own words when a site added a machine translation before it (``_MACHINE_TRANSLATION``)."""
    match = _MACHINE_TRANSLATION.match(text)
    if match is None:
        return text
    return (match.group("original") or match.group("translation") or text).strip()


def without_email_frame(text: str) -> str:
    """A ticket's message without its e-mail frame: a quoted earlier message, the salutation, "I hope this
    message finds you well" and the closing with the sender's name (see ``_QUOTED`` ... ``_CLOSING``).
    Short texts and texts that would keep fewer than 3 words are returned unchanged."""
    if len(text.split()) < _MIN_FRAMED_WORDS:
        return text
    kept = _QUOTED.sub("", text)
    kept = _SALUTATION.sub("", kept, count=1)
    kept = _PLEASANTRY.sub("", kept, count=1)
    kept = _CLOSING.sub("", kept, count=1)
    return kept if len(kept.split()) >= _MIN_LEFT_WORDS else text


def clean_text(text: str, social: bool = False, redactor: Redactor | None = None) -> str:
    """Text as sent to the embedding model. ``social`` also strips URLs/handles;
    ``redactor`` masks personal data first (so it never reaches the cache). Line breaks written as ``\\n``
    (backslash, n) become spaces, so that "\\n\\nI hope" does not give the keyword "ni"."""
    cleaned = html.unescape(text)
    if "\\" in cleaned:
        cleaned, breaks = _ESCAPED_BREAK.subn(" ", cleaned)
        if breaks and not _WINDOWS_PATH.search(cleaned):  # an escaped dump: every \\n is a break
            cleaned = _ANY_ESCAPED_BREAK.sub(" ", cleaned)
    cleaned = _TAG.sub(" ", cleaned)
    cleaned = unicodedata.normalize("NFC", cleaned).translate(_INVISIBLE)
    cleaned = without_email_frame(_REPLY_PREFIX.sub("", original_words(cleaned), count=1) or cleaned)
    if social:
        cleaned = _RETWEET.sub("", cleaned)
    if redactor is not None:
        cleaned = redactor.redact(cleaned)
    if social:
        cleaned = _PLACEHOLDER.sub(" ", cleaned)
        cleaned = _URL.sub(" ", cleaned)
        cleaned = _HANDLE.sub(" ", cleaned)
        cleaned = _HASHTAG.sub(lambda m: " " + _CAMEL.sub(" ", m.group(1)) + " ", cleaned)
    return _SPACE.sub(" ", cleaned).strip()


def detect_language(text: str, candidates: Iterable[str] | None = None) -> str:
    """ISO 639-1 code of the comment's language, or "und" when too short to tell.

    Arabic script decides at once (py3langid often confuses Arabic with
    Persian/Urdu on short texts); other scripts use py3langid, restricted to
    ``candidates`` when given. Fewer than 3 words is "und": statistical
    identifiers are guesses at that length.
    """
    letters = len(_LETTER.findall(text))
    if not letters:
        return "und"
    if len(_ARABIC_LETTER.findall(text)) > 0.5 * letters:
        return "ar"
    if len(text.split()) < 3:
        return "und"
    return _langid(candidates).classify(text)[0]


# Letters (str.isalpha, less the rare non-decimal numerals) counted in C, not
# character by character: this check runs on every comment.
_LETTER = re.compile(r"[^\W\d_]")
_ARABIC_LETTER = re.compile(r"(?=[\u0600-\u06ff\u0750-\u077f])[^\W\d_]")

# Bump when detect_language's rule changes: cached answers of the old rule are then ignored.
_LANGUAGE_RULE = "r1"

_IDENTIFIERS: dict[tuple[str, ...] | None, object] = {}


def _langid(candidates: Iterable[str] | None):
    key = tuple(sorted(candidates)) if candidates else None
    if key not in _IDENTIFIERS:
        from py3langid.langid import MODEL_FILE, LanguageIdentifier

        identifier = LanguageIdentifier.from_model_file(MODEL_FILE)
        if key:
            identifier.set_languages(list(key))
        _IDENTIFIERS[key] = identifier
    return _IDENTIFIERS[key]


def normalize(
    records: pd.DataFrame,
    *,
    all_social: bool = False,
    social_sources: Iterable[str] = SOCIAL_SOURCES,
    fold_duplicates: bool = True,
    languages: Iterable[str] | None = None,
    redact_pii: bool = True,
    language_cache: LabelCache | None = None,
    whole_file: bool = True,
) -> pd.DataFrame:
    """Add ``clean_text``, ``language``, ``text_hash``, ``non_answer``, ``non_answer_reason``,
    ``is_social`` and ``duplicate_of`` to a copy of ``records``.

    ``all_social`` treats every row as a social mention (the social-mentions
    pipeline); otherwise rows whose ``source`` is in ``social_sources`` are.
    ``languages`` restricts language identification to these codes.
    ``redact_pii`` masks e-mails, phones, cards, IBANs, @handles and token
    links in ``text`` and ``clean_text`` (see :mod:`cxtext.text.redact`), so no
    later stage, cache, model file or export ever holds them.
    ``language_cache`` remembers each cleaned text's language, so a re-run
    identifies only texts it has not seen (language identification is most
    of this stage's time on a warm run).
    ``whole_file``: ``records`` is the whole file, so the per-file placeholder rule
    (:func:`cxtext.text.placeholders.mark_non_answers`) applies; ``False`` for a part of it.
    """
    out = records.copy()
    redactor = Redactor() if redact_pii else None
    social_names = {s.casefold() for s in social_sources}
    sources = out["source"].astype("string").fillna("").str.casefold()
    out["is_social"] = np.full(len(out), True) if all_social else sources.isin(social_names).to_numpy()
    out["clean_text"] = [clean_text(t, s, redactor) for t, s in zip(out["text"], out["is_social"])]
    if redactor is not None:
        out["text"] = [redactor.redact(t) for t in out["text"]]
    out = mark_non_answers(out, per_file=whole_file)
    out["text_hash"] = [text_hash(t) for t in out["clean_text"]]
    candidates = tuple(languages) if languages else None
    out["language"] = _languages(out, candidates, language_cache)
    out["duplicate_of"] = _duplicate_of(out) if fold_duplicates else pd.array([pd.NA] * len(out), dtype="Int64")
    return out


def language_namespace(candidates: tuple[str, ...] | None) -> str:
    """Cache namespace of :func:`detect_language`'s answers: identifier, its
    version, this rule's revision and the candidate languages."""
    from importlib.metadata import version

    return f"language:py3langid-{version('py3langid')}:{_LANGUAGE_RULE}:{','.join(sorted(candidates or ())) or 'all'}"


def _languages(records: pd.DataFrame, candidates: tuple[str, ...] | None,
               cache: LabelCache | None) -> list[str]:
    analysed = (records["status"] == STATUS_ANALYZED).to_numpy()
    texts = records["clean_text"].tolist()
    hashes = records["text_hash"].tolist()
    namespace = language_namespace(candidates) if cache is not None else ""
    known = cache.get_many(namespace, [h for h, a in zip(hashes, analysed) if a]) if cache is not None else {}
    found: dict[str, str] = {}
    result = []
    for text, key, is_analysed in zip(texts, hashes, analysed):
        if not is_analysed:
            result.append("und")
            continue
        if key not in known and key not in found:
            found[key] = detect_language(text, candidates)
        result.append(known.get(key) or found[key])
    if cache is not None:
        cache.put_many(namespace, found)
    return result


def _duplicate_of(records: pd.DataFrame) -> pd.arrays.IntegerArray:
    """For each social post, the ``row`` of the first identical one (else NA)."""
    first_row: dict[str, int] = {}
    result: list[int | None] = []
    for row, social, status, text in zip(records["row"], records["is_social"], records["status"],
                                         records["clean_text"]):
        if not social or status != STATUS_ANALYZED:
            result.append(None)
            continue
        key = answer_key(text)
        if key in first_row:
            result.append(first_row[key])
        else:
            first_row[key] = int(row)
            result.append(None)
    return pd.array(result, dtype="Int64")
