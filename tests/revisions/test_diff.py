"""The word-level diff: exact spans of added, removed and reworded passages, counts, summary."""

from __future__ import annotations

import pytest

from newsprism.revisions import diff_text, segments, tokenize


def _shown(old: str, new: str) -> str:
    marks = {"added": "{+%s+}", "removed": "[-%s-]", "same": "%s"}
    return "".join(marks[kind] % text for kind, text in segments(diff_text(old, new)))


def _changes(old: str, new: str) -> list[tuple[str, tuple[int, int], tuple[int, int], str, str]]:
    return [
        (c.kind, (c.old_start, c.old_end), (c.new_start, c.new_end), c.old, c.new)
        for c in diff_text(old, new).changes
    ]


def test_tokens_keep_inner_marks_and_split_punctuation() -> None:
    words = [t.text for t in tokenize('Don\'t say "U.S. well-known" 3.5%, (AP) — ok?')]
    assert words == ["Don't", "say", '"', "U.S", ".", "well-known", '"', "3.5", "%,", "(", "AP",
                     ")", "—", "ok", "?"]  # fmt: skip
    text = "Café in Zürich"
    assert [(t.start, t.end) for t in tokenize(text)] == [(0, 4), (5, 7), (8, 14)]


def test_reworded_and_added_spans_are_exact() -> None:
    old = "The talks lasted four hours, officials said."
    new = "The talks lasted five hours, officials said on Monday."
    assert _changes(old, new) == [
        ("reworded", (17, 21), (17, 21), "four", "five"),
        ("added", (43, 43), (44, 53), "", "on Monday"),
    ]
    diff = diff_text(old, new)
    assert [(c.old_words, c.new_words) for c in diff.changes] == [(1, 1), (0, 2)]
    assert diff.summary() == "1 passage reworded, 2 words added"
    assert _shown(old, new) == (
        "The talks lasted [-four-]{+five+} hours, officials said {+on Monday+}."
    )


def test_removed_span_is_empty_in_the_new_text_and_shown_where_it_was() -> None:
    old, new = "Officials met on Monday in the capital.", "Officials met in the capital."
    assert _changes(old, new) == [("removed", (14, 23), (13, 13), "on Monday", "")]
    assert diff_text(old, new).summary() == "2 words removed"
    assert _shown(old, new) == "Officials met [-on Monday-] in the capital."
    assert _shown("b c", "c") == "[-b-] c"
    assert _shown("said, adding", "said adding") == "said[-,-] adding"


def test_every_op_spans_the_texts_in_order() -> None:
    old = "One two three. Four five six. Seven eight."
    new = "One 2 three. Four five six and more. Eight."
    ops = diff_text(old, new).ops
    for op in ops:
        assert old[op.old_start : op.old_end] == op.old
        assert new[op.new_start : op.new_end] == op.new
    starts = [op.new_start for op in ops]
    assert starts == sorted(starts)
    equal_words = sum(op.new_words for op in ops if op.kind == "equal")
    assert diff_text(old, new).counts.unchanged == equal_words


def test_changes_with_only_punctuation_between_are_one_passage() -> None:
    assert _changes("A, B and C.", "X, Y and C.") == [("reworded", (0, 4), (0, 4), "A, B", "X, Y")]
    assert diff_text("A, B and C.", "X, Y and C.").summary() == "1 passage reworded"


@pytest.mark.parametrize(
    ("old", "new", "summary"),
    [
        ("Same words here.", "Same words here.", "no changes"),
        ("Same  words\n\nhere.", "Same words here.", "no changes"),  # spacing is no change
        ("", "", "no changes"),
        ("", "Hello world.", "2 words added"),
        ("Hello world.", "", "2 words removed"),
        ("Café au lait.", "Café au lait!", "1 punctuation change"),
        ("a b c d", "a x c", "1 passage reworded, 1 word removed"),
        ("a c", "a b c e f", "3 words added"),
        ("a b c d", "a c e", "1 passage reworded, 1 word removed"),
        ("a b c d", "a d e", "1 word added, 2 removed"),
    ],
)
def test_summary(old: str, new: str, summary: str) -> None:
    assert diff_text(old, new).summary() == summary


def test_identical_and_empty_texts_have_no_changes() -> None:
    same = diff_text("The dam held.", "The dam held.")
    assert same.changes == [] and [op.kind for op in same.ops] == ["equal"]
    assert same.counts.unchanged == 3
    empty = diff_text("", "")
    assert empty.ops == [] and list(segments(empty)) == []
    added = diff_text("", "New text.")
    assert _changes("", "New text.") == [("added", (0, 0), (0, 9), "", "New text.")]
    assert list(segments(added)) == [("added", "New text.")]


def test_unicode_spans_count_characters_and_cjk_is_split_by_character() -> None:
    old, new = "北京今天下雨。", "北京今天下雪。"
    assert _changes(old, new) == [("reworded", (5, 6), (5, 6), "雨", "雪")]
    old, new = "Zoë’s café served crème brûlée 🍮.", "Zoë’s café served flan 🍮."
    assert _changes(old, new) == [("reworded", (18, 30), (18, 22), "crème brûlée", "flan")]
    assert _shown(old, new) == "Zoë’s café served [-crème brûlée-]{+flan+} 🍮."


def test_changes_across_paragraphs_keep_the_new_spacing() -> None:
    old = "First paragraph stays.\n\nSecond one was short.\n\nThird stays too."
    new = "First paragraph stays.\n\nSecond one is now much longer.\n\nThird stays too."
    assert _shown(old, new) == (
        "First paragraph stays.\n\nSecond one [-was short-]{+is now much longer+}."
        "\n\nThird stays too."
    )
    moved = "Third stays too.\n\nFirst paragraph stays.\n\nSecond one was short."
    diff = diff_text(old, moved)
    assert diff.counts.added + diff.counts.removed > 0
    # What is shown without the removed words is the new text (removed words may bring a space).
    shown = "".join(t for k, t in segments(diff) if k != "removed")
    assert shown.split() == moved.split() and shown.startswith(moved)
