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
import subprocess
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import cxtext  # noqa: E402  (first: the one on PYTHONPATH, if any)

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from real_exports import tool_roles  # noqa: E402
from real_exports_heldout2 import score  # noqa: E402
from real_exports_sources import DATA_HELDOUT3, SOURCES_HELDOUT3  # noqa: E402


def main() -> int:
    roles = tool_roles()
    where = Path(cxtext.__file__).resolve().parent
    commit = subprocess.run(["git", "-C", str(where), "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True, check=False).stdout.strip()
    print(f"cxtext from {where} {commit}\n")
    print("| file | rows exp / read | " + " | ".join(roles) + " | roles ok | notes |")
    print("|---|---|" + "---|" * len(roles) + "---|---|")
    total_ok = total_n = failed_checks = 0
    for entry in SOURCES_HELDOUT3:
        result = score(entry, roles, DATA_HELDOUT3)
        if "error" in result:
            n = len(entry["roles"])  # every expected role counts as wrong when the file stops
            failed_checks += n
            print(f"| {entry['file']} | {entry['rows']} / – | " + " | ".join("–" for _ in roles)
                  + f" | 0/{n} | stopped: {result['error']} |")
            continue
        cells = []
        for role in roles:
            verdict, detail = result["verdicts"][role]
            cells.append("–" if verdict == "ok (none)" else (verdict if verdict.startswith("ok") else
                                                            f"**{verdict}** {detail}"))
        notes = "; ".join(result["notes"] + ([f"layout: {result['layout']}"] if result["layout"] else [])
                          + ([f"rating scale {result['scale']}"] if result["scale"] else []))
        rows = f"{entry['rows']} / {result['rows']}" + ("" if result["rows"] == entry["rows"] else " **(rows differ)**")
        print(f"| {entry['file']} | {rows} | " + " | ".join(cells) + f" | {result['ok']}/{result['n']} | {notes} |")
        total_ok += result["ok"]
        total_n += result["n"]
    print(f"\nRoles right: **{total_ok}/{total_n + failed_checks}** (files that stopped count every expected "
          f"role as wrong: {failed_checks}).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
