"""Addresses in user text made clickable, safely: the one owner of links in posts, comments and messages.

The text is escaped first; only then are web addresses (http and https only: never javascript:, data: or
any other scheme), e-mail addresses and phone numbers found in the escaped text and wrapped in links. An
address can hold no quote, angle bracket or white space once escaped, so nothing the author wrote can leave
the link's attribute. Web links open in a new tab; every link carries rel="noopener nofollow".

Sanitized HTML (a post's text, see posts/text.py) is linked in its text between tags, never inside a tag
or inside a link the author made.

    {% load links %}{{ comment.body|linked|linebreaksbr }}     plain text
    {{ post.body|linked:"html" }}                              sanitized HTML
    {{ school.phone|phone_link }}                              a phone number field
"""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# In escaped text an ampersand only appears as "&amp;"; "&quot;", "&#x27;", "&lt;" and "&gt;" end an address.
_URL = r"(?:https?://|www\.)(?:[^\s<>\"'&]|&amp;)+"
_EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}"
# A Dutch number (0 and nine digits) or an international one (+ or 00, and 9 to 14 digits), digits grouped by
# single spaces or hyphens; checked once more in _phone (a date like 01-01-2026 12 is no number).
_PHONE = r"(?:(?:\+|00)\d(?:[ -]?\d){8,13}|0(?:[ -]?\d){9})"
_FIND = re.compile(
    rf"(?P<url>(?<![\w@/.-]){_URL})|(?P<email>(?<![\w.+-]){_EMAIL}(?![\w-]))|(?P<phone>(?<![\w+/.-]){_PHONE}(?![\w-]))",
    re.IGNORECASE,
)
# A tag of sanitized HTML (attribute values are always quoted there), for linking only the text between.
_TAG = re.compile(r"<(/?)([a-zA-Z][\w-]*)(?:[^>\"']|\"[^\"]*\"|'[^']*')*>")
_TRAILING = ".,:;!?"


def _trim(address: str) -> tuple[str, str]:
    """Punctuation after an address belongs to the sentence ("see https://x.nl/a."), as does a closing
    bracket the address did not open ("(https://x.nl/a)")."""
    rest = ""
    while address:
        if address.endswith("&amp;"):
            break
        last = address[-1]
        if last in _TRAILING or (last == ")" and address.count("(") < address.count(")")):
            address, rest = address[:-1], last + rest
        else:
            break
    return address, rest


def tel_address(number: str) -> str:
    """The tel: address of a phone number as people write it: its digits, with a + when international
    ("+31 (0)71 …" drops the (0) a caller from abroad must not dial); "" when there are no digits."""
    number = number.strip().replace("(0)", "")
    digits = re.sub(r"\D", "", number)
    if number.startswith("+"):
        return f"+{digits}" if digits else ""
    return f"+{digits[2:]}" if digits.startswith("00") else digits


def _phone(number: str) -> str:
    """The tel: address of a matched number, or "" when it is not one (two hyphens: a date)."""
    if number.count("-") > 1:
        return ""
    return tel_address(number)


def _anchor(href: str, text: str, *, new_tab: bool) -> str:
    target = ' target="_blank"' if new_tab else ""
    return f'<a href="{href}" rel="noopener nofollow"{target}>{text}</a>'


def _link(match: re.Match) -> str:
    text = match.group(0)
    if match.group("url"):
        address, rest = _trim(text)
        href = f"https://{address}" if address.lower().startswith("www.") else address
        return _anchor(href, address, new_tab=True) + rest if "." in address else text
    if match.group("email"):
        return _anchor(f"mailto:{text}", text, new_tab=False)
    tel = _phone(text)
    return _anchor(f"tel:{tel}", text, new_tab=False) if tel else text


def link_escaped(text: str) -> str:
    """Links in text that is escaped already (HTML text between tags)."""
    return _FIND.sub(_link, text)


def link_text(text) -> SafeString:
    """Plain text, escaped, with its addresses as links."""
    return mark_safe(link_escaped(escape(text or "")))


def phone_link(number) -> SafeString:
    """A number known to be a phone number (a school's) as a tel: link, shown as it was written."""
    number = str(number or "").strip()
    address = tel_address(number)
    return mark_safe(_anchor(f"tel:{address}", escape(number), new_tab=False)) if address else escape(number)


def link_html(markup) -> SafeString:
    """Sanitized HTML with the addresses in its text as links; tags and the authors' own links untouched."""
    markup = str(markup or "")
    out, position, in_link = [], 0, 0
    for tag in _TAG.finditer(markup):
        between = markup[position : tag.start()]
        out.append(between if in_link else link_escaped(between))
        out.append(tag.group(0))
        if tag.group(2).lower() == "a":
            in_link = max(0, in_link + (-1 if tag.group(1) else 1))
        position = tag.end()
    tail = markup[position:]
    out.append(tail if in_link else link_escaped(tail))
    return mark_safe("".join(out))
