"""The local engine's other cores: helper processes that work beside the batch's writer.

With ``workers`` 2 (two cores) the batch's own process stores and clusters (one writer, one
clusterer), two helpers read and clean the next partitions meanwhile, and one more reads the
next day's articles, tokenises them and works out the lineage of stories that leave the window
for the clusterer. Everything a helper does is a pure function of its input, so results are
the same as running it all in one process (``workers=1``)."""

from __future__ import annotations

import ctypes
import multiprocessing
import signal
import sys
from concurrent.futures import ProcessPoolExecutor


def helper_pool(processes: int = 1) -> ProcessPoolExecutor:
    """A pool of ``processes`` that die with this process (a SIGKILL leaves no orphan behind)."""
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    return ProcessPoolExecutor(
        max_workers=processes, mp_context=context, initializer=_die_with_parent
    )


def _die_with_parent() -> None:
    if sys.platform.startswith("linux"):
        try:
            pr_set_pdeathsig = 1
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
        except OSError:  # pragma: no cover - a libc without prctl
            pass


__all__ = ["helper_pool"]
