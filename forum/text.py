"""User text: Markdown source in, safe HTML out. The only producer of Markup from user input.

The source is the truth: what the author typed is stored as typed. render_user_text() turns it
into HTML with markdown-it-py (CommonMark, tables, strikethrough), then bleach keeps only the
allowlist below. Rendered HTML may be cached beside the source (RenderedMixin) together with
RENDERER_VERSION; rendered() re-renders anything cached by an older renderer, so a tighter
allowlist protects every old post at once, with no data migration.

Behind this module, a swap from bleach to nh3 stays a one-file change.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from html import escape

from bleach.linkifier import LinkifyFilter
from bleach.sanitizer import Cleaner
from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markupsafe import Markup

# Bump when the parser, the allowlist or the output shape changes.
RENDERER_VERSION = 4

# Between the lead (everything before the first top-level heading) and the rest. Inserted after
# sanitizing, so it is ours, not the author's; tag pages show the lead of a pinned overview.
LEAD_BREAK = "<!-- lead -->\n"

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h2", "h3", "h4", "h5", "h6",
        "hr", "i", "li", "ol", "p", "pre", "s", "strong", "sub", "sup", "table", "tbody", "td",
        "th", "thead", "tr", "ul",
    }
)  # fmt: skip


def _link_attribute(tag: str, name: str, value: str) -> bool:
    """Links keep href and title; the only class is the one our [[wiki links]] carry, so a
    member cannot dress a link up as one of the site's buttons."""
    return name in ("href", "title") or (name == "class" and value == "wikilink")


ALLOWED_ATTRS = {
    "a": _link_attribute,
    "abbr": ["title"],
    "ol": ["start"],
}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"


@dataclass(frozen=True)
class WikiTarget:
    """Where a [[Name]] link points: the canonical tag page and its one-sentence definition."""

    href: str
    label: str
    definition: str


WikiResolver = Callable[[str], WikiTarget | None]

_WIKI_RE = re.compile(r"\[\[([^\[\]\n]{1,80})\]\]")


def _wikilink_rule(state: StateInline, silent: bool) -> bool:
    """Inline rule for [[Name]]: a token carrying the name; rendering decides link or text."""
    if not state.src.startswith("[[", state.pos):
        return False
    match = _WIKI_RE.match(state.src, state.pos)
    if not match:
        return False
    if not silent:
        token = state.push("wikilink", "", 0)
        token.content = match.group(1).strip()
    state.pos = match.end()
    return True


def _render_wikilink(self, tokens, idx, options, env) -> str:
    name = tokens[idx].content
    resolver: WikiResolver | None = env.get("wiki")
    target = resolver(name) if resolver else None
    if target is None:
        return escape(name)
    title = f' title="{escape(target.definition)}"' if target.definition else ""
    return f'<a href="{escape(target.href)}" class="wikilink"{title}>{escape(name)}</a>'


def _render_image(self, tokens, idx, options, env) -> str:
    """Images from other hosts would tell them who reads what: show a plain link instead."""
    token = tokens[idx]
    alt = self.renderInlineAsText(token.children or [], options, env) or "image"
    src = token.attrGet("src") or ""
    return f'<a href="{escape(str(src))}">[image: {escape(alt)}]</a>'


def _build_markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "breaks": True})
    md.enable(["table", "strikethrough"])
    md.inline.ruler.before("link", "wikilink", _wikilink_rule)
    md.add_render_rule("wikilink", _render_wikilink)
    md.add_render_rule("image", _render_image)
    return md


MARKDOWN = _build_markdown()


def _is_local(href: str) -> bool:
    """A path on this site. Browsers drop tabs and newlines from URLs and read a backslash as a
    slash, so "/\\evil.example" and "/<tab>/evil.example" lead elsewhere and are not local."""
    path = "".join(ch for ch in href if ch not in "\t\n\r").replace("\\", "/").lstrip()
    return path.startswith("/") and not path.startswith("//")


def _set_rel(attrs, new=False):
    """Every link to another site is marked as user content; our own paths are left alone."""
    if _is_local(attrs.get((None, "href"), "")):
        attrs.pop((None, "rel"), None)
    else:
        attrs[(None, "rel")] = LINK_REL
    return attrs


_local = threading.local()


def _cleaner() -> Cleaner:
    """One bleach Cleaner per thread (they are not safe to share): the allowlist, then
    linkify bare URLs outside code, marking links as it goes, in a single pass."""
    cleaner = getattr(_local, "cleaner", None)
    if cleaner is None:
        cleaner = _local.cleaner = Cleaner(
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRS,
            protocols=ALLOWED_PROTOCOLS,
            strip=True,
            strip_comments=True,
            filters=[
                partial(
                    LinkifyFilter,
                    callbacks=[_set_rel],
                    skip_tags={"pre", "code"},
                    parse_email=False,
                )
            ],
        )
    return cleaner


def _clamp_headings(tokens, min_heading: int) -> None:
    """The page owns h1 (and h2 around posts): user headings start at `min_heading`."""
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            level = int(token.tag[1])
            token.tag = f"h{min(6, max(min_heading, level))}"


def _scrollable_tables(html: str) -> str:
    """Wide tables (a comparison of seven drugs) scroll sideways on a phone inside a region that
    keyboard users can focus and scroll; the page stays put. Only our sanitized output is
    rewritten, so every "<table>" here is a real table."""
    return html.replace(
        "<table>",
        '<div class="table-scroll" role="region" aria-label="Table" tabindex="0"><table>',
    ).replace("</table>", "</table></div>")


def render_user_text(
    source: str, *, min_heading: int = 3, wiki: WikiResolver | None = None
) -> Markup:
    """User Markdown -> safe HTML. The only place user input becomes Markup."""
    env = {"wiki": wiki}
    tokens = MARKDOWN.parse(source or "", env)
    _clamp_headings(tokens, min_heading)
    cut = next(
        (i for i, t in enumerate(tokens) if i > 0 and t.type == "heading_open" and t.level == 0),
        len(tokens),
    )
    parts = [tokens[:cut], tokens[cut:]] if cut < len(tokens) else [tokens]
    cleaner = _cleaner()
    html = LEAD_BREAK.join(
        cleaner.clean(MARKDOWN.renderer.render(part, MARKDOWN.options, env)) for part in parts
    )
    return Markup(_scrollable_tables(html))  # noqa: S704 - sanitized above; this is the one place


def rendered(obj, *, min_heading: int = 3, wiki: WikiResolver | None = None) -> Markup:
    """Safe HTML for a RenderedMixin object: the cache when current, else a fresh render."""
    if obj.body_html is not None and obj.body_html_version == RENDERER_VERSION:
        return Markup(obj.body_html)  # noqa: S704 - produced by render_user_text at this version
    return render_user_text(obj.body, min_heading=min_heading, wiki=wiki)


def lead(obj, *, min_heading: int = 3, wiki: WikiResolver | None = None) -> tuple[Markup, bool]:
    """The opening of a text (before its first heading) and whether there is more after it."""
    html = str(rendered(obj, min_heading=min_heading, wiki=wiki))
    head, sep, _ = html.partition(LEAD_BREAK)
    return Markup(head), bool(sep)  # noqa: S704 - a prefix of sanitized HTML at a block boundary


# Control characters nobody types on purpose, which XML (Atom feeds) cannot carry: C0 except
# tab and newline, DEL, and the two non-characters U+FFFE and U+FFFF.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def strip_controls(value: str) -> str:
    return _CONTROLS.sub("", value)


def plain_text(source: str) -> str:
    """The words of a Markdown text without markup, for excerpts and the search index."""
    parts: list[str] = []
    for token in MARKDOWN.parse(source or "", {"wiki": None}):
        if token.type == "inline":
            for child in token.children or []:
                if child.type in ("text", "code_inline", "wikilink"):
                    parts.append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    parts.append(" ")
            parts.append(" ")
        elif token.type in ("code_block", "fence"):
            parts.append(token.content + " ")
    return " ".join("".join(parts).split())


def excerpt(source: str, max_length: int) -> str:
    """The first words of a text, cut at a word boundary, with an ellipsis when cut."""
    text = plain_text(source)
    if len(text) <= max_length:
        return text
    cut = text[: max_length + 1].rsplit(" ", 1)[0].rstrip(",;:.-–— ")
    return cut + "…"


# --- search results ----------------------------------------------------------------------------


def _stem(word: str) -> str:
    word = word.casefold()
    for suffix in ("ations", "ation", "ings", "ing", "ies", "ied", "es", "ed", "ly", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def search_snippet(body: str, words: list[str], width: int = 240) -> Markup:
    """An escaped excerpt around the first match, with matches in <mark> (never raw input)."""
    stems = sorted({_stem(w) for w in words if len(w) > 1}, key=len, reverse=True)
    pattern = (
        re.compile(r"\b(" + "|".join(re.escape(s) for s in stems) + r")[^\W_]*", re.IGNORECASE)
        if stems
        else None
    )
    first = pattern.search(body) if pattern else None
    start = max(0, first.start() - width // 3) if first else 0
    if start:
        start = body.find(" ", start) + 1 or start
    chunk = body[start : start + width]
    if start + width < len(body):
        chunk = chunk.rsplit(" ", 1)[0] + " …"
    if start:
        chunk = "… " + chunk
    if pattern is None:
        return Markup(escape(chunk))  # noqa: S704 - escaped above
    out, last = [], 0
    for m in pattern.finditer(chunk):
        out.append(escape(chunk[last : m.start()]))
        out.append(f"<mark>{escape(m.group(0))}</mark>")
        last = m.end()
    out.append(escape(chunk[last:]))
    return Markup("".join(out))  # noqa: S704 - every piece escaped above
