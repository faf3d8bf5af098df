"""What a header (or the survey question above it) says about a column's role: the header half of detection.

:func:`header_score` gives 1.0 for a header that is exactly a known name of
the role (``comment``, ``nps``), 0.7 for a header containing one as a word
(``Negative_Review``, ``NPS Score (0-10)``), 0.8-0.9 for a survey question
that asks for the role ("How likely are you to recommend us...", "What is
the main reason for your score?"), and 0 otherwise. Headers are compared
after NFKC, lower-casing, splitting camelCase (``reviewText`` ->
``review_text``) and dropping Latin diacritics (``comentário`` ->
``comentario``). Besides English, Arabic and Romanian, the common French,
Spanish, Portuguese, German, Turkish, Italian and Dutch names of a comment
and a rating are known (``commentaire``, ``yorum``, ``note_restaurant``).
Content must still confirm the role (:mod:`cxtext.io.columns`).
"""

from __future__ import annotations

import re
import unicodedata

# Exact names per role. English first; Arabic and Romanian because our users'
# regional teams export with them.
ALIASES: dict[str, tuple[str, ...]] = {
    "text": ("comment", "comments", "text", "feedback", "verbatim", "verbatims", "response_text", "open_text",
             "free_text", "freetext", "free_text_response",
             "open_ended", "open_ended_response", "answer", "review", "reviews", "review_text", "review_body",
             "message", "body", "content", "tweet", "post", "mention", "reason", "why", "nps_comment",
             "ces_comment", "notes", "note", "remarks", "description", "opinion", "suggestion", "suggestions",
             "comentariu", "comentarii", "mesaj", "recenzie", "observatii", "parere", "motiv",
             "تعليق", "التعليق", "ملاحظات", "المراجعة", "مراجعة", "رأيك", "الرأي", "السبب",
             # French, Spanish / Portuguese, German, Turkish, Italian, Dutch
             "commentaire", "commentaires", "avis", "contenu", "comentario", "comentarios", "resena",
             "opiniao", "kommentar", "kommentare", "rezension", "anmerkung", "anmerkungen", "freitext",
             "begrundung", "yorum", "yorumlar", "gorus", "commento", "commenti", "recensione", "opmerking",
             "opmerkingen", "toelichting"),
    "nps": ("nps", "nps_score", "score", "likelihood_to_recommend", "ltr", "recommend",
            "how_likely_are_you_to_recommend_us", "recommendation_score", "nps_rating", "promoter_score"),
    "ces": ("ces", "ces_score", "effort", "effort_score", "customer_effort", "customer_effort_score"),
    "csat": ("csat", "csat_score", "satisfaction", "satisfaction_score", "customer_satisfaction"),
    "rating": ("rating", "ratings", "star_rating", "stars", "star", "review_score", "reviewer_score", "review_rating",
               "overall_rating", "overall", "rate", "score", "evaluare", "nota", "stele", "التقييم", "تقييم",
               "note", "sterne", "bewertung", "puan", "puntuacion", "calificacion", "valoracion", "avaliacao",
               "punteggio", "voto", "cijfer", "beoordeling"),
    "date": ("date", "submitted_at", "submitted", "created_at", "created", "timestamp", "time", "datetime",
             "response_date", "survey_date", "posted_at", "at", "recorded_date", "end_date", "submit_date",
             "review_date", "start_date", "completion_date", "date_received", "data", "التاريخ",
             "datum", "fecha", "tarih", "date_avis"),
    "source": ("source", "channel", "platform", "medium", "origin", "survey", "sursa", "canal", "المصدر"),
    "segment": ("segment", "customer_segment", "tier", "plan", "customer_type", "region", "market", "country",
                "product", "category", "department"),
    "id": ("id", "response_id", "respondent_id", "comment_id", "tweet_id", "post_id", "record_id", "ticket_id",
           "review_id", "uuid", "_id",
           # a ticket's or a case's number ("N° TICKET" in a public Spanish help-desk log, "Ticket Number")
           "n_ticket", "no_ticket", "ticket_no", "ticket_number", "ticket_nr", "numero_de_ticket", "numero_ticket",
           "case_number", "case_no", "case_id", "order_number", "order_id"),
}
# Too generic to count when only part of a longer header ("ces_score" is not NPS, "at" is in "rating").
_WHOLE_HEADER_ONLY = {"score", "time", "data", "id", "why", "plan", "post", "body", "text", "at", "rate", "note",
                      "star", "answer", "created", "submitted", "overall", "product", "category", "origin",
                      "reason", "content", "message", "survey", "market", "contenu", "voto"}
# ... except for one role: French "note_restaurant" is a rating (an English "notes" column stays whole-only
# for comments; the values decide between the two when the header is just "note").
_PART_MATCH_FOR_ROLE = {"rating": {"note"}}

# The comment invitations in French, Spanish, Portuguese, German, Italian, Romanian, Dutch and Turkish ("why",
# "describe", "explain", "improve", "anything else", "suggestions", "remarks"): a public French export of a
# bilingual survey passed over "Veuillez décrire ..." and "Y a-t-il des points non couverts ...", which its
# English twin read as comments.
_ASKS_ELSEWHERE = (r"\bpourquoi\b|\bd[ée]cri(re|vez)\b|\bexpliquez\b|\bam[ée]lior|\by a-t-il\b|\bautre chose\b|"
                   r"\bremarques?\b|\bpor ?qu[ée]\b|\bdescrib[ae]|\bdescrev|\bexpli(que|ca)\b|\bmejor(ar|as)\b|"
                   r"\bmelhorar\b|\balgo m[áa]s\b|\bsugerenc|\bsugest|\bwarum\b|\bbeschreib|\berkl[äa]r|\bverbesser|"
                   r"\bvorschl[äa]g|\banmerkung|\bsonst noch\b|\banregung|\bperch[ée]\b|\bdescriv|\bmiglior|"
                   r"\bsuggeriment|\bdescrie|\bwaarom\b|\bbeschrijf|\bopmerking|\bneden\b|"
                   # problems asked about in a question ("¿Experimentaste algún problema ...? Especificar")
                   r"\b(problemas?|inconvenientes?|dificultad(es)?|probl[eè]mes?|dificuldades?)\b(?=.*[?¿])")

# A channel or segment column is a field name ("Source", "Survey channel"); a word of a long question is not one:
# "... under an open-source licence?" and "... PaaS (Platform as a Service)" were taken as the source of a public
# LimeSurvey and an Alchemer-style export.
_FIELD_NAME_ROLES = frozenset({"source", "segment"})
_FIELD_NAME_WORDS = 8

# Survey questions that ask for a role (matched on the header and on the question text above it).
QUESTIONS: dict[str, tuple[tuple[str, float], ...]] = {
    "nps": ((r"recommend|net promoter|\brecomand|recommander|\brecomi?end|\braccomand|empfehlen|tavsiye|consiglier|"
             r"aanbevelen|ترشيح|توصي|تنصح", 0.9),),
    "ces": ((r"\beas(y|ier|ily)\b|\beffort|\bdifficult|\buș(or|oara)\b|\bsimplu\b|سهول|\bf[aá]cil\b|\bdif[ií]cil\b|"
             r"\besfuerzo\b|\besforço\b|\bfacile\b|\bdifficile\b|\beinfach\b|\bschwierig", 0.8),),
    # "happiness": Help Scout's name for its satisfaction ratings (Great / Okay / Not Good)
    "csat": ((r"\bsatisf|\bhappiness\b|\bmulțumit|\bmultumit|\bzufrieden|\bmemnun|\btevreden|\bsoddisf|رضا|راض", 0.8),),
    # Spanish "¿Cómo calificarías ...?", German "Bewertung" ("en una escala del 1 al 5" alone is not a rating: a
    # Spanish R survey asks "how difficult" that way)
    "rating": ((r"\brat(e|ing)\b|\bstars?\b|\bout of (5|10)\b|\bevalua|تقييم|\bcalific|\bbewert", 0.8),),
    # "pain points": the question CX and user surveys ask for complaints (Spack 2022, Jupyter 2016 surveys)
    # "challenges", "problems", "difficult" in a question: Jupyter 2020 ("Do you have challenges with the notebook
    # UI?"; a Typeform checkbox "Solve time-dependent problems" is no question); "hinders": Jupyter 2015 ("What, if
    # anything, hinders you from making Jupyter Notebook an even more regular part of your workflow?")
    "text": ((r"\bwhy\b|\bpain ?points?\b|\b(challenges|problems|difficult)\b(?=.*[?؟])|\bhinders?\b|\bobstacles?\b|\bfrustrat|\breasons?\b|\btell us\b|\banything else\b|\bimprove|\bsuggest|\bcomments?\b|"
              r"\bfeedback\b|what (did|do) you (like|dislike|enjoy|love|hate)|you like (best|least|most)\b|(más|menos) te gusta|te gusta (más|menos)|what (could|should|can) we|\bdescribe\b|"
              r"\bexplain\b|in your own words|\bde ce\b|\bmotiv|\bîmbunătăți|\bimbunatati|لماذا|سبب|اقتراح|" + _ASKS_ELSEWHERE,
              0.8),),
}
# Questions that ask for keywords or a list, not a comment ("Which three words describe us? (separate with a comma)").
_LIST_QUESTION = re.compile(r"\b(one|two|three|four|five|\d) words?\b|separated? (with|by) (a )?comma|"
                            r"\bselect all\b|\bcheck(ing)? all\b|\bcochez\b|\bmultiple choice\b|\bselecci[oó]n m[uú]ltiple\b|"
                            r"\bchoix multiples?\b|\bescolha m[uú]ltipla\b|\bmehrfachauswahl\b|\bmarc[ae] tod[ao]s?\b|\bmarque tod|\bselecciona tod|"
                            r"\btoutes les réponses\b|"
                            # "What are some other libraries that you often use with Dask?": names, not a comment
                            r"\b(what|which)\s+(are\s+)?(some\s+)?(other\s+)?(librar(y|ies)|tools?|packages?|apps?|applications?|software|"
                            r"programs?|languages?|frameworks?|editors?|browsers?|platforms?|services?|devices?)\b"
                            r"[^?]{0,30}\byou\b[^?]{0,15}\buse", re.IGNORECASE)
# Header words that say a free-text column is not the customer's own comment.
_NOT_CUSTOMER_TEXT = {"reply", "replied", "developer", "title", "subject", "name", "username", "user", "author",
                      "address", "url", "link", "email", "agent", "staff", "owner", "manager", "tags", "tag",
                      "translated", "translation", "summary", "headline", "image", "avatar", "location", "city",
                      "hotel", "app", "version", "variation", "status",
                      # the same in French, Spanish / Portuguese, German, Turkish, Italian; and a date's header
                      "titre", "titulo", "titel", "titolo", "baslik", "nom", "nombre", "nome", "utilisateur",
                      "usuario", "kullanici", "auteur", "autor", "date", "datum", "fecha", "tarih"}
# Header words of a subject line or a title. Such a column is not the comment while another column holds the
# customer's words; in a help-desk export it is the only one (Freshdesk: Subject, no body), and then it is.
SUBJECT_WORDS = frozenset({"subject", "title", "titre", "titulo", "titel", "titolo", "baslik", "betreff", "asunto",
                           "assunto", "oggetto", "subiect", "objet"})
# Header words of the support team's reply, and the headers that make a table a ticket export: there an
# "answer" or "response" beside the customer's "body" is the agent's reply, not the customer's words (in a
# survey export without them, "answer" is the respondent's).
_REPLY_WORDS = frozenset({"answer", "answers", "response", "responses", "resolution", "solution", "reponse",
                          "respuesta", "resposta", "antwort", "raspuns"})
_TICKET_WORDS = frozenset({"ticket", "subject", "body", "description", "queue", "priority", "incident", "issue",
                           "requester", "assignee", "agent", "betreff", "asunto", "assunto"})
#: A second free-text column is taken only when its header reads at least this much like a comment.
EXTRA_TEXT_MIN_HEADER = 0.7
#: A header that asks a question for comments ("Why ...?", "Pourquoi ?") scores this (a word of a longer header
#: naming comments, "... (reservas, mensajes, comentarios)", 0.7; the header exactly a comment's name, 1.0).
ASKS_FOR_COMMENTS = 0.8


def normalise_header(header: str) -> str:
    """``"Negative_Review"`` -> ``"negative_review"``, ``"reviewText"`` -> ``"review_text"``, ``"Sursă"`` -> ``"sursa"``."""
    text = unicodedata.normalize("NFKC", str(header)).strip()
    text = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", text).lower()
    return re.sub(r"[\W_]+", "_", _without_latin_diacritics(text)).strip("_")


def _without_latin_diacritics(text: str) -> str:
    """Drop combining marks from Latin letters only (ă -> a, ș -> s); Arabic marks stay."""
    kept: list[str] = []
    base = ""
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.category(ch) == "Mn":
            if "a" <= base <= "z":
                continue
        else:
            base = ch
        kept.append(ch)
    return unicodedata.normalize("NFC", "".join(kept))


def header_score(role: str, header: str, question: str | None = None) -> tuple[float, str]:
    """(score 0-1, why) for ``header`` (and the survey ``question`` above it) naming ``role``."""
    best, why = 0.0, ""
    # the field name a survey tool puts above a column counts like the header (legacy Qualtrics: V1 -> ResponseID)
    for label, text, scale in (("header", header, 1.0), ("field name", question, 0.9)):
        if not text or len(str(text)) > 40 and label != "header":
            continue
        norm = normalise_header(text)
        words = norm.split("_")
        for alias in ALIASES.get(role, ()):
            alias_norm = normalise_header(alias)
            if norm == alias_norm:
                return 1.0 * scale, f"{label} '{text}' names it"
            part_ok = (alias not in _WHOLE_HEADER_ONLY or alias in _PART_MATCH_FOR_ROLE.get(role, ())) \
                and not (role in _FIELD_NAME_ROLES and len(words) > _FIELD_NAME_WORDS)
            if part_ok and len(alias_norm) >= 3 and _contains_words(words, alias_norm) \
                    and 0.7 * scale > best:
                best, why = 0.7 * scale, f"{label} '{text}' contains '{alias}'"
        if role == "id" and len(words) > 1 and words[-1] == "id" and 0.7 * scale > best:
            best, why = 0.7 * scale, f"{label} '{text}' ends in 'ID'"
        if role == "text" and len(words) > 1 and words[-1] in ("open", "opentext", "verbatim") and 0.8 * scale > best:
            # "impact_open", "outcomes_open": a survey's open-ended answers (a public Carpentries survey)
            best, why = 0.8 * scale, f"{label} '{text}' ends in '{words[-1]}' (an open-ended question)"
        if role == "id" and len(words) > 1 and words[0] == "id" and 0.7 * scale > best:  # id_avis, id_cliente
            best, why = 0.7 * scale, f"{label} '{text}' starts with 'ID'"
    for pattern, score in QUESTIONS.get(role, ()):
        for label, text in (("header", header), ("question", question)):
            if text and score > best and re.search(pattern, str(text).lower()):
                best, why = score, f"the {label} '{_clip(str(text))}' asks for it"
    if role == "text" and best > 0 and _names_an_id(header):
        # "Comment ID" ("NEAS PTS 528 - Q1"): a comment's id, not its words (a public NHS Friends and Family Test
        # file was themed from it into 49 themes "nhft", "q1", while its answers were passed over)
        return 0.0, f"header '{_clip(str(header))}' names an id, not the words"
    if role == "text" and best > 0 and is_option_write_in(header):
        # "What is your reason for sharing a notebook? (other)": the words asked for are an option's, not a comment
        return 0.0, f"header '{_clip(str(header))}' is the write-in 'other' answer of a multiple-choice question"
    return best, why


# A multiple-choice question's write-in field: "... (other)", "... - Other (please specify)", "Other:".
_OTHER_WRITE_IN = re.compile(r"\(\s*other\b[^)]*\)\s*[.:]?\s*$|\s[-–:]\s*other\b[^-–:?]*$|^\s*other\b\s*[(:]|"
                             r"(?-i:(?<=[a-z])Other)$|_other$", re.IGNORECASE)
# ... whose question is about problems: what it asks to write in is a complaint ("Do you have challenges with
# collaboration in Jupyter? (other)").
_PROBLEM_QUESTION = re.compile(r"\bproblems?\b|\bchalleng|\bpain ?points?\b|\bdifficult|\bfrustrat|\bcomplain|"
                               r"\bissues?\b|\bimprove|\bdislike|\bwrong\b", re.IGNORECASE)


_ID_WORDS = frozenset({"id", "ids", "key", "nr", "number", "code", "ref", "reference", "uuid", "guid"})


def _names_an_id(header: str) -> bool:
    words = normalise_header(header).split("_")
    return len(words) > 1 and words[-1] in _ID_WORDS


def is_option_write_in(header: str) -> bool:
    """True for "What languages do you use in Jupyter? (other)", "Role - Other (please specify)": the write-in
    answer of a multiple-choice question that is not about problems. Such a column holds an option's name in
    the respondent's words (a language, a job title), not a comment."""
    return bool(_OTHER_WRITE_IN.search(str(header))) and not _PROBLEM_QUESTION.search(str(header))


def _contains_words(words: list[str], alias_norm: str) -> bool:
    alias_words = alias_norm.split("_")
    span = len(alias_words)
    return any(words[i:i + span] == alias_words for i in range(len(words) - span + 1))


def is_not_customer_text(header: str, question: str | None = None) -> bool:
    """True for headers such as ``replyContent``, ``Review_Title``, ``userName``, ``Hotel_Address``,
    and for questions that ask for a few words or a list rather than a comment."""
    if is_list_question(header, question):
        return True
    if asks_for_comment(header):
        return False
    return bool(set(normalise_header(header).split("_")) & _NOT_CUSTOMER_TEXT)


def is_list_question(header: str, question: str | None = None) -> bool:
    """True for "Which three words describe us?", "... (check all that apply)", "(marca todas las opciones)"."""
    return any(bool(_LIST_QUESTION.search(str(text))) for text in (header, question) if text)


#: A header of at least this many words is a survey question, not a field name.
_QUESTION_MIN_WORDS = 4
# A question is put to the respondent: a question mark, or "you" / "tell us" / "please" ("Comments from the agent
# about the ticket" is a field, not a question).
_ADDRESSED = re.compile(r"[?؟]|\b(you|your|tell us|please|vous|votre|tu|usted|du|dumneavoastr[aă]|voi)\b",
                        re.IGNORECASE)


def asks_for_comment(header: str) -> bool:
    """True for a survey question that asks for the respondent's own words: "What could we do to improve the
    app?", "What are the biggest pain points ...? (feel free to link to issues)". Words such as "app", "link",
    "name" or "agent" in such a sentence are its subject, not a sign that the column is a reply, a link or a
    name (the Spack 2022 survey's pain-points question was passed over for its "link")."""
    if len(normalise_header(header).split("_")) < _QUESTION_MIN_WORDS or not _ADDRESSED.search(str(header)):
        return False
    return any(re.search(pattern, str(header), re.IGNORECASE) for pattern, _ in QUESTIONS["text"])


#: Words of a date header that name a later event than the feedback itself: the support team's reply, an
#: update or an edit, the ticket's closing. Such a date ranks below the others (a Play Console export's
#: "Developer Reply Date and Time" was taken before "Review Submit Date and Time": trends showed when support
#: answered, not when customers wrote).
#: ("Response Date", "Date Answered" are a survey respondent's own: not listed.)
_LATER_EVENT_WORDS = frozenset({"reply", "replied", "developer", "agent", "update", "updated", "modified", "edited",
                                "changed", "last", "closed", "resolved", "solved", "due", "deleted"})


def is_later_event_date(header: str) -> bool:
    """True for ``Developer Reply Date and Time``, ``Review Last Update Date and Time``, ``Closed at``: a date of
    something after the feedback was given."""
    return bool(set(normalise_header(header).split("_")) & _LATER_EVENT_WORDS)


# A question asking the respondent for a date of their own life ("When did you start your contract", "Date of
# birth"): its answers are dates, but not when the feedback was given (a public LimeSurvey export's contract start
# dates made a 30-year trend of 351 months).
_ASKS_FOR_A_DATE = re.compile(r"\bwhen (did|do|were|was|will|have|had|are|is) you\b|\bsince when\b|\b(what|which|in "
                              r"what) year\b|\bbirth|\bborn\b|\bnaissance\b|\bnacimiento\b|\bgeburt|\bnascimento\b|"
                              r"\bquand (avez|êtes|etes)|\bcu[áa]ndo\b|\bwann\b|\bquando\b|\bc[âa]nd a[țt]i\b",
                              re.IGNORECASE)


def asks_for_a_date(header: str, question: str | None = None) -> bool:
    """True for "When did you start your contract", "Date of birth": a date the respondent gives as an answer."""
    return any(text and _ASKS_FOR_A_DATE.search(str(text)) for text in (header, question))


def is_subject_line(header: str) -> bool:
    """True for ``Subject``, ``Review_Title``, ``titre_avis``: a subject line or a title (see SUBJECT_WORDS)."""
    words = set(normalise_header(header).split("_"))
    return bool(words & SUBJECT_WORDS) and not (words & (_NOT_CUSTOMER_TEXT - SUBJECT_WORDS))


def is_ticket_reply(header: str, headers: list[str]) -> bool:
    """True for an ``answer`` / ``response`` / ``resolution`` column in a ticket export (another header names a
    ticket, subject, body, description, queue, priority...): the support team's reply, not the customer's."""
    words = set(normalise_header(header).split("_"))
    if not words & _REPLY_WORDS:
        return False
    return is_ticket_export([h for h in headers if h != header])


def is_ticket_export(headers: list[str]) -> bool:
    """True when a header names a ticket, subject, body, description, queue, priority...: a help desk's table."""
    return any(set(normalise_header(h).split("_")) & _TICKET_WORDS for h in headers)


def _clip(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "..."


_GRID_ITEM = re.compile(r"^(?P<question>.*?)\s*\[(?P<item>[^\]]+)\]\s*$")


def overall_first(scored: list[tuple[float, str, str]]) -> list[tuple[float, str, str]]:
    """Among the best-scoring columns of one grid question ("How would you rate ... [Spack documentation]",
    "... [Spack packages]", "... [Spack]"), the overall item first: the one whose item every other contains.
    (A public Google Forms survey's CSAT was read from its first sub-question, "[Spack documentation]".)"""
    if len(scored) < 2:
        return scored
    best = scored[0][0]
    grid = [(i, _GRID_ITEM.match(column)) for i, (score, column, _) in enumerate(scored) if score == best]
    grid = [(i, m) for i, m in grid if m]
    if len(grid) < 2 or len({m["question"] for _, m in grid}) != 1:
        return scored
    items = {i: m["item"].strip().lower() for i, m in grid}
    overall = [i for i, item in items.items() if all(item in other for other in items.values())]
    if len(overall) != 1 or overall[0] == 0:
        return scored
    return [scored[overall[0]]] + [entry for j, entry in enumerate(scored) if j != overall[0]]
