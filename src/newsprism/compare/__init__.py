"""Compare the articles of one story: claims, conflicts, quotes, sourcing, framing, summary.

``compare_articles(articles)`` returns the JSON-ready report (DESIGN.md, "Report JSON");
``validate_report(report)`` checks it against the JSON Schema shipped in
``newsprism/schema/report.schema.json``.
"""

from newsprism.compare.report import SCHEMA_VERSION, Report, compare_articles
from newsprism.compare.validate import load_schema, validate_report

__all__ = ["SCHEMA_VERSION", "Report", "compare_articles", "load_schema", "validate_report"]
