"""Where article stages run: in this process, on a Dask LocalCluster, or on a Dask cluster.

>>> from newsweave.scale import make_executor
>>> with make_executor("processes", workers=2) as ex:  # doctest: +SKIP
...     report = Pipeline().run(["archive/"], executor=ex)
"""

from .executors import DaskExecutor, Executor, LocalExecutor, make_executor

__all__ = ["DaskExecutor", "Executor", "LocalExecutor", "make_executor"]
