"""Validate a comparison report against the JSON Schema shipped with the package."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

from newsprism.errors import NewsprismError

SCHEMA_FILE = "report.schema.json"


@lru_cache(maxsize=1)
def load_schema() -> dict[str, Any]:
    """The report JSON Schema (package data under ``newsprism/schema``)."""
    text = resources.files("newsprism").joinpath("schema", SCHEMA_FILE).read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def validate_report(report: dict[str, Any]) -> None:
    """Raise :class:`NewsprismError` naming the first place where ``report`` breaks the schema."""
    try:
        import jsonschema
    except ImportError as exc:  # pragma: no cover - a broken install
        raise NewsprismError("jsonschema is not installed", hint="pip install jsonschema") from exc
    validator = jsonschema.Draft202012Validator(load_schema())
    errors = sorted(validator.iter_errors(report), key=lambda e: list(e.absolute_path))
    if errors:
        first = errors[0]
        where = "/".join(str(p) for p in first.absolute_path) or "(top level)"
        raise NewsprismError(
            f"report does not match schema: {first.message}",
            where=f"report/{where}",
            hint=f"{len(errors)} error(s) in all",
        )


__all__ = ["load_schema", "validate_report"]
