"""Single-byte files: Windows-1252 punctuation, and a file mixing Latin-1 with DOS code page 850 letters (a public
French NPS export written by R: "gr\\x83ce", "all\\x82" beside Latin-1 "délai", decoded before as invisible control
characters, so that keywords came out broken, without a word)."""

from __future__ import annotations

import cxtext
from cxtext.io.codepages import decode_single_byte


def test_windows_1252_quotes_and_dashes_are_read_not_turned_into_control_characters():
    text, encoding = decode_single_byte("L\x92accueil était long \x96 trop long\x85".encode("latin-1"))
    assert (text, encoding) == ("L’accueil était long – trop long…", "cp1252")
    assert decode_single_byte("Délai trop long".encode("latin-1")) == ("Délai trop long", "latin-1")


def test_a_file_mixing_latin_1_and_cp850_letters_reads_both_and_says_so(tmp_path):
    rows = ["Le délai d'attente est trop long", "jesuis all\x82 aujourd'hui gr\x83ce au coupon",
            "Je reviens demain pour \x82change", "Très bon accueil, personnel aimable",
            "Caisse lente, d\x82j\x85 vu trois fois"] * 4
    path = tmp_path / "nps.csv"
    path.write_bytes(("id,nps,explication\n" + "\n".join(f'{i},{i % 11},"{r} ({i})"' for i, r in enumerate(rows)))
                     .encode("latin-1"))
    feedback = cxtext.load(path)
    assert feedback.table.encoding == "latin-1+cp850"
    texts = feedback.records["text"].tolist()
    assert "jesuis allé aujourd'hui grâce au coupon (1)" in texts and "Caisse lente, déjà vu trois fois (4)" in texts
    assert "Le délai d'attente est trop long (0)" in texts and "Très bon accueil, personnel aimable (3)" in texts
    assert "mixes two encodings" in feedback.table.note and "'allé'" in feedback.table.note
