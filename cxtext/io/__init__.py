"""Reading files and finding their columns: the first stages of the flow.

``read``     files (CSV, TSV, XLSX, JSON, JSONL, Parquet) into a raw frame, survey-tool header rows skipped
``columns``  which column plays which role, judged by header and content, with the reasons

May import: ``cxtext.errors``, ``cxtext.schema``, pandas. Nothing else in cxtext.
"""
