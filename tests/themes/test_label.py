"""cxtext.themes.label, cxtext.themes.phrases and cxtext.text.stopwords: keywords, labels, quotes, languages."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import numpy as np
import pytest

from cxtext.errors import NotFittedError, ValidationError
from cxtext.themes.label import THEME_COLUMNS, ThemeLabeler, extract_terms, format_languages
from cxtext.themes.phrases import name_like_keys, segment_ngrams
from cxtext.text.stopwords import (
    ARABIC,
    ENGLISH,
    ROMANIAN,
    guess_language,
    normalize_arabic,
    normalize_token,
    stop_words_for,
    tokenize,
)

REFUND = [
    "I am still waiting for my refund after three weeks",
    "Refund delay is unacceptable, I want my money back",
    "Where is my refund? It has been 20 days",
    "The refund delay made me cancel my subscription",
    "They promised a refund but I never got my money back",
    "Still no refund, customer service keeps saying wait",
]
APP = [
    "The app crashes every time I open it",
    "App keeps crashing after the latest update",
    "Since the update the app crashes on login",
    "Mobile app crashes when I try to pay",
    "The app freezes and crashes constantly",
]
ARABIC_TEXTS = [
    "التطبيق يتوقف عن العمل بعد التحديث الأخير",
    "التطبيق يتوقف كل مرة أفتحه 3 مرات",
    "بعد التحديث التطبيق يتوقف في صفحة الدفع ١٢٣",
    "هذا التطبيق يتوقف عن العمل دائما",
]
ROMANIAN_TEXTS = [
    "Am fost taxat de două ori pentru aceeași comandă",
    "Am fost taxat de doua ori luna asta",
    "Sunt taxat de două ori la fiecare plată",
    "Iar am fost taxat de doua ori, vreau banii înapoi",
]


def fit_three():
    texts = REFUND + APP + ARABIC_TEXTS + ROMANIAN_TEXTS
    labels = [0] * len(REFUND) + [1] * len(APP) + [2] * len(ARABIC_TEXTS) + [3] * len(ROMANIAN_TEXTS)
    langs = ["en"] * (len(REFUND) + len(APP)) + ["ar"] * len(ARABIC_TEXTS) + ["ro"] * len(ROMANIAN_TEXTS)
    return texts, np.array(labels), langs, ThemeLabeler().fit(texts, labels, languages=langs)


# ---------------------------------------------------------------- stopwords
def test_arabic_normalisation():
    assert normalize_arabic("أَحْمَد") == "احمد"
    assert normalize_arabic("إلى") == "الي"
    assert normalize_arabic("مدرسة") == "مدرسه"
    assert normalize_arabic("كتـــاب") == "كتاب"
    for word in ["و", "في", "من", "على", "إلى", "عن", "أن", "هذا", "التي", "لكن"]:
        assert normalize_token(word) in ARABIC, word


def test_romanian_with_and_without_diacritics():
    for with_d, without in [("și", "si"), ("că", "ca"), ("până", "pana"), ("această", "aceasta"), ("şi", "si")]:
        assert normalize_token(with_d) == normalize_token(without)
        assert normalize_token(with_d) in ROMANIAN
    assert normalize_token("plată") == normalize_token("plata") == normalize_token("plată")


def test_romanian_list_not_applied_to_english():
    assert "care" in ROMANIAN and "care" not in ENGLISH
    assert "care" not in stop_words_for("en")
    assert "care" in stop_words_for("ro") and "care" in stop_words_for("und")
    assert "the" in stop_words_for("ro") and normalize_token("في") in stop_words_for("en")


@pytest.mark.parametrize("language, text, content, stop", [
    # the words of a public Trustpilot export's French and Dutch reviews that made its keywords "et; en; je; ik"
    ("fr", "J'ai ouvert un compte et c'est une banque fiable, mais les frais de la carte sont trop élevés",
     {"compte", "banque", "fiable", "frais", "carte"}, {"j'ai", "et", "c'est", "une", "les", "sont"}),
    ("nl", "Ik heb een half uur moeten wachten op de helpdesk en de kaart werkt niet",
     {"wachten", "helpdesk", "kaart", "werkt"}, {"ik", "heb", "een", "op", "de", "en", "niet"}),
])
def test_other_languages_drop_their_own_stop_words(language, text, content, stop):
    keys = {k for k, _ in extract_terms(text, language) if " " not in k}
    assert content <= keys and not keys & stop
    assert "care" not in stop_words_for(language)  # the Romanian list is for Romanian and unknown codes


def test_tokenize():
    assert tokenize("The CARD's PIN doesn't work!") == ["the", "card", "pin", "doesn't", "work"]
    assert tokenize("Ştiu că") == ["știu", "că"]


def test_extract_terms_rules():
    keys = [k for k, _ in extract_terms("I want my money back in 3 days, thanks", "en")]
    assert "money back" in keys and "money" in keys and "back" in keys
    assert "want" not in keys and "my money" not in keys  # stop word at an end
    assert all(not k.isdigit() for k in keys) and all(len(k) > 1 for k in keys)
    assert "days" in keys and "3 days" not in keys
    inner = [k for k, _ in extract_terms("waiting for refund", "en")]
    assert "waiting for refund" in inner


def test_guess_language():
    assert guess_language("التطبيق يتوقف عن العمل") == "ar"
    assert guess_language("Am fost taxat de două ori") == "ro"
    assert guess_language("The app is slow and the support is bad") == "en"
    assert guess_language("12345") == "und"


def test_format_languages():
    assert format_languages({"en": 0.6, "ar": 0.25, "ro": 0.15}) == "en 60%, ar 25%, ro 15%"
    assert format_languages({"en": 0.996, "ro": 0.004}) == "en 100%, ro <1%"
    assert format_languages({"a": 0.3, "b": 0.3, "c": 0.2, "d": 0.1, "e": 0.1}) == "a 30%, b 30%, c 20%, other 20%"


# ------------------------------------------------------------------ labeler
def test_keywords_have_no_stop_words_or_digits():
    _, _, _, lab = fit_three()
    all_stop = ENGLISH | ARABIC | ROMANIAN
    for k, words in lab.keywords_.items():
        assert words, k
        for term in words:
            toks = [normalize_token(t) for t in term.split()]
            assert toks[0] not in all_stop and toks[-1] not in all_stop, term
            assert all(len(t) > 1 and any(ch.isalpha() for ch in t) for t in toks), term


def test_english_labels_are_readable():
    _, _, _, lab = fit_three()
    assert "refund" in lab.theme_labels_[0]
    assert "app" in lab.theme_labels_[1] and "crash" in lab.theme_labels_[1]
    assert " · " in lab.theme_labels_[0] or len(lab.theme_labels_[0].split()) > 1
    assert "_" not in lab.theme_labels_[0]


def test_arabic_keywords_are_arabic_words():
    _, _, _, lab = fit_three()
    words = lab.keywords_[2]
    assert any("التطبيق" in w or "يتوقف" in w for w in words)
    for w in words:
        assert not any(ch.isdigit() for ch in w), w
        assert all("\u0600" <= ch <= "\u06ff" or ch == " " for ch in w), w
    assert lab.label_language_[2] == "ar"
    assert lab.keywords_by_language_[2]["ar"]


def test_romanian_keywords_merge_diacritics():
    _, _, _, lab = fit_three()
    words = lab.keywords_[3]
    assert any("taxat" in w for w in words)
    assert not any(w in ("de", "am", "fost", "ori") for w in words)
    # "două ori" and "doua ori" count as one term; the more frequent surface form is shown
    assert len([w for w in words if w.replace("ă", "a") == "doua"]) <= 1


def test_prefers_english_label_in_mixed_theme():
    texts = APP + ARABIC_TEXTS
    labels = [0] * len(texts)
    langs = ["en"] * len(APP) + ["ar"] * len(ARABIC_TEXTS)
    lab = ThemeLabeler().fit(texts, labels, languages=langs)
    assert lab.label_language_[0] == "en"
    assert "app" in lab.theme_labels_[0]
    assert set(lab.keywords_by_language_[0]) == {"en", "ar"}
    assert lab.languages_[0] == pytest.approx({"en": 5 / 9, "ar": 4 / 9})
    assert lab.to_frame().loc[0, "languages"] == "en 56%, ar 44%"


def test_quotes_nearest_centroid_without_near_duplicates():
    texts = ["the app crashes", "the app crashes", "The app crashes!", "app crashing a lot today",
             "crashes when paying in the app", "I like turtles"]
    E = np.array([[1, 0, 0], [1, 0, 0], [0.999, 0.01, 0], [0.8, 0.5, 0], [0.8, 0, 0.6], [0, 0, 1]], dtype=float)
    E /= np.linalg.norm(E, axis=1, keepdims=True)
    labels = [0, 0, 0, 0, 0, -1]
    lab = ThemeLabeler(n_quotes=5).fit(texts, labels, E, ["en"] * 6)
    quotes = lab.quotes_[0]
    # the three near-identical comments (cosine > 0.95) give one quote, the nearest
    assert quotes[0] in texts[:3]
    assert sum(q in texts[:3] for q in quotes) == 1
    assert quotes[1:] == ["app crashing a lot today", "crashes when paying in the app"]
    assert "I like turtles" not in quotes


def test_frame_and_sizes():
    texts, labels, langs, lab = fit_three()
    df = lab.to_frame()
    assert list(df.columns) == THEME_COLUMNS
    assert df["size"].tolist() == [6, 5, 4, 4]
    assert df["share"].sum() == pytest.approx(1.0)
    assert all(isinstance(q, list) and 1 <= len(q) <= 5 for q in df["quotes"])


def test_unthemed_rows_are_not_described():
    texts, labels, langs, _ = fit_three()
    labels = labels.copy()
    labels[:6] = -1
    lab = ThemeLabeler().fit(texts, labels, languages=langs)
    assert lab.theme_ids_ == [1, 2, 3]


def test_errors():
    with pytest.raises(ValidationError, match="one entry per text"):
        ThemeLabeler().fit(["a b", "c d"], [0])
    with pytest.raises(ValidationError, match="The 'n_quotes' parameter must be an int >= 1. Got 0 instead."):
        ThemeLabeler(n_quotes=0).fit(["a b"], [0])
    with pytest.raises(ValidationError, match="ngram_range"):
        ThemeLabeler(ngram_range=(2, 1)).fit(["a b"], [0])
    with pytest.raises(NotFittedError):
        ThemeLabeler().to_frame()


# ------------------------------------------------------------ phrase labels
REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real_exports"


def vectors(texts):
    """Character n-gram TF-IDF rows, L2-normalised: real vectors without an embedding model."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4)).fit_transform(texts).toarray()


def words_of(texts):
    return {normalize_token(t) for text in texts for t in tokenize(text)}


def test_phrase_labels_on_real_complaints():
    with open(REAL / "complaints_prepbench.csv", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    texts = [r["Complaint Description"] for r in rows]
    issues = sorted({r["Issue Type"] for r in rows})
    labels = np.array([issues.index(r["Issue Type"]) for r in rows])
    lab = ThemeLabeler().fit(texts, labels, vectors(texts), ["en"] * len(texts))
    by_issue = {issues[k]: lab.theme_labels_[k] for k in lab.theme_ids_}
    for issue, label in by_issue.items():
        members = [t for t, k in zip(texts, labels) if issues[k] == issue]
        assert 2 <= len(label.split()) <= 6, (issue, label)
        assert " · " not in label and "_" not in label
        assert {normalize_token(w) for w in label.split()} <= words_of(members), (issue, label)
    assert "defective" in by_issue["Faulty"] or "faulty" in by_issue["Faulty"]
    assert "changed mind" in by_issue["Changed Mind"]
    assert "size" in by_issue["Item Size Issue"] or "fit" in by_issue["Item Size Issue"]
    assert len(set(by_issue.values())) == len(by_issue)  # no two themes share a label
    assert lab.keywords_[issues.index("Faulty")]  # keywords stay in their own column
    frame = lab.to_frame()
    assert frame["label"].tolist() == [lab.theme_labels_[k] for k in lab.theme_ids_]


def test_arabic_theme_gets_an_arabic_phrase_from_real_reviews():
    with open(REAL / "saudi_tourism_reviews_ar_40.csv", encoding="utf-8-sig") as f:
        texts = [r["div_text"] for r in csv.DictReader(f, delimiter=";")]
    price = re.compile("سعر|اسعار|أسعار|رسوم|غالي|التذاكر|التذكرة")
    labels = np.array([0 if price.search(t) else -1 for t in texts])
    lab = ThemeLabeler().fit(texts, labels, vectors(texts), ["ar"] * len(texts))
    label = lab.theme_labels_[0]
    assert lab.label_language_[0] == "ar"
    assert 2 <= len(label.split()) <= 6, label
    assert all("\u0600" <= ch <= "\u06ff" or ch == " " for ch in label), label


def test_arabic_and_romanian_labels_in_their_language_english_when_present():
    texts, labels, langs, lab = fit_three()
    assert all("\u0600" <= ch <= "\u06ff" or ch == " " for ch in lab.theme_labels_[2])
    assert 2 <= len(lab.theme_labels_[2].split()) <= 6
    assert "taxat" in lab.theme_labels_[3] and lab.label_language_[3] == "ro"
    mixed = ThemeLabeler().fit(APP + ARABIC_TEXTS, [0] * 9, languages=["en"] * 5 + ["ar"] * 4)
    assert mixed.label_language_[0] == "en" and "app" in mixed.theme_labels_[0]


def test_a_label_is_never_a_persons_name():
    texts = [
        "Thanks John, but my refund never arrived",
        "John said the refund would take two days, still nothing",
        "Spoke to John twice about the refund, no refund yet",
        "Refund never arrived after I spoke with John Smith",
        "Still waiting for the refund John promised",
    ] + APP + ARABIC_TEXTS
    assert "john" in name_like_keys(texts) and "refund" not in name_like_keys(texts)
    labels = [0] * 5 + [1] * len(APP) + [-1] * len(ARABIC_TEXTS)
    lab = ThemeLabeler().fit(texts, labels, vectors(texts), ["en"] * (5 + len(APP)) + ["ar"] * len(ARABIC_TEXTS))
    assert "john" not in lab.theme_labels_[0].lower() and "smith" not in lab.theme_labels_[0].lower()
    assert "refund" in lab.theme_labels_[0]


def test_candidate_phrases_stay_inside_a_sentence_and_drop_articles():
    keys = [k for k, _ in segment_ngrams("My card was declined at checkout. Thanks again [email] team", "en")]
    assert "card declined at checkout" in keys and "declined at checkout" in keys
    assert not any("checkout thanks" in k for k in keys)  # never across a full stop
    assert not any(k.startswith("my ") or " the " in k for k in keys)
    assert all(2 <= len(k.split()) <= 6 for k in keys)


def test_keyword_labels_on_request():
    texts, labels, langs, _ = fit_three()
    lab = ThemeLabeler(max_label_phrases=2, label_style="keywords").fit(texts, labels, languages=langs)
    assert " · " in lab.theme_labels_[0] and "refund" in lab.theme_labels_[0]
    with pytest.raises(ValidationError, match="label_style"):
        ThemeLabeler(label_style="quote").fit(texts, labels, languages=langs)


def test_theme_with_only_stop_words_gets_its_short_quote_as_label():
    lab = ThemeLabeler().fit(["It is what it is.", "it was what it was", "the app crashes"], [0, 0, -1],
                             languages=["en"] * 3)
    assert lab.keywords_[0] == [] and lab.theme_labels_[0] == "it is what it is"
    # no quote of 2-6 words and no phrase: the id is all there is
    lab = ThemeLabeler().fit(["it", "was", "the app crashes"], [0, 0, -1], languages=["en"] * 3)
    assert lab.theme_labels_[0] == "theme 0"


def test_one_comment_in_a_language_does_not_make_the_label():
    """HINT3 Powerplay11 (real chatbot queries): a greetings theme of 11 was labelled "mohit", the name in
    its one comment read as Pidgin, the only language with a keyword once no term repeated."""
    texts = ["Hello is anyone there???", "Hey", "Hello", "Goodafternoon", "Are You Online", "Nope",
             "Yes Can you help", "Hi I am Mohit", "Waste app", "Not add wining balance", "Match Abandoned",
             "withdrawal not received", "withdrawal pending since 2 days", "my withdrawal is stuck"]
    langs = ["und", "und", "und", "und", "en", "und", "en", "pcm", "en", "und", "en", "en", "en", "en"]
    labels = [0] * 11 + [1] * 3
    lab = ThemeLabeler().fit(texts, labels, vectors(texts), langs)
    assert lab.keywords_[0] == []
    assert lab.label_language_[0] != "pcm" and "mohit" not in lab.theme_labels_[0]
    assert lab.theme_labels_[0] in {" ".join(q.lower().strip("?!.").split()) for q in lab.quotes_[0]}
    assert "withdrawal" in lab.theme_labels_[1]


def test_redaction_masks_are_never_keywords_or_inside_a_label():
    """The CFPB export replaces names, dates and amounts by XXXX: those masks were theme keywords."""
    rows = []
    with open(REAL / "cfpb_complaints_cut_short.csv", encoding="utf-8") as f:
        try:
            rows.extend(csv.DictReader(f))
        except csv.Error:  # the file's last row is cut short (that is what the fixture is for)
            pass
    texts = [r["Consumer complaint narrative"] for r in rows if r["Consumer complaint narrative"]]
    products = sorted({r["Product"] for r in rows if r["Consumer complaint narrative"]})
    labels = np.array([products.index(r["Product"]) for r in rows if r["Consumer complaint narrative"]])
    masked = [t for t in texts if re.search(r"\bXX+\b", t)]
    assert len(masked) >= 10  # the masks are common enough to have been keywords
    lab = ThemeLabeler().fit(texts, labels, vectors(texts), ["en"] * len(texts))
    for k in lab.theme_ids_:
        words = [normalize_token(w) for kw in lab.keywords_[k] + [lab.theme_labels_[k]] for w in kw.split()]
        assert words and not [w for w in words if re.fullmatch(r"x{2,}", w)], (k, lab.keywords_[k])
    # a mask breaks a phrase as a placeholder does: no "called xxxx bank"
    assert segment_ngrams("Called XXXX bank on XX/XX/2023 about late fees", "en") == [("late fees", "late fees")]
    assert segment_ngrams("Called the bank on 2023 about late fees", "en") == [
        ("called bank", "called bank"), ("late fees", "late fees")]
    assert [key for key, _ in extract_terms("XXXX XXXX charged fees", "en")] == ["charged", "charged fees", "fees"]
    assert extract_terms("xxl shirt too small", "en")[0][0] == "xxl"  # a size, not a mask


def test_a_label_is_not_cut_inside_a_run_of_content_words():
    """"product arrived with undisclosed" (before "damage"), "violated federally protected consumer" (before
    "rights"): labels seen on public complaint exports, cut where the comments go on."""
    from cxtext.themes.phrases import theme_candidates

    texts = ["Product arrived with undisclosed damage.", "product arrived with undisclosed damage, again",
             "The product arrived with undisclosed damage and no manual", "Prices are fair and the student "
             "discount is great.", "prices are fair and the student discount is great!"]
    labels = np.array([0, 0, 0, 1, 1])
    E = vectors(texts)
    cents = {k: E[labels == k].mean(axis=0) for k in (0, 1)}
    args = (texts, labels, E, ["en"] * 5, {0: "en", 1: "en"}, cents)
    every = theme_candidates(*args, whole_only=False)
    whole = theme_candidates(*args)
    assert "product arrived with undisclosed" in every[0]["keys"]
    assert "product arrived with undisclosed" not in whole[0]["keys"]
    assert "arrived with undisclosed damage" in whole[0]["keys"] and "undisclosed damage" in whole[0]["keys"]
    # a word headlines drop ends the run: "student discount [is] great" is whole
    assert "fair and student discount" in whole[1]["keys"]
    assert set(whole[0]["keys"]) <= set(every[0]["keys"])
    # on a real export labelled by its own categories no label is a phrase cut short
    with open(REAL / "triage_complaints_pipe_column.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    texts = [r["Complaint"] for r in rows]
    cats = sorted({r["Category"] for r in rows})
    labels = np.array([cats.index(r["Category"]) for r in rows])
    E = vectors(texts)
    cents = {k: E[labels == k].mean(axis=0) for k in range(len(cats))}
    every = theme_candidates(texts, labels, E, ["en"] * len(texts), {k: "en" for k in cents}, cents,
                             whole_only=False)
    lab = ThemeLabeler().fit(texts, labels, E, ["en"] * len(texts))
    for k, label in lab.theme_labels_.items():
        i = every[k]["keys"].index(" ".join(normalize_token(t) for t in tokenize(label)))
        assert every[k]["whole"][i] > 0, label


def test_gulf_dialect_fillers_are_not_arabic_keywords():
    """"مره" (very), "حقتهم" (their), "الله" were keywords of most themes of a public Saudi review set."""
    texts = ["المطعم حلو مره والخدمة ممتازة", "الاكل حقتهم لذيذ مره", "والله الاكل لذيذ مره الله يعطيهم العافية",
             "البرجر حقتهم بارد مره", "البرجر بارد والبطاطس بارده", "الاسعار غالية مره", "الاسعار مرتفعه جدا"]
    lab = ThemeLabeler().fit(texts, [0, 0, 0, 1, 1, 2, 2], languages=["ar"] * len(texts))
    fillers = {normalize_token(w) for w in ("مره", "حقتهم", "الله")}
    edges = {normalize_token(w) for k in lab.theme_ids_ for kw in lab.keywords_[k] for w in (kw.split()[0], kw.split()[-1])}
    assert not edges & fillers  # inside an n-gram a stop word may stay ("البرجر حقتهم بارد"), never at its edge
    assert normalize_token("الاكل") in edges and normalize_token("بارد") in edges
