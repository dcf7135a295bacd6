"""Readable differences between two versions of a text: changed lines, and within a changed
line the words removed and added. Pure data for templates, which mark removals with <del> and
additions with <ins> plus words saying which is which (never colour alone)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

CONTEXT = 2  # unchanged lines shown around each change
WORDS_SIMILAR = 0.4  # below this, a changed line reads better as removed + added


@dataclass(frozen=True)
class Piece:
    text: str
    change: str  # "same" | "added" | "removed"


@dataclass(frozen=True)
class Line:
    change: str  # "same" | "added" | "removed" | "changed" | "gap"
    pieces: tuple[Piece, ...] = ()
    skipped: int = 0  # for a gap: how many unchanged lines it stands for


_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


def word_pieces(old: str, new: str) -> tuple[Piece, ...]:
    """One line's words: kept, removed and added, in reading order."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    pieces: list[Piece] = []

    def add(text: str, change: str) -> None:
        if not text:
            return
        if pieces and pieces[-1].change == change:
            pieces[-1] = Piece(pieces[-1].text + text, change)
        else:
            pieces.append(Piece(text, change))

    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            add("".join(a[i1:i2]), "same")
        else:
            add("".join(a[i1:i2]), "removed")
            add("".join(b[j1:j2]), "added")
    return tuple(pieces)


def _whole(change: str, text: str) -> Line:
    """A line kept, added or removed as a whole (an empty line has no pieces)."""
    return Line(change, (Piece(text, change),) if text else ())


def _changed(old: str, new: str) -> list[Line]:
    if SequenceMatcher(None, old, new, autojunk=False).ratio() < WORDS_SIMILAR:
        return [_whole("removed", old), _whole("added", new)]
    return [Line("changed", word_pieces(old, new))]


def text_diff(old: str, new: str) -> list[Line]:
    """Lines of `new` against `old`, with long unchanged stretches folded into gaps; [] when
    the two are the same."""
    if old == new:
        return []
    a, b = old.splitlines(), new.splitlines()
    lines: list[Line] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            lines += [_whole("same", text) for text in a[i1:i2]]
            continue
        pairs = min(i2 - i1, j2 - j1) if op == "replace" else 0
        for k in range(pairs):
            lines += _changed(a[i1 + k], b[j1 + k])
        lines += [_whole("removed", text) for text in a[i1 + pairs : i2]]
        lines += [_whole("added", text) for text in b[j1 + pairs : j2]]
    return _fold(lines)


def _fold(lines: list[Line]) -> list[Line]:
    keep = [False] * len(lines)
    for i, line in enumerate(lines):
        if line.change != "same":
            for k in range(max(0, i - CONTEXT), min(len(lines), i + CONTEXT + 1)):
                keep[k] = True
    folded: list[Line] = []
    hidden: list[Line] = []

    def show_hidden() -> None:
        # A single unchanged line reads better than a note saying it is there.
        if len(hidden) == 1:
            folded.extend(hidden)
        elif hidden:
            folded.append(Line("gap", skipped=len(hidden)))
        hidden.clear()

    for line, kept in zip(lines, keep, strict=True):
        if kept:
            show_hidden()
            folded.append(line)
        else:
            hidden.append(line)
    show_hidden()
    return folded
