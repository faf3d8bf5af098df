"""The app factory and its serving settings (no model, no browser: fast)."""

from __future__ import annotations

import importlib
import subprocess
import sys

import gradio as gr
import pytest

from app import main


def test_importing_builds_nothing():
    module = importlib.import_module("app.main")
    assert not [value for value in vars(module).values() if isinstance(value, gr.Blocks)]
    # in a fresh interpreter: importing the app loads neither Gradio nor the analysis stack
    code = ("import sys, app.main; "
            "print(sorted(m for m in ('gradio', 'cxtext.analysis', 'torch') if m in sys.modules))")
    probe = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)
    assert probe.returncode == 0, probe.stderr
    assert probe.stdout.strip() == "[]"


def test_build_app_without_sample_has_every_tab():
    demo = main.build_app(with_sample=False)
    assert isinstance(demo, gr.Blocks)
    config = demo.get_config_file()
    tabs = [c["props"].get("label") for c in config["components"] if c.get("type") == "tabitem"]
    assert tabs == ["Upload", "Overview", "Drivers", "Themes", "Map", "Trends & sources", "Edit themes", "Export"]
    ids = {c["props"].get("elem_id") for c in config["components"]}
    assert {"upload-file", "role-text", "run", "drivers-table", "impact-plot", "theme-picker", "map-plot",
            "rename-button", "dl-workbook"} <= ids
    states = [block for block in demo.blocks.values() if isinstance(block, gr.State)]
    assert states and all(state.value in (None, 0) for state in states)  # per-user data starts empty


def test_settings_from_the_environment(monkeypatch):
    for name in ("CXTEXT_CONCURRENCY", "CXTEXT_MAX_UPLOAD_MB", "CXTEXT_AUTH"):
        monkeypatch.delenv(name, raising=False)
    assert main.concurrency() == 2
    assert main.max_upload_bytes() == 50 * 1024 * 1024
    assert main.auth_from_env() is None
    monkeypatch.setenv("CXTEXT_CONCURRENCY", "3")
    monkeypatch.setenv("CXTEXT_MAX_UPLOAD_MB", "1.5")
    monkeypatch.setenv("CXTEXT_AUTH", "ana:secret, bob:pa:ss")
    assert main.concurrency() == 3
    assert main.max_upload_bytes() == int(1.5 * 1024 * 1024)
    assert main.auth_from_env() == [("ana", "secret"), ("bob", "pa:ss")]
    for name, value in (("CXTEXT_CONCURRENCY", "two"), ("CXTEXT_MAX_UPLOAD_MB", "big"), ("CXTEXT_AUTH", "ana")):
        monkeypatch.setenv(name, value)
        with pytest.raises(SystemExit, match=name):
            {"CXTEXT_CONCURRENCY": main.concurrency, "CXTEXT_MAX_UPLOAD_MB": main.max_upload_bytes,
             "CXTEXT_AUTH": main.auth_from_env}[name]()
        monkeypatch.delenv(name)


def test_launch_binds_locally_with_the_limits(monkeypatch):
    seen: dict = {}
    monkeypatch.setattr(gr.Blocks, "queue", lambda self, **kw: seen.update(queue=kw) or self)
    monkeypatch.setattr(gr.Blocks, "launch", lambda self, **kw: seen.update(launch=kw))
    monkeypatch.setenv("CXTEXT_AUTH", "ana:secret")
    monkeypatch.setenv("CXTEXT_CONCURRENCY", "4")
    monkeypatch.delenv("CXTEXT_MAX_UPLOAD_MB", raising=False)
    main.launch(port=7999, with_sample=False)
    assert seen["queue"] == {"default_concurrency_limit": 4}
    launch = seen["launch"]
    assert launch["server_name"] == "127.0.0.1" and launch["server_port"] == 7999
    assert launch["max_file_size"] == 50 * 1024 * 1024
    assert launch["auth"] == [("ana", "secret")]
    assert launch["show_error"] is False and ".cx-card" in launch["css"]
    assert launch["run_history"] is False  # results are not copied into the browser


def test_cli_app_passes_host_and_port(monkeypatch):
    """`cxtext app [--host --port] [--no-sample]` starts app.main.launch, on 127.0.0.1:7860 by default."""
    from cxtext import cli

    calls = []
    monkeypatch.setattr(main, "launch", lambda **kw: calls.append(kw))
    monkeypatch.delenv("CXTEXT_HOST", raising=False)
    monkeypatch.delenv("CXTEXT_PORT", raising=False)
    assert cli.main(["app"]) == 0
    assert cli.main(["app", "--host", "0.0.0.0", "--port", "9001", "--no-sample"]) == 0
    assert calls == [{"host": "127.0.0.1", "port": 7860, "with_sample": True},
                     {"host": "0.0.0.0", "port": 9001, "with_sample": False}]


def test_upload_label_states_the_size_limit(monkeypatch):
    monkeypatch.setenv("CXTEXT_MAX_UPLOAD_MB", "0.02")
    config = main.build_app(with_sample=False).get_config_file()
    upload = next(c for c in config["components"] if c["props"].get("elem_id") == "upload-file")
    assert upload["props"]["label"].endswith("(up to 0.02 MB)")
