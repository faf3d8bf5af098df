"""Cleaning the comment text: the normalize stage of the flow.

``normalize``  the records' clean_text, language, text_hash, non_answer and duplicate_of columns
``redact``     e-mails, phone numbers, cards (Luhn), IBANs (mod-97) and @handles masked before anything stores text
``stopwords``  English, Arabic and Romanian stop words for theme labels

May import: ``cxtext.errors``, ``cxtext.schema``, ``cxtext.store`` (the language cache). Never io, embed,
themes, drivers or the faces (analysis, cli, app).
"""
