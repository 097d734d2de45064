"""Metrics and dataset readers for the evaluation data in ../shared/data (`newsprism eval`)."""
