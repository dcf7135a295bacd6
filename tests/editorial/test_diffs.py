"""Readable differences between two texts: lines and, within a changed line, words."""

from __future__ import annotations

from forum.domain.services.diffs import Line, Piece, text_diff, word_pieces


def test_same_text_has_no_differences():
    assert text_diff("a\nb", "a\nb") == []


def test_words_removed_and_added_within_a_changed_line():
    assert word_pieces("Take it daily.", "Take it weekly.") == (
        Piece("Take it ", "same"),
        Piece("daily", "removed"),
        Piece("weekly", "added"),
        Piece(".", "same"),
    )


def test_lines_added_removed_and_long_unchanged_stretches_folded():
    old = "\n".join(["intro", "one", "two", "three", "four", "five", "old line", "end"])
    new = "\n".join(["intro", "one", "two", "three", "four", "five", "end", "new line"])
    lines = text_diff(old, new)
    assert lines[0] == Line("gap", skipped=4)
    assert [line.change for line in lines[1:]] == ["same", "same", "removed", "same", "added"]
    assert lines[3].pieces == (Piece("old line", "removed"),)


def test_a_rewritten_line_reads_as_removed_then_added():
    lines = text_diff("Completely different words here", "Nothing alike at all, truly")
    assert [line.change for line in lines] == ["removed", "added"]


def test_blank_lines_have_no_pieces():
    assert text_diff("a", "a\n\nb")[1] == Line("added")
