"""Compressed exports read as the file inside them (a public pandas user survey ships as ``2019.csv.gz``; the
message said to 'pass format=', which the command line has no option for)."""

from __future__ import annotations

import bz2
import gzip
import zipfile

import pandas as pd
import pytest

import cxtext
from cxtext.errors import InputError

CSV = ("comment,nps\n" + "\n".join(f"Upgrading pandas broke my notebook number {i},{i % 11}" for i in range(30))
       + "\n").encode()


@pytest.mark.parametrize("name, pack", [
    ("survey.csv.gz", gzip.compress),
    ("survey.csv.bz2", bz2.compress),
])
def test_gzip_and_bzip2_files_are_read_as_the_file_inside(tmp_path, name, pack):
    path = tmp_path / name
    path.write_bytes(pack(CSV))
    feedback = cxtext.load(path)
    assert len(feedback.records) == 30 and feedback.mapping.text == "comment" and feedback.mapping.nps == "nps"
    assert feedback.records["nps"].tolist()[:3] == [0, 1, 2]


def test_a_zip_of_one_export_is_read_and_a_zip_of_several_is_refused_with_its_list(tmp_path):
    one = tmp_path / "export.zip"
    with zipfile.ZipFile(one, "w") as archive:
        archive.writestr("export/responses.csv", CSV)
        archive.writestr("__MACOSX/export/._responses.csv", b"\x00")
    assert len(cxtext.load(one).records) == 30
    several = tmp_path / "exports.zip"
    with zipfile.ZipFile(several, "w") as archive:
        archive.writestr("a.csv", CSV)
        archive.writestr("b.csv", CSV)
    with pytest.raises(InputError, match=r"exports.zip: a .zip of 2 files \(a.csv, b.csv\)\. Unzip it"):
        cxtext.load(several)


def test_a_damaged_archive_and_an_unknown_inner_format_say_what_to_do(tmp_path):
    bad = tmp_path / "survey.csv.gz"
    bad.write_bytes(b"not gzip at all")
    with pytest.raises(InputError, match="survey.csv.gz: could not be decompressed as gz"):
        cxtext.load(bad)
    doc = tmp_path / "notes.docx.gz"
    doc.write_bytes(gzip.compress(b"hello"))
    with pytest.raises(InputError, match=r"notes.docx: cannot tell the format .* Rename the file to end in .csv"):
        cxtext.load(doc)


def test_the_command_line_analyses_a_gzipped_export(tmp_path):
    from cxtext.cli import main

    path = tmp_path / "survey.csv.gz"
    path.write_bytes(gzip.compress(CSV))
    assert main(["analyze", str(path), "--out", str(tmp_path / "out"), "--no-history"]) == 0
    assert pd.read_csv(tmp_path / "out" / "assignments.csv").shape[0] == 30
