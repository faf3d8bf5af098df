"""The derived files ("artefacts") of the ONNX and Model2Vec backends: where they live, whether they are
current, and the safe build around the steps of :mod:`cxtext.embed.exporters` (ONNX export, int8
quantization, Model2Vec distillation).

Built once per model, beside its folder, with a build record (``cxtext_build*.json``) and
``PROVENANCE.md``; see :mod:`cxtext.embed.backends` for the why. Imports
:mod:`cxtext.embed.recipes`, :mod:`cxtext.embed.exporters`, :mod:`cxtext.embed.paths` and ``cxtext.errors``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from cxtext.embed.recipes import (
    ARTEFACT_BACKENDS,
    BUILD_INFO,
    MAX_TOKENS,
    ONNX_FP32,
    ONNX_INT8,
    PROVENANCE,
    RECIPES,
    check_backend,
)
from cxtext.embed.exporters import distill_m2v as _distill_m2v
from cxtext.embed.exporters import export_onnx as _export_onnx
from cxtext.embed.exporters import quantize_onnx as _quantize_onnx
from cxtext.errors import CxtextError, ModelError

if TYPE_CHECKING:
    from cxtext.embed.models import ResolvedModel

# Rough build times on 2 cores, for the "building" message.
_BUILD_MINUTES = {"onnx": "~2 min", "onnx-int8": "~1-2 min", "model2vec": "15-50 min"}

Notify = Callable[[str], None]


def notify_stderr(message: str) -> None:
    sys.stderr.write(f"cxtext: {message}\n")
    sys.stderr.flush()


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-") or "model"


def artefact_dir(resolved: ResolvedModel, backend: str) -> Path:
    """Folder that holds (or will hold) ``backend``'s artefact for a model.

    Beside the model folder for models under ``models_dir()`` (the default:
    ``models/multilingual-e5-small-onnx``, ``...-m2v``); else under
    ``models_dir()`` named after the model and its cache id.
    """
    from cxtext.embed.paths import models_dir

    backend = check_backend(backend)
    if backend not in ARTEFACT_BACKENDS:
        raise ModelError(f'Backend "{backend}" needs no built file.')
    suffix = "m2v" if backend == "model2vec" else "onnx"
    base = Path(resolved.path_or_name)
    root = models_dir()
    try:
        inside = base.parent.resolve() == root.resolve()  # the model folder itself may be a link
    except OSError:
        inside = False
    if inside:
        return base.parent / f"{base.name}-{suffix}"
    tag = hashlib.sha256(resolved.model_id.encode()).hexdigest()[:8]
    return root / f"{_slug(Path(resolved.name).name)}-{tag}-{suffix}"


def artefact_file(folder: Path, backend: str) -> Path:
    return folder / {"onnx": ONNX_FP32, "onnx-int8": ONNX_INT8, "model2vec": "model.safetensors"}[backend]


def _record_path(folder: Path, backend: str) -> Path:
    # one record per backend: the two ONNX files share a folder
    return folder / (BUILD_INFO if backend == "model2vec" else f"cxtext_build.{backend}.json")


def read_record(folder: Path, backend: str) -> dict | None:
    """The build record of ``backend``'s artefact in ``folder``, or None."""
    try:
        return json.loads(_record_path(folder, backend).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def artefact_ready(resolved: ResolvedModel, backend: str) -> bool:
    """True when ``backend`` needs no artefact or a current one is built.

    Current = the file exists with the recorded size, and the record names the
    same base model id and recipe. Cheap: no hashing.
    """
    backend = check_backend(backend)
    if backend not in ARTEFACT_BACKENDS:
        return True
    folder = artefact_dir(resolved, backend)
    record = read_record(folder, backend)
    target = artefact_file(folder, backend)
    return bool(
        record
        and record.get("recipe") == RECIPES[backend]
        and record.get("base_model_id") == resolved.model_id
        and target.is_file()
        and target.stat().st_size == record.get("bytes")
    )


def _sha256(path: Path, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def _local_folder(resolved: ResolvedModel, backend: str) -> Path:
    folder = Path(resolved.path_or_name)
    if not (folder.is_dir() and (folder / "tokenizer.json").is_file()):
        raise ModelError(
            f'Backend "{backend}" is built from a local model folder with a tokenizer.json; '
            f"{resolved.name!r} ({resolved.path_or_name}) is not one. "
            'Use backend="torch" or "torch-int8".'
        )
    return folder


def _write_record(folder: Path, backend: str, resolved: ResolvedModel, target: Path,
                  seconds: float, extra: dict) -> None:
    record = {
        "backend": backend,
        "recipe": RECIPES[backend],
        "base_model": resolved.name,
        "base_model_id": resolved.model_id,
        "base_path": resolved.path_or_name,
        "file": target.name,
        "bytes": target.stat().st_size,
        "sha256": _sha256(target),
        "built_at": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "build_seconds": round(seconds, 1),
        "versions": {p: _version(p) for p in (
            "torch", "transformers", "sentence-transformers", "onnx", "onnxscript",
            "onnxruntime", "tokenizers", "model2vec", "skeletoken", "numpy", "scikit-learn")},
        **extra,
    }
    _write_atomic(_record_path(folder, backend), json.dumps(record, indent=2) + "\n")
    _write_provenance(folder)


def _write_provenance(folder: Path) -> None:
    """PROVENANCE.md summarising every build record in ``folder``."""
    lines = [f"# {folder.name}: derived embedding artefacts (built by cxtext)", "",
             "Derived from a local model folder by `python -m cxtext.embed.backends build`. Same licence as",
             "the base model (multilingual-e5-small: MIT). Not committed; rebuild on demand.", ""]
    for rec_path in sorted(folder.glob("cxtext_build*.json")):
        try:
            rec = json.loads(rec_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        lines += [
            f"## `{rec['file']}` (backend `{rec['backend']}`, recipe {rec['recipe']})", "",
            f"- base model: `{rec['base_model']}` (cache id `{rec['base_model_id']}`) "
            f"at `{rec['base_path']}`",
            f"- built {rec['built_at']} in {rec['build_seconds']} s; {rec['bytes']} bytes; "
            f"sha256 `{rec['sha256']}`",
            f"- how: {rec.get('how', '')}",
            "- versions: " + ", ".join(
                f"{k} {v}" for k, v in rec["versions"].items() if v != "not installed"),
            "",
        ]
    _write_atomic(folder / PROVENANCE, "\n".join(lines))


def _temp_name(path: Path, tag: str) -> Path:
    """A temporary name beside ``path``, unique to this build: process, thread and a random part
    (several builds may run at once in one process, e.g. the app's concurrent analyses)."""
    return path.with_name(f".{path.name}.{tag}-{os.getpid()}-{threading.get_ident()}-{uuid.uuid4().hex[:8]}")


def _write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to a temporary file beside ``path``, then rename it over ``path``: a reader
    (e.g. :func:`artefact_ready` in another thread) sees the old or the new file, never half of one."""
    tmp = _temp_name(path, "writing")
    try:
        tmp.write_text(text, encoding="utf-8")
        tmp.chmod(0o644)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _copy_atomic(src: Path, dst: Path) -> None:
    tmp = _temp_name(dst, "copying")
    try:
        shutil.copyfile(src, tmp)
        tmp.chmod(0o644)
        os.replace(tmp, dst)
    finally:
        tmp.unlink(missing_ok=True)


_BUILD_LOCKS: dict[str, threading.Lock] = {}
_BUILD_LOCKS_GUARD = threading.Lock()


@contextlib.contextmanager
def _build_lock(folder: Path, backend: str) -> Iterator[None]:
    """Held while one artefact is built: one build at a time per artefact, among this process's
    threads (a lock per artefact) and, where ``fcntl`` exists, among processes (``flock`` on a
    lock file beside the artefact's folder, released by the OS if the process dies)."""
    key = f"{folder.resolve()}|{backend}"
    with _BUILD_LOCKS_GUARD:
        lock = _BUILD_LOCKS.setdefault(key, threading.Lock())
    with lock:
        folder.parent.mkdir(parents=True, exist_ok=True)
        try:
            import fcntl
        except ImportError:  # Windows: threads of one process are still serialised
            fcntl = None
        if fcntl is None:
            yield
            return
        with open(folder.parent / f".{folder.name}.{backend}.lock", "a+b") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)


def _build_stamp(folder: Path, backend: str) -> tuple | None:
    """What identifies one finished build, to tell whether another builder finished one while this
    one waited for the lock: its record file's identity (each build writes a new file and renames
    it into place; the record's own fields can repeat within a second for identical builds)."""
    try:
        info = _record_path(folder, backend).stat()
    except OSError:
        return None
    return info.st_ino, info.st_mtime_ns, info.st_size


def build_artefact(resolved: ResolvedModel, backend: str, force: bool = False,
                   notify: Notify | None = notify_stderr) -> Path:
    """Build ``backend``'s artefact for ``resolved`` unless a current one exists.

    Returns the artefact file. Written to a temporary file or folder with a name unique to this
    build, then renamed into place (``os.replace``), so a killed build leaves nothing half-written
    in place and concurrent builds never share a file. Builds of one artefact take turns (threads
    and, on POSIX, processes: :func:`_build_lock`); a builder that finds the artefact built while
    it waited uses that build (with ``force`` too, when the build it waited for was a new one).
    ``notify`` gets a one-line message before a build starts (stderr by default).
    """
    backend = check_backend(backend)
    if backend not in ARTEFACT_BACKENDS:
        raise ModelError(f'Backend "{backend}" needs no built file.')
    base = _local_folder(resolved, backend)
    folder = artefact_dir(resolved, backend)
    target = artefact_file(folder, backend)
    if not force and artefact_ready(resolved, backend):
        return target
    stamp = _build_stamp(folder, backend)
    with _build_lock(folder, backend):
        if artefact_ready(resolved, backend) and (not force or _build_stamp(folder, backend) != stamp):
            return target  # built by another thread or process while this one waited
        _build_locked(resolved, backend, base, folder, target, force, notify)
    return target


def _build_locked(resolved: ResolvedModel, backend: str, base: Path, folder: Path, target: Path,
                  force: bool, notify: Notify | None) -> None:
    try:
        _build_steps(resolved, backend, base, folder, target, force, notify)
    except CxtextError:
        raise
    except Exception as error:  # the exporters' own errors (a full disk shows as a corrupt protobuf)
        raise ModelError(_build_failure(resolved, backend, folder, error)) from error


def _free_mb(path: Path) -> str:
    try:
        return f"{shutil.disk_usage(path).free / 1e6:,.0f} MB free in {path}"
    except OSError:
        return f"free space of {path} unknown"


def _build_failure(resolved: ResolvedModel, backend: str, folder: Path, error: Exception) -> str:
    """What failed, the free disk space where the build writes, and how to try again."""
    return (f'Building the "{backend}" embedding backend for {resolved.name} failed '
            f"({type(error).__name__}: {str(error)[:300]}). {_free_mb(folder.parent)}, "
            f"{_free_mb(Path(tempfile.gettempdir()))}: the build writes temporary copies of the model, several "
            f"hundred MB each, and a full disk leaves them truncated. Free some space, then run "
            f'"python -m cxtext.embed.backends build {backend}" (or make model) again.')


def _build_steps(resolved: ResolvedModel, backend: str, base: Path, folder: Path, target: Path,
                 force: bool, notify: Notify | None) -> None:
    if backend == "onnx-int8" and not artefact_ready(resolved, "onnx"):
        build_artefact(resolved, "onnx", force=force, notify=notify)
    if notify is not None:
        notify(f'building the "{backend}" embedding backend for {resolved.name} into {folder} '
               f"(one time, {_BUILD_MINUTES[backend]} on 2 cores) ...")
    started = time.perf_counter()
    folder.parent.mkdir(parents=True, exist_ok=True)
    if backend == "model2vec":
        tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.building-", dir=folder.parent))
        try:
            how = _distill_m2v(base, tmp)
            _write_record(tmp, backend, resolved, artefact_file(tmp, backend),
                          time.perf_counter() - started, {"how": how})
            for path in [tmp, *tmp.rglob("*")]:
                path.chmod(0o755 if path.is_dir() else 0o644)
            if folder.exists():
                trash = _temp_name(folder, "old")
                os.rename(folder, trash)
                shutil.rmtree(trash, ignore_errors=True)
            os.rename(tmp, folder)
        finally:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)
    else:
        folder.mkdir(parents=True, exist_ok=True)
        tmp_file = _temp_name(target, "building")
        try:
            if backend == "onnx":
                how = _export_onnx(base, tmp_file)
                _copy_atomic(base / "tokenizer.json", folder / "tokenizer.json")
            else:
                how = _quantize_onnx(artefact_file(folder, "onnx"), tmp_file, resolved.prefix)
            tmp_file.chmod(0o644)
            os.replace(tmp_file, target)
        finally:
            for leftover in folder.glob(f"{tmp_file.name}*"):  # with any side file the exporter wrote
                leftover.unlink(missing_ok=True)
        _write_record(folder, backend, resolved, target, time.perf_counter() - started,
                      {"how": how, "tokenizer": "tokenizer.json (copied from the base folder)",
                       "max_tokens": MAX_TOKENS})
    if notify is not None:
        notify(f'built "{backend}" in {time.perf_counter() - started:.0f} s: {target}')
