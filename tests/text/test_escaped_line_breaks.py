"""Line breaks written as backslash + n (a ticket table whose bodies were dumped from JSON: "Dear Customer
Support,\\n\\nI hope ..."): they become spaces before embedding and labelling, so "\\n\\nI hope" does not give
the keyword "ni" (seen as labels "ni submitting report regarding" on the third held-out batch, file D).
The sentences are written for this test.
"""

from __future__ import annotations

import pytest

from cxtext.text.normalize import clean_text


@pytest.mark.parametrize("raw, clean", [
    (r"The printer is offline,\n\nI restarted it\ntwice.\nStill nothing", "The printer is offline, I restarted it twice. Still nothing"),
    (r"Line one\r\nLine two", "Line one Line two"),
    (r"Meine Rechnung vom März,\n\nsie\nwurde doppelt abgebucht.", "Meine Rechnung vom März, sie wurde doppelt abgebucht."),
    (r"The file C:\new_folder\notes.txt is missing", r"The file C:\new_folder\notes.txt is missing"),
    (r"a\nb", r"a\nb"),  # nothing says it is a line break
    ("A real\nline break stays whitespace", "A real line break stays whitespace"),
])
def test_escaped_line_breaks(raw, clean):
    assert clean_text(raw) == clean
