"""Per-user data and the shared sample: one ``gr.State`` dict per browser session, never module globals.

A session holds the uploaded table, the current Analysis, its temp folder, the cached 2-D map, the uploaded
theme models, the export count, the theme suggestions and the taxonomy. The only object shared between
sessions is the analysed bundled sample (:class:`SampleCache`), which is read-only (theme edits return a new
Analysis). Loads neither Gradio nor the analysis stack when imported.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

log = logging.getLogger("cxtext.app")


def new_session() -> dict[str, Any]:
    from app import adapters

    return {"table": None, "analysis": None, "dir": adapters.new_session_dir(), "map": {},
            "uploaded_models": [], "exports": 0, "suggestions": None, "taxonomy": None}


def session_of(value: dict | None) -> dict[str, Any]:
    return value if value else new_session()


def drop_session(value: dict | None) -> None:
    from app import adapters

    if value:
        adapters.remove_session_dir(value.get("dir"))


class SampleCache:
    """The bundled sample, analysed once per app and shared read-only by every session.

    :meth:`start` analyses it in a background thread (``launch`` calls it before
    serving, so the first visitor waits less); :meth:`get` waits for it while
    relaying the library's progress to that visitor's ``gr.Progress``.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._thread: threading.Thread | None = None
        self._status: tuple[str, int, int] = ("load", 0, 1)
        self.table = None
        self.analysis = None
        self.error: BaseException | None = None

    def start(self) -> None:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="cxtext-sample", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        from app import adapters

        started = time.perf_counter()
        try:
            table = adapters.read_upload(adapters.SAMPLE_PATH)
            roles, _ = adapters.detected_roles(table)
            self.analysis = adapters.run_analysis(table, adapters.roles_from_values(list(roles.values())),
                                                  progress=self._report)
            self.table = table
            log.info("sample analysed in %.1f s", time.perf_counter() - started)
        except Exception as exc:  # noqa: BLE001 - handed to every visitor by get()
            self.error = exc
        finally:
            self._done.set()

    def _report(self, stage: str, done: int, total: int) -> None:
        self._status = (stage, done, total)

    def get(self, progress) -> tuple[Any, Any]:
        from app import adapters

        self.start()
        relay = adapters.progress_reporter(progress)
        while not self._done.wait(0.5):
            relay(*self._status)
        if self.error is not None:
            raise self.error
        if self.analysis is None:
            raise RuntimeError("the sample analysis stopped before it finished")
        return self.table, self.analysis
