"""Edit themes and Export tabs: rename, merge, delete, split, move, suggestions, saved theme models, downloads."""

from __future__ import annotations

import math
import re
import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import pandas as pd

from cxtext.errors import InputError
from app.tabs.common import _clip
from app.tabs.themes import _as_list, theme_choices


# --------------------------------------------------------------------------- edit, save, export


def themes_frame(analysis) -> pd.DataFrame:
    if analysis.themes.empty:
        return pd.DataFrame({"theme_id": [], "label": []})
    from app.tabs.themes import theme_count_table

    columns = ["theme_id", "label", "keywords"]
    if "origin" in analysis.themes and (analysis.themes["origin"] == "taxonomy").any():
        columns.insert(2, "origin")  # only when a taxonomy was used: "taxonomy" or "discovered"
    view = analysis.themes[columns].copy()
    counts = theme_count_table(analysis)
    # the one count every view shows (comments listed under the theme), the primary-theme count beside it
    view.insert(2, "comments", [int(counts["comments"].get(int(t), 0)) for t in view["theme_id"]])
    view.insert(3, "as main theme", [int(counts["main_theme"].get(int(t), 0)) for t in view["theme_id"]])
    view["keywords"] = ["; ".join(_as_list(k))[:120] for k in view["keywords"]]
    return view


UNTHEMED_CHOICE = ("(unthemed)", -1)


def move_targets(analysis) -> list[tuple[str, int]]:
    """Themes a comment can be moved to, and "(unthemed)" (-1)."""
    return theme_choices(analysis) + [UNTHEMED_CHOICE]


def parse_rows(text: str | None) -> list[int]:
    """Row numbers typed in the page: "3, 4, 9" or ranges "10-12" (the ``row`` column of the comments)."""
    rows: list[int] = []
    for part in re.split(r"[,;\s]+", (text or "").strip()):
        if not part:
            continue
        match = re.fullmatch(r"(\d+)(?:-(\d+))?", part)
        if not match:
            raise InputError(f"'{_clip(part, 20)}' is not a row number. Type the row numbers shown in the Themes "
                             "tab, separated by commas, e.g. 3, 4, 9 or 10-12.")
        low, high = int(match.group(1)), int(match.group(2) or match.group(1))
        if high < low or high - low > 10_000:
            raise InputError(f"'{part}' is not a usable range of rows; write it low-high, e.g. 10-12.")
        rows.extend(range(low, high + 1))
    if not rows:
        raise InputError("Type the row numbers to move (the 'row' column in the Themes tab), e.g. 3, 4, 9.")
    return list(dict.fromkeys(rows))


def split_theme(analysis, theme_id: Any, n: Any = None):
    """``Analysis.split_theme`` with the page's inputs; returns (edited analysis, message)."""
    if analysis is None:
        raise InputError("Run an analysis first.")
    if theme_id is None:
        raise InputError("Pick the theme to split.")
    parts = None
    if n not in (None, "") and not (isinstance(n, float) and math.isnan(n)):
        if float(n) != int(float(n)):
            raise InputError(f"The number of parts must be a whole number, e.g. 2. Got {n}.")
        parts = int(float(n))
    edited = analysis.split_theme(int(theme_id), n=parts)
    edit = edited.summary["edits"][-1]
    names = "; ".join(f"'{label}' ({size})" for label, size in zip(edit["labels"], edit["sizes"]))
    return edited, f"Split into {edit['n']} themes: {names}."


def move_comments(analysis, rows_text: str | None, target: Any):
    """``Analysis.move_comments`` with the page's inputs; returns (edited analysis, message)."""
    if analysis is None:
        raise InputError("Run an analysis first.")
    rows = parse_rows(rows_text)
    if target is None:
        raise InputError("Pick the theme to move the comments to (or (unthemed)).")
    edited = analysis.move_comments(rows, int(target))
    name = dict((v, k) for k, v in move_targets(analysis)).get(int(target), str(target))
    return edited, f"Moved {len(rows)} comment{'s' if len(rows) != 1 else ''} to {name}."


def find_suggestions(analysis) -> pd.DataFrame:
    """:func:`cxtext.themes.suggest.suggest_edits` on the analysis (empty without themes)."""
    from cxtext.themes.suggest import suggest_edits

    if analysis is None:
        raise InputError("Run an analysis first.")
    return suggest_edits(analysis)


def suggestions_view(suggestions: pd.DataFrame | None) -> pd.DataFrame:
    """The suggestions as shown: number, kind, themes, evidence, the parts a split would give, score."""
    columns = ["#", "kind", "themes", "evidence", "parts", "score"]
    if suggestions is None or suggestions.empty:
        return pd.DataFrame(columns=columns)
    rows = []
    for s in suggestions.to_dict("records"):
        parts = ""
        if s["kind"] == "split":
            parts = " | ".join(f"{label} ({size}): {', '.join(words[:4])}" for label, size, words in
                               zip(s["part_labels"], s["part_sizes"], s["part_keywords"]))
        rows.append({"#": int(s["suggestion"]), "kind": s["kind"],
                     "themes": " + ".join(f"{t} {label}" for t, label in zip(s["theme_ids"], s["labels"])),
                     "evidence": s["evidence"], "parts": parts, "score": round(float(s["score"]), 2)})
    return pd.DataFrame(rows, columns=columns)


def suggestion_choices(suggestions: pd.DataFrame | None) -> list[tuple[str, int]]:
    """(text, number) of each suggestion for the Apply picker."""
    if suggestions is None or suggestions.empty:
        return []
    return [(f"{int(s['suggestion'])}. {s['kind']} " + " + ".join(_clip(label, 40) for label in s["labels"]),
             int(s["suggestion"])) for s in suggestions.to_dict("records")]


def apply_suggestion(analysis, suggestions: pd.DataFrame | None, number: Any):
    """Apply suggestion ``number`` of ``suggestions`` (found on this very analysis); returns (edited, message)."""
    from cxtext.themes.suggest import apply_suggestion as apply

    if analysis is None:
        raise InputError("Run an analysis first.")
    if suggestions is None or suggestions.empty or number is None:
        raise InputError("Press 'Find suggestions', then pick one to apply.")
    match = suggestions[suggestions["suggestion"] == int(number)]
    if match.empty:
        raise InputError(f"There is no suggestion {number}; press 'Find suggestions' again.")
    row = match.iloc[0]
    edited = apply(analysis, row)
    if row["kind"] == "merge":
        return edited, f"Applied suggestion {int(number)}: merged {' and '.join(map(repr, row['labels']))}."
    return edited, (f"Applied suggestion {int(number)}: split {row['labels'][0]!r} into "
                    + " and ".join(repr(label) for label in edited.summary['edits'][-1]['labels']) + ".")


MODEL_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


def models_root() -> Path:
    from cxtext.embed import models_dir

    return models_dir()


def saved_models(root: Path | None = None) -> list[tuple[str, str]]:
    """(name, folder) of the saved theme models: sub-folders of models/ holding a model.json."""
    root = root or models_root()
    if not root.is_dir():
        return []
    return [(p.name, str(p)) for p in sorted(root.iterdir(), key=lambda p: p.name.lower())
            if (p / "model.json").is_file()]


def save_theme_model(analysis, name: str, root: Path | None = None) -> Path:
    from cxtext.errors import ValidationError

    if analysis is None or analysis.theme_model is None:
        raise ValidationError("There is no theme model to save: run an analysis that finds themes first.")
    name = (name or "").strip()
    if not MODEL_NAME.match(name) or name in (".", ".."):
        raise ValidationError(f"'{_clip(name, 40)}' cannot be a folder name. Use letters, digits, '-', '_' "
                              "or '.', at most 64 characters, e.g. 'q3-themes'.")
    root = root or models_root()
    target = root / name
    if target.exists():
        raise ValidationError(f"models/{name} already exists. Choose another name.")
    root.mkdir(parents=True, exist_ok=True)
    analysis.theme_model.save(target)
    return target


def unpack_theme_model(zip_path: str | Path, into: Path) -> Path:
    """Extract an uploaded theme-model zip safely; returns the folder holding model.json."""
    zip_path = Path(zip_path)
    if not zipfile.is_zipfile(zip_path):
        raise InputError(f"{zip_path.name}: is not a zip file. Upload the zip the Export tab gave you.")
    target = Path(tempfile.mkdtemp(prefix="model-", dir=into))
    with zipfile.ZipFile(zip_path) as archive:
        total = sum(info.file_size for info in archive.infolist())
        if total > 500 * 1024 * 1024:
            raise InputError(f"{zip_path.name}: unpacks to more than 500 MB; that is not a theme model.")
        for info in archive.infolist():
            destination = (target / info.filename).resolve()
            if not destination.is_relative_to(target.resolve()):
                raise InputError(f"{zip_path.name}: holds a path outside the archive ({info.filename}).")
        archive.extractall(target)
    found = sorted(target.rglob("model.json"), key=lambda p: len(p.parts))
    if not found:
        shutil.rmtree(target, ignore_errors=True)
        raise InputError(f"{zip_path.name}: has no model.json, so it is not a saved cxtext theme model.")
    return found[0].parent


def export_files(analysis, out_dir: Path) -> dict[str, Path]:
    """drivers.csv, drivers.xlsx, analysis.xlsx (full workbook), report.html, report.pptx and
    theme_model.zip in ``out_dir``."""
    from cxtext.export import write_xlsx
    from cxtext.report import write_report

    out_dir.mkdir(parents=True, exist_ok=True)
    written = {p.name: p for p in analysis.write(out_dir, formats=["csv", "xlsx"])}
    drivers_xlsx = write_xlsx({"drivers": analysis.drivers}, out_dir / "drivers.xlsx",
                              column_descriptions=analysis.drivers.attrs.get("column_descriptions", {}))
    files = {"drivers_csv": written["drivers.csv"], "drivers_xlsx": Path(drivers_xlsx),
             "workbook": written["analysis.xlsx"]}
    report_html, report_pptx = write_report(analysis, out_dir, ["html", "pptx"])
    files.update({"report_html": Path(report_html), "report_pptx": Path(report_pptx)})
    if analysis.theme_model is not None:
        model_dir = out_dir / "theme_model"
        analysis.theme_model.save(model_dir)
        files["theme_model"] = Path(shutil.make_archive(str(out_dir / "theme_model"), "zip", root_dir=out_dir,
                                                        base_dir="theme_model"))
    return files


def new_session_dir() -> Path:
    return Path(tempfile.mkdtemp(prefix="cxtext-session-"))


def remove_session_dir(path: str | Path | None) -> None:
    if path and Path(path).name.startswith("cxtext-session-"):
        shutil.rmtree(path, ignore_errors=True)
