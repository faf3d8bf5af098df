"""The team's own taxonomy: named themes that comments are assigned to first.

A taxonomy file lists the themes a team already tracks. ``load_taxonomy``
reads it into a :class:`Taxonomy`; :class:`TaxonomyMatcher` (in
:mod:`cxtext.themes.taxonomy_match`, with the matching rule; re-exported here)
decides which comments belong to which taxonomy theme; :func:`embed_taxonomy`
embeds the taxonomy's phrases with the comments' embedder and
:func:`apply_taxonomy` turns a fitted :class:`cxtext.themes.ThemeModel` into
one whose themes are the taxonomy's (under their exact names,
``origin="taxonomy"``) plus the discovered themes that no taxonomy theme
claimed (``origin="discovered"``).

**File formats** (by extension):

* CSV / TSV / TXT (encoding and delimiter detected like comment files) and
  XLSX (first sheet): one row per theme. Columns (header case and spaces
  ignored): ``theme`` (required), ``description``, ``examples`` (example
  phrases separated by ``|``, any language the model reads) and ``parent``.
* YAML (``.yaml``/``.yml``): a list of mappings with those keys, or a
  mapping ``theme name -> {description, examples, parent}`` (``examples``
  a list or a ``|``-separated string; the value may be empty).

Bad files raise :class:`cxtext.errors.TaxonomyError` naming the file, the row
and the column: no ``theme`` column (the columns found are listed), an empty
``theme`` cell, the same theme twice (both rows), an empty file, an unknown
extension or an unreadable file.

The matching rule, how it was chosen and how well it does: :mod:`cxtext.themes.taxonomy_match`
(imported here, never the other way round).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from cxtext.errors import InputError, TaxonomyError
# the matching rule lives in taxonomy_match; its names stay importable from here (README, tests)
from cxtext.themes.taxonomy_match import (RELATIVE_RULE_MIN_COMMENTS, TaxonomyMatcher, default_rule,
                                          neighbours, prototypes)

__all__ = ["Taxonomy", "TaxonomyTheme", "TaxonomyMatcher", "load_taxonomy", "apply_taxonomy",
           "TAXONOMY_COLUMNS", "ORIGIN_TAXONOMY", "ORIGIN_DISCOVERED",
           # re-exported from taxonomy_match
           "prototypes", "neighbours", "default_rule", "RELATIVE_RULE_MIN_COMMENTS"]

#: Columns of :attr:`Taxonomy.frame` (and of a taxonomy file).
TAXONOMY_COLUMNS = ["theme", "description", "examples", "parent"]
ORIGIN_TAXONOMY = "taxonomy"
ORIGIN_DISCOVERED = "discovered"
EXAMPLE_SEPARATOR = "|"
_TABLE_EXTENSIONS = {".csv": "csv", ".tsv": "tsv", ".txt": "csv", ".xlsx": "xlsx"}
_YAML_EXTENSIONS = {".yaml", ".yml"}


@dataclass(frozen=True)
class TaxonomyTheme:
    """One theme of a team's taxonomy.

    ``theme``: the exact name used in every output; ``description``: optional
    free text; ``examples``: example phrases (any language); ``parent``:
    optional parent theme name (becomes ``parent_label`` in themes.csv).
    """

    theme: str
    description: str = ""
    examples: tuple[str, ...] = ()
    parent: str = ""

    def phrases(self) -> list[str]:
        """The texts whose embeddings make this theme's prototype: name (with description), then examples."""
        head = f"{self.theme}: {self.description}" if self.description else self.theme
        return [head, *self.examples]


@dataclass(frozen=True)
class Taxonomy:
    """A team's own themes, in file order (``source``: the file name, for messages)."""

    themes: tuple[TaxonomyTheme, ...]
    source: str = "taxonomy"

    def __post_init__(self) -> None:
        if not self.themes:
            raise TaxonomyError(f"{self.source}: the taxonomy has no themes. Add one row per theme under a "
                                "'theme' column.")
        seen: dict[str, int] = {}
        for i, t in enumerate(self.themes):
            if not isinstance(t, TaxonomyTheme) or not str(t.theme).strip():
                raise TaxonomyError(f"{self.source}: theme {i + 1} has no name; every theme needs a name.")
            key = t.theme.strip().casefold()
            if key in seen:
                raise TaxonomyError(f"{self.source}: theme {t.theme!r} is listed twice (themes {seen[key] + 1} "
                                    f"and {i + 1}); theme names must be unique.")
            seen[key] = i

    def __len__(self) -> int:
        return len(self.themes)

    @property
    def names(self) -> list[str]:
        return [t.theme for t in self.themes]

    @property
    def frame(self) -> pd.DataFrame:
        """One row per theme: ``theme``, ``description``, ``examples`` (list of str), ``parent``."""
        return pd.DataFrame([{"theme": t.theme, "description": t.description, "examples": list(t.examples),
                              "parent": t.parent} for t in self.themes], columns=TAXONOMY_COLUMNS)

    @classmethod
    def from_records(cls, records: Sequence[dict], source: str = "taxonomy") -> "Taxonomy":
        """Build from dicts with the keys of :data:`TAXONOMY_COLUMNS` (``examples``: list or "|"-string)."""
        rows = [{str(k).strip().lower(): v for k, v in dict(r).items()} for r in records]
        frame = pd.DataFrame(rows)
        return _from_frame(frame, source, first_row=1, row_word="theme")


# ----------------------------------------------------------------- loading
def _cell(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _examples(value) -> tuple[str, ...]:
    if isinstance(value, (list, tuple)):
        parts = [_cell(v) for v in value]
    else:
        parts = _cell(value).split(EXAMPLE_SEPARATOR)
    return tuple(p.strip() for p in parts if p and p.strip())


def _from_frame(frame: pd.DataFrame, source: str, first_row: int, row_word: str) -> Taxonomy:
    """Validate a frame of taxonomy rows; ``first_row``: number of its first row in the file's own terms."""
    columns = {re.sub(r"\s+", "_", str(c).strip().lower()): c for c in frame.columns}
    if "theme" not in columns:
        found = ", ".join(repr(str(c)) for c in frame.columns) or "none"
        raise TaxonomyError(f"{source}: no 'theme' column (columns found: {found}). Name the column that holds "
                            "the theme names 'theme'; 'description', 'examples' and 'parent' are optional.")
    if frame.empty:
        raise TaxonomyError(f"{source}: the 'theme' column has no rows. Add one row per theme.")
    themes, seen = [], {}
    for i, row in enumerate(frame.itertuples(index=False)):
        values = dict(zip(frame.columns, row))
        where = f"{row_word} {i + first_row}"
        name = _cell(values[columns["theme"]])
        if not name:
            raise TaxonomyError(f"{source}, {where}, column 'theme': the theme name is empty. Fill it in or "
                                "delete the row.")
        key = name.casefold()
        if key in seen:
            raise TaxonomyError(f"{source}, column 'theme': {name!r} appears twice ({row_word}s {seen[key]} and "
                                f"{i + first_row}); theme names must be unique. Merge the two rows.")
        seen[key] = i + first_row
        get = lambda col: values[columns[col]] if col in columns else None  # noqa: E731
        themes.append(TaxonomyTheme(theme=name, description=_cell(get("description")),
                                    examples=_examples(get("examples")), parent=_cell(get("parent"))))
    return Taxonomy(tuple(themes), source)


def _yaml_records(data, source: str) -> tuple[pd.DataFrame, str]:
    if isinstance(data, dict):
        rows = []
        for name, spec in data.items():
            if spec is None:
                spec = {}
            if not isinstance(spec, dict):
                raise TaxonomyError(f"{source}, theme {name!r}: expected a mapping with description, examples, "
                                    f"parent (or nothing); got {type(spec).__name__}.")
            rows.append({"theme": name, **{str(k).strip().lower(): v for k, v in spec.items()}})
        return pd.DataFrame(rows, columns=list(dict.fromkeys(["theme", *[k for r in rows for k in r]]))), "theme"
    if isinstance(data, list):
        bad = [i + 1 for i, item in enumerate(data) if not isinstance(item, dict)]
        if bad:
            raise TaxonomyError(f"{source}, item {bad[0]}: expected a mapping such as "
                                "{theme: Refunds, examples: [...]}; got a plain value.")
        rows = [{str(k).strip().lower(): v for k, v in item.items()} for item in data]
        return pd.DataFrame(rows, columns=list(dict.fromkeys(k for r in rows for k in r))), "item"
    raise TaxonomyError(f"{source}: a YAML taxonomy must be a list of themes or a mapping theme -> details; "
                        f"got {type(data).__name__}.")


def load_taxonomy(path: str | Path) -> Taxonomy:
    """Read a taxonomy file (CSV, TSV, TXT, XLSX or YAML); see the module docstring for the columns.

    Raises :class:`cxtext.errors.TaxonomyError` naming the file, the row and
    the column when the file cannot be used.
    """
    if isinstance(path, Taxonomy):
        return path
    path = Path(path)
    name = path.name
    if not path.is_file():
        raise TaxonomyError(f"{path}: taxonomy file not found. Check the path.")
    suffix = path.suffix.lower()
    if suffix not in _TABLE_EXTENSIONS and suffix not in _YAML_EXTENSIONS:
        raise TaxonomyError(f"{name}: a taxonomy must be a .csv, .tsv, .txt, .xlsx, .yaml or .yml file "
                            f"(got '{suffix or 'no extension'}').")
    data = path.read_bytes()
    if not data.strip():
        raise TaxonomyError(f"{name}: the file is empty. Write a 'theme' column with one theme per row.")
    if suffix in _YAML_EXTENSIONS:
        import yaml

        from cxtext.io.read import decode_bytes

        try:
            loaded = yaml.safe_load(decode_bytes(data)[0])
        except (yaml.YAMLError, InputError) as exc:
            raise TaxonomyError(f"{name}: not valid YAML ({str(exc).splitlines()[0]}). Check its indentation "
                                "and quotes.") from exc
        if loaded is None or loaded == [] or loaded == {}:
            raise TaxonomyError(f"{name}: the file is empty. List one theme per item.")
        frame, row_word = _yaml_records(loaded, name)
        return _from_frame(frame, name, first_row=1, row_word=row_word)
    from cxtext.io.read import read_table

    try:
        # a header alone is refused below with the taxonomy's own message ("the 'theme' column has no rows")
        table = read_table(path, format=_TABLE_EXTENSIONS[suffix], allow_empty=True)
    except InputError as exc:
        raise TaxonomyError(f"taxonomy {exc}") from exc
    # row numbers as a spreadsheet shows them: the header is row 1
    return _from_frame(table.frame, name, first_row=2, row_word="row")


# --------------------------------------------------------------- the model
def embed_taxonomy(taxonomy: Taxonomy, embedder) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """(phrase vectors, owning theme index per phrase, language per phrase) with the comments' embedder."""
    from cxtext.text.normalize import detect_language

    phrases, owner = [], []
    for t, theme in enumerate(taxonomy.themes):
        for phrase in theme.phrases():
            phrases.append(phrase)
            owner.append(t)
    vectors = np.asarray(embedder.encode(phrases), dtype=np.float64)
    return vectors, np.asarray(owner, dtype=np.int64), [detect_language(p) for p in phrases]


def apply_taxonomy(theme_model, taxonomy: Taxonomy, texts: Sequence[str], embeddings: np.ndarray,
                   languages: Sequence[str] | None, phrase_vectors: np.ndarray, phrase_theme: np.ndarray,
                   phrase_languages: Sequence[str] | None = None,
                   matcher: TaxonomyMatcher | None = None, rule: str = "auto") -> "TaxonomyMatcher":
    """Give a fitted ThemeModel the taxonomy's themes; returns the fitted matcher.

    ``texts`` / ``embeddings`` / ``languages``: the comments the model was
    fitted on (same order as its ``labels_``). The prototypes are centred by
    language like the comments (:meth:`ThemeModel._prepare`). Afterwards the
    model's theme ids are: taxonomy themes ``0..k-1`` in file order (size 0
    when nothing matched), then the unmatched discovered themes by size;
    ``labels_`` and ``secondary_labels_`` follow (see
    :meth:`cxtext.themes.ThemeModel.set_taxonomy_themes`). ``rule``: the
    pipeline's ``themes.taxonomy_rule`` ("auto": :func:`default_rule` by the
    number of comments), used when no ``matcher`` is given.
    """
    matcher = matcher or TaxonomyMatcher(rule=default_rule(len(texts)) if rule == "auto" else rule)
    P = theme_model._prepare(np.asarray(phrase_vectors, dtype=np.float64), phrase_languages)
    matcher.fit(prototypes(P, phrase_theme, len(taxonomy)), P, phrase_theme)
    E = theme_model._prepare(np.asarray(embeddings, dtype=np.float64), languages)
    assigned = matcher.predict(E, theme_model.labels_)
    theme_model.set_taxonomy_themes(taxonomy, assigned, matcher.prototypes_, list(texts), E, languages,
                                    set(matcher.cluster_matches_))
    theme_model.edits_[-1]["rule"] = matcher.rule  # summary.json says which rule matched, and whether it was asked for
    theme_model.edits_[-1]["rule_asked"] = rule
    # and which themes' examples agreed so closely that their nearest comments were taken as examples too
    theme_model.edits_[-1]["widened"] = [taxonomy.names[t] for t in sorted(getattr(matcher, "widened_", {}))]
    return matcher
