"""Scale-out: the batch pipeline over large archives (local or Dask), resumable, and exports."""

from newsprism.scale.pipeline import BatchReport, run_batch

__all__ = ["BatchReport", "run_batch"]
