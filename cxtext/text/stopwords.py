"""Stop words and token normalisation: English, Arabic and Romanian lists of our own, stopwords-iso for the rest.

Used by :mod:`cxtext.themes.label` to pick theme keywords. Three things matter for
mixed customer comments:

* **Matching keys.** Every token is turned into a *key* before it is counted
  or compared with a stop list: Unicode NFC, case folded, Arabic letter
  variants unified (see :func:`normalize_arabic`) and Romanian diacritics
  folded (``ă â → a``, ``î → i``, ``ș ş → s``, ``ț ţ → t``). Customers write
  "plată", "plata" and "plată" with a cedilla; they all count as one keyword.
  The label shows the most frequent *surface* form, not the key.
* **Per-language stop lists.** Folded Romanian stop words include ordinary
  English words ("care", "face", "cat", "pot", "tot"), so the Romanian list
  is only applied to comments whose language is Romanian or unknown; see
  :func:`stop_words_for`. Arabic uses its own script, so its list is always
  applied, and English words are stop words in every language (comments mix
  in English). Comments in any other language (French, Dutch, Spanish...: 55
  more) get the stopwords-iso list of their language (package ``stopwordsiso``,
  MIT): without it a French or Dutch theme's keywords were "et; en; je; ik; een".
* **Tokens that are never keywords.** Tokens without a letter (digits-only,
  including Arabic-Indic digits), one-character tokens, and redaction masks:
  runs of two or more x (``XXXX``, ``XX/XX/XXXX``), which exports such as the
  CFPB complaint database write where a name, an amount or a date was; left
  in, they became theme keywords ("wells fargo; xxxx") because every long
  complaint carries some. See :func:`is_keyword_token` and :func:`is_mask_token`.

:func:`guess_language` is a crude script/stop-word fallback used only when the
caller gives no language codes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

__all__ = [
    "ENGLISH",
    "ARABIC",
    "ROMANIAN",
    "STOP_WORDS",
    "normalize_arabic",
    "fold_romanian",
    "normalize_token",
    "tokenize",
    "is_keyword_token",
    "is_mask_token",
    "stop_words_for",
    "guess_language",
]

# --------------------------------------------------------------------------
# Normalisation

# Arabic harakat (fathatan .. sukun), superscript alef, Quranic marks; tatweel.
_AR_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_AR_LETTERS = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ة": "ه",
        "ؤ": "و",
        "ئ": "ي",
        "ک": "ك",
        "ی": "ي",
    }
)
_RO_FOLD = str.maketrans(
    {
        "ă": "a",
        "â": "a",
        "î": "i",
        "ș": "s",
        "ş": "s",
        "ț": "t",
        "ţ": "t",
        "Ă": "A",
        "Â": "A",
        "Î": "I",
        "Ș": "S",
        "Ş": "S",
        "Ț": "T",
        "Ţ": "T",
    }
)
# Cedilla forms are the legacy encoding of the comma-below letters.
_RO_CEDILLA = str.maketrans({"ş": "ș", "ţ": "ț", "Ş": "Ș", "Ţ": "Ț"})
# Letters of Turkish and Azerbaijani that Romanian never uses: their text keeps its own ş.
_TURKIC_LETTERS = re.compile("[ğĞıİöÖüÜçÇəƏ]")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})
_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_ARABIC_CHAR = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")


def normalize_arabic(text: str) -> str:
    """Remove harakat and tatweel; unify alef/hamza forms, alef maqsura, ta marbuta.

    ``أ إ آ ٱ → ا``, ``ى → ي``, ``ة → ه``, ``ؤ → و``, ``ئ → ي`` (and the
    Persian ``ک ی``), the usual normalisation for matching Arabic words.
    """
    return _AR_DIACRITICS.sub("", text).translate(_AR_LETTERS)


def fold_romanian(text: str) -> str:
    """Drop Romanian diacritics (comma-below and legacy cedilla forms)."""
    return text.translate(_RO_FOLD)


def _surface(text: str) -> str:
    """Text as shown to people: NFC, lower case, harakat removed, ş→ș (not in Turkish text).

    ``ş`` is the legacy form of Romanian ``ș`` but a letter of its own in Turkish (and Azerbaijani):
    a text with a letter Romanian never uses (``ğ ı ö ü ç ə``) keeps it, so a Turkish keyword reads
    "teşekkürler", not "teșekkürler" (seen on a public Turkish store-review export).
    """
    text = _AR_DIACRITICS.sub("", unicodedata.normalize("NFC", text).translate(_APOSTROPHES))
    if not _TURKIC_LETTERS.search(text):
        text = text.translate(_RO_CEDILLA)
    return text.lower()


def tokenize(text: str) -> list[str]:
    """Split into lower-cased surface tokens.

    Letters and digits; inner apostrophes are kept ("don't") except the
    English possessive "'s", which is dropped ("card's" -> "card").
    """
    return [t[:-2] if t.endswith("'s") and len(t) > 2 else t for t in _TOKEN.findall(_surface(str(text)))]


def normalize_token(token: str) -> str:
    """The matching key of one token: case folded, Arabic unified, Romanian folded."""
    token = unicodedata.normalize("NFC", str(token)).translate(_APOSTROPHES)
    return fold_romanian(normalize_arabic(token)).casefold()


_MASK = re.compile(r"x{2,}")


def is_mask_token(key: str) -> bool:
    """Whether a token key is a redaction mask: two or more x and nothing else ("xx", "xxxx").

    No English, Arabic or Romanian word is spelt so; "xxl" (a size) is not a mask.
    """
    return _MASK.fullmatch(key) is not None


def is_keyword_token(key: str) -> bool:
    """A token may appear in a keyword only if it has >= 2 characters and a letter, and is not a mask."""
    return len(key) >= 2 and any(ch.isalpha() for ch in key) and not is_mask_token(key)


def _keys(words: str) -> frozenset[str]:
    return frozenset(normalize_token(w) for w in words.split())


# --------------------------------------------------------------------------
# Stop lists. Written for survey comments: function words, pronouns, auxiliary
# verbs, fillers ("please", "thanks", "يعني", "mersi"). Domain words (bank,
# app, card, delivery) are never stop words.

ENGLISH = _keys(
 """
a about above across after afterwards again against all almost alone along already also
although always am among amongst amoungst an and another any anyhow anyone anything
anyway anyways anywhere are aren't around as at be became because become becomes becoming
been before beforehand behind being below beside besides between beyond both but by
can cannot cant can't co con could couldn't couldnt de did didn't didnt do does
doesn't doesnt doing don't dont done down during each eg eight either eleven else elsewhere
enough etc even ever every everyone everything everywhere except few fifteen fifty first five
for former formerly forty four from further get gets getting give go goes going
gone got gotten had hadn't has hasn't hasnt have haven't havent having he he'd he'll he's
hence her here here's hereafter hereby herein hereupon hers herself him himself his how how's
however hundred i i'd i'll i'm i've id ie if im in inc indeed instead into is isn't isnt it
it's its itself ive just kind last latter latterly least less let let's lot lots ltd
 many may maybe me meanwhile might mine more moreover most mostly much must
mustn't my myself namely neither never nevertheless next nine no nobody none noone nor
not nothing now nowhere of off often on once one only onto or other others otherwise our ours
ourselves out over own per perhaps please put quite rather re really said same say says
see seem seemed seeming seems several she she'd she'll she's should shouldn't 
 since six sixty so some somehow someone something sometime sometimes somewhere still such
sure take ten than that that's the their theirs them themselves then thence there there's
thereafter thereby therefore therein thereupon these they they'd they'll they're they've
thing things third this those though three through throughout thru thus to together too 
toward towards twelve twenty two un under until up upon us very via want
wanted wants was wasn't wasnt way we we'd we'll we're we've well were weren't what what's
whatever when when's whence whenever where where's whereafter whereas whereby wherein
whereupon wherever whether which while whither who who's whoever whole whom whose why why's
will with within without won't wont would wouldn't wouldnt yet you you'd you'll you're
you've your yours yourself yourselves
hi hello hey dear thanks thank thx ty pls plz ok okay yes yeah yep nope oh ah hmm lol
like actually basically literally totally definitely probably simply
also still even ever already else etc im ive ill id youre theyre thats whats theres
able need needs needed tell told ask asked know let lets go went come came
"""
)

# The last two lines: Gulf-dialect fillers ("مره" very, "حقتهم" their, "واجد" a lot, "لين" until) and
# set phrases ("الله", "ماشاء", "بصراحة") that were keywords of most themes, and half the labels, of a
# public Saudi restaurant-review set (2026-12-07 new-user audit).
ARABIC = _keys(
    """
و في من على إلى الى عن أن ان إن لن لم لا ما ماذا مع هذا هذه هذي هاذا هاذي ذلك ذلك تلك
ذاك هذان هاتان هؤلاء اولئك أولئك الذي التي الذين اللذان اللتان اللواتي اللي اللى
هو هي هم هن هما أنا انا أنت انت أنتم انتم أنتن انتي نحن احنا إحنا حنا
كان كانت كانوا يكون تكون يكونوا كنت كنا ليس ليست لست
قد لقد سوف سـ ثم أو او أم ام بل لكن لكنه لكن ولكن وإن وان لأن لان لانه لأنه
كل كله كلها بعض غير سوى مثل كما حيث بين بعد قبل حول عند عندي عندنا عندهم عنده عندك
لي لك له لها لنا لكم لهم فيه فيها فيهم منه منها منهم منك مني عليه عليها عليهم علي عليك
به بها بهم بك بي إليه اليه إليها اليها إلي الي
هنا هناك هنالك الآن الان حتى إذا اذا إذ اذ لو لولا كيف كيفية لماذا ليش ليه متى أين اين وين
شو ايش إيش ايه إيه وش هل أي اي أية اية أيضا ايضا أيضاً كمان برضو برضه بردو
يا أيها جدا جداً كثير كثيرا كتير قليل فقط بس يعني والله طيب اوكي خلاص عشان علشان لاجل لأجل
شي شيء شيئ اشي حاجة حاجه شوي شوية
مش مو مب ماني مافي ما في مافيه مفيش ده دي دا دى دول اللي كده كدا هيك هكذا هكذ
تم تمت يتم وتم وقد وكان وكانت وهو وهي وهم وهذا وهذه وفي ومن وعلى وإلى والى وعن ومع ولا وما
ولم ولن وأن وان ثم فإن فان فقد فلا فما
إلا الا أكثر اكثر أقل اقل أول اول آخر اخر نفس ذات كذلك لذلك لهذا بهذا بذلك
خلال منذ عبر ضد دون بدون لدى لدي لديه لديها لديهم تحت فوق أمام امام وراء خلف
عن عليه مما ممن فيما بما كلما إنه انه إنها انها أنه أنها إنهم انهم
شكرا شكراً مرحبا السلام عليكم الرجاء رجاء ممكن لو سمحت
مره مرة مرا اني إني اننا للي عنه عنها عنهم حق حقت حقه حقها حقهم حقتهم حقنا يمكن كذا زي لين حيل واجد ابد أبد
الله ان شاء ماشاء بصراحه بصراحة صراحه صراحة
"""
)

ROMANIAN = _keys(
    """
a ai al ale am ar are aș aş asta astea ăsta aia ăla ăia alea acea aceea acei aceia acel acela
acele acelea acest acesta aceasta această aceste acestea acești aceşti aceea
acolo acum adică aici alt alta altă alte altele alți alţi altul altcineva altceva
apoi atât atat atâta atâtea atâția atunci avea aveam aveau aveți avem avut azi
au bine ca că căci când cand care căreia cărei căror cărui cât câtă câte câți către ce cea cei
cel cele celor celui ceva chiar cine cineva cât cum cumva cu
da dacă daca dar de deci deja deoarece departe deși desi despre din dintr dintre doar după dupa
e ea ei el ele eram erau ești esti este eu era
face fără fara fi fie fiecare fii fiind fim fiu fost
iar ieri îi îl îmi împotriva în înainte înapoi înca încă încât între într îți își ii il imi
la le li lor lui
mă ma mai mea mei mele meu mi mie mine mult multă multe mulți mulţi
ne nici nimeni nimic niște nişte noastră noastre noi noștri noştri nostru nu numai
o oare ori orice oricare oricum oricine
pe până pana peste pentru poate pot prea prin printr putea puțin putin
sa să săi sale sau se și şi sunt suntem sunteți sunteţi sub său
ta tăi tale tău te ți ţi toată toate tot toți toţi totul totuși totusi tu
un una unde unei unele unii unor unora unu unui unul
va vă vi voastră voastre voi voștri vostru vor vreo vreun
zi zice
mersi mulțumesc multumesc mulţumesc vă rog va rog salut bună buna
"""
)

STOP_WORDS: dict[str, frozenset[str]] = {"en": ENGLISH, "ar": ARABIC, "ro": ROMANIAN}
_ALL = ENGLISH | ARABIC | ROMANIAN
_BY_LANGUAGE = {
    "en": ENGLISH | ARABIC,
    "ar": ARABIC | ENGLISH,
    "ro": ROMANIAN | ENGLISH | ARABIC,
}


def stop_words_for(language: str | None) -> frozenset[str]:
    """Stop keys for a comment in ``language``.

    English and Arabic lists always apply (English is mixed into comments of
    every language; Arabic script cannot collide with Latin words). The
    Romanian list applies to ``"ro"`` and to unknown codes (``"und"``, ``None``),
    never to ``"en"`` or ``"ar"``, because folded Romanian function words
    ("care", "face", "cat", "pot") are English content words. Any other
    language stopwords-iso covers ("fr", "nl", "es", ...) gets its own list.
    """
    code = (language or "und").lower()
    if code in _BY_LANGUAGE:
        return _BY_LANGUAGE[code]
    other = _iso_keys(code)  # another language: its own list instead of the Romanian one
    return ENGLISH | ARABIC | other if other else _ALL


@lru_cache(maxsize=None)
def _iso_keys(code: str) -> frozenset[str]:
    """stopwords-iso's list for ISO 639-1 ``code`` as keys; empty when it has none (or for en/ar/ro,
    whose own lists here are shorter and chosen for customer comments)."""
    import stopwordsiso

    if code in STOP_WORDS or not stopwordsiso.has_lang(code):
        return frozenset()
    keys = frozenset(key for word in stopwordsiso.stopwords(code) for key in _keys(word))
    # French, Italian and Catalan glue an elided word to the next: "j'ai", "c'est", "d'une", "qu'il"
    elided = frozenset(f"{head}'{key}" for head in _ELISIONS.get(code, ()) for key in keys if "'" not in key)
    return keys | elided


_ELISIONS = {"fr": ("c", "d", "j", "l", "m", "n", "qu", "s", "t"), "it": ("l", "d", "un", "c", "n", "s", "m", "t"),
             "ca": ("l", "d", "m", "n", "s", "t")}


def guess_language(text: str) -> str:
    """Crude fallback when no language codes are given: ``"ar"``, ``"ro"``, ``"en"`` or ``"und"``.

    Arabic if most letters are Arabic script; otherwise the language whose
    stop list matches more tokens (Romanian wins on ties only when the text
    has Romanian diacritics). Not a language detector; pass real codes.
    """
    text = str(text)
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return "und"
    if sum(1 for ch in letters if _ARABIC_CHAR.match(ch)) * 2 > len(letters):
        return "ar"
    keys = [normalize_token(t) for t in tokenize(text)]
    en = sum(k in ENGLISH for k in keys)
    ro = sum(k in ROMANIAN for k in keys)
    has_ro_letters = any(ch in "ăâîșşțţĂÂÎȘŞȚŢ" for ch in text)
    if ro > en or (has_ro_letters and ro >= en and ro > 0):
        return "ro"
    if en > 0:
        return "en"
    return "und"


def iter_keys(tokens: Iterable[str]) -> list[str]:
    """Keys of ``tokens`` (see :func:`normalize_token`)."""
    return [normalize_token(t) for t in tokens]
