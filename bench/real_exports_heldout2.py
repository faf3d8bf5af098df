"""Role checks on the second held-out batch of public exports (``SOURCES_HELDOUT2``), load only.

    .venv/bin/python bench/real_exports_sources.py --heldout2     # fetch-built data first
    .venv/bin/python bench/real_exports_heldout2.py                # prints a Markdown table

Scores ``cxtext.load(path)`` (defaults, as a user runs it) against the roles written down before cxtext
ran on the files, with ``bench/real_exports.py``'s verdicts (ok, ok (alt), ok (none), WRONG, MISSING,
EXTRA), and compares the rows read with the rows in the file. To score an older cxtext, put its source
tree first on ``PYTHONPATH`` (``git archive COMMIT cxtext | tar -x -C /tmp/old``; ``PYTHONPATH=/tmp/old``):
``cxtext`` is imported before this folder's helpers, so theirs does not shadow it.
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

from real_exports import found_mapping, judge, rows_read, text_column_notes, tool_roles  # noqa: E402
from real_exports_sources import DATA_HELDOUT2, SOURCES_HELDOUT2  # noqa: E402


def score(entry: dict, roles: tuple[str, ...], data: Path = DATA_HELDOUT2) -> dict:
    path = data / entry["file"]
    try:
        feedback = cxtext.load(path)
    except Exception as error:  # noqa: BLE001 - a benchmark reports every failure and goes on
        return {"error": f"{type(error).__name__}: {str(error)[:150]}"}
    found = found_mapping(feedback.mapping)
    verdicts = judge(entry, found, roles)
    notes = text_column_notes(entry, found)[1]
    extra = [n for n in notes if n.startswith("also read as comments")]
    if extra and verdicts["text"][0].startswith("ok"):  # a column that is not comments themed with them
        verdicts["text"] = ("WRONG", extra[0])
    counted = {r: v for r, v in verdicts.items()
               if not (v[0] == "ok (none)" and r not in entry["roles"] and r not in entry.get("optional", []))}
    ok = sum(v[0].startswith("ok") for v in counted.values())
    scale = getattr(feedback, "rating_scale", None)
    return {"found": found, "verdicts": verdicts, "ok": ok, "n": len(counted),
            "rows": rows_read(feedback.records), "notes": notes,
            "layout": getattr(feedback.table, "layout", None),
            "scale": f"{scale.low}-{scale.high}" if scale is not None and found.get("rating") else None}


def print_table(sources: list[dict], data_dir: Path = DATA_HELDOUT2) -> tuple[int, int]:
    """Print the role-check table of ``sources``; returns (roles right, roles checked), where a file
    that stops counts every role it was expected to have as wrong."""
    roles = tool_roles()
    where = Path(cxtext.__file__).resolve().parent
    try:
        commit = subprocess.run(["git", "-C", str(where), "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True, check=False).stdout.strip()
    except OSError:
        commit = ""
    print(f"cxtext from {where} {commit}\n")
    print("| file | rows exp / read | " + " | ".join(roles) + " | roles ok | notes |")
    print("|---|---|" + "---|" * len(roles) + "---|---|")
    total_ok = total_n = 0
    for entry in sources:
        result = score(entry, roles, data_dir)
        if "error" in result:
            n = len(entry["roles"])  # every expected role counts as wrong when the file stops
            total_n += n
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
    print(f"\nRoles right: **{total_ok}/{total_n}** (a file that stops counts each role it was expected to have "
          "as wrong).")
    return total_ok, total_n


def main() -> int:
    print_table(SOURCES_HELDOUT2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
