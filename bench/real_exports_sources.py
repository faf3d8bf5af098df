"""Public feedback exports, written by nobody on this team, with the roles a reader should find.

    .venv/bin/python bench/real_exports_sources.py            # (re)create bench/data/real_exports/
    .venv/bin/python bench/real_exports_sources.py --list     # the manifest as a table
    .venv/bin/python bench/real_exports_sources.py --fixtures # also rewrite tests/fixtures/real_exports/
    .venv/bin/python bench/real_exports_sources.py --heldout2 # the second held-out batch (SOURCES_HELDOUT2)
    .venv/bin/python bench/real_exports_sources.py --heldout3 # the third held-out batch (SOURCES_HELDOUT3)
    .venv/bin/python bench/real_exports_sources.py --found    # found after them: a CFPB export cut short (SOURCES_FOUND)

Each file is copied byte for byte from a public GitHub repository (original
headers, delimiter, BOM, quoting and line endings kept). Big files are cut to
an excerpt of whole records: the header row(s) plus either the first N data
records (``"head"``) or every k-th data record (``"step"``, for files sorted
by score or label, so the excerpt keeps every class). Records are split on
newlines outside double quotes, so multi-line comments stay whole.

The data is not committed (``bench/data/real_exports/`` is git-ignored). A
script cannot call the ``fetch`` tool, so this one copies from the bare git
snapshots under ``/work/.mirror/<owner>+<name>/repo`` with
``git show COMMIT:PATH``, and names the repository to fetch for every
snapshot that is missing (``CXTEXT_MIRROR`` moves the folder).

What each entry says a reader should find (``bench/real_exports.py`` checks it):

``roles``
    role -> list of acceptable columns. ``text`` lists every comment column
    (any of them is right, the first is the main one). A role not listed must
    stay unmapped: mapping it is a false positive ("wrong").
``optional``
    roles for which "not mapped" is also right (``segment``, an ``id`` with
    no clear choice). ``"*"`` in a role's list accepts any column.
``either``
    groups of roles of which one is enough: a 1-5 star rating read as
    ``rating`` or as ``csat``; "On a scale of 0-10, how would you rate X?"
    read as ``nps`` or ``rating``. ``rating_scale`` is the star scale.
``scores``
    every numeric-looking column a detector could mistake for a score, with
    what it really is: ``nps`` 0-10, ``csat`` 1-5, ``rating`` (stars, with
    its scale), ``sentiment_label``, ``flag`` (0/1 or 1/blank), ``count``,
    ``other_0_10`` (a 0-10 question that is not the NPS question), ...
    A star rating mapped as ``nps`` is wrong (1-5 stars would all count as
    detractors).
``extra_header_rows``
    header rows a survey tool adds under the first one (Qualtrics: 2,
    SurveyMonkey and legacy Qualtrics: 1). They are not data.
``date_formats``
    the true format of each date column (``bench/real_exports.py`` parses the
    raw column with it and compares with the dates cxtext read).
``rows``
    data rows in the stored file (after the excerpt, extra header rows not
    counted): what ``len(cxtext.load(path).records)`` should be.
``held_out``
    ``True`` for the files added after the column detection was fixed on the
    others: their roles were written down from reading the file before cxtext
    ran on it, and ``bench/real_exports.py`` scores them in a table of their
    own (the out-of-sample figure). The first 14 files are in-sample.

JSON files (a top-level array, or one array under a key such as
``{"reviews": [...]}``) are cut by the same ``head``/``step`` rules, record by
record from the text, so each kept record keeps its bytes.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "bench" / "data" / "real_exports"
MIRROR = Path(os.environ.get("CXTEXT_MIRROR", "/work/.mirror"))

SOURCES: list[dict] = [
    {
        "file": "qualtrics_sample.csv",
        "repo": "ropensci/qualtRics",
        "commit": "71261227849c3518db6c855d3520f9db6ea1bd4c",
        "path": "tests/testthat/files/sample.csv",
        "licence": "MIT (LICENSE: 2019 Julia Silge, Jasper Ginn)",
        "kind": "Qualtrics CSV export, new format: short names / question text (German UI) / ImportId JSON",
        "languages": ["en", "de"],
        "date_formats": {
            "StartDate": "%Y-%m-%d %H:%M:%S",
            "EndDate": "%Y-%m-%d %H:%M:%S",
            "RecordedDate": "%Y-%m-%d %H:%M:%S",
        },
        "excerpt": None,
        "extra_header_rows": 2,
        "rows": 1,
        "roles": {
            "text": ["Q2"],
            "date": ["StartDate", "EndDate", "RecordedDate"],
            "id": ["ResponseId"],
            "source": ["DistributionChannel"],
            "segment": ["*"],
        },
        "optional": ["source", "segment"],
        "scores": [
            {"column": "Q1", "kind": "choice_code", "scale": "1-2"},
            {"column": "Progress", "kind": "percent", "scale": "0-100"},
            {"column": "Finished", "kind": "flag", "scale": "0/1"},
            {"column": "Status", "kind": "code", "scale": "0-16"},
        ],
        "notes": "One real response. 'Q2 - Topics' is Qualtrics Text iQ output, not a comment.",
    },
    {
        "file": "qualtrics_sample_legacy.csv",
        "repo": "ropensci/qualtRics",
        "commit": "71261227849c3518db6c855d3520f9db6ea1bd4c",
        "path": "tests/testthat/files/sample_legacy.csv",
        "licence": "MIT (LICENSE: 2019 Julia Silge, Jasper Ginn)",
        "kind": "Qualtrics CSV export, legacy format: V1..V10 names, then field names / question text",
        "languages": ["en", "de"],
        "date_formats": {"V8": "%Y-%m-%d %H:%M:%S", "V9": "%Y-%m-%d %H:%M:%S"},
        "excerpt": None,
        "extra_header_rows": 1,
        "rows": 1,
        "roles": {"text": ["Q2"], "date": ["V8", "V9"], "id": ["V1"], "segment": ["*"]},
        "optional": ["segment"],
        "scores": [
            {"column": "Q1", "kind": "choice_code", "scale": "1-2"},
            {"column": "V7", "kind": "code", "scale": "0-16"},
            {"column": "V10", "kind": "flag", "scale": "0/1"},
        ],
        "notes": "UTF-8 BOM; every line ends with a comma (an empty last column).",
    },
    {
        "file": "ggwash_anc_2022_surveymonkey.csv",
        "repo": "ajturner/dc-elections",
        "commit": "66255a2637e0fd8811ef76555fc858fd073133ca",
        "path": "src/assets/2022_anc.csv",
        "licence": "MIT (LICENSE: 2018, repository of Andrew Turner)",
        "kind": (
            "SurveyMonkey export (2 header rows: question, then 'Response'/'Open-Ended Response'/"
            "sub-labels; ranking grids); candidate questionnaire, some columns dropped and 'Endorsed' added "
            "by the repository author"
        ),
        "languages": ["en"],
        "excerpt": None,
        "extra_header_rows": 1,
        "rows": 180,
        "roles": {
            "text": [
                "Where in your Advisory Neighborhood Commission, not just your SMD, do you think "
                "density should be increased to accommodate the construction of new housing?",
                "Why do you think you are the right person to serve as an ANC commissioner for your SMD?",
                "*",
            ],
            "id": ["Respondent ID"],
            "segment": ["*"],
        },
        "optional": ["segment"],
        "scores": [{"column": "(ranking grid columns)", "kind": "rank", "scale": "1-8 or N/A"}],
        "notes": (
            "Public candidates' names, e-mails and links in columns 2-5: keep it out of commits. "
            "The header row has empty cells under grouped questions (SurveyMonkey's layout)."
        ),
    },
    {
        "file": "sudzilla_google_forms_nps.csv",
        "repo": "zzzbitz/prepbench",
        "commit": "074d071f6b6e6cc717f680bff7a531de70cf1cc6",
        "path": "data/case_040/inputs/input_01.csv",
        "licence": (
            "MIT (prepbench LICENSE, 2026 PrepBench Authors); data from the Preppin' Data "
            "2019 week 40 challenge, answers typed in by its community"
        ),
        "kind": (
            "Google Forms export: Timestamp, an NPS question with its '...why?' follow-up, two more 0-10 "
            "questions, words, food ratings as text"
        ),
        "languages": ["en"],
        "date_formats": {"Timestamp": "%m/%d/%Y %H:%M:%S"},
        "excerpt": None,
        "extra_header_rows": 0,
        "rows": 39,
        "roles": {
            "text": ["...why?"],
            "nps": ["On a scale of 0-10, how would you rate Sudzilla?"],
            "rating": ["On a scale of 0-10, how would you rate Sudzilla?"],
            "date": ["Timestamp"],
        },
        "either": [["nps", "rating"]],
        "optional": [],
        "scores": [
            {"column": "On a scale of 0-10, how would you rate Sudzilla?", "kind": "nps", "scale": "0-10"},
            {
                "column": "On a scale of 0-10, how would you rate the opening keynote?",
                "kind": "other_0_10",
                "scale": "0-10",
            },
            {
                "column": "On a scale of 0-10, how would you rate the closing keynote?",
                "kind": "other_0_10",
                "scale": "0-10",
            },
            {"column": "Timestamp", "kind": "date", "scale": "M/D/YYYY H:MM:SS"},
        ],
        "notes": "Three 0-10 columns; only the first is the recommend-style question its comment answers.",
    },
    {
        "file": "cbsco_store_nps.csv",
        "repo": "zzzbitz/prepbench",
        "commit": "074d071f6b6e6cc717f680bff7a531de70cf1cc6",
        "path": "data/case_050/inputs/input_03.csv",
        "licence": (
            "MIT (prepbench LICENSE, 2026 PrepBench Authors); data from the Preppin' Data "
            "2019 week 50 challenge"
        ),
        "kind": (
            "NPS survey export per store: 0-10 score, precomputed Promoter/Detractor/Passive flags, "
            "two follow-up comments (why not / why)"
        ),
        "languages": ["en"],
        "date_formats": {"Completion Date": "%d/%m/%Y %H:%M:%S"},
        "excerpt": None,
        "extra_header_rows": 0,
        "rows": 24,
        "roles": {
            "text": ["If you wouldn't, why?", "If you would, why?"],
            "nps": ["Would you recommend C&BSco to your friends and family? (Score 0-10)"],
            "date": ["Completion Date"],
            "segment": ["Country", "Store", "Result"],
        },
        "optional": ["segment"],
        "scores": [
            {
                "column": "Would you recommend C&BSco to your friends and family? (Score 0-10)",
                "kind": "nps",
                "scale": "0-10",
            },
            {"column": "Promoter", "kind": "flag", "scale": "1/blank"},
            {"column": "Detractor", "kind": "flag", "scale": "1/blank"},
            {"column": "Passive", "kind": "flag", "scale": "1/blank"},
            {"column": "Age of Customer", "kind": "age", "scale": "years"},
            {"column": "Completion Date", "kind": "date", "scale": "DD/MM/YYYY HH:MM:SS"},
        ],
        "notes": "UTF-8 BOM; day-first dates; the comment sits in one of two columns depending on the score.",
    },
    {
        "file": "autistica_google_form.csv",
        "repo": "alan-turing-institute/AutisticaCitizenScience",
        "commit": "612d9aaf6a813ef04c8048dd8c01a51e8ee0f707",
        "path": (
            "community-recommendations/google-form/"
            "Autistica_Turing Citizen Science Platform (Responses) - Form Responses 1(3).csv"
        ),
        "licence": "CC BY 4.0 (data; LICENSE of the Autistica/Turing Citizen Science Project)",
        "kind": "Google Forms export: Timestamp, consent, open question, multi-select, yes/no",
        "languages": ["en"],
        "date_formats": {"Timestamp": "%m/%d/%Y %H:%M:%S"},
        "excerpt": None,
        "extra_header_rows": 0,
        "rows": 42,
        "roles": {
            "text": [
                "Q1: What information would you like us to know about your needs, priorities, desires "
                "and concerns for the citizen science platform?"
            ],
            "date": ["Timestamp"],
        },
        "optional": [],
        "scores": [],
        "notes": "No score at all; 14 of 42 answers are empty; multi-line answers.",
    },
    {
        "file": "complaints_prepbench.csv",
        "repo": "zzzbitz/prepbench",
        "commit": "074d071f6b6e6cc717f680bff7a531de70cf1cc6",
        "path": "data/case_281/inputs/input_01.csv",
        "licence": "MIT (prepbench LICENSE, 2026 PrepBench Authors); data from a Preppin' Data challenge",
        "kind": (
            "Complaint / support-ticket export: ids, received and resolved dates, status, issue type, "
            "product category, description"
        ),
        "languages": ["en"],
        "date_formats": {"Date Received": "%d/%m/%Y", "Date Resolved": "%d/%m/%Y"},
        "excerpt": None,
        "extra_header_rows": 0,
        "rows": 53,
        "roles": {
            "text": ["Complaint Description"],
            "date": ["Date Received", "Date Resolved"],
            "id": ["Complaint ID"],
            "segment": ["Issue Type", "Product Category"],
        },
        "optional": ["segment"],
        "scores": [
            {"column": "Receipt Number", "kind": "identifier", "scale": "10 digits"},
            {"column": "Timely Response", "kind": "flag", "scale": "True/False"},
        ],
        "notes": "UTF-8 BOM; day-first dates; short template-like descriptions.",
    },
    {
        "file": "customer_support_tickets.csv",
        "repo": "VarshaPonduru/FUTURE_DS_02",
        "commit": "24f2b2b8583a6a500d14594d3a56839cd151f277",
        "path": "customer_support_tickets.csv",
        "licence": (
            "none stated in the repository; a copy of Kaggle's 'Customer Support Ticket Dataset' "
            "(suraj520), whose licence could not be checked offline: benchmark use only, not committed"
        ),
        "kind": (
            "Support-ticket export (Zendesk-like): ticket id, customer, product, type, subject, text, "
            "status, resolution, priority, channel, response times, CSAT 1-5 (two thirds empty)"
        ),
        "languages": ["en"],
        "date_formats": {
            "Date of Purchase": "%Y-%m-%d",
            "First Response Time": "%Y-%m-%d %H:%M:%S",
            "Time to Resolution": "%Y-%m-%d %H:%M:%S",
        },
        "excerpt": {"head": 2000},
        "extra_header_rows": 0,
        "rows": 2000,
        "roles": {
            "text": ["Ticket Description"],
            "csat": ["Customer Satisfaction Rating"],
            "date": ["Date of Purchase", "First Response Time", "Time to Resolution"],
            "source": ["Ticket Channel"],
            "id": ["Ticket ID"],
            "segment": ["Ticket Type", "Product Purchased", "Ticket Priority", "Ticket Subject"],
        },
        "optional": ["segment"],
        "scores": [
            {"column": "Customer Satisfaction Rating", "kind": "csat", "scale": "1-5 (as 1.0-5.0)"},
            {"column": "Customer Age", "kind": "age", "scale": "years"},
        ],
        "notes": "Synthetic text with '{product_purchased}' placeholders; multi-line descriptions.",
    },
    {
        "file": "saudi_tourism_reviews_ar.csv",
        "repo": "Raneem224/Tourist_Reviews_in-Saudi_Arabia",
        "commit": "46ee7f2d2860945533e33f52ce03943800238a7c",
        "path": "Saudi Tourism Reviews Sentiment Dataset.csv",
        "licence": "MIT (LICENSE: 2025 Raneem224)",
        "kind": "Google Maps reviews of Saudi attractions, semicolon-separated, with a sentiment label",
        "languages": ["ar"],
        "excerpt": {"step": 2},
        "extra_header_rows": 0,
        "rows": 1947,
        "roles": {"text": ["div_text"], "segment": ["city", "place"]},
        "optional": ["segment"],
        "scores": [
            {"column": "label", "kind": "sentiment_label", "scale": "0 negative / 1 positive / 2 neutral"}
        ],
        "notes": "UTF-8 BOM, ';' delimiter; header 'div_text' is a scraper's CSS class name.",
    },
    {
        "file": "red_v1_tweets_ro.csv",
        "repo": "Alegzandra/RED-Romanian-Emotions-Dataset",
        "commit": "ec8849dc5eabf0b3b4deefb3c4e45457f6104b10",
        "path": "REDv1/data/test.csv",
        "licence": "MIT (LICENSE: 2021 Alexandra Ciobotaru)",
        "kind": "Romanian tweets with an emotion label, saved by pandas with its index columns",
        "languages": ["ro"],
        "excerpt": None,
        "extra_header_rows": 0,
        "rows": 405,
        "roles": {"text": ["Tweet"], "segment": ["Emotion"], "id": ["*"]},
        "optional": ["segment", "id"],
        "scores": [
            {"column": "(first, unnamed)", "kind": "row_index", "scale": "0-404"},
            {"column": "Unnamed: 0", "kind": "row_index", "scale": "0-4046"},
            {"column": "Unnamed: 0.1", "kind": "row_index", "scale": "0-..."},
        ],
        "notes": "Empty first header cell; two 'Unnamed: 0' index columns from earlier pandas round trips.",
    },
    {
        "file": "red_v2_tweets_ro.json",
        "repo": "Alegzandra/RED-Romanian-Emotions-Dataset",
        "commit": "ec8849dc5eabf0b3b4deefb3c4e45457f6104b10",
        "path": "REDv2/data/test.json",
        "licence": "MIT (LICENSE: 2021 Alexandra Ciobotaru)",
        "kind": "JSON array of records: Romanian tweets with per-annotator multi-label emotion arrays",
        "languages": ["ro"],
        "excerpt": None,
        "extra_header_rows": 0,
        "rows": 818,
        "roles": {"text": ["text"], "id": ["text_id"]},
        "optional": ["id"],
        "scores": [
            {"column": "text_id", "kind": "identifier", "scale": "int"},
            {"column": "agreed_labels (and 5 more)", "kind": "label_arrays", "scale": "lists of 0/1"},
        ],
        "notes": "Pretty-printed JSON (one value per line); list-valued fields.",
    },
    {
        "file": "ethiopian_bank_play_reviews.csv",
        "repo": "robelterfessa/google-play-reviews-analysis",
        "commit": "2bb340eac259ec70608a47c13114fc787d0c9346",
        "path": "data/raw_reviews.csv",
        "licence": "none stated in the repository: benchmark use only, not committed",
        "kind": "Google Play review export (google-play-scraper, renamed columns) for three banks' apps",
        "languages": ["en", "am"],
        "date_formats": {"date": "%Y-%m-%d %H:%M:%S"},
        "excerpt": None,
        "extra_header_rows": 0,
        "rows": 1200,
        "roles": {
            "text": ["review"],
            "rating": ["rating"],
            "csat": ["rating"],
            "date": ["date"],
            "source": ["source"],
            "segment": ["bank"],
        },
        "either": [["rating", "csat"]],
        "rating_scale": "1-5",
        "optional": ["segment", "source"],
        "scores": [{"column": "rating", "kind": "rating", "scale": "1-5"}],
        "notes": "Short reviews, some in Amharic script; 'source' is always 'google_play'.",
    },
    {
        "file": "ethiopian_bank_play_reviews_enriched.csv",
        "repo": "Filimon-H/Google-Play-Store-Reviews",
        "commit": "b5d0b2013f1372a7ba21adf427892b67ce17f8ec",
        "path": "dashboard/data/reviews_final.csv",
        "licence": "MIT (LICENSE: 2025 Filimon Haylemariyam)",
        "kind": (
            "Google Play review export (google-play-scraper) enriched by its author's pipeline: VADER, "
            "DistilBERT sentiment labels and scores, theme lists, bank names and codes"
        ),
        "languages": ["en", "am"],
        "date_formats": {"review_date": "%Y-%m-%d", "created_at": "%Y-%m-%d %H:%M:%S.%f"},
        "excerpt": {"step": 4},
        "extra_header_rows": 0,
        "rows": 1823,
        "roles": {
            "text": ["review_text"],
            "rating": ["rating"],
            "csat": ["rating"],
            "date": ["review_date", "created_at"],
            "source": ["source"],
            "id": ["review_id"],
            "segment": ["bank_name", "bank_code", "primary_theme", "bank_id"],
        },
        "either": [["rating", "csat"]],
        "rating_scale": "1-5",
        "optional": ["segment", "source"],
        "scores": [
            {"column": "rating", "kind": "rating", "scale": "1-5"},
            {"column": "sentiment_score_vader", "kind": "sentiment_score", "scale": "0..1 (magnitude)"},
            {"column": "sentiment_score_distilbert", "kind": "model_confidence", "scale": "0.5..1"},
            {"column": "bank_id", "kind": "code", "scale": "1-3"},
            {"column": "review_id", "kind": "identifier", "scale": "int"},
        ],
        "notes": "'created_at' is the load time of the author's database, not the review's date.",
    },
    {
        "file": "x_google_play_reviews_id.csv",
        "repo": "YandaAzizHusein/playstore-review-sentiment-analysis",
        "commit": "1da9730ce8135fbf61e6714dc80661d4b0934327",
        "path": "ANALISIS SENTIMEN/x_google_play_reviews.csv",
        "licence": "none stated in the repository: benchmark use only, not committed",
        "kind": "Google Play review export (google-play-scraper 'score', 'content'), X app, Indonesian",
        "languages": ["id"],
        "excerpt": {"step": 13},
        "extra_header_rows": 0,
        "rows": 1924,
        "roles": {"text": ["content"], "rating": ["score"], "csat": ["score"]},
        "either": [["rating", "csat"]],
        "rating_scale": "1-5",
        "optional": [],
        "scores": [{"column": "score", "kind": "rating", "scale": "1-5"}],
        "notes": (
            "UTF-8 BOM; 5,000 reviews per star, sorted by star, hence the every-13th excerpt. "
            "The header 'score' is a star rating, not an NPS."
        ),
    },
    # ---- Held-out batch: added after the detector was fixed, roles written down from reading
    # ---- the files before cxtext ever saw them. bench/real_exports.py scores them separately.
    {
        "file": "keytrade_trustpilot_reviews.csv",
        "held_out": True,
        "repo": "jean-cheramy/keytrade-trustpilot-analysis",
        "commit": "c9e8fbf1cc040a64b05cfb9d787697fdaa96a912",
        "path": "src/data/dataset.csv",
        "licence": "none stated in the repository: benchmark use only, not committed",
        "kind": (
            "Trustpilot review scrape of a Belgian bank (tab-separated despite '.csv'): review text, "
            "stars, the bank's reply text and date, reviewer id/country/counts, title"
        ),
        "languages": ["fr", "nl", "en"],
        "date_formats": {"dates_publishedDate": "%Y-%m-%dT%H:%M:%S.%fZ"},
        "excerpt": None,
        "extra_header_rows": 0,
        "rows": 1027,
        "roles": {
            "text": ["text", "title"],
            "rating": ["rating"],
            "csat": ["rating"],
            "date": ["dates_publishedDate"],
            "id": ["consumer_id"],
            "segment": ["language", "consumer_countryCode"],
        },
        "either": [["rating", "csat"]],
        "rating_scale": "1-5",
        "optional": ["id", "segment"],
        "scores": [
            {"column": "rating", "kind": "rating", "scale": "1-5"},
            {"column": "likes", "kind": "count", "scale": "0-..."},
            {"column": "consumersReviewCountOnSameDomain", "kind": "count", "scale": "1-3"},
            {"column": "consumer_numberOfReviews", "kind": "count", "scale": "1-..."},
            {"column": "consumer_isVerified", "kind": "flag", "scale": "True/False"},
        ],
        "notes": (
            "'reply_message' is the bank's answer, not customer feedback; 'reply_publishedDate' is its date. "
            "Multi-line quoted reviews."
        ),
    },
    {
        "file": "korean_banks_app_store_reviews.csv",
        "held_out": True,
        "repo": "WinterLimited/banking-application-review",
        "commit": "5970ea8f0d166779417afc1652cddf779d855ed6",
        "path": "app_store_reviews.csv",
        "licence": "none stated in the repository: benchmark use only, not committed",
        "kind": (
            "Apple App Store review export (app-store-scraper: date, developerResponse, review, rating, "
            "isEdited, title, userName) plus platform and bank, six Korean banks' apps"
        ),
        "languages": ["ko"],
        "date_formats": {"date": "%Y-%m-%d %H:%M:%S"},
        "excerpt": None,
        "extra_header_rows": 0,
        "rows": 1600,
        "roles": {
            "text": ["review", "title"],
            "rating": ["rating"],
            "csat": ["rating"],
            "date": ["date"],
            "source": ["platform"],
            "segment": ["bank"],
            "id": ["userName"],
        },
        "either": [["rating", "csat"]],
        "rating_scale": "1-5",
        "optional": ["source", "segment", "id"],
        "scores": [
            {"column": "rating", "kind": "rating", "scale": "1-5"},
            {"column": "isEdited", "kind": "flag", "scale": "True/False"},
        ],
        "notes": (
            "'developerResponse' is the bank's reply as a Python dict literal ({'id': ..., 'body': ...}), "
            "empty for 706 rows: not a comment column. 'platform' is always 'App Store'."
        ),
    },
    {
        "file": "korean_banks_google_play_reviews.csv",
        "held_out": True,
        "repo": "WinterLimited/banking-application-review",
        "commit": "5970ea8f0d166779417afc1652cddf779d855ed6",
        "path": "google_play_reviews.csv",
        "licence": "none stated in the repository: benchmark use only, not committed",
        "kind": (
            "Google Play review export (google-play-scraper, all raw fields incl. replyContent/repliedAt) "
            "plus platform and bank, six Korean banks' apps"
        ),
        "languages": ["ko", "en"],
        "date_formats": {"at": "%Y-%m-%d %H:%M:%S"},
        "excerpt": None,
        "extra_header_rows": 0,
        "rows": 1323,
        "roles": {
            "text": ["content"],
            "rating": ["score"],
            "csat": ["score"],
            "date": ["at"],
            "id": ["reviewId"],
            "source": ["platform"],
            "segment": ["bank", "appVersion", "reviewCreatedVersion"],
        },
        "either": [["rating", "csat"]],
        "rating_scale": "1-5",
        "optional": ["source", "segment"],
        "scores": [
            {"column": "score", "kind": "rating", "scale": "1-5"},
            {"column": "thumbsUpCount", "kind": "count", "scale": "0-..."},
            {"column": "reviewCreatedVersion", "kind": "version", "scale": "x.y.z"},
            {"column": "appVersion", "kind": "version", "scale": "x.y.z"},
        ],
        "notes": (
            "'replyContent' is the bank's reply (580 empty), 'repliedAt' its date: neither is the "
            "customer's comment or the review date. 'platform' is always 'Google Play'."
        ),
    },
    {
        "file": "mexico_neobanks_app_store_reviews_es.csv",
        "held_out": True,
        "repo": "rodrigocantu/neobanking-market-analysis",
        "commit": "6ffca57a8ddb928525ad66ba5176cbbdd295cf5a",
        "path": "data/app_store_reviews.csv",
        "licence": "none stated in the repository: benchmark use only, not committed",
        "kind": (
            "App Store reviews of Mexican neobank apps saved by pandas: unnamed index column "
            "(per-page positions, not unique), App, Rating, Comment"
        ),
        "languages": ["es"],
        "excerpt": {"step": 3},
        "extra_header_rows": 0,
        "rows": 1956,
        "roles": {"text": ["Comment"], "rating": ["Rating"], "csat": ["Rating"], "segment": ["App"]},
        "either": [["rating", "csat"]],
        "rating_scale": "1-5",
        "optional": ["segment"],
        "scores": [
            {"column": "Rating", "kind": "rating", "scale": "1-5"},
            {"column": "(first, unnamed)", "kind": "row_index", "scale": "0-..., repeats (not an id)"},
        ],
        "notes": "Sorted by app, hence the every-3rd excerpt. No date and no id.",
    },
    {
        "file": "laroseda_test_ro.json",
        "held_out": True,
        "repo": "ancatache/LaRoSeDa",
        "commit": "162f4c8f4a10000f7a3b65436512212b3bb629fb",
        "path": "data_splitted/laroseda_test.json",
        "licence": (
            "CC BY-NC-SA 4.0 (LICENSE; 2021 Anca Maria Tache, Mihaela Gaman, Radu Tudor Ionescu): "
            "benchmark use only, not committed"
        ),
        "kind": (
            "Romanian product reviews (eMAG) as a JSON object {'reviews': [...]}: index, title, content, "
            "starRating as strings (1, 2, 4 or 5)"
        ),
        "languages": ["ro"],
        "excerpt": {"step": 2},
        "extra_header_rows": 0,
        "rows": 1500,
        "roles": {
            "text": ["content", "title"],
            "rating": ["starRating"],
            "csat": ["starRating"],
            "id": ["index"],
        },
        "either": [["rating", "csat"]],
        "rating_scale": "1-5",
        "optional": ["id"],
        "scores": [
            {"column": "starRating", "kind": "rating", "scale": "1-5 (no 3s; strings)"},
            {"column": "index", "kind": "identifier", "scale": "int as string"},
        ],
        "notes": (
            "The records sit under a 'reviews' key, not at the top level. Romanian without diacritics, "
            "lower-cased. Excerpt: every 2nd record, cut from the text so each record keeps its bytes."
        ),
    },
    # ---- Issue 23 batch: employer-review exports whose "cons" field holds both placeholder
    # ---- non-answers and long reviews about several things, with a 1-5 overall rating.
    # ---- Roles written down from reading the files before cxtext ran (held out).
    {
        "file": "glassdoor_uk_employers_reviews.csv",
        "held_out": True,
        "repo": "key-037/W132_Team-11-DSAI-Project",
        "commit": "b570226e5c6b01eec7810e133b86f346564c57d8",
        "path": "glassdoor_reviews.csv",
        "licence": (
            "none stated in the repository (a 9,999-row cut of the Kaggle 'Glassdoor Job Reviews' "
            "scrape, whose terms could not be checked offline): benchmark use only, not committed"
        ),
        "kind": (
            "Glassdoor employer reviews (Kaggle scrape layout): firm, day-first date, job title, "
            "employment status, location, overall 1-5 rating, six 1-5 sub-ratings, v/r/x/o codes for "
            "recommend / CEO / outlook, headline, pros, cons; 11 UK employers (ASDA, Accenture, ALDI, ...)"
        ),
        "languages": ["en"],
        "date_formats": {"date_review": "%d/%m/%Y"},
        "excerpt": {"step": 5},
        "extra_header_rows": 0,
        "rows": 2000,
        "roles": {
            "text": ["cons", "pros", "headline"],
            "rating": ["overall_rating"],
            "csat": ["overall_rating"],
            "date": ["date_review"],
            "segment": ["firm", "current", "job_title", "location"],
        },
        "either": [["rating", "csat"]],
        "rating_scale": "1-5",
        "optional": ["segment"],
        "scores": [
            {"column": "overall_rating", "kind": "rating", "scale": "1-5"},
            {"column": "work_life_balance", "kind": "aspect_rating", "scale": "1-5, blank"},
            {"column": "culture_values", "kind": "aspect_rating", "scale": "1-5, blank"},
            {"column": "diversity_inclusion", "kind": "aspect_rating", "scale": "1-5, mostly blank"},
            {"column": "career_opp", "kind": "aspect_rating", "scale": "1-5, blank"},
            {"column": "comp_benefits", "kind": "aspect_rating", "scale": "1-5, blank"},
            {"column": "senior_mgmt", "kind": "aspect_rating", "scale": "1-5, blank"},
        ],
        "notes": (
            "Sorted by firm then date, hence the every-5th excerpt. 'cons' is the complaint field: "
            "placeholders ('none that i can think of', 'None none none none none', Excel's '#NAME?' for "
            "a text that began with '-' or '+') beside multi-topic reviews (median 10 words, mean 25). "
            "CRLF line breaks inside quoted cells; LF between records."
        ),
    },
    {
        "file": "walmart_glassdoor_reviews.csv",
        "held_out": True,
        "repo": "vaibhavrastogi142/CIBC_ACP_Feature_Engineering",
        "commit": "7873a814eea1142813f94b67de6a8934694cfbe6",
        "path": "glassdoor_reviews.csv",
        "licence": "none stated in the repository: benchmark use only, not committed",
        "kind": (
            "Glassdoor (glassdoor.co.in) review scrape of Walmart: quoted title, review URL, date, "
            "rating 1.0-5.0, tenure sentence, 'Current Employee - <job>', Positive_Review / Negative_Review "
            "(lower-cased, punctuation mostly stripped), constant pos/neg flags, helpful votes, "
            "recommend / outlook / CEO texts; Windows-1252 encoded"
        ),
        "languages": ["en"],
        "date_formats": {"date": "%d %B %Y"},
        "excerpt": {"step": 4},
        "extra_header_rows": 0,
        "rows": 1747,
        "roles": {
            "text": ["Negative_Review", "Positive_Review", "Title"],
            "rating": ["Rating"],
            "csat": ["Rating"],
            "date": ["date"],
            "id": ["Title_link"],
            "segment": ["authorInfo", "Description_of_duration", "authorLocation_current", "author_location"],
        },
        "either": [["rating", "csat"]],
        "rating_scale": "1-5",
        "optional": ["id", "segment"],
        "scores": [
            {"column": "Rating", "kind": "rating", "scale": "1.0-5.0"},
            {"column": "pos_count", "kind": "constant", "scale": "always 1"},
            {"column": "neg_count", "kind": "constant", "scale": "always 0"},
        ],
        "notes": (
            "Pages scraped twice: 225 of the 6,986 rows repeat an earlier review (same URL). "
            "'Negative_Review' holds placeholders ('none that i can think of', 'nothing to say about for "
            "cons') beside long reviews of several things. 'UI_TEXT' is the 'Helpful (n)' button text."
        ),
    },
]


# Second held-out batch (2026-12-06): public files nobody on the team had used, chosen for layouts the
# first batches lack (XLSX, JSONL, a headerless Microsoft Forms CSV, semicolon Turkish with unquoted
# semicolons, a French scrape with French dates, a dirty Portuguese hotel table, a score-only NPS
# export). None states a licence: they live in bench/data/real_exports_heldout2/ (git-ignored) and are
# never committed. Expected roles were written down (bench/results/real_exports_heldout2.md) before
# cxtext ran on them; trendyol_comments_tr.csv was added after the fixes, to check one on a file it
# was not made on. `python bench/real_exports_heldout2.py` scores them. Extra keys: ``header`` False for a file without a header row.
DATA_HELDOUT2 = ROOT / "bench" / "data" / "real_exports_heldout2"

SOURCES_HELDOUT2: list[dict] = [
    {
        "file": "friands_tripadvisor_lyon_fr.csv",
        "repo": "berangerthomas/Friands",
        "commit": "6e7f31d8f5f489e78c317794baa5464527e075f7",
        "path": "data/avis.csv",
        "licence": "none stated in the repository: benchmark use only, not committed",
        "kind": (
            "TripAdvisor scrape of 10 Lyon restaurants, French: review id, restaurant id, user name, "
            "note 1.0-5.0, date as 'Rédigé le 6 décembre 2024', title, body (multi-line, emoji)"
        ),
        "languages": ["fr"],
        "date_formats": {},
        "excerpt": {"step": 3},
        "extra_header_rows": 0,
        "rows": 1525,
        "roles": {
            "text": ["contenu_avis", "titre_avis"],
            "rating": ["note_restaurant"],
            "csat": ["note_restaurant"],
            "date": ["date_avis"],
            "id": ["id_avis"],
            "segment": ["id_restaurant"],
        },
        "either": [["rating", "csat"]],
        "rating_scale": "1-5",
        "optional": ["segment", "date"],
        "scores": [
            {"column": "note_restaurant", "kind": "rating", "scale": "1.0-5.0"},
            {"column": "id_restaurant", "kind": "code", "scale": "1-10"},
        ],
        "notes": "Dates are French words after 'Rédigé le'; reading them is a bonus, a wrong date is not.",
    },
    {
        "file": "hotel_avaliacoes_pt.csv",
        "repo": "Giordano0155/hotel-data-analysis-pipeline",
        "commit": "e62d54eb5138b6ff1f8e77e65ebe6963e593042e",
        "path": "avaliacoes.csv",
        "licence": "none stated in the repository: benchmark use only, not committed",
        "kind": (
            "Portuguese hotel reviews table of a data-cleaning exercise: nota_geral / nota_limpeza / "
            "nota_atendimento / nota_custo_beneficio 0-10 with decimals and planted dirt (-3, 15, 'bom', "
            "'muito bom'), a templated comentario (10 distinct texts, 53 blank), data_avaliacao ISO"
        ),
        "languages": ["pt"],
        "date_formats": {"data_avaliacao": "%Y-%m-%d"},
        "excerpt": None,
        "extra_header_rows": 0,
        "rows": 685,
        "roles": {
            "text": ["comentario"],
            "rating": ["nota_geral"],
            "date": ["data_avaliacao"],
            "id": ["id_avaliacao"],
        },
        "either": [],
        "rating_scale": "0-10",
        "optional": ["id"],
        "scores": [
            {"column": "nota_geral", "kind": "rating", "scale": "0.0-10.0 (decimals; dirt)"},
            {"column": "nota_limpeza", "kind": "rating", "scale": "0.0-10.0"},
            {"column": "nota_atendimento", "kind": "rating", "scale": "0.0-10.0"},
            {"column": "nota_custo_beneficio", "kind": "rating", "scale": "0.0-10.0"},
            {"column": "id_reserva", "kind": "code", "scale": "1-1000"},
        ],
        "notes": "A 0-10 score with decimals is a rating, not the 0-10 'would you recommend' NPS question.",
    },
    {
        "file": "magaza_yorumlari_tr.csv",
        "repo": "Glayk/Magaza-yorumlari-ile-duygu-analizi",
        "commit": "66a1b4e0982868bb46ac0d8ba261f9c2aabf5df0",
        "path": "yorumlar.csv",
        "licence": "none stated in the repository: benchmark use only, not committed",
        "kind": (
            "Turkish store product reviews, UTF-8 BOM, ';'-separated and unquoted: duygu (Olumlu/Olumsuz, "
            "blank after row 1,599), veri (the review; 25 lines hold more ';' inside the text)"
        ),
        "languages": ["tr"],
        "date_formats": {},
        "excerpt": {"step": 3},
        "extra_header_rows": 0,
        "rows": 1991,
        "roles": {"text": ["veri"]},
        "either": [],
        "optional": [],
        "scores": [{"column": "duygu", "kind": "sentiment_label", "scale": "Olumlu/Olumsuz"}],
        "notes": "A ';' inside an unquoted review must not cut the review or drop the row.",
    },
    {
        "file": "google_maps_pharmacy_reviews.xlsx",
        "repo": "Serkan0YLDZ/GoogleMaps_Scraper",
        "commit": "3d09cfd81c9a000e63ae635250b33bdb0e01c168",
        "path": "data/reviews.xlsx",
        "licence": "none stated in the repository: benchmark use only, not committed",
        "kind": (
            "Google Maps review scrape (XLSX, one sheet) of 69 Queens NY pharmacies: Business Name, "
            "Reviewer Name, Review Text (1,187 blank: star-only reviews), Review Date relative "
            "('a month ago'), Photo URLs, Scraped At; no star column"
        ),
        "languages": ["en"],
        "date_formats": {},
        "excerpt": None,
        "extra_header_rows": 0,
        "rows": 3772,
        "roles": {"text": ["Review Text"], "segment": ["Business Name"], "date": ["Review Date", "Scraped At"]},
        "either": [],
        "optional": ["segment", "date"],
        "scores": [],
        "notes": (
            "'Scraped At' is when the page was read, not when the review was written; 'Review Date' is "
            "relative to it. Reviewer Name must not be read as a comment."
        ),
    },
    {
        "file": "nps_scores_only.csv",
        "repo": "julioverdugo/NPS",
        "commit": "85cfa45f7ab5039069df1c325a480bcc9326a6f3",
        "path": "nps_survey.csv",
        "licence": "none stated in the repository: benchmark use only, not committed",
        "kind": "In-app NPS survey export without any comment: is_admin 0/1, id, score 0-10, created_at, surveyed_at, sessions, messages",
        "languages": [],
        "date_formats": {"surveyed_at": "%Y-%m-%dT%H:%M:%SZ", "created_at": "%Y-%m-%dT%H:%M:%SZ"},
        "excerpt": {"step": 10},
        "extra_header_rows": 0,
        "rows": 2027,
        "roles": {"nps": ["score"], "date": ["surveyed_at", "created_at"], "id": ["id"], "segment": ["is_admin"]},
        "either": [],
        "optional": ["segment", "id"],
        "scores": [
            {"column": "score", "kind": "nps", "scale": "0-10"},
            {"column": "is_admin", "kind": "flag", "scale": "0/1"},
            {"column": "sessions", "kind": "count", "scale": "3-148"},
            {"column": "messages", "kind": "count", "scale": "0-827"},
        ],
        "notes": "No comment column: the user should be told so plainly (or get NPS only), never themes of ids.",
    },
    {
        "file": "trivago_restaurant_reviews.jsonl",
        "repo": "imamar94/trivago-recruitment",
        "commit": "c703564e3697d446f6b8722599e237e50b81d051",
        "path": "data/reviews.jsonl",
        "licence": "none stated in the repository: benchmark use only, not committed",
        "kind": "JSON Lines restaurant reviews of a recruitment exercise: restaurantId, reviewId (one repeated), text, rating 0-10 in halves, publishedAt ISO",
        "languages": ["en"],
        "date_formats": {"publishedAt": "%Y-%m-%dT%H:%M:%S.%fZ"},
        "excerpt": None,
        "extra_header_rows": 0,
        "rows": 32,
        "roles": {
            "text": ["text"],
            "rating": ["rating"],
            "date": ["publishedAt"],
            "id": ["reviewId"],
            "segment": ["restaurantId"],
        },
        "either": [],
        "rating_scale": "0-10",
        "optional": ["id", "segment"],
        "scores": [
            {"column": "rating", "kind": "rating", "scale": "0-10 (halves)"},
            {"column": "restaurantId", "kind": "code", "scale": "1-n"},
        ],
        "notes": "rating has halves (8.5): a review score, not the NPS question.",
    },
    {
        "file": "trendyol_comments_tr.csv",
        "repo": "serhatsgr/trendyol-yorum-analizi",
        "commit": "bc37e550b1bb282c589b7a42cb7221faab97ff49",
        "path": "uploads/comments.csv",
        "licence": "none stated in the repository: benchmark use only, not committed",
        "kind": "Trendyol product comments (Turkish, Selenium scrape): id, comments, label (empty in every row)",
        "languages": ["tr"],
        "date_formats": {},
        "excerpt": {"step": 2},
        "extra_header_rows": 0,
        "rows": 1608,
        "roles": {"text": ["comments"], "id": ["id"]},
        "either": [],
        "optional": ["id"],
        "scores": [],
        "notes": "Added after the fixes, to check the Turkish ş fix on a file it was not made on.",
    },
    {
        "file": "ms_forms_school_lunch_headerless.csv",
        "repo": "goacs2python/final-project-MatthewYu1492",
        "commit": "f141bafebcf9f2d972f25f641b88f360887d0af2",
        "path": "Quick Questions_ School Lunch.csv",
        "licence": "none stated in the repository: benchmark use only, not committed (holds names and e-mails)",
        "kind": (
            "Microsoft Forms export saved without its header row (UTF-8 BOM): Id, Start time, Completion "
            "time (M/D/YYYY H:MM), Email ('anonymous' or an address), Name, grade level (G9..), satisfaction "
            "1-10 ('10 is the highest'), 'Please explain your rating', 'areas to focus on', corner, "
            "'anything else' (headers known from the repository's surveyanalysis.py docstring)"
        ),
        "languages": ["en"],
        "date_formats": {},
        "excerpt": None,
        "header": False,
        "extra_header_rows": 0,
        "rows": 69,
        # without a header the columns can only be named by position (cxtext: column_1, column_2, ...)
        "roles": {
            "text": ["column_8", "column_9", "column_11"],
            "rating": ["column_7"],
            "date": ["column_2", "column_3"],
            "id": ["column_1"],
            "segment": ["column_6", "column_10"],
        },
        "either": [],
        "rating_scale": "1-10",
        "optional": ["rating", "id", "segment"],
        "scores": [{"column": "column_7", "kind": "rating", "scale": "1-10 ('10 is the highest')"}],
        "notes": (
            "Without a header the columns have no names: the right outcome is to keep the first response "
            "as data (69 rows, not 68) and name the columns so the user can map them, or a clear message."
        ),
    },
]


# Third held-out batch (2026-12-06): help-desk exports (a Freshdesk workbook whose first sheet is a pivot
# summary, Freshdesk's Excel 2003 XML ".xls" and its CSV), a ticket table with the agent's answer beside the
# customer's body, and 3,010 multilingual app-store reviews. None states a licence for its data (the Freshdesk
# files also hold customers' names and e-mail addresses): they live in bench/data/real_exports_heldout3/
# (git-ignored) and are never committed. Expected roles were written down (bench/results/
# real_exports_heldout3.md) before cxtext ran on them. `python bench/real_exports_heldout3.py` scores them.
# Extra key: ``sheet``, the workbook sheet that holds the answers (``rows`` counts that sheet's data rows).
DATA_HELDOUT3 = ROOT / "bench" / "data" / "real_exports_heldout3"

_FRESHDESK = "zyn10/Freshdesk-Ticket-Insights"
_FRESHDESK_COMMIT = "3c441176b9999514753c4c21def67b5e2c5e0854"
_FRESHDESK_LICENCE = ("none stated in the repository: benchmark use only, not committed (a company's real "
                      "Freshdesk tickets: customers' names and e-mail addresses)")
#: The roles of the Freshdesk export's columns, the same in its .xls and .csv forms.
_FRESHDESK_ROLES = {
    "text": ["Subject"],
    "csat": ["Survey results"],
    "date": ["Created time"],
    "id": ["Ticket ID"],
    "source": ["Source"],
    "segment": ["Type", "Group", "Priority", "Company Name", "Tags"],
}
_FRESHDESK_SCORES = [
    {"column": "Survey results", "kind": "csat", "scale": "words: Extremely satisfied ... Slightly dissatisfied"},
    {"column": "Agent interactions", "kind": "count", "scale": "0-16"},
    {"column": "Customer interactions", "kind": "count", "scale": "0-33"},
]

SOURCES_HELDOUT3: list[dict] = [
    {
        "file": "freshdesk_thingtrax_workbook.xlsx",
        "repo": _FRESHDESK,
        "commit": _FRESHDESK_COMMIT,
        "path": "Monthly Reporter/Requirements/Fresh_Desk_Tickets_December.xlsx",
        "licence": _FRESHDESK_LICENCE,
        "kind": (
            "Freshdesk ticket workbook of 13 sheets: 'Graphs' (first) and nine more are pivot tables (Row Labels, "
            "Count of Status, Grand Total); the tickets are on 'Master_data_Since_Jan' (1,183 x 30) and "
            "'Master_data_Dec' (90). Subject only, no body; 'Created time' split into 'Created' and 'time'"
        ),
        "languages": ["en"],
        "date_formats": {},
        "excerpt": None,
        "sheet": "Master_data_Since_Jan",
        "extra_header_rows": 0,
        "rows": 1183,
        "roles": {
            "text": ["Subject"],
            "csat": ["Survey results"],
            "date": ["Created"],
            "id": ["Ticket ID"],
            "source": ["Source"],
            "segment": ["Type", "Group", "Priority", "Company Name", "Tags"],
        },
        "either": [],
        "optional": ["csat", "segment", "date"],
        "scores": _FRESHDESK_SCORES,
        "notes": "The right outcome is the ticket sheet (or a message naming the sheets), never the pivot labels.",
    },
    {
        "file": "freshdesk_thingtrax_feb_spreadsheetml.xls",
        "repo": _FRESHDESK,
        "commit": _FRESHDESK_COMMIT,
        "path": "Monthly Reporter/Requirements/80000422910_tickets-February-04-2025-12_12.xls",
        "licence": _FRESHDESK_LICENCE,
        "kind": "Freshdesk 'Export as Excel': SpreadsheetML 2003 XML named .xls, one sheet, 21 tickets x 29 columns",
        "languages": ["en"],
        "date_formats": {},
        "excerpt": None,
        "extra_header_rows": 0,
        "rows": 21,
        "roles": _FRESHDESK_ROLES,
        "either": [],
        "optional": ["csat", "segment"],
        "scores": _FRESHDESK_SCORES,
        "notes": "Reading it, or one line saying what it is and how to save it, are both right; a traceback is not.",
    },
    {
        "file": "freshdesk_thingtrax_feb.csv",
        "repo": _FRESHDESK,
        "commit": _FRESHDESK_COMMIT,
        "path": "Monthly Reporter/Requirements/80000422910_tickets-February-04-2025-12_12(Sheet1).csv",
        "licence": _FRESHDESK_LICENCE,
        "kind": "The same 21 tickets as CSV: 29 columns, day-first dates ('25/01/2025 1:30'), one survey answer",
        "languages": ["en"],
        "date_formats": {"Created time": "%d/%m/%Y %H:%M"},
        "excerpt": None,
        "extra_header_rows": 0,
        "rows": 21,
        "roles": _FRESHDESK_ROLES,
        "either": [],
        "optional": ["csat", "segment"],
        "scores": _FRESHDESK_SCORES,
        "notes": "'Survey results' holds one answer ('Slightly dissatisfied') in 21 rows: never the comment column.",
    },
    {
        "file": "multilang_support_tickets.csv",
        "repo": "Ramsankar06/Customer-Support-Ticket-Cleaning-Annotation-System",
        "commit": "80565d905380ceb2408272d822d6695648774a26",
        "path": "aa_dataset-tickets-multi-lang-5-2-50-version.csv",
        "licence": (
            "none stated in the repository; a copy of the synthetic 'multilingual customer support tickets' set "
            "(CC BY-NC 4.0 at its origin, not checkable offline): benchmark use only, not committed"
        ),
        "kind": (
            "Ticket table: subject, body, answer (the agent's reply), type, queue, priority, language, version, "
            "tag_1..tag_8; 99 tickets (67 en, 32 de) then 2,543 lines of commas only; bodies hold literal '\\n'"
        ),
        "languages": ["en", "de"],
        "date_formats": {},
        "excerpt": None,
        "extra_header_rows": 0,
        "rows": 99,
        "roles": {
            "text": ["body", "subject"],
            "segment": ["queue", "type", "priority", "language"],
        },
        "either": [],
        "optional": ["segment"],
        "scores": [{"column": "version", "kind": "constant", "scale": "51 in every row"}],
        "notes": "'answer' is the support team's reply: themed as a comment it is wrong.",
    },
    {
        "file": "neobank_app_store_reviews.csv",
        "repo": "algerza/neobanks-topic-modelling",
        "commit": "28c8c33fff1d94d435363ce063598ce8feb54f80",
        "path": "app_store_reviews.csv",
        "licence": "none stated in the repository: benchmark use only, not committed",
        "kind": (
            "App Store reviews of four neobanks (n26, monzo, revolut, bunq) from several countries: a pandas "
            "index without a header (restarting per app), App, Rating 1.0-5.0, Comment (multi-line; en, es, it, "
            "fr, de, nl, pt...)"
        ),
        "languages": ["en", "es", "it", "fr", "de", "nl"],
        "date_formats": {},
        "excerpt": {"step": 3},
        "extra_header_rows": 0,
        "rows": 3010,
        "roles": {
            "text": ["Comment"],
            "rating": ["Rating"],
            "csat": ["Rating"],
            "segment": ["App"],
        },
        "either": [["rating", "csat"]],
        "rating_scale": "1-5",
        "optional": ["segment"],
        "scores": [{"column": "Rating", "kind": "rating", "scale": "1.0-5.0"},
                   {"column": "column_1", "kind": "index", "scale": "0-2579, repeating"}],
        "notes": "The unnamed index repeats: it is not an id.",
    },
]


# Found after the held-out batches (2026-12-07), looking for real complaint narratives: a CFPB Consumer
# Complaint Database export as a notebook repository stores it. The stored copy stops after 1 MiB, inside a
# narrative: a file cut short, which cxtext refused whole until then (it now reads the 2,067 whole rows and
# warns). Expected roles written after that first run. The data is a U.S. Government work (public domain):
# the CFPB publishes consumers' narratives with their consent, personal details replaced by XXXX.
DATA_FOUND = ROOT / "bench" / "data" / "real_exports_found"
SOURCES_FOUND: list[dict] = [
    {
        "file": "cfpb_complaints_cut_short.csv",
        "repo": "aravindsriraj/Data-Science-Task---Consumer-Complaints",
        "commit": "1b2ab3cc3b2a58df6fd787dcffb1147df69ce2b2",
        "path": "complaints.csv",
        "licence": ("U.S. Government work, public domain (CFPB Consumer Complaint Database, catalog.data.gov); "
                    "the repository states no licence of its own"),
        "kind": ("CFPB Consumer Complaint Database CSV export (18 columns: product, issue, sub-issue, narrative, "
                 "company, state, ZIP, dates, response), 81% of rows without a narrative; cut short inside a row"),
        "languages": ["en"],
        "date_formats": {"Date received": "%Y-%m-%d", "Date sent to company": "%Y-%m-%d"},
        "excerpt": None,
        "extra_header_rows": 0,
        "rows": 2067,
        "roles": {
            "text": ["Consumer complaint narrative"],
            "date": ["Date received"],
            "id": ["Complaint ID"],
            "segment": ["Product", "Sub-product", "Issue", "Company", "State"],
        },
        "optional": ["segment"],
        "scores": [{"column": "Complaint ID", "kind": "identifier", "scale": "int"}],
        "notes": ("The stored file ends inside a quoted narrative (line 3,302): the last row is unfinished. "
                  "'Issue' is the CFPB's own category of each complaint."),
    },
    {
        "file": "triage_complaints_pipe_column.csv",
        "repo": "harilight/complaint-categorization-and-triage-system",
        "commit": "656487c259660b90baaa8f3894b19c48734f70d9",
        "path": "database/original.csv",
        "licence": "MIT, (c) 2026 S R Harihara",
        "kind": ("e-commerce complaints labelled for triage (Complaint, Category, Urgency, and 'target' = "
                 "'Category | Urgency'): comma-separated, comments with commas quoted, one '|' in every row"),
        "languages": ["en"],
        "date_formats": {},
        "excerpt": None,
        "extra_header_rows": 0,
        "rows": 1336,
        "roles": {
            "text": ["Complaint"],
            "segment": ["Category", "Urgency", "target"],
        },
        "optional": ["segment"],
        "scores": [],
        "notes": ("Python's csv sniffer took '|' for the delimiter (one per row in 'target', while quoted commas "
                  "vary the comma count): the file could not be read until the delimiter had to split the "
                  "header too."),
    },
    {
        "file": "cantera_typeform_question_groups.csv",
        "repo": "Cantera/user-surveys",
        "commit": "ecbe475b5dffecf4c86d13e45c73fc56bd38861f",
        "path": "responses.csv",
        "licence": "BSD-3-Clause, (c) 2020 Cantera",
        "kind": ("Typeform export of a user survey (112 columns): a row of question groups above the header "
                 "(10 named cells, the rest blank), the header naming every option and question, 60 answers"),
        "languages": ["en"],
        "date_formats": {},
        "excerpt": None,
        "extra_header_rows": 1,
        "rows": 60,
        "roles": {
            "text": ["Why do you use Cantera in your job or school?",
                     "What question do you wish we had asked you? How would you have answered that question?"],
            "id": ["#"],
        },
        "optional": ["id"],
        "scores": [],
        "notes": ("Read as it was, the group row was the header, the real header an answer (themed and quoted "
                  "as a comment), and a 10-answer column the comments."),
    },
    {
        "file": "spack_user_survey_2022.csv",
        "repo": "spack/spack-user-survey",
        "commit": "14da786466f5c2e03b6c5ef90ba095cac0f8f07f",
        "path": "2022/data/spack-user-survey-2022-responses.csv",
        "licence": "Apache-2.0 OR MIT, (c) the Spack contributors",
        "kind": ("Google Forms export of a user survey (58 columns, 182 responses): grid questions answered "
                 "Horrible / Bad / OK / Good / Excellent, several open questions"),
        "languages": ["en"],
        "date_formats": {"Timestamp": "%m/%d/%Y %H:%M:%S"},
        "excerpt": None,
        "extra_header_rows": 0,
        "rows": 182,
        "roles": {
            "text": ["What are the biggest pain points in Spack for your workflow? (feel free to link to issues)",
                     "What's the biggest thing we could do to improve Spack over the next year?",
                     "Do you have any other comments for us?"],
            "csat": ["How would you rate the overall quality of ... [Spack]"],
            "date": ["Timestamp"],
        },
        "optional": [],
        "scores": [],
        "notes": ("Found by a new-user audit (2026-12-07): its 'Excellent' and 'Horrible' were rejected as not "
                  "numbers (fixed: word scales), and HDBSCAN put 288 of its 318 comments in one theme (fixed: the "
                  "small-corpus rule as a fallback), and its CSAT was read from the grid's first sub-question "
                  "('[Spack documentation]'; fixed: the overall item first). Not fixed: the pain-points question "
                  "is not taken as a comment column."),
    },
]


# Small excerpts committed as test fixtures (permissive licences only; attribution in
# tests/fixtures/real_exports/ATTRIBUTION.md): (fixture name, manifest file, excerpt).
FIXTURES_DIR = ROOT / "tests" / "fixtures" / "real_exports"
FIXTURES: list[tuple[str, str, dict | None]] = [
    ("qualtrics_sample.csv", "qualtrics_sample.csv", None),
    ("qualtrics_sample_legacy.csv", "qualtrics_sample_legacy.csv", None),
    ("sudzilla_google_forms_nps.csv", "sudzilla_google_forms_nps.csv", None),
    ("cbsco_store_nps.csv", "cbsco_store_nps.csv", None),
    ("autistica_google_form.csv", "autistica_google_form.csv", None),
    ("complaints_prepbench.csv", "complaints_prepbench.csv", None),
    ("saudi_tourism_reviews_ar_40.csv", "saudi_tourism_reviews_ar.csv", {"step": 49}),
    ("red_v1_tweets_ro_41.csv", "red_v1_tweets_ro.csv", {"step": 10}),
    ("ethiopian_bank_play_reviews_59.csv", "ethiopian_bank_play_reviews_enriched.csv", {"step": 31}),
    ("cfpb_complaints_cut_short.csv", "cfpb_complaints_cut_short.csv", {"tail": 100}),
    ("triage_complaints_pipe_column.csv", "triage_complaints_pipe_column.csv", {"head": 60}),
    ("cantera_typeform_question_groups.csv", "cantera_typeform_question_groups.csv", {"head": 15}),
    ("spack_user_survey_2022.csv", "spack_user_survey_2022.csv", None),
]


def mirror_dir(repo: str) -> Path:
    """The git directory of ``repo``'s snapshot: ``repo`` itself (bare) or ``repo/.git`` (some arrive so)."""
    base = MIRROR / repo.replace("/", "+") / "repo"
    if not (base / "HEAD").exists() and (base / ".git" / "HEAD").exists():
        return base / ".git"
    return base


def split_records(data: bytes) -> list[bytes]:
    """Split CSV bytes into whole records: a newline ends a record only outside double quotes."""
    records, start, quoted = [], 0, False
    for index, byte in enumerate(data):
        if byte == 0x22:  # '"'
            quoted = not quoted
        elif byte == 0x0A and not quoted:  # '\n'
            records.append(data[start : index + 1])
            start = index + 1
    if start < len(data):
        records.append(data[start:])
    return records


def json_excerpt(data: bytes, spec: dict) -> bytes:
    """Every k-th record of a pretty-printed JSON array (top level, or the one list of a wrapping
    object such as ``{"reviews": [...]}``), cut from the text so each record keeps its bytes."""
    import json
    import re

    start, end = data.index(b"[") + 1, data.rindex(b"]")
    body = data[start:end]
    separator = re.search(rb"\}\s*,\s*\{", body)
    if separator is None:
        return data
    sep = separator.group(0)
    pieces = body.split(sep)
    first, last = pieces[0], pieces[-1]
    lead = first[: first.index(b"{") + 1]  # whitespace and "{" before the first record
    trail = last[last.rindex(b"}") :]  # "}" and whitespace after the last record
    inner = [first[len(lead) :]] + pieces[1:-1] + [last[: len(last) - len(trail)]]
    if "step" in spec:
        inner = inner[:: spec["step"]]
    elif "head" in spec:
        inner = inner[: spec["head"]]
    else:
        raise ValueError(f"unknown excerpt {spec!r}")
    out = data[:start] + lead + sep.join(inner) + trail + data[end:]
    json.loads(out.decode("utf-8-sig"))  # still valid JSON
    return out


def excerpt(data: bytes, spec: dict | None, header_records: int) -> bytes:
    """The header records plus the chosen data records, byte for byte."""
    if not spec:
        return data
    if data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"[", b"{"):
        return json_excerpt(data, spec)
    records = split_records(data)
    header, body = records[:header_records], records[header_records:]
    body = [r for r in body if r.strip()]
    if "tail" in spec:  # the last whole records as they are, and an unfinished last one after them
        unfinished = 1 if body and body[-1].count(b'"') % 2 else 0
        return b"".join(header + body[-(spec["tail"] + unfinished):])
    if "head" in spec:
        body = body[: spec["head"]]
    elif "step" in spec:
        body = body[:: spec["step"]]
    else:
        raise ValueError(f"unknown excerpt {spec!r}")
    if body and not body[-1].endswith(b"\n"):
        body[-1] = body[-1] + (b"\r\n" if header and header[0].endswith(b"\r\n") else b"\n")
    return b"".join(header + body)


def data_rows(data: bytes, entry: dict) -> int:
    """Data records in a stored file (extra header rows not counted)."""
    if entry["file"].endswith(".jsonl"):
        return sum(1 for line in data.splitlines() if line.strip())
    if entry["file"].endswith(".xlsx"):
        import io

        import openpyxl

        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
        sheet = book[entry["sheet"]] if entry.get("sheet") else book.worksheets[0]
        rows = [r for r in sheet.iter_rows(values_only=True) if any(v is not None for v in r)]
        return len(rows) - 1 - entry["extra_header_rows"]
    if entry["file"].endswith(".xls"):  # Excel 2003 XML: one <ss:Row> per row, the header included
        return data.count(b"<ss:Row") - 1 - entry["extra_header_rows"]
    if entry["file"].endswith(".json"):
        import json

        value = json.loads(data.decode("utf-8-sig"))
        if isinstance(value, dict):  # {"reviews": [...]}: the records are the one list inside
            lists = [v for v in value.values() if isinstance(v, list)]
            if len(lists) == 1:
                return len(lists[0])
        return len(value)
    records = [r for r in split_records(data) if r.strip(b" \t\r\n,;")]  # a line of delimiters only is no row
    if records and records[-1].count(b'"') % 2:  # a file cut short: its unfinished last row is not read
        records = records[:-1]
    header = 1 if entry.get("header", True) else 0
    return len(records) - header - entry["extra_header_rows"]


def build(entries: list[dict] | None = None, out: Path = DATA) -> list[str]:
    """Write every file of the manifest into ``out``; return the repositories still to fetch."""
    out.mkdir(parents=True, exist_ok=True)
    missing: list[str] = []
    for entry in entries or SOURCES:
        git_dir = mirror_dir(entry["repo"])
        if not git_dir.is_dir():
            if entry["repo"] not in missing:
                missing.append(entry["repo"])
            print(f"MISSING  {entry['file']}: fetch github:{entry['repo']} (expected at {git_dir})")
            continue
        result = subprocess.run(
            ["git", "--git-dir", str(git_dir), "show", f"{entry['commit']}:{entry['path']}"],
            capture_output=True,
            check=False,
        )
        if result.returncode != 0:
            print(f"FAILED   {entry['file']}: {result.stderr.decode(errors='replace').strip()}")
            continue
        header = 1 if entry.get("header", True) else 0
        data = excerpt(result.stdout, entry.get("excerpt"), header + entry["extra_header_rows"])
        (out / entry["file"]).write_bytes(data)
        rows = data_rows(data, entry)
        check = "ok" if rows == entry["rows"] else f"MANIFEST SAYS {entry['rows']}"
        print(f"wrote    {entry['file']}: {len(data):,} bytes, {rows} data rows ({check})")
    return missing


def build_fixtures(out: Path = FIXTURES_DIR) -> None:
    """Write the committed fixtures: excerpts of the stored files, header and layout kept."""
    out.mkdir(parents=True, exist_ok=True)
    by_file = {e["file"]: (e, DATA) for e in SOURCES} | {e["file"]: (e, DATA_FOUND) for e in SOURCES_FOUND}
    for name, source_file, spec in FIXTURES:
        entry, data_dir = by_file[source_file]
        data = excerpt((data_dir / source_file).read_bytes(), spec, 1 + entry["extra_header_rows"])
        (out / name).write_bytes(data)
        print(f"fixture  {name}: {data_rows(data, entry)} data rows")


def table(entries: list[dict] | None = None) -> str:
    lines = [
        "| file | source (licence) | kind | languages | rows | expected roles |",
        "| --- | --- | --- | --- | ---: | --- |",
    ]
    for e in entries or SOURCES:
        roles = "; ".join(
            f"{role}: {' / '.join(cols)}" + (" (optional)" if role in e["optional"] else "")
            for role, cols in e["roles"].items()
        )
        roles += "".join(f"; one of {' / '.join(group)} is enough" for group in e.get("either", []))
        scores = "; ".join(f"{s['column']} = {s['kind']} {s['scale']}" for s in e["scores"])
        lines.append(
            f"| {e['file']}{' (held-out)' if e.get('held_out') else ''} | {e['repo']}@{e['commit'][:7]} `{e['path']}` ({e['licence']}) | "
            f"{e['kind']} | {', '.join(e['languages'])} | {e['rows']} "
            f"(+{e['extra_header_rows']} header) | {roles}. Scores: {scores or 'none'} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--list", action="store_true", help="print the manifest as a Markdown table")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument(
        "--heldout2",
        action="store_true",
        help="the second held-out batch (SOURCES_HELDOUT2) into bench/data/real_exports_heldout2/",
    )
    parser.add_argument(
        "--heldout3",
        action="store_true",
        help="the third held-out batch (SOURCES_HELDOUT3) into bench/data/real_exports_heldout3/",
    )
    parser.add_argument(
        "--found",
        action="store_true",
        help="the files found after the held-out batches (SOURCES_FOUND) into bench/data/real_exports_found/",
    )
    parser.add_argument(
        "--fixtures",
        action="store_true",
        help="also rewrite tests/fixtures/real_exports/ (small committed excerpts)",
    )
    args = parser.parse_args(argv)
    if args.list:
        print(table(SOURCES_FOUND if args.found else SOURCES_HELDOUT3 if args.heldout3
                    else SOURCES_HELDOUT2 if args.heldout2 else None))
        return 0
    if args.found:
        missing = build(SOURCES_FOUND, out=args.out or DATA_FOUND)
    elif args.heldout3:
        missing = build(SOURCES_HELDOUT3, out=args.out or DATA_HELDOUT3)
    elif args.heldout2:
        missing = build(SOURCES_HELDOUT2, out=args.out or DATA_HELDOUT2)
    else:
        missing = build(out=args.out or DATA)
    if args.fixtures and not missing:
        build_fixtures()
    if missing:
        print("\nFetch these repositories (the fetch tool: github:OWNER/NAME), then run this again:")
        for repo in missing:
            print(f"  github:{repo}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
