"""Engines that run a pipeline on more than one process or machine.

``dask_engine``  reads files as partitions, validates, cleans and embeds on Dask workers, learns themes on
                 the client and assigns them on the workers (``cxtext analyze --engine dask``; docs/dask.md)

The local engine is :func:`cxtext.analysis.run_pipeline`; both share :func:`cxtext.analysis.finish_analysis`,
so their outputs are the same.
"""
