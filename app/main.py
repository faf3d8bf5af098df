"""The Gradio app: ``build_app()`` builds the page and wires it to the library, ``launch()`` serves it.

The page is laid out by :mod:`app.layout` (the tabs' components), its events are wired by :mod:`app.wiring`
(thin callbacks over :mod:`app.adapters`), and per-user data lives in :mod:`app.session`: one ``gr.State``
dict per browser session, never in module globals. The only object shared between sessions is the analysed
bundled sample, which is read-only (theme edits return a new Analysis). Importing this module loads neither
Gradio nor the analysis stack.

Environment:
  CXTEXT_CONCURRENCY     analyses run at once (default 2); further runs wait in the queue
  CXTEXT_MAX_UPLOAD_MB   largest upload in MB (default 50)
  CXTEXT_AUTH            optional login, "user:password" (several: "u1:p1,u2:p2")
"""

from __future__ import annotations

import logging
import os
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

log = logging.getLogger("cxtext.app")

# The serving settings live in app.settings, shared with app.api; re-exported for callers of app.main.
from app.settings import (  # noqa: E402
    HEAVY,
    auth_from_env,
    concurrency,
    max_upload_bytes,
)


# --------------------------------------------------------------------------- app


def build_app(with_sample: bool = True):
    """Build the Blocks. With ``with_sample`` the bundled sample is analysed when a page opens."""
    import gradio as gr

    from app import adapters, api
    from app.layout import build_page
    from app.session import SampleCache
    from app.wiring import wire

    sample = SampleCache() if with_sample and adapters.SAMPLE_PATH.is_file() else None

    with gr.Blocks(title="cxtext: themes that drive detractors", analytics_enabled=False, fill_width=True) as demo:
        wire(demo, build_page(with_sample=sample is not None), sample)
        api.register(HEAVY)  # /analyze for programmatic use (app/api.py), in the same queue as the page's runs
    demo.cxtext_sample = sample  # launch() starts analysing it before the first visitor arrives
    return demo


def launch(host: str = "127.0.0.1", port: int = 7860, with_sample: bool = True, **kwargs: Any):
    """Serve the app (blocking unless ``prevent_thread_lock=True`` is passed)."""
    from app import views

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    auth = auth_from_env()
    if host not in ("127.0.0.1", "localhost", "::1") and auth is None:
        log.warning("serving on %s without a login: set CXTEXT_AUTH=user:password to require one", host)
    demo = build_app(with_sample=with_sample)
    if demo.cxtext_sample is not None:
        demo.cxtext_sample.start()
    demo.queue(default_concurrency_limit=concurrency())
    return demo.launch(server_name=host, server_port=port, max_file_size=max_upload_bytes(), auth=auth,
                       css=views.CSS, show_error=False, ssr_mode=False, footer_links=[],
                       run_history=False, **kwargs)  # no copy of results kept in the browser
