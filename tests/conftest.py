"""Shared fixtures: real files, real SQLite, the shared datasets beside the clone."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SHARED_DATA = SHARED / "data"
SEEDS = SHARED / "seeds"


def shared_path(*parts: str) -> Path:
    """A path under ../shared; skips the calling test (loudly, with the reason) when absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(
            f"../shared is absent here ({path} not found): this check needs it and was not run"
        )
    return path


@pytest.fixture
def seeds_dir() -> Path:
    return shared_path("seeds")
