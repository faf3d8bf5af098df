"""cxtext web app: a thin Gradio layer over the cxtext library.

``app.main.build_app()`` builds the Blocks (``app.layout`` lays the page out, ``app.wiring`` wires its
events, ``app.session`` holds per-user state), ``app.main.launch()`` serves it.
Importing this package builds nothing and loads no model.
"""
