"""Non-answers and placeholders: which comments join the "no comment" group, and why.

Two rules, both giving each row a reason (the records' ``non_answer_reason``):

* **Listed non-answers** (:func:`non_answer_reason`): "n/a", "nothing", "none", "-", and the
  placeholders review exports write into an empty field ("No Negative", "No Positive",
  Booking.com's), in English, Arabic ("لا شيء", "لا يوجد", "لا تعليق"), Romanian ("nimic",
  "nu am", "fără comentarii", "nu este cazul"), French ("rien à signaler", "RAS", "aucune remarque"),
  Spanish, Portuguese and German; the same said several times over ("None none
  none none none", "NA NA NA NA NA": review sites that ask for a few words get them so); and
  texts without a letter or digit ("-", "...", only emojis). Compared after case folding,
  removing punctuation and diacritics (:func:`answer_key`).
* **"Nothing to say", said in a sentence** (:func:`non_answer_reason` too): "none that I can
  think of", "no cons to add here", "there are no cons currently", "I can't think of any",
  "nimic de semnalat momentan", "لا يوجد شيء حاليا": a non-answer opening (``_NOTHING_OPENING``) followed
  by nothing but stop words and ``FILLER_WORDS`` ("think", "mind", "moment", "company"...), at most
  ``MAX_NOTHING_WORDS`` (10) words. "None, I love it here" and "no flexibility for parents" keep
  their theme: "love", "flexibility" are content words. Measured on two public Glassdoor exports
  (bench/results/review_exports.md): written on the UK one, checked on the Walmart one.
* **Spreadsheet error values** ("#NAME?", "#VALUE!", ...): a cell a spreadsheet could not
  compute. Excel turns a comment that began with "-", "+" or "=" into "#NAME?", so the
  comment was lost on its way to the export; the value says nothing either way.
* **Repeated content-free texts, learnt per file** (:func:`repeated_placeholders`): an export or a
  form may fill empty answers with its own words ("Nothing at all", "not really", "none so far").
  A text is such a placeholder in *this* file when all three hold:

  - it is short: at most ``MAX_WORDS`` (3) words;
  - it is frequent: at least ``max(MIN_REPEATS, MIN_REPEAT_SHARE x analysed rows)`` rows
    (5 rows, 2%) say exactly it (compared by :func:`answer_key`). Five is the size below which a
    theme is only tentative; 2% keeps a big file's chance repeats of a short phrase out;
  - it carries no content word: every word is a stop word of English, Arabic or Romanian
    (:mod:`cxtext.text.stopwords`) or one of the ``PLACEHOLDER_WORDS`` that exports use
    ("negative", "comment", "applicable", "تعليق", "comentarii", ...).

  "too expensive" or "app crashes", however often repeated, keep their theme: "expensive",
  "app" and "crashes" are content words. A short stop-word answer seen once or twice
  ("not at all") is left alone: only repetition across the file shows it is a filler.
  Each such text is reported (text and rows) in ``summary.json`` and its warnings.

May import ``cxtext.errors``, ``cxtext.schema`` and the rest of ``cxtext.text``.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter

import numpy as np
import pandas as pd

from cxtext.schema import STATUS_ANALYZED
from cxtext.text.stopwords import is_keyword_token, normalize_token, stop_words_for, tokenize

_SPACE = re.compile(r"\s+")
_PUNCTUATION = "".join(chr(c) for c in range(0x21, 0x7F) if not chr(c).isalnum()) + "…’‘“”«»،؛؟"
_WORD_CHAR = re.compile(r"[^\W_]")

#: Reasons, as the records' ``non_answer_reason`` and summary.json's ``no_comment_reasons`` say them.
REASON_LISTED = "a non-answer or an export's placeholder ('n/a', 'nothing', 'No Negative', 'لا يوجد', 'nimic', ...)"
REASON_NO_WORDS = "no words (only numbers, punctuation, symbols or emojis)"
REASON_REPEATED = "a short text repeated in many rows of this file, without a content word"
REASON_NOTHING = "says there is nothing to say, in a sentence ('none that I can think of', 'no cons to add')"
REASON_SPREADSHEET = "a spreadsheet error value ('#NAME?', '#VALUE!', ...): the text was lost in a spreadsheet"

#: Error values spreadsheets (Excel, LibreOffice, Google Sheets) write in place of a cell they could
#: not compute; compared as written, upper-cased.
SPREADSHEET_ERRORS: frozenset[str] = frozenset({
    "#NAME?", "#VALUE!", "#REF!", "#N/A", "#DIV/0!", "#NULL!", "#NUM!", "#ERROR!", "#SPILL!", "#CALC!",
    "ERR:502", "ERR:504", "ERR:508", "ERR:522",
})

#: The per-file rule: at most this many words ...
MAX_WORDS = 3
#: ... in at least max(MIN_REPEATS, MIN_REPEAT_SHARE x analysed rows) rows.
MIN_REPEATS = 5
MIN_REPEAT_SHARE = 0.02


def strip_diacritics(text: str) -> str:
    """Remove combining marks (ș -> s, ă -> a; Arabic harakat and hamza marks too)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def answer_key(text: str) -> str:
    """The form used to compare comments: case folded, without punctuation, diacritics or tatweel."""
    folded = strip_diacritics(text).casefold().replace("ـ", "")
    folded = re.sub(r"[^\w\s]", " ", folded)
    return _SPACE.sub(" ", folded).strip()


_LISTED = [
    # universal
    "", "na", "n a", "n/a", "nil", "none", "null", "x", "xx", "xxx", "ok", "okay", "no", "nope", "-",
    "oke", "okey", "okee", "okk",  # Indonesian and Malay spellings of "ok"
    "test", "testing",  # a test submission ("test" answered a public survey's "anything else?")
    # English
    "no comment", "no comments", "nothing", "nothing to add", "nothing else", "nothing really",
    "nothing to say", "not applicable", "none really", "no idea", "dont know", "i dont know", "don't know",
    "i don't know", "i do not know", "dunno", "no clue",
    "idk", "no reason", "nothing special", "no feedback", "not sure", "none thanks", "nothing thanks",
    "no negative", "no positive", "no negatives", "no positives", "nothing negative", "nothing positive",
    "nothing at all", "nothing in particular", "nothing to report", "none so far", "not really",
    # a public SurveyMonkey survey's open questions ("Unsure", "Unknown" made a 22-comment theme)
    "unsure", "unknown", "no additional comments", "no further comments", "none at this time", "n/d", "n d",
    # Arabic
    "لا يوجد", "لا شيء", "لاشيء", "لا شي", "لا تعليق", "لا يوجد تعليق", "بدون تعليق", "لا أعرف",
    "لا اعرف", "ماشي", "ما في", "مافي", "لا", "لا شكرا", "لا يوجد شيء", "ليس لدي تعليق",
    "لا توجد", "لا ملاحظات", "لا يوجد ملاحظات", "لا توجد ملاحظات", "لا سلبيات", "لا يوجد سلبيات",
    "لا إيجابيات", "لا شيء سلبي", "لا ينطبق", "غير منطبق",
    # Romanian
    "nimic", "nu", "fără comentarii", "fără comentariu", "niciun comentariu", "nu am", "nu știu",
    "nimic de adăugat", "nimic special", "nu am nimic de adăugat", "nu e cazul", "nu este cazul",
    "nimic negativ", "nimic pozitiv", "nu am comentarii", "nu am observații", "nimic de spus",
    "nu se aplică", "fără",
    # French, Spanish, Portuguese, German (the languages whose comment headers are known; a public French NPS
    # export's "aucune remarque", "RAS", "rien à signaler" made a theme labelled as if it held a complaint)
    "rien", "ras", "r a s", "rien à signaler", "rien a dire", "rien à dire", "rien à ajouter", "rien de particulier",
    "rien de spécial", "aucune remarque", "aucune remarque particulière", "aucun commentaire", "pas de commentaire",
    "pas de commentaires", "sans commentaire", "sans avis", "pas d'avis", "aucun", "aucune", "non", "néant",
    "je ne sais pas", "ne sais pas", "sais pas", "je sais pas", "aucune idée", "pas d'idée", "nsp", "o k",
    # ("nul" is left out: a French review's "Nul." is a verdict, "lousy", not "none")
    "ninguna recomendación", "ninguna recomendacion", "ninguna sugerencia", "no tengo recomendaciones",
    "no tengo sugerencias", "por ahora no", "no por ahora", "no por el momento", "no al momento", "nada por ahora",
    "nada por el momento", "por el momento no", "por el momento nada",
    "nada", "ninguno", "ninguna", "sin comentarios", "sin comentario", "ningún comentario", "no sé", "no lo sé",
    "nada que decir", "nada que agregar", "nada que añadir", "no aplica", "nenhum", "nenhuma", "sem comentários",
    "sem comentário", "não sei", "nada a declarar", "nada a acrescentar", "não", "não se aplica",
    "nichts", "keine", "kein kommentar", "keine anmerkungen", "keine ahnung", "weiß nicht", "nichts hinzuzufügen",
    "nein", "nichts zu sagen",
]
#: Listed non-answers, as :func:`answer_key` makes them (so "لا أعرف" and "fără" match as written).
NON_ANSWERS: frozenset[str] = frozenset(answer_key(answer) for answer in _LISTED)
_MAX_NON_ANSWER_WORDS = max(len(answer.split()) for answer in NON_ANSWERS)

#: Words a placeholder may hold besides stop words (keys of :func:`cxtext.text.stopwords.normalize_token`).
PLACEHOLDER_WORDS: frozenset[str] = frozenset(normalize_token(word) for word in """
    negative negatives positive positives comment comments remark remarks feedback answer applicable
    nil na null particular specific nope idk
    تعليق تعليقات ملاحظة ملاحظات سلبيات إيجابيات ايجابيات سلبي ابدا أبدا يوجد توجد حاليا
    comentariu comentarii observație observații negativ pozitiv cazul momentan deocamdată special
    """.split())


#: How a "nothing to say" sentence opens (on :func:`answer_key` forms: "can't" is "can t").
_NOTHING_OPENING = re.compile(
    r"^(?:(?:there (?:are|is|s|were|was) |i have |i ve |honestly |really |personally )*"
    r"(?:none|nothing|no cons?|no complaints?|no negatives?|no issues?|no problems?|not any(?:thing)?|"
    r"(?:i )?(?:can ?not|can t|cant|couldn t|could not) (?:really )?think of any(?:thing| cons?)?|"
    # "I don't have any.", "I don't know of any", "No additional comments for now" (a public SurveyMonkey survey:
    # a theme of them ranked third among the drivers)
    r"(?:i )?(?:don t|dont|do not) (?:have|know of) (?:any(?:thing)?|none)|"
    r"no (?:additional |further |other |more )?(?:comments?|feedback|suggestions?|remarks?)|"
    r"nimic|nu am nimic|nu exista|nu există|niciun minus|لا يوجد|لا شيء|لا شي|لا توجد|ما في|مافي|"
    # Spanish, Portuguese, French, German ("Por ahora nada", "Nada me desagrada" themed as "ne gusta" in a public
    # Spanish R survey)
    r"(?:por ahora |de momento |hasta ahora |por enquanto |pour l instant |pour le moment |bisher )?"
    r"(?:nada|ninguna?|no tengo (?:nada|quejas?)|sin quejas|nenhuma?|nao tenho nada|rien|aucune?|pas de plainte|"
    r"nichts|keine))"
    r")(?: |$)")
#: Words a "nothing to say" sentence may add after its opening, besides stop words.
FILLER_WORDS: frozenset[str] = frozenset(normalize_token(word) for word in """
    think thinking mind minds spring springs come comes came moment moments time times currently current
    now yet far add adding say saying report mention mentioned known know aware opinion personally
    honestly really particular particularly whatsoever anything everything cons con negatives complaints
    complaint issues problems company job place employer working here point stage date thanks thank
    right complain complaining about bother bothers dislike
    semnalat momentan deocamdată deocamdata acum adăugat adaugat spus minus minusuri
    por ahora momento hasta el la en de que me por particular especial decir añadir agregar desagrada disgusta
    molesta queja quejas todavia todavía enquanto agora nada ainda pour le l instant moment pas signaler dire
    ajouter particulier plainte bisher momentan derzeit zu sagen besonderes auszusetzen beanstanden probleme
    حاليا الآن الان شيء شي سلبيات ملاحظات حتى
    """.split())
MAX_NOTHING_WORDS = 10


def _says_nothing(key: str) -> bool:
    """Whether ``key`` (an :func:`answer_key` form) is a "nothing to say" sentence (module docstring)."""
    words = key.split()
    if not 2 <= len(words) <= MAX_NOTHING_WORDS:
        return False
    opening = _NOTHING_OPENING.match(key)
    if opening is None:
        return False
    stop = stop_words_for(None)
    rest = [normalize_token(word) for word in key[opening.end():].split()]
    return all(word in stop or word in FILLER_WORDS or word in PLACEHOLDER_WORDS for word in rest)


def _repeated_unit(words: list[str]) -> list[str]:
    """The shortest run of words that ``words`` repeats end to end ("none none none" -> "none";
    "n a n a" -> "n a"); ``words`` itself when it repeats nothing."""
    n = len(words)
    for period in range(1, n // 2 + 1):
        if n % period == 0 and words == words[:period] * (n // period):
            return words[:period]
    return words


def non_answer_reason(text: str) -> str:
    """Why ``text`` is a non-answer (:data:`REASON_LISTED`, :data:`REASON_NO_WORDS`,
    :data:`REASON_SPREADSHEET`, :data:`REASON_NOTHING`), or ''."""
    # Folding only splits words, never joins them: more distinct wordy tokens than the longest
    # non-answer means a real comment, without folding the whole text. Distinct, so that a
    # non-answer said five times over ("none none none none none") is still looked up.
    tokens = text.split()
    if len(tokens) > _MAX_NON_ANSWER_WORDS and len(
            {token.casefold().strip(_PUNCTUATION) for token in tokens if _WORD_CHAR.search(token)}
    ) > _MAX_NON_ANSWER_WORDS:
        return REASON_NOTHING if len(tokens) <= MAX_NOTHING_WORDS and _says_nothing(answer_key(text)) else ""
    if text.strip().upper() in SPREADSHEET_ERRORS:
        return REASON_SPREADSHEET
    key = answer_key(text)
    if not any(ch.isalpha() for ch in key):  # "10", "9/10", "!!!": a public NPS export's comments held scores
        return REASON_NO_WORDS
    if key in NON_ANSWERS:
        return REASON_LISTED
    words = key.split()
    unit = _repeated_unit(words)
    if len(unit) < len(words) and " ".join(unit) in NON_ANSWERS:
        return REASON_LISTED
    return REASON_NOTHING if _says_nothing(key) else ""


def is_non_answer(text: str) -> bool:
    """True for "n/a", "nothing", "-", "No Negative", "لا يوجد", "nimic" and the like."""
    return bool(non_answer_reason(text))


def has_content_word(text: str) -> bool:
    """True when a word of ``text`` is neither a stop word (en, ar, ro) nor a placeholder word.

    An acronym in capitals is a content word unless it is an English stop word: "AI" is the Romanian stop word
    "ai" only in lower case (a public survey's most common answer to "What new technology should we adopt?",
    8 rows of "AI", was set aside as a placeholder)."""
    stop = stop_words_for(None)
    for token in tokenize(text):
        key = normalize_token(token)
        if is_keyword_token(key) and key not in stop and key not in PLACEHOLDER_WORDS:
            return True
    english = stop_words_for("en")
    return any(word.lower() not in english and word.lower() not in PLACEHOLDER_WORDS
               for word in _ACRONYM.findall(text))


_ACRONYM = re.compile(r"\b[A-Z]{2,5}\b")


def repeat_floor(analysed: int) -> int:
    """Fewest rows a text must fill to be a repeated placeholder in a file of ``analysed`` rows."""
    return max(MIN_REPEATS, math.ceil(MIN_REPEAT_SHARE * analysed))


def repeated_placeholders(texts: list[str], rows: int | None = None) -> dict[str, int]:
    """The per-file rule (module docstring) on comments of one file: ``{key: rows}`` of each short,
    frequent text without a content word (keys of :func:`answer_key`). ``rows``: the file's analysed
    rows, which set the frequency floor (default: ``len(texts)``)."""
    keys = [answer_key(text) for text in texts]
    floor = repeat_floor(len(texts) if rows is None else rows)
    counts = Counter(key for key in keys if key)
    found: dict[str, int] = {}
    shown: dict[str, str] = {}
    for text, key in zip(texts, keys):
        shown.setdefault(key, text)
    for key, count in counts.items():
        if count >= floor and len(tokenize(shown[key])) <= MAX_WORDS and not has_content_word(shown[key]):
            found[key] = count
    return found


def mark_non_answers(records: pd.DataFrame, per_file: bool = True) -> pd.DataFrame:
    """Set ``non_answer`` and ``non_answer_reason`` on the analysed rows of ``records`` (in place; returned).

    Listed non-answers always; with ``per_file`` also the repeated placeholders of this file (the
    Dask engine normalizes parts of a file and applies the per-file rule once it has them all).
    """
    analysed = (records["status"] == STATUS_ANALYZED).to_numpy()
    texts = records["clean_text"].tolist()
    reasons = [non_answer_reason(text) if is_analysed else "" for text, is_analysed in zip(texts, analysed)]
    if per_file:
        candidates = [text for text, reason, is_analysed in zip(texts, reasons, analysed) if is_analysed and not reason]
        # the floor counts every analysed row of the file, not only those left after the listed rule
        repeated = repeated_placeholders(candidates, int(analysed.sum())) if candidates else {}
        if repeated:
            reasons = [REASON_REPEATED if is_analysed and not reason and answer_key(text) in repeated else reason
                       for text, reason, is_analysed in zip(texts, reasons, analysed)]
    records["non_answer_reason"] = reasons
    records["non_answer"] = np.array([bool(reason) for reason in reasons], dtype=bool)
    return records


def repeated_summary(records: pd.DataFrame) -> list[dict[str, object]]:
    """The repeated placeholders of an analysis, most rows first: ``[{"text", "rows"}]`` (the text as most
    rows wrote it)."""
    if "non_answer_reason" not in records.columns:
        return []
    repeated = records.loc[records["non_answer_reason"] == REASON_REPEATED]
    # with several comment columns, the column each placeholder was written in (a warning names it)
    columns = repeated["text_column"].tolist() if "text_column" in repeated.columns else [None] * len(repeated)
    by_key: dict[str, Counter] = {}
    columns_of: dict[str, set] = {}
    for text, column in zip(repeated["clean_text"].tolist(), columns):
        by_key.setdefault(answer_key(text), Counter())[text] += 1
        columns_of.setdefault(answer_key(text), set()).add(column)
    found = [{"text": forms.most_common(1)[0][0], "rows": int(sum(forms.values())),
              **({"columns": sorted(str(c) for c in columns_of[key])} if None not in columns_of[key] else {})}
             for key, forms in by_key.items()]
    return sorted(found, key=lambda item: (-int(item["rows"]), str(item["text"])))
