"""Renderers: terminal text now; markdown, HTML and JSON reports build on the same objects."""
