"""The Dask engine: ``cxtext analyze FILE_OR_GLOB --engine dask [--scheduler tcp://HOST:PORT]``.

Same stages and the same outputs as :func:`cxtext.analysis.run_pipeline`,
with the row-by-row work spread over Dask workers (see docs/dask.md):

1. **Read** the input as partitions: by default one partition per file of
   the glob, each read on a worker by :func:`cxtext.io.read.read_table` (so
   encodings, delimiters and header clean-up are exactly the local
   engine's); with ``blocksize`` CSV/TSV files are split into blocks by
   :func:`dask.dataframe.read_csv` and Parquet files into row groups by
   :func:`dask.dataframe.read_parquet` (only safe when no quoted cell holds
   a line break). Encoding and delimiter then come from the first file.
2. **Validate and normalise** each partition on its worker; row numbers are
   offset so ``row`` is the 1-based position in the whole input. Duplicate
   social posts are folded across partitions: each worker sends the keys of
   its social posts, the client keeps the first row per key and broadcasts
   that map back.
3. **Embed** each partition on its worker. A worker loads the model once
   and keeps it (with its embedding cache) for every partition it gets.
4. **Themes**: the client picks the rows :meth:`ThemeModel.fit` would learn
   from (all of them up to ``max_fit_size``, else the language-stratified
   sample of :meth:`~cxtext.themes.ThemeModel.sample_indices`), fetches only
   those vectors, fits, and the workers assign their other rows with the
   model's transform rule; :meth:`~cxtext.themes.ThemeModel.finish_sampled_fit`
   completes the model exactly as a local fit does. With ``themes=`` (a
   saved model) every row is assigned on the workers.
5. **Drivers and outputs** on the client, with the local engine's own
   functions, from the gathered records (vectors stay on the workers).

So the outputs equal the local engine's for the same input, seed and
embeddings. With the default backend ("auto": int8 ONNX, one text per call)
a comment's vector depends on its text alone, so they are. With a batched
backend ("torch", "onnx") an embedding depends very slightly (~1e-7) on which
texts share its batch, so with an empty cache the vectors can differ from a
local run by rounding; the themes then match in practice but are not
guaranteed bit for bit. With a shared cache they are identical.
"""

from __future__ import annotations

import glob as _glob
import io
import threading
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from cxtext.embed.choice import model_for
from cxtext.errors import ConfigError, InputError
from cxtext.io.columns import detect_columns
from cxtext.io.delimited import sniff_delimiter
from cxtext.io.read import EXTENSIONS, decode_bytes, read_table
from cxtext.io.table import LoadedTable
from cxtext.text.normalize import answer_key, normalize
from cxtext.text.placeholders import mark_non_answers
from cxtext.pipeline import PipelineConfig
from cxtext.schema import DEFAULT_CES_SCALE, STATUS_ANALYZED, ScoreScale
from cxtext.validate import validate

__all__ = ["run_pipeline_dask", "open_client", "DEFAULT_WORKERS"]

DEFAULT_WORKERS = 2
_HEAD_BYTES = 4 * 1024 * 1024


# ------------------------------------------------------------------ client
def open_client(scheduler: str | None = None, workers: int = DEFAULT_WORKERS, threads_per_worker: int = 1):
    """A Dask client: to ``scheduler`` (``tcp://HOST:PORT``), else a LocalCluster of ``workers`` processes.

    Returns ``(client, cluster)``; ``cluster`` is None for an external
    scheduler. Close both when done (the cluster first shuts its workers).
    """
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise InputError("the dask engine needs Dask: pip install 'cxtext[dask]'") from None
    if scheduler:
        try:
            return Client(scheduler, timeout="30s"), None
        except (OSError, TimeoutError) as exc:
            raise InputError(f"cannot reach the Dask scheduler at {scheduler} ({exc}). "
                             "Start one with 'dask scheduler' or omit --scheduler for a local cluster.") from exc
    if not isinstance(workers, int) or workers < 1:
        raise InputError(f"--workers must be a whole number >= 1. Got {workers!r} instead.")
    cluster = LocalCluster(n_workers=workers, threads_per_worker=threads_per_worker, processes=True,
                           dashboard_address=None)
    return Client(cluster), cluster


# ------------------------------------------------------------------- input
def input_files(pattern: str | Path) -> list[str]:
    """The files a path or glob names, sorted (their order is the row order)."""
    text = str(pattern)
    files = sorted(p for p in _glob.glob(text, recursive=True) if Path(p).is_file())
    if not files:
        raise InputError(f"{text}: no file matches. Pass a file or a glob such as 'exports/*.csv'.")
    return files


def _read_file(path: str) -> pd.DataFrame:
    # one file of a glob may be a header without rows (a quiet day): it adds no rows, no error
    return read_table(path, allow_empty=True).frame


def _describe_input(pattern: str, files: list[str], blocksize) -> tuple[LoadedTable, dict[str, Any]]:
    """What the summary says about the input (like LoadedTable for one file), and read options."""
    name = Path(pattern).name if len(files) > 1 else Path(files[0]).name
    first = Path(files[0])
    suffix = first.suffix.lower()
    fmt = EXTENSIONS.get(suffix)
    options: dict[str, Any] = {}
    encoding = delimiter = None
    if fmt in ("csv", "tsv"):
        with open(first, "rb") as stream:
            head = stream.read(_HEAD_BYTES)
        if len(head) == _HEAD_BYTES and b"\n" in head:
            head = head[: head.rfind(b"\n") + 1]
        text, encoding = decode_bytes(head)
        delimiter = "\t" if fmt == "tsv" else sniff_delimiter(text)
        options = {"encoding": encoding, "sep": delimiter, "header_text": text}
    if blocksize is not None and fmt not in ("csv", "tsv", "parquet"):
        raise InputError(f"{first.name}: only CSV, TSV and Parquet files can be split into blocks; "
                         "omit --partition-size to read one partition per file.")
    return LoadedTable(pd.DataFrame(), name, fmt or suffix.lstrip("."), encoding, delimiter), options


def _read_partitions(client, files: list[str], fmt: str, blocksize, options: dict[str, Any]) -> list:
    """Futures of raw pandas frames, in input order."""
    if blocksize is None:
        return client.map(_read_file, files, pure=False)
    import dask.dataframe as dd

    from cxtext.io.table import clean_headers

    if fmt == "parquet":
        ddf = dd.read_parquet(files)
        ddf = ddf.map_partitions(lambda f: clean_headers(f.astype(object), "parquet"),
                                 meta=ddf._meta.astype(object))
    else:
        header = pd.read_csv(io.StringIO(options["header_text"]), sep=options["sep"], dtype=str,
                             header=None, nrows=1, keep_default_na=False, na_filter=False, engine="python")
        names = list(clean_headers(pd.DataFrame(columns=list(header.iloc[0])), "csv").columns)
        # partitions are decoded by pandas: one code page each ("latin-1+cp850", a file mixing two, reads as
        # Latin-1 there; the local engine reads its cp850 letters)
        encoding = {"utf-8-sig": "utf-8", "latin-1+cp850": "latin-1"}.get(options["encoding"], options["encoding"])
        ddf = dd.read_csv(files, sep=options["sep"], encoding=encoding, dtype=str, keep_default_na=False,
                          na_filter=False, header=0, names=names, blocksize=blocksize, skip_blank_lines=True,
                          encoding_errors="replace")
    return client.compute(ddf.to_delayed())


# ----------------------------------------------------------- worker tasks
def _prepare(frame: pd.DataFrame, offset: int, mapping, scale: ScoreScale, source_name: str,
             normalize_params: dict[str, Any], rating_scale: ScoreScale | None = None) -> pd.DataFrame:
    """validate + normalize one partition; duplicates are folded and repeated placeholders found later,
    across partitions."""
    records = validate(frame.reset_index(drop=True), mapping, scale, source_name=source_name,
                       rating_scale=rating_scale)
    records["row"] = records["row"] + int(offset)
    params = dict(normalize_params)
    params["fold_duplicates"] = False
    params["whole_file"] = False  # the per-file placeholder rule runs once every part is in
    return normalize(records, **params)


def _social_keys(records: pd.DataFrame) -> list[tuple[str, int]]:
    """(duplicate key, row) of each analysed social post, in row order (as normalize folds them)."""
    mask = records["is_social"].to_numpy() & (records["status"] == STATUS_ANALYZED).to_numpy()
    return [(answer_key(t), int(r)) for t, r in zip(records.loc[mask, "clean_text"], records.loc[mask, "row"])]


def _fold(records: pd.DataFrame, first_row: dict[str, int]) -> pd.DataFrame:
    out = records.copy()
    result: list[int | None] = []
    for row, social, status, text in zip(out["row"], out["is_social"], out["status"], out["clean_text"]):
        first = first_row.get(answer_key(text)) if social and status == STATUS_ANALYZED else None
        result.append(first if first is not None and first != int(row) else None)
    out["duplicate_of"] = pd.array(result, dtype="Int64")
    return out


def _rows_to_embed(records: pd.DataFrame) -> np.ndarray:
    from cxtext.theming import rows_to_embed as rows

    return rows(records)


_MODELS: dict[tuple, Any] = {}
_CACHES: dict[str | None, Any] = {}
_EMBEDDERS_LOCK = threading.Lock()


def worker_embedder(model: str, batch_size: int, cache_path: str | None, backend: str = "auto"):
    """This process's cached embedder: the model is loaded on first use and kept for every
    later partition (and every later analysis run on the same worker); one cache connection per file."""
    from cxtext.embed import CachedEmbedder, SentenceTransformerEmbedder
    from cxtext.store import EmbeddingCache

    with _EMBEDDERS_LOCK:
        key = (model, int(batch_size), backend)
        if key not in _MODELS:
            _MODELS[key] = SentenceTransformerEmbedder(model=model, batch_size=batch_size, backend=backend)
        if cache_path not in _CACHES:
            _CACHES[cache_path] = EmbeddingCache(Path(cache_path) if cache_path else None)
        return CachedEmbedder(_MODELS[key], _CACHES[cache_path])


def _embed(records: pd.DataFrame, model: str, embed_batch_size: int, cache_path: str | None,
           backend: str = "auto") -> dict[str, Any]:
    texts = records.loc[_rows_to_embed(records), "clean_text"].tolist()
    embedder = worker_embedder(model, embed_batch_size, cache_path, backend)
    if not texts:
        return {"vectors": np.zeros((0, 0), dtype=np.float32), "hits": 0, "misses": 0}
    vectors = embedder.encode(texts)
    return {"vectors": vectors, "hits": int(embedder.last_hits_), "misses": int(embedder.last_misses_)}


def _languages(records: pd.DataFrame) -> list[str]:
    return records.loc[_rows_to_embed(records), "language"].tolist()


def _take(embedded: dict[str, Any], rows: np.ndarray) -> np.ndarray:
    return embedded["vectors"][rows]


def _assign(embedded: dict[str, Any], records: pd.DataFrame, skip: np.ndarray, model) -> tuple:
    """The transform rule on this partition's embedded rows outside ``skip`` (the fit sample)."""
    vectors = embedded["vectors"]
    keep = np.ones(vectors.shape[0], dtype=bool)
    keep[skip] = False
    languages = [lang for lang, k in zip(_languages(records), keep) if k]
    if not keep.any():
        return np.zeros(0, dtype=np.int64), []
    out = model.transform(None, vectors[keep], languages)
    secondary = [[int(t) for t in ids.split(";")[1:]] if ids else [] for ids in out["theme_ids"]]
    return out["theme_id"].to_numpy(), secondary


# ------------------------------------------------------------------ engine
def run_pipeline_dask(
    config: PipelineConfig,
    data: str | Path,
    *,
    themes: str | Path | None = None,
    scheduler: str | None = None,
    workers: int = DEFAULT_WORKERS,
    blocksize: int | str | None = None,
    cache_path: str | Path | None = None,
    progress=None,
    client=None,
):
    """Run a configured pipeline on the files ``data`` (path or glob) with Dask; see the module docstring.

    ``client``: an existing ``dask.distributed.Client`` (then ``scheduler``
    and ``workers`` are ignored and it is left open). ``blocksize`` (bytes
    or "64MB"): split CSV/TSV/Parquet files into blocks instead of one
    partition per file. Returns an :class:`~cxtext.analysis.Analysis` like
    the local engine's (``embeddings`` is None: the vectors stay on the
    workers); its summary has an extra ``engine`` entry.
    """
    from cxtext.analysis import finish_analysis, stage_timer
    from cxtext.theming import attach_themes, theme_model_from_params

    report = progress or (lambda stage, done, total: None)
    params = config.params
    timings: dict[str, float] = {}
    lap = stage_timer(timings)

    from cxtext.themes import ThemeModel

    saved = ThemeModel.load(themes) if themes is not None else None  # read once, checked before any work
    if params["themes"].get("mentions") or getattr(saved, "themed_unit_", "comment") == "mention":
        raise ConfigError("Themes of mentions (themes.mentions, --mentions, or a theme model saved from such a run) "
                          "run with the local engine only; leave out the Dask engine (--engine dask).")
    files = input_files(data)
    table, options = _describe_input(str(data), files, blocksize)
    own_client = client is None
    cluster = None
    if own_client:
        client, cluster = open_client(scheduler, workers)
    try:
        report("load", 0, 1)
        raw = _read_partitions(client, files, table.format, blocksize, options)
        lengths = client.gather(client.map(len, raw))
        if not sum(lengths):  # each file may be empty (allow_empty), not all of them
            raise InputError(f"{table.name}: {'none of the files has' if len(files) > 1 else 'has no'} data rows "
                             "under the header. Export the comments again (check the export's filters and date range).")
        offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(int).tolist()
        head = client.submit(lambda f: f.head(500), raw[0]).result()
        decision = detect_columns(head.columns, frame=head, source_name=table.name, rating_scale=params["rating_scale"],
                                  ces_scale=params["ces_scale"], ces_easy_end=params["ces_easy_end"],
                                  **params["columns"])
        lap("load")

        report("validate", 0, int(sum(lengths)))
        scale = decision.ces_scale or DEFAULT_CES_SCALE  # read from the first 500 rows, as the columns are
        parts = client.map(_prepare, raw, offsets, mapping=decision.mapping, scale=scale, source_name=table.name,
                           normalize_params=params["normalize"], rating_scale=decision.rating_scale)
        if params["normalize"]["fold_duplicates"]:
            first_row: dict[str, int] = {}
            for keys in client.gather(client.map(_social_keys, parts)):
                for key, row in keys:
                    first_row.setdefault(key, row)
            if first_row:  # no social post, nothing to fold (and scattering an empty dict fails)
                # one future for the whole mapping: scatter() of a dict would scatter each entry on its own
                first = client.scatter([first_row], broadcast=True)[0]
                parts = client.map(_fold, parts, first_row=first)
        del raw
        lap("normalize")

        theme_model = None
        model_id = None
        choice = None
        sentiment_info = None
        cache_stats: dict[str, int] = {}
        records = mark_non_answers(pd.concat(client.gather(parts), ignore_index=True))
        embed_rows = _rows_to_embed(records)
        if config.runs("embed") and config.runs("cluster") or themes is not None:
            from cxtext.embed import SentenceTransformerEmbedder

            choice = model_for(params["embed"]["model"], records.loc[embed_rows, "language"], saved,
                               texts=records.loc[embed_rows, "clean_text"])
            model_name = choice.model
            report("embed", 0, int(embed_rows.sum()))
            backend = params["embed"]["backend"]
            embedded = client.map(_embed, parts, model=model_name, embed_batch_size=params["embed"]["batch_size"],
                                  cache_path=str(cache_path) if cache_path else None, backend=backend)
            stats = client.gather(client.map(lambda e: (e["hits"], e["misses"], e["vectors"].shape[0]),
                                             embedded))
            report("embed", int(embed_rows.sum()), int(embed_rows.sum()))
            model_id = SentenceTransformerEmbedder(model=model_name, backend=backend).model_id
            cache_stats = {"hits": int(sum(s[0] for s in stats)), "misses": int(sum(s[1] for s in stats))}
            counts = np.array([s[2] for s in stats], dtype=np.int64)
            starts = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
            lap("embed")
            if params["social"]["annotate"]:
                # the seed classifiers are tiny: annotate on the client, from the gathered vectors
                from cxtext.social import annotate_analysed, sentiment_model_info

                vectors = [v for v in client.gather(client.map(lambda e: e["vectors"], embedded)) if v.size]
                if vectors:
                    stacked = np.concatenate(vectors)
                    embeddings = np.full((len(records), stacked.shape[1]), np.nan, dtype=np.float32)
                    embeddings[np.flatnonzero(embed_rows)] = stacked
                    annotator = SentenceTransformerEmbedder(
                        model=model_name, batch_size=params["embed"]["batch_size"], backend=backend)
                    records = annotate_analysed(records, embeddings, annotator, params["social"]["competitors"])
                    sentiment_info = sentiment_model_info(annotator)
                lap("annotate")

            report("themes", 0, 1)
            texts = records.loc[embed_rows, "clean_text"].tolist()
            languages = records.loc[embed_rows, "language"].tolist()
            nothing = np.zeros(0, dtype=np.int64)
            if saved is not None:
                theme_model = saved
                model_future = client.scatter(saved, broadcast=True)
                assigned = client.gather(client.map(_assign, embedded, parts, [nothing] * len(parts),
                                                    model=model_future))
                primary = np.concatenate([a[0] for a in assigned]) if assigned else nothing
                secondary = [s for a in assigned for s in a[1]]
            elif not texts:
                theme_model, primary, secondary = None, nothing, []
            else:
                theme_model = theme_model_from_params(params, model_name)
                sample = theme_model.sample_indices(languages)
                if sample is None:
                    X = np.concatenate([v for v in client.gather(client.map(lambda e: e["vectors"], embedded))
                                        if v.size])
                    theme_model.fit(texts, X, languages)
                else:
                    local = [sample[(sample >= s) & (sample < s + c)] - s for s, c in zip(starts, counts)]
                    X = np.concatenate(client.gather(client.map(_take, embedded, local)))
                    theme_model.fit([texts[i] for i in sample], X, [languages[i] for i in sample])
                    model_future = client.scatter(theme_model, broadcast=True)
                    assigned = client.gather(client.map(_assign, embedded, parts, local, model=model_future))
                    theme_model.finish_sampled_fit(len(texts), sample,
                                                   np.concatenate([a[0] for a in assigned]),
                                                   [s for a in assigned for s in a[1]])
                primary = theme_model.labels_
                secondary = theme_model.secondary_labels_
            all_ids = [";".join(map(str, [p, *extra])) if p >= 0 else "" for p, extra in zip(primary, secondary)]
            records = attach_themes(records, embed_rows, np.asarray(primary, dtype=np.int64), all_ids)
            lap("themes")
        else:
            records = attach_themes(records, np.zeros(len(records), dtype=bool), np.array([], dtype=int), [])
        n_workers = len(client.scheduler_info().get("workers", {}))
        n_partitions = len(parts)
    finally:
        if own_client:
            client.close()
            if cluster is not None:
                cluster.close()

    analysis = finish_analysis(table, decision, records, theme_model, None, config, scale, model_id,
                               cache_stats, timings, report, lap, model_choice=choice,
                               sentiment_model=sentiment_info)
    analysis.summary["engine"] = {"name": "dask", "scheduler": scheduler or "local cluster", "workers": n_workers,
                                  "partitions": n_partitions, "files": len(files)}
    return analysis
