"""Reading files and finding their columns: the first stages of the flow.

``read``          files (CSV, TSV, XLSX, JSON, JSONL, Parquet) into a raw frame: opens, decodes text, picks the
                  reader, then drops survey-tool header rows (:func:`read_table`, :func:`decode_bytes`)
``codepages``     single-byte text: which code page, and a file mixing Latin-1 with cp850 letters
``table``         :class:`LoadedTable` (what every reader returns) and the header cleaning they share
``delimited``     CSV and TSV;  ``json_records``  JSON and JSONL;  ``xlsx``  XLSX sheets
``layouts``       the extra header rows of Qualtrics, SurveyMonkey and the like
``dates``         dates with month names in 9 languages after a short phrase ("Rédigé le 6 décembre 2024"),
                  and relative dates ("a month ago") that are never read as dates
``cells``         one cell as an answer: a number ("9 - very likely"), satisfaction or a rating in words, no answer
``profile``, ``headers``, ``fits``, ``columns``  which column plays which role, judged by header and content
                  (``fits``: whether a column's values fit a role), with reasons
``scales``        the scale a rating column is on, from its values
``titles``        report title rows above a header
``warnings``      the warnings a summary gives rise to (a score column rejected in bulk, thin headline figures)

Imports flow codepages, table -> delimited, json_records, xlsx, layouts -> read; cells, dates -> profile -> scales, headers -> fits -> columns.
May import: ``cxtext.errors``, ``cxtext.schema``, pandas. Nothing else in cxtext.
"""
