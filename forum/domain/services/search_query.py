"""Understanding a search query: terms, "phrases", OR and -exclusions, with drug names
expanded through the alias table, compiled into each engine's syntax (SQLite FTS5 MATCH or a
PostgreSQL tsquery) from quoted or bound pieces, so no input can cause a syntax error."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from forum.domain.models import (
    Tag,
    name_key,
)
from forum.domain.services import tags as tag_service

MAX_QUERY_LENGTH = 200


MAX_TERMS = 12


MAX_ALTERNATIVES = 8


_TOKEN = re.compile(r'"([^"]*)"?|(\S+)')


_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)


@dataclass
class Term:
    """One thing to look for: alternatives (a word or phrase, plus what it is also called)."""

    alternatives: list[str]
    negated: bool = False


@dataclass
class ParsedQuery:
    groups: list[list[Term]] = field(default_factory=list)  # OR of ANDs
    tags: list[Tag] = field(default_factory=list)  # named in the query (by name or alias)
    shortened: bool = False

    @property
    def empty(self) -> bool:
        return not any(any(not t.negated for t in group) for group in self.groups)

    @property
    def words(self) -> list[str]:
        return [
            w
            for g in self.groups
            for t in g
            if not t.negated
            for a in t.alternatives
            for w in _WORD.findall(a)
        ]


def _words_of(chunk: str) -> str:
    return " ".join(_WORD.findall(chunk))


def parse(raw: str) -> ParsedQuery:
    """Any string -> terms. Quotes make phrases, OR (in capitals) offers alternatives, a leading
    minus excludes. Everything else (operators, emoji, markup) is just ignored."""
    parsed = ParsedQuery()
    raw = (raw or "").replace("\x00", "")
    if len(raw) > MAX_QUERY_LENGTH:
        raw, parsed.shortened = raw[:MAX_QUERY_LENGTH], True
    group: list[Term] = []
    for match in _TOKEN.finditer(raw):
        phrase, word = match.group(1), match.group(2)
        if word == "OR":
            if group:
                parsed.groups.append(group)
            group = []
            continue
        negated = False
        if word and word.startswith("-") and len(word) > 1:
            negated, word = True, word[1:]
        cleaned = _words_of(phrase if phrase is not None else word)
        if not cleaned:
            continue
        if sum(len(g) for g in parsed.groups) + len(group) >= MAX_TERMS:
            parsed.shortened = True
            break
        group.append(Term([cleaned], negated))
    if group:
        parsed.groups.append(group)
    _expand_aliases(parsed)
    return parsed


def _expand_aliases(parsed: ParsedQuery) -> None:
    """A term that names a tag (by name or any alias) also matches the tag's other names."""
    for group in parsed.groups:
        for term in group:
            if term.negated:
                continue
            found = tag_service.resolve_name(term.alternatives[0])
            if found is None:
                continue
            tag = found.tag
            if tag not in parsed.tags:
                parsed.tags.append(tag)
            names = [tag.name] + [a.name for a in tag.aliases]
            for name in names:
                words = _words_of(name)
                if words and name_key(words) not in {name_key(a) for a in term.alternatives}:
                    term.alternatives.append(words)
            term.alternatives = term.alternatives[:MAX_ALTERNATIVES]


def fts5_match(parsed: ParsedQuery) -> str:
    """The query in FTS5 syntax, every word and phrase double-quoted (so never a syntax error)."""

    def quoted(text: str) -> str:
        return '"' + text.replace('"', "") + '"'

    groups = []
    for group in parsed.groups:
        positives = [t for t in group if not t.negated]
        if not positives:
            continue
        parts = []
        for term in positives:
            alts = [quoted(a) for a in term.alternatives]
            parts.append(alts[0] if len(alts) == 1 else "(" + " OR ".join(alts) + ")")
        expression = " AND ".join(parts)
        for term in (t for t in group if t.negated):
            expression = f"({expression}) NOT {quoted(term.alternatives[0])}"
        groups.append(expression)
    return " OR ".join(f"({g})" for g in groups)


def pg_tsquery(parsed: ParsedQuery, *, phrases: bool = True) -> tuple[str, dict[str, str]]:
    """The query as a PostgreSQL tsquery expression over bound parameters."""
    params: dict[str, str] = {}

    def piece(text: str) -> str:
        name = f"q{len(params)}"
        params[name] = text
        function = "phraseto_tsquery" if phrases and " " in text else "plainto_tsquery"
        return f"{function}('english', :{name})"

    groups = []
    for group in parsed.groups:
        positives = [t for t in group if not t.negated]
        if not positives:
            continue
        parts = ["(" + " || ".join(piece(a) for a in t.alternatives) + ")" for t in positives]
        parts += ["!!" + piece(t.alternatives[0]) for t in group if t.negated]
        groups.append("(" + " && ".join(parts) + ")")
    return " || ".join(groups), params
