"""Revisions: what changed between stored versions of an article (``newsprism diff``, the
article page's versions, the ``revisions`` entry of a comparison report)."""

from __future__ import annotations

from newsprism.revisions.diff import Change, Counts, TextDiff, diff_text, segments, tokenize

__all__ = ["Change", "Counts", "TextDiff", "diff_text", "segments", "tokenize"]
