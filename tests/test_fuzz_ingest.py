"""Property tests: whatever the cells hold, every row is accounted for and
reading a file either works or raises a CxtextError, never anything else."""

from __future__ import annotations

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cxtext.errors import CxtextError
from cxtext.load import read_table
from cxtext.normalize import normalize
from cxtext.schema import ColumnMapping
from cxtext.validate import validate

cell = st.one_of(
    st.none(),
    st.text(max_size=60),
    st.integers(min_value=-1000, max_value=1000),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["9 - very likely", "n/a", "٩", "10.0", "\u200f\u200b", "🙂🙂", "=HYPERLINK(1)", "7.5"]),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(cell, cell, cell, cell, cell), min_size=0, max_size=25))
def test_every_row_gets_a_status(rows):
    raw = pd.DataFrame(rows, columns=["text", "nps", "ces", "csat", "date"], dtype=object)
    records = validate(raw, ColumnMapping(text="text", nps="nps", ces="ces", csat="csat", date="date"))
    assert len(records) == len(raw)
    assert set(records["status"]) <= {"analyzed", "rejected"}
    rejected = records[records["status"] == "rejected"]
    assert (rejected["reason"] != "").all()
    valid_nps = records.loc[records["scores_valid"], "nps"].dropna()
    assert valid_nps.between(0, 10).all()
    normalized = normalize(records)
    assert len(normalized) == len(raw)


@settings(max_examples=80, deadline=None)
@given(st.binary(max_size=400), st.sampled_from(["csv", "tsv", "json", "jsonl", "xlsx", "parquet"]))
def test_random_bytes_never_crash_the_reader(tmp_path_factory, data, extension):
    path = tmp_path_factory.mktemp("fuzz") / f"dump.{extension}"
    path.write_bytes(data)
    try:
        table = read_table(path)
    except CxtextError as exc:
        assert "dump." in str(exc)
    else:
        assert isinstance(table.frame, pd.DataFrame)
