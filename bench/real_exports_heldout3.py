"""Role checks on the third held-out batch of public exports (``SOURCES_HELDOUT3``), load only.

    .venv/bin/python bench/real_exports_sources.py --heldout3     # fetch-built data first
    .venv/bin/python bench/real_exports_heldout3.py                # prints a Markdown table

Scores ``cxtext.load(path)`` (defaults, as a user runs it: no sheet named) against the roles written down
before cxtext ran on the files, with ``bench/real_exports.py``'s verdicts, as ``bench/real_exports_heldout2.py``
does; a column that is not comments but was themed as one counts as a WRONG text role, and the rows read
are compared with the answers in the file (a pivot sheet read instead of the tickets, or 2,543 lines of
commas read as rows, differ). To score an older cxtext, put its source tree first on ``PYTHONPATH``
(``git archive COMMIT cxtext | tar -x -C /tmp/old``; ``PYTHONPATH=/tmp/old``).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import cxtext  # noqa: E402  (first: the one on PYTHONPATH, if any)

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from real_exports_heldout2 import print_table  # noqa: E402
from real_exports_sources import DATA_HELDOUT3, SOURCES_HELDOUT3  # noqa: E402


def main() -> int:
    print_table(SOURCES_HELDOUT3, DATA_HELDOUT3)
    return 0


if __name__ == "__main__":
    sys.exit(main())
