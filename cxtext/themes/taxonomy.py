"""The team's own taxonomy: named themes that comments are assigned to first.

A taxonomy file lists the themes a team already tracks. ``load_taxonomy``
reads it into a :class:`Taxonomy`; :class:`TaxonomyMatcher` decides which
comments belong to which taxonomy theme; :func:`apply_taxonomy` turns a
fitted :class:`cxtext.themes.ThemeModel` into one whose themes are the
taxonomy's (under their exact names, ``origin="taxonomy"``) plus the
discovered themes that no taxonomy theme claimed (``origin="discovered"``).

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

**Matching rule** (``TaxonomyMatcher(rule="cluster")``, the default, chosen
on CLINC150 in ``bench/results/taxonomy.md``). Every comment of multilingual-e5
is 0.75-0.95 cosine from every other, so no absolute cosine separates "about
this theme" from "about something else"; the rule is relative to the dump:

1. Each taxonomy theme has one *prototype*: the normalised mean of the
   embeddings of its name (``"name: description"`` when a description is
   given) and of each example phrase, embedded with the same model and
   prefix as the comments and centred by language like them.
2. For prototype ``p`` the similarity of every comment is turned into a
   robust z-score against the dump itself: ``z = (cos - median) / (1.4826 *
   MAD)`` over all comments. Median and MAD (not mean and standard deviation)
   so that a theme covering a third of the dump still stands out from the
   rest of it.
3. **Clusters, not comments, are matched first**: the themes discovered by
   the usual clustering are each matched to the prototype with the highest z
   of their centroid, when that z is at least ``cluster_z`` (default 5.0)
   or its language-centred cosine at least ``cluster_cos`` (default 0.5):
   a dump made of a few far-apart topics spreads so widely that no z stands
   out, while its clusters sit close to their prototypes.
   The comments of a matched cluster then go to whichever taxonomy
   prototype they individually score highest on (a cluster can hold two
   neighbouring taxonomy themes).
4. Comments the clustering left unthemed join their best prototype when
   their own z is at least ``comment_z`` (default 4.0) or their cosine at
   least ``cluster_cos``.

Measured (``bench/results/taxonomy.md``: CLINC150 test+val, 8,600
queries; 15 of the 30 banking and credit-card intents as the taxonomy):
with names plus three example phrases this assigns 86.3% of the taxonomy
intents' queries to the right theme and pulls in 8.6% of the others (most
of them from the 15 sibling banking and credit-card intents), against
86.7% / 20.6% for a fixed cosine of 0.88, 82.4% / 9.6% at 0.90, and
82.0% / 6.5% for comment-level robust z >= 4; names alone reach 64.4% /
6.6% (a fixed cosine of 0.86: 55.6% / 8.1%). The NMI of the discovered
themes on the other intents stays at 0.894-0.898 (0.903 without a
taxonomy). ``cluster_z`` 4 pulls in 10.7-10.8%; 6 loses a fifth of the
names-only matches; hence 5.

``rule="cosine"`` (cosine to the prototype >= ``threshold``) and
``rule="centred"`` (cosine after subtracting the dump's mean vector >=
``threshold``) are kept for comparison (the benchmark runs them); they do
not need clusters.
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from cxtext.errors import InputError, NotFittedError, TaxonomyError, ValidationError

__all__ = ["Taxonomy", "TaxonomyTheme", "TaxonomyMatcher", "load_taxonomy", "apply_taxonomy",
           "TAXONOMY_COLUMNS", "ORIGIN_TAXONOMY", "ORIGIN_DISCOVERED"]

#: Columns of :attr:`Taxonomy.frame` (and of a taxonomy file).
TAXONOMY_COLUMNS = ["theme", "description", "examples", "parent"]
ORIGIN_TAXONOMY = "taxonomy"
ORIGIN_DISCOVERED = "discovered"
EXAMPLE_SEPARATOR = "|"
_TABLE_EXTENSIONS = {".csv": "csv", ".tsv": "tsv", ".txt": "csv", ".xlsx": "xlsx"}
_YAML_EXTENSIONS = {".yaml", ".yml"}
#: MAD -> standard deviation of a normal distribution.
_MAD_SCALE = 1.4826


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


# ----------------------------------------------------------------- matching
def _unit(A: np.ndarray) -> np.ndarray:
    A = np.asarray(A, dtype=np.float64)
    norms = np.linalg.norm(A, axis=-1, keepdims=True)
    return A / np.where(norms > 0, norms, 1.0)


def prototypes(phrase_vectors: np.ndarray, phrase_theme: Sequence[int], n_themes: int) -> np.ndarray:
    """One unit prototype per theme: the normalised mean of its phrases' unit vectors."""
    V = _unit(phrase_vectors)
    owner = np.asarray(phrase_theme, dtype=np.int64)
    out = np.zeros((n_themes, V.shape[1]))
    for t in range(n_themes):
        rows = owner == t
        if rows.any():
            out[t] = V[rows].sum(axis=0)
    return _unit(out)


class TaxonomyMatcher:
    """Assign comments to taxonomy themes, or -1 (see the module docstring for the rules).

    Parameters
    ----------
    rule : {"cluster", "cosine", "centred"}
        "cluster" (default): robust z of cluster centroids, then comments.
        "cosine": cosine to a prototype >= ``threshold``. "centred": cosine
        after subtracting the dump's mean vector >= ``threshold``.
    cluster_z : float
        Robust z a cluster centroid needs on a prototype (rule "cluster", default 5.0).
    cluster_cos : float
        ... or the (language-centred) cosine it needs (default 0.5): a dump of a few
        far-apart topics has so wide a spread that no z stands out.
    comment_z : float
        Robust z an unclustered comment needs (rule "cluster", default 4.0).
    threshold : float or None
        Cosine threshold of rules "cosine" (default 0.88) and "centred" (default 0.3).
    random_state : int
        Unused (the rules are deterministic); kept for the common API.

    Fitted attributes: ``prototypes_`` (k, dim) unit vectors. After
    :meth:`predict`: ``scores_`` (n, k) the per-comment score the rule uses
    (robust z, or cosine), ``cluster_matches_`` {cluster id: taxonomy index}.
    """

    def __init__(self, rule: str = "cluster", cluster_z: float = 5.0, cluster_cos: float = 0.5,
                 comment_z: float = 4.0, threshold: float | None = None, random_state: int = 0) -> None:
        self.rule = rule
        self.cluster_z = cluster_z
        self.cluster_cos = cluster_cos
        self.comment_z = comment_z
        self.threshold = threshold
        self.random_state = random_state

    def _validate(self) -> None:
        if self.rule not in ("cluster", "cosine", "centred"):
            raise ValidationError(f"The 'rule' parameter must be 'cluster', 'cosine' or 'centred'. Got {self.rule!r}.")
        for name in ("cluster_z", "cluster_cos", "comment_z"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(float(value)):
                raise ValidationError(f"The '{name}' parameter must be a finite number. Got {value!r} instead.")
        if self.threshold is not None and (isinstance(self.threshold, bool)
                                           or not isinstance(self.threshold, numbers.Real)
                                           or not -1.0 <= float(self.threshold) <= 1.0):
            raise ValidationError(f"The 'threshold' parameter must be a cosine in [-1, 1] or None. "
                                  f"Got {self.threshold!r} instead.")

    def fit(self, taxonomy_vectors: np.ndarray) -> "TaxonomyMatcher":
        """``taxonomy_vectors``: (k, dim) one prototype per taxonomy theme (see :func:`prototypes`)."""
        self._validate()
        P = np.asarray(taxonomy_vectors, dtype=np.float64)
        if P.ndim != 2 or P.shape[0] == 0 or not np.isfinite(P).all():
            raise ValidationError("'taxonomy_vectors' must be a finite 2-D array with one row per taxonomy theme.")
        self.prototypes_ = _unit(P)
        return self

    def predict(self, comment_vectors: np.ndarray, clusters: np.ndarray | None = None) -> np.ndarray:
        """Taxonomy index (0-based, file order) per comment, -1 when none matches.

        ``comment_vectors``: (n, dim), the whole dump (the rules are relative
        to it), in the same space as the prototypes. ``clusters``: (n,)
        discovered theme per comment (-1 unthemed); required by rule "cluster".
        """
        if not hasattr(self, "prototypes_"):
            raise NotFittedError("This TaxonomyMatcher is not fitted yet. Call 'fit' first.")
        X = _unit(comment_vectors)
        n, k = X.shape[0], self.prototypes_.shape[0]
        if X.ndim != 2 or X.shape[1] != self.prototypes_.shape[1]:
            raise ValidationError(f"comment vectors have shape {X.shape}; expected (n, {self.prototypes_.shape[1]}).")
        self.cluster_matches_ = {}
        if n == 0:
            self.scores_ = np.zeros((0, k))
            return np.zeros(0, dtype=np.int64)
        if self.rule in ("cosine", "centred"):
            P = self.prototypes_
            if self.rule == "centred":
                mean = X.mean(axis=0)
                X, P = _unit(X - mean), _unit(P - mean)
            S = X @ P.T
            self.scores_ = S
            threshold = float(self.threshold if self.threshold is not None else
                              (0.88 if self.rule == "cosine" else 0.3))
            return np.where(S.max(axis=1) >= threshold, S.argmax(axis=1), -1).astype(np.int64)
        if clusters is None:
            raise ValidationError("rule 'cluster' needs the discovered theme of every comment ('clusters').")
        clusters = np.asarray(clusters, dtype=np.int64)
        if clusters.shape != (n,):
            raise ValidationError(f"'clusters' must have one theme per comment ({n}). Got shape {clusters.shape}.")
        S = X @ self.prototypes_.T
        median = np.median(S, axis=0)
        mad = _MAD_SCALE * np.median(np.abs(S - median), axis=0)
        mad = np.where(mad > 1e-9, mad, max(float(S.std()), 1e-9))
        Z = (S - median) / mad
        self.scores_ = Z
        # prototypes differ in spread (a bare name vs a name with examples), so a comment picks by cosine
        best = S.argmax(axis=1)
        out = np.full(n, -1, dtype=np.int64)
        for c in sorted(int(c) for c in np.unique(clusters) if c >= 0):
            members = clusters == c
            centroid = _unit(X[members].mean(axis=0))
            cos = centroid @ self.prototypes_.T
            zc = (cos - median) / mad
            if float(zc.max()) >= float(self.cluster_z) or float(cos.max()) >= float(self.cluster_cos):
                self.cluster_matches_[c] = int(cos.argmax())
                out[members] = best[members]
        loose = (clusters < 0) & ((Z.max(axis=1) >= float(self.comment_z))
                                  | (S.max(axis=1) >= float(self.cluster_cos)))
        out[loose] = best[loose]
        return out


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
                   matcher: TaxonomyMatcher | None = None) -> "TaxonomyMatcher":
    """Give a fitted ThemeModel the taxonomy's themes; returns the fitted matcher.

    ``texts`` / ``embeddings`` / ``languages``: the comments the model was
    fitted on (same order as its ``labels_``). The prototypes are centred by
    language like the comments (:meth:`ThemeModel._prepare`). Afterwards the
    model's theme ids are: taxonomy themes ``0..k-1`` in file order (size 0
    when nothing matched), then the unmatched discovered themes by size;
    ``labels_`` and ``secondary_labels_`` follow (see
    :meth:`cxtext.themes.ThemeModel.set_taxonomy_themes`).
    """
    matcher = matcher or TaxonomyMatcher()
    P = theme_model._prepare(np.asarray(phrase_vectors, dtype=np.float64), phrase_languages)
    matcher.fit(prototypes(P, phrase_theme, len(taxonomy)))
    E = theme_model._prepare(np.asarray(embeddings, dtype=np.float64), languages)
    assigned = matcher.predict(E, theme_model.labels_)
    theme_model.set_taxonomy_themes(taxonomy, assigned, matcher.prototypes_, list(texts), E, languages,
                                    set(matcher.cluster_matches_))
    return matcher
