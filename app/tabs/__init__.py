"""The app's tabs, one module each (``app.adapters`` gathers their names):

``common`` constants and message boxes; ``upload``; ``overview``; ``drivers`` (the grid, its notes and the
outcome it is ranked by) with ``drivers_charts`` (its charts) and ``drivers_plain`` (the "fix first" box and
the plain table); ``themes``; ``map``; ``trends`` (and sources); ``edit`` (edit themes, export); ``social``
(sentiment, kinds, competitors, activity).

May import the library (cxtext) and plotly/pandas; never app.main, app.layout, app.wiring, app.session or app.api.
"""
