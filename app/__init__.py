"""cxtext web app: a thin Gradio layer over the cxtext library.

``app.main.build_app()`` builds the Blocks, ``app.main.launch()`` serves it.
Importing this package builds nothing and loads no model.
"""
