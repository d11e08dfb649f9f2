"""What happens to a text around the engine, as pure functions.

Before the engine: a plain text becomes HTML (so one engine format serves all), and the names of the
school's pupils and staff, the school's name and the glossary's terms are wrapped in
`<span translate="no" data-keep="N">` (a glossary term already in its fixed translation). After the
engine: every kept span is put back from our own list, whatever the engine did inside it, then the result
is cleaned (HTML through the text owner's allowlist, plain text back to text).
"""

import html
import re
from collections.abc import Callable, Iterable

import nh3

# Scripts written right to left among the languages engines offer.
RTL_LANGUAGES = {"ar", "fa", "he", "ps", "ur", "ckb", "dv", "sd", "ug", "yi"}

_TAG = re.compile(r"(<[^>]*>)")
_KEPT = re.compile(r'<span\b[^>]*\bdata-keep="?(\d+)"?[^>]*>.*?</span>', re.IGNORECASE | re.DOTALL)
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)


def is_rtl(language: str) -> bool:
    return language.split("-")[0].lower() in RTL_LANGUAGES


def to_markup(text: str, *, is_html: bool) -> str:
    """The text as HTML for the engine: plain text escaped, its line breaks as <br>."""
    if is_html:
        return text
    return html.escape(text.replace("\r", ""), quote=False).replace("\n", "<br>")


def from_markup(markup: str, *, is_html: bool, clean: Callable[[str], str] | None = None) -> str:
    """The engine's answer made safe: HTML through the owner's allowlist, plain text without any tag."""
    if is_html:
        return clean(markup) if clean else nh3.clean(markup, tags=set())
    text = _BR.sub("\n", markup)
    return html.unescape(nh3.clean(text, tags=set())).strip()


def _pattern(words: Iterable[str], *, ignore_case: bool) -> re.Pattern | None:
    words = sorted({word for word in words if len(word) > 1}, key=len, reverse=True)
    if not words:
        return None
    alternatives = "|".join(re.escape(html.escape(word, quote=False)) for word in words)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE if ignore_case else 0)


def protect(markup: str, *, names: Iterable[str] = (), glossary: dict[str, str] | None = None):
    """Wrap names (as written, case-sensitive) and glossary terms (any case, replaced by their fixed
    translation) in spans the engine leaves alone; only text between tags is touched. Returns the marked-up
    text and the list of what each span must hold afterwards."""
    glossary = {term.lower(): translation for term, translation in (glossary or {}).items()}
    by_escaped = {html.escape(term, quote=False): value for term, value in glossary.items()}
    passes = [(_pattern(glossary, ignore_case=True), True), (_pattern(names, ignore_case=False), False)]
    kept: list[str] = []

    def keep(match: re.Match, *, fixed: bool) -> str:
        value = html.escape(by_escaped[match.group(0).lower()], quote=False) if fixed else match.group(0)
        kept.append(value)
        return f'<span translate="no" data-keep="{len(kept) - 1}">{value}</span>'

    parts = _TAG.split(markup)
    for index in range(0, len(parts), 2):  # even parts are text, odd parts are tags
        for pattern, fixed in passes:
            if pattern is None:
                continue
            # A span made by the first pass is a tag now: split again so the second pass skips it.
            pieces = _TAG.split(parts[index])
            for at in range(0, len(pieces), 2):
                pieces[at] = pattern.sub(lambda match, fixed=fixed: keep(match, fixed=fixed), pieces[at])
            parts[index] = "".join(pieces)
    return "".join(parts), kept


def restore(markup: str, kept: list[str]) -> str:
    """Put every kept span's own text back, without the span."""

    def back(match: re.Match) -> str:
        number = int(match.group(1))
        return kept[number] if number < len(kept) else ""

    return _KEPT.sub(back, markup)
