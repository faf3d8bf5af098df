"""Engines that run a pipeline on more than one process or machine.

``dask_engine``  reads files as partitions, validates, cleans and embeds on Dask workers, learns themes on
                 the client and assigns them on the workers (``cxtext analyze --engine dask``; docs/dask.md)

The local engine is :func:`cxtext.analysis.run_pipeline`; both share :func:`cxtext.analysis.finish_analysis`
and the stage glue (:mod:`cxtext.theming`, :func:`cxtext.social.annotate_analysed`), so their outputs are the same.

Sits just above :mod:`cxtext.analysis`: may import it and everything below it (io, validate, text, embed,
store, themes, social, pipeline); never the faces (cli, app), which choose the engine.
"""
