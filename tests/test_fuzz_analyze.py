"""Property tests over whole files and ``analyze``: hostile and broken inputs.

Every case must end either in a :class:`CxtextError` whose message names the
file, or in an analysis where every input row is accounted for (analysed or
rejected with a reason). Generated cases per run: 60 truncated files + 40
wrong extensions + 30 mixed encodings + 40 header shapes + 25 analyses of
hostile frames + the fixed extremes below (~200 in all, about a minute).

The analyses use a small deterministic embedder (vectors drawn from the text's
hash) so the fuzzing exercises input handling, not the language model.
"""

from __future__ import annotations

import hashlib
import io
import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cxtext
from cxtext.errors import CxtextError
from cxtext.io.read import read_table

FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


class HashEmbedder:
    """Stands in for the language model: same text, same unit vector."""

    model_id = "fuzz-hash-16"

    def encode(self, texts, progress=None):
        out = np.empty((len(texts), 16), dtype=np.float32)
        for i, text in enumerate(texts):
            seed = int.from_bytes(hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()[:8], "little")
            vector = np.random.default_rng(seed).normal(size=16)
            out[i] = vector / np.linalg.norm(vector)
        if progress is not None:
            progress(len(texts), len(texts))
        return out


VALID = pd.DataFrame({
    "comment": ["App crashes on login", "تم خصم المبلغ مرتين", "Aplicația se blochează", "Great support", "n/a"],
    "nps": [2, 1, 3, 10, 9],
    "date": ["2026-03-01", "01/03/2026", "3 March 2026", "2026-03-01T10:00:00Z", "yesterday"],
})


def _serialise(frame: pd.DataFrame, fmt: str) -> bytes:
    buffer = io.BytesIO()
    if fmt == "csv":
        return frame.to_csv(index=False).encode("utf-8")
    if fmt == "tsv":
        return frame.to_csv(index=False, sep="\t").encode("utf-8")
    if fmt == "json":
        return frame.to_json(orient="records", force_ascii=False).encode("utf-8")
    if fmt == "jsonl":
        return frame.to_json(orient="records", lines=True, force_ascii=False).encode("utf-8")
    if fmt == "xlsx":
        frame.to_excel(buffer, index=False)
    else:
        frame.to_parquet(buffer, index=False)
    return buffer.getvalue()


FORMATS = ["csv", "tsv", "json", "jsonl", "xlsx", "parquet"]
SERIALISED = {fmt: _serialise(VALID, fmt) for fmt in FORMATS}


def _read_or_clear_error(path):
    try:
        return read_table(path)
    except CxtextError as exc:
        assert path.name in str(exc), str(exc)
        return None


def _accounted(analysis, n_rows: int) -> None:
    records = analysis.records
    assert len(records) == n_rows
    assert records["row"].tolist() == list(range(1, n_rows + 1))
    summary = analysis.summary
    assert summary["rows_in"] == summary["rows_analyzed"] + summary["rows_left_out"] == n_rows
    assert summary["rows_left_out"] == summary["rows_rejected"] + summary["rows_blank"] + summary["rows_score_only"]
    rejected = records[records["status"] != "analyzed"]
    assert (rejected["reason"].astype(str).str.len() > 0).all()
    json.dumps(summary)


@settings(FUZZ, max_examples=60)
@given(st.sampled_from(FORMATS), st.floats(min_value=0.0, max_value=0.999))
def test_truncated_files_read_or_fail_clearly(tmp_path_factory, fmt, fraction):
    data = SERIALISED[fmt]
    path = tmp_path_factory.mktemp("cut") / f"export.{fmt}"
    path.write_bytes(data[: int(len(data) * fraction)])
    table = _read_or_clear_error(path)
    if table is not None:
        assert len(table.frame) <= len(VALID) + 1


@settings(FUZZ, max_examples=40)
@given(st.sampled_from(FORMATS), st.sampled_from(FORMATS))
def test_wrong_extensions_read_or_fail_clearly(tmp_path_factory, real, named):
    path = tmp_path_factory.mktemp("ext") / f"export.{named}"
    path.write_bytes(SERIALISED[real])
    _read_or_clear_error(path)


@settings(FUZZ, max_examples=30)
@given(st.lists(st.sampled_from(["utf-8", "cp1256", "cp1250", "latin-1"]), min_size=1, max_size=4))
def test_mixed_encodings_in_one_file(tmp_path_factory, encodings):
    lines = ["comment,nps"] + [f"{text},{score}" for text, score in
                               [("Factură greșită", 2), ("الدفع مرتين", 1), ("café trop cher", 5), ("ok", 9)]]
    data = b"".join((line + "\n").encode(encodings[i % len(encodings)], errors="replace")
                    for i, line in enumerate(lines))
    path = tmp_path_factory.mktemp("enc") / "mixed.csv"
    path.write_bytes(data)
    table = _read_or_clear_error(path)
    if table is not None:
        assert len(table.frame) == 4


@settings(FUZZ, max_examples=40)
@given(st.lists(st.sampled_from(["comment", "comment", "", " ", "nps", "NPS", "Unnamed: 0", "١", "😀"]),
                min_size=1, max_size=5))
def test_duplicate_and_empty_headers(tmp_path_factory, headers):
    rows = [",".join(f'"{h}"' for h in headers)] + [",".join(["App crashes", "3", "x", "y", "z"][: len(headers)])] * 3
    path = tmp_path_factory.mktemp("hdr") / "headers.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    table = _read_or_clear_error(path)
    if table is None:
        return
    assert len(set(table.frame.columns)) == len(table.frame.columns)  # headers made unique, never dropped
    try:
        analysis = cxtext.analyze(path, embedder=HashEmbedder(), cache_path=path.with_suffix(".sqlite"))
    except CxtextError as exc:
        assert "headers.csv" in str(exc) or "column" in str(exc).lower(), str(exc)
    else:
        _accounted(analysis, 3)


hostile_text = st.one_of(
    st.text(max_size=80),
    st.sampled_from([
        "", " ", "\u200b\u200f\u200e", "🙂🙂🙂", "👍", "مرحبا بكم في خدمة العملاء", "Factură\u00a0greșită",
        "=cmd|' /C calc'!A0", "+1+1", "-2", "@SUM(A1)", "</script><script>alert(1)</script>", "<b>bold</b>",
        "a" * 100_000, "n/a", "لا يوجد", "nimic", "\x00\x01\x02", "\ufffd",
    ]),
)
hostile_score = st.one_of(
    st.none(), st.integers(-5, 15), st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["9 - very likely", "10/10", "٧", "7.0", "7.5", "", "NaN", "inf", "-1", "ten"]),
)
hostile_date = st.one_of(
    st.none(),
    st.sampled_from(["2026-03-01", "01/03/2026", "03/01/2026", "1 March 2026", "2026-03-01T10:00:00+03:00",
                     "1709251200", "yesterday", "31/02/2026", "", "0000-00-00"]),
)


@settings(FUZZ, max_examples=25)
@given(st.lists(st.tuples(hostile_text, hostile_score, hostile_score, hostile_date), min_size=1, max_size=30))
def test_analyze_accounts_for_every_hostile_row(tmp_path_factory, rows):
    frame = pd.DataFrame(rows, columns=["comment", "nps", "ces", "date"], dtype=object)
    cache = tmp_path_factory.mktemp("an") / "cache.sqlite"
    try:
        analysis = cxtext.analyze(frame, text="comment", nps="nps", ces="ces", date="date",
                                  embedder=HashEmbedder(), cache_path=cache)
    except CxtextError as exc:
        assert str(exc)
        return
    _accounted(analysis, len(frame))
    assert analysis.records.loc[analysis.records["status"] == "analyzed", "nps"].dropna().between(0, 10).all()


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "parquet"])
def test_megabyte_cells_and_100k_character_comments(tmp_path, fmt):
    frame = pd.DataFrame({
        "comment": ["x" * 1_000_000, "word " * 20_000, "App crashes on login", "🙂" * 5_000],
        "nps": [1, 2, 3, 10],
    })
    if fmt == "xlsx":
        frame["comment"] = frame["comment"].str.slice(0, 32_767)  # Excel's own cell limit
    path = tmp_path / f"big.{fmt}"
    path.write_bytes(_serialise(frame, fmt))
    analysis = cxtext.analyze(path, embedder=HashEmbedder(), cache_path=tmp_path / "cache.sqlite")
    _accounted(analysis, 4)


# ----------------------------------------------------------------- odd file shapes (issue 18, point 6)
# The fixed shapes of tests/file_shapes.py (the real model runs them in tests/io/test_file_shapes.py),
# then random small tables written in every format: an Analysis with every row accounted for, or
# a CxtextError naming the file, never another exception.

from file_shapes import SHAPES, params  # noqa: E402


def _every_row_once(analysis, n_rows: int, skipped: int = 0) -> None:
    records, summary = analysis.records, analysis.summary
    assert records["row"].nunique() + skipped == n_rows
    assert set(records["status"]) <= {"analyzed", "rejected", "blank", "score_only"}
    assert summary["rows_analyzed"] + summary["rows_left_out"] == len(records)
    rejected = records[records["status"] != "analyzed"]
    assert (rejected["reason"].astype(str).str.len() > 0).all()
    json.dumps(summary, default=str)


@pytest.mark.parametrize("shape", params(SHAPES))
def test_odd_file_shapes_analyse_or_fail_clearly(tmp_path, shape):
    path = tmp_path / shape.filename
    shape.write(path)
    try:
        analysis = cxtext.analyze(path, embedder=HashEmbedder(), cache_path=tmp_path / "cache.sqlite", **shape.args)
    except CxtextError as exc:
        assert shape.outcome == "error", f"{shape.name}: {exc}"
        assert shape.filename in str(exc), str(exc)
        return
    assert shape.outcome == "outputs", f"{shape.name}: analysed, expected an error"
    _every_row_once(analysis, shape.rows)
    analysis.write(tmp_path / "out", formats=["csv", "xlsx", "json", "parquet"])
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert summary["theme_count"] > 0 or summary["no_themes_reason"]


SHAPE_HEADERS = ["comment", "comment", "nps", "NPS", "", " ", "Unnamed: 0", "comment_2", "feedback", "score",
                 "date", "id", "١", "😀", "=SUM(A1)"]


@st.composite
def small_tables(draw) -> pd.DataFrame:
    n_rows = draw(st.integers(min_value=0, max_value=4))
    headers = draw(st.lists(st.sampled_from(SHAPE_HEADERS), min_size=1, max_size=3))
    rows = [[draw(st.one_of(hostile_text, hostile_score)) for _ in headers] for _ in range(n_rows)]
    return pd.DataFrame(rows, columns=headers, dtype=object) if rows else pd.DataFrame(columns=headers)


def _write_table(frame: pd.DataFrame, path) -> None:
    fmt = path.suffix.lstrip(".")
    if fmt in ("csv", "tsv"):
        frame.to_csv(path, index=False, sep="\t" if fmt == "tsv" else ",")
        return
    if fmt == "xlsx":
        # Excel cells hold at most 32,767 characters; '=...' strings become formulas, as in Excel
        frame.map(lambda v: v[:32_000] if isinstance(v, str) else v).to_excel(path, index=False)
        return
    unique = frame.set_axis([f"{h}#{i}" for i, h in enumerate(frame.columns)], axis=1)
    if fmt == "json":
        unique.to_json(path, orient="records", force_ascii=False, default_handler=str)
    elif fmt == "jsonl":
        unique.to_json(path, orient="records", lines=True, force_ascii=False, default_handler=str)
    else:
        unique.astype("string").to_parquet(path, index=False)


@settings(FUZZ, max_examples=40)
@given(small_tables(), st.sampled_from(["csv", "tsv", "xlsx", "json", "jsonl", "parquet"]))
def test_random_small_tables_analyse_or_fail_clearly(tmp_path_factory, frame, fmt):
    folder = tmp_path_factory.mktemp("shape")
    path = folder / f"table.{fmt}"
    _write_table(frame, path)
    try:
        analysis = cxtext.analyze(path, embedder=HashEmbedder(), cache_path=folder / "cache.sqlite")
    except CxtextError as exc:
        assert "table." in str(exc) or "column" in str(exc).lower(), str(exc)
        return
    from cxtext.io.read import read_table

    table = read_table(path)
    _every_row_once(analysis, len(table.frame) + len(table.skipped_rows), len(table.skipped_rows))
    analysis.write(folder / "out")
