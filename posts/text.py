"""Post text: simple formatting only, sanitized with an allowlist; links open safely in a new tab."""

import html

import nh3

TAGS = {"p", "br", "strong", "b", "em", "i", "ul", "ol", "li", "a"}
ATTRIBUTES = {"a": {"href"}}


def clean_html(text: str) -> str:
    """Keep bold, italic, lists and links; plain lines become paragraphs."""
    text = (text or "").strip()
    if text and "<" not in text:
        text = "".join(f"<p>{line}</p>" for line in text.replace("\r", "").split("\n\n"))
        text = text.replace("\n", "<br>")
    return nh3.clean(
        text,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener nofollow",
        set_tag_attribute_values={"a": {"target": "_blank"}},
    ).strip()


def plain_text(markup: str) -> str:
    """The text without tags (for calendars and empty checks)."""
    return " ".join(html.unescape(nh3.clean(markup or "", tags=set())).split())
