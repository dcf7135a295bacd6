"""forum.text: hostile Markdown renders inert; links are marked; images never load."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from forum.text import (
    ALLOWED_TAGS,
    WikiTarget,
    excerpt,
    plain_text,
    render_user_text,
    strip_controls,
)

XSS_VECTORS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.test/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](  javascript:alert(1))",
    "[x](java&#x09;script:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](vbscript:msgbox(1))",
    '<a href="&#106;avascript:alert(1)">x</a>',
    "<svg onload=alert(1)>",
    "<iframe src=https://evil.test></iframe>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<p onmouseover="alert(1)">hover</p>',
    "<<script>script>alert(1)<</script>/script>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '<a href="x" onclick="alert(1)">x</a>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<form action=https://evil.test><input name=q></form>",
    "<object data=evil.swf></object>",
    '<meta http-equiv="refresh" content="0;url=https://evil.test">',
    "![x](https://tracker.test/pixel.gif)",
    '<a href="https://ok.test" target="_blank">ok</a>',
    "[[<script>alert(1)</script>]]",
]


class TagCollector(HTMLParser):
    """Every element and attribute a browser would build from the HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, {k: v or "" for k, v in attrs}))


def parse(html: str) -> list[tuple[str, dict[str, str]]]:
    collector = TagCollector()
    collector.feed(html)
    return collector.elements


@pytest.mark.parametrize("source", XSS_VECTORS)
def test_hostile_input_renders_inert(source):
    html = str(render_user_text(source))
    for tag, attrs in parse(html):
        if tag == "div":  # only our own wrapper around a table, exactly
            assert attrs == SCROLL_WRAPPER, (source, html)
            continue
        assert tag in ALLOWED_TAGS, (source, html)
        for name, value in attrs.items():
            assert name in ("href", "title", "class", "rel", "start"), (source, html)
            if name == "href":
                scheme = urlsplit(value).scheme.lower()  # "java%09script:" has none: relative
                assert scheme in ("", "http", "https", "mailto"), (source, html)
    # What was typed may still show as text, escaped: never as live markup.
    assert "<script" not in html.lower() and "<img" not in html.lower()


SCROLL_WRAPPER = {"class": "table-scroll", "role": "region", "aria-label": "Table", "tabindex": "0"}


def test_tables_scroll_inside_a_focusable_region_and_typed_divs_do_not_survive():
    html = str(render_user_text("| a | b |\n| - | - |\n| 1 | 2 |"))
    assert html.startswith(
        '<div class="table-scroll" role="region" aria-label="Table" tabindex="0">'
    )
    assert html.count("<div") == 1 and "</table></div>" in html
    typed = str(render_user_text('<div class="table-scroll" tabindex="0">x</div>'))
    assert "<div" not in typed


def test_links_get_nofollow_ugc_noopener():
    html = str(render_user_text("See [the label](https://www.fda.gov/drugs) or https://nhs.uk"))
    assert '<a href="https://www.fda.gov/drugs" rel="nofollow ugc noopener">the label</a>' in html
    assert html.count('rel="nofollow ugc noopener"') == 2
    assert 'href="https://nhs.uk"' in html


def test_images_become_plain_links_so_no_remote_request_is_made():
    html = str(render_user_text("![my rash](https://images.test/rash.jpg)"))
    assert "<img" not in html
    assert (
        '<a href="https://images.test/rash.jpg" rel="nofollow ugc noopener">[image: my rash]</a>'
        in html
    )


def test_headings_start_below_the_page_title():
    html = str(render_user_text("# Big\n\n## Smaller", min_heading=3))
    assert "<h3>Big</h3>" in html and "<h3>Smaller</h3>" in html
    assert "<h2>Big</h2>" in str(render_user_text("# Big", min_heading=2))


def test_tables_and_strikethrough_render():
    html = str(render_user_text("| Drug | Taken |\n|---|---|\n| MTX | weekly |\n\n~~daily~~"))
    assert "<table>" in html and "<td>weekly</td>" in html
    assert "<s>daily</s>" in html or "<del>daily</del>" in html


def test_line_breaks_are_kept_as_typed_on_a_phone():
    assert "<br>" in str(render_user_text("line one\nline two"))


def test_code_is_escaped_not_linkified():
    html = str(render_user_text("`<b>x</b>` and https://example.com\n\n    https://example.org"))
    assert "<code>&lt;b&gt;x&lt;/b&gt;</code>" in html
    assert 'href="https://example.com"' in html
    assert 'href="https://example.org"' not in html


def test_wiki_links_resolve_or_stay_plain_text():
    def resolve(name):
        if name.lower() == "imuran":
            return WikiTarget(
                href="/tags/azathioprine", label="azathioprine", definition='Calms "immune" cells'
            )
        return None

    html = str(render_user_text("On [[Imuran]] not [[Unknown drug]].", wiki=resolve))
    # Our own links: a title (tooltip and accessible description), and no "ugc" marking.
    link = '<a href="/tags/azathioprine" class="wikilink" title="Calms &quot;immune&quot; cells">'
    assert link + "Imuran</a>" in html
    assert "not Unknown drug." in html


def test_plain_text_and_excerpt():
    source = "# Title\n\nSome **bold** text with a [link](https://x.test).\n\n- one\n- two"
    assert plain_text(source) == "Title Some bold text with a link. one two"
    assert excerpt(source, 20) == "Title Some bold text…"
    assert excerpt("short", 20) == "short"
    assert "<" not in excerpt("<b>raw</b> html stays out", 100)


def test_lead_is_the_text_before_the_first_heading():
    from types import SimpleNamespace

    from forum.text import RENDERER_VERSION, lead

    source = "Opening paragraph.\n\n## Details\n\nMore text.\n\n> ## Quoted heading"
    html = render_user_text(source)
    obj = SimpleNamespace(body=source, body_html=str(html), body_html_version=RENDERER_VERSION)
    opening, more = lead(obj)
    assert str(opening).strip() == "<p>Opening paragraph.</p>"
    assert more is True
    assert "<h3>Details</h3>" in str(html) and "More text." in str(html)
    no_heading = SimpleNamespace(body="Just one paragraph.", body_html=None, body_html_version=0)
    assert lead(no_heading) == (render_user_text("Just one paragraph."), False)


@pytest.mark.parametrize(
    "href", ["/\\evil.example/x", "/\t/evil.example", " //evil.example", "\\\\evil.example"]
)
def test_paths_a_browser_reads_as_another_site_are_marked_like_any_outside_link(href):
    html = str(render_user_text(f'<a href="{href}">pharmacy</a>'))
    assert 'rel="nofollow ugc noopener"' in html, html


def test_own_paths_stay_unmarked_and_links_keep_only_the_wikilink_class():
    html = str(render_user_text('<a href="/tags/imuran" class="button primary">Buy now</a>'))
    assert html.strip() == '<p><a href="/tags/imuran">Buy now</a></p>'
    html = str(render_user_text('<a href="/tags/x" class="wikilink">x</a>'))
    assert 'class="wikilink"' in html


def test_control_characters_are_stripped_but_tabs_and_newlines_kept():
    assert strip_controls("a\x01b\x1fc\x7fd\ufffee\tf\ng") == "abcde\tf\ng"
