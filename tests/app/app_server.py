"""The real app server in a subprocess, as ``make app`` starts it (shared by the browser and serving tests)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def models_dir(folder: Path) -> Path:
    """A models/ folder for the test server: the built embedding models linked in, saved theme models kept out
    of the checkout."""
    folder.mkdir(parents=True, exist_ok=True)
    source = Path(os.environ.get("CXTEXT_MODELS_DIR") or ROOT / "models")
    for entry in source.iterdir():
        if entry.is_dir() and not (entry / "model.json").is_file():
            (folder / entry.name).symlink_to(entry, target_is_directory=True)
    return folder


class Server:
    """``python -m cxtext.cli app --host 127.0.0.1 --port PORT *args`` with its own cache, models and history.

    ``env`` adds to the environment; CXTEXT_AUTH and CXTEXT_MAX_UPLOAD_MB are only set when given.
    """

    def __init__(self, folder: Path, *args: str, **env: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.log = folder / "app.log"
        self.models = models_dir(folder / "models")
        environment = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
                       "CXTEXT_CACHE_DIR": str(folder / "cache"), "CXTEXT_MODELS_DIR": str(self.models),
                       "CXTEXT_DATA_DIR": str(folder / "data"),
                       "CXTEXT_CONCURRENCY": "2", "GRADIO_ANALYTICS_ENABLED": "False", **env}
        for name in ("CXTEXT_AUTH", "CXTEXT_MAX_UPLOAD_MB"):
            if name not in env:
                environment.pop(name, None)
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "cxtext.cli", "app", "--host", "127.0.0.1", "--port", str(self.port), *args],
                cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT)

    def wait_until_up(self, seconds: float = 180) -> str:
        deadline = time.monotonic() + seconds
        while True:
            try:
                with urllib.request.urlopen(self.url, timeout=5) as response:
                    if response.status == 200:
                        return self.url
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.process.kill()
                pytest.fail(f"the app did not start:\n{self.log.read_text(errors='replace')[-3000:]}")
            time.sleep(0.5)

    def stop(self) -> str:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
        return self.log.read_text(errors="replace")
