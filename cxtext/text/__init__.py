"""Cleaning the comment text: the normalize stage of the flow.

``normalize``  the records' clean_text, language, text_hash, non_answer and duplicate_of columns
``placeholders`` non-answers and placeholders (listed in en/ar/ro, and learnt per file), with their reasons
``redact``     e-mails, phone numbers, cards (Luhn), IBANs (mod-97) and @handles masked before anything stores text;
               its card and phone rules in ``redact_numbers``, the characters all rules read in ``redact_chars``
``stopwords``  English, Arabic and Romanian stop words for theme labels
``mentions``   a comment split into mentions (sentences, clauses joining two topics) with their spans

May import: ``cxtext.errors``, ``cxtext.schema``, ``cxtext.store`` (the language cache). Never io, embed,
themes, drivers or the faces (analysis, cli, app).
"""
