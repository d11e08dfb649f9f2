import re
from html.parser import HTMLParser

from django.template import Context, Template
from django.test import SimpleTestCase

from core.links import link_html, link_text, phone_link, tel_address
from posts.text import clean_html


def hrefs(markup: str) -> list[str]:
    return re.findall(r'href="([^"]*)"', markup)


def parsed(markup: str) -> list[tuple[str, dict]]:
    """The start tags a browser's parser finds, with their attributes."""
    tags = []

    class Parser(HTMLParser):
        def handle_starttag(self, tag, attrs):
            tags.append((tag, dict(attrs)))

    Parser().feed(markup)
    return tags


class TestLinkText(SimpleTestCase):
    def test_it_links_web_addresses_to_a_new_tab(self):
        out = link_text("Zie https://school.nl/info?a=1&b=2 voor meer.")
        assert out == (
            'Zie <a href="https://school.nl/info?a=1&amp;b=2" rel="noopener nofollow" target="_blank">'
            "https://school.nl/info?a=1&amp;b=2</a> voor meer."
        )

    def test_it_links_mail_and_phone_in_the_same_tab(self):
        out = link_text("Mail info@school.nl of bel 020-123 45 67, of 06 12345678.")
        assert hrefs(out) == ["mailto:info@school.nl", "tel:0201234567", "tel:0612345678"]
        assert 'target="_blank"' not in out
        assert out.count('rel="noopener nofollow"') == 3

    def test_it_writes_international_numbers_with_a_plus(self):
        assert hrefs(link_text("+31 6 1234 5678 en 0031 20 1234567")) == [
            "tel:+31612345678",
            "tel:+31201234567",
        ]

    def test_it_leaves_dates_times_and_short_numbers_alone(self):
        for text in ("op 01-01-2026 12:30", "groep 3 en 4", "kosten 12,50", "postcode 1234 AB", "1234567"):
            assert "<a" not in link_text(text), text

    def test_it_keeps_sentence_punctuation_out_of_the_address(self):
        out = link_text("(lees https://nl.wikipedia.org/wiki/Sint_(feest)), of www.school.nl!")
        assert hrefs(out) == ["https://nl.wikipedia.org/wiki/Sint_(feest)", "https://www.school.nl"]
        assert out.endswith("</a>!")

    def test_it_never_links_other_schemes(self):
        for text in (
            "javascript:alert(1)",
            "JaVaScRiPt:alert(document.cookie)",
            "data:text/html;base64,PHNjcmlwdD4=",
            "vbscript:msgbox(1)",
            "file:///etc/passwd",
            "java\nscript:alert(1)",
        ):
            assert "<a" not in link_text(text), text

    def test_it_escapes_before_it_links(self):
        out = link_text('<script>alert(1)</script> <img src=x onerror=alert(1)> "quoted" & more')
        assert "<script" not in out and "<img" not in out
        assert "&lt;script&gt;" in out and "&quot;quoted&quot; &amp; more" in out

    def test_an_address_cannot_leave_its_attribute(self):
        for text in (
            'https://x.nl/"onmouseover="alert(1)',
            "https://x.nl/'onmouseover='alert(1)",
            "https://x.nl/<script>alert(1)</script>",
            "https://x.nl/&quot;onclick=&quot;alert(1)",
            "https://x.nl/\tonclick=alert(1)",
            "https://x.nl/`onclick=alert(1)`",
        ):
            tags = parsed(link_text(text))
            assert [name for name, _attrs in tags] == ["a"], (text, tags)
            assert sorted(tags[0][1]) == ["href", "rel", "target"], (text, tags)
            assert tags[0][1]["href"].startswith("https://x.nl/"), (text, tags)

    def test_mail_addresses_take_no_headers(self):
        out = link_text("jan@school.nl?bcc=everyone@x.nl")
        assert hrefs(out) == ["mailto:jan@school.nl", "mailto:everyone@x.nl"]

    def test_empty_and_none_give_nothing(self):
        assert link_text("") == "" and link_text(None) == ""


class TestLinkHtml(SimpleTestCase):
    def test_it_links_text_between_tags_and_leaves_the_authors_links(self):
        body = clean_html('Zie https://a.nl en <a href="https://b.nl">de site</a>, bel 0201234567')
        out = link_html(body)
        assert hrefs(out) == ["https://a.nl", "https://b.nl", "tel:0201234567"]

    def test_it_does_not_link_inside_a_link_or_an_attribute(self):
        body = clean_html('<a href="https://a.nl/?next=https://b.nl">https://a.nl/?next=https://b.nl</a>')
        assert link_html(body) == body

    def test_sanitized_hostile_html_stays_harmless(self):
        body = clean_html(
            '<p onclick="x">https://a.nl/"><script>alert(1)</script></p><a href="javascript:alert(1)">x</a>'
            "<img src=x onerror=alert(1)>"
        )
        tags = parsed(link_html(body))
        assert [name for name, _attrs in tags] == ["p", "a", "a"]
        assert tags[0][1] == {} and tags[1][1]["href"] == "https://a.nl/" and "href" not in tags[2][1]


class TestLinkedFilter(SimpleTestCase):
    def test_it_links_plain_text_and_keeps_line_breaks(self):
        template = Template("{% load links %}{{ text|linked|linebreaksbr }}")
        out = template.render(Context({"text": "Regel 1 <b>\nhttps://a.nl"}))
        assert (
            out
            == 'Regel 1 &lt;b&gt;<br><a href="https://a.nl" rel="noopener nofollow" target="_blank">https://a.nl</a>'
        )

    def test_it_links_sanitized_html(self):
        template = Template('{% load links %}{{ body|linked:"html" }}')
        out = template.render(Context({"body": "<p>www.a.nl</p>"}))
        assert out == '<p><a href="https://www.a.nl" rel="noopener nofollow" target="_blank">www.a.nl</a></p>'


class TestPhoneLink(SimpleTestCase):
    def test_it_dials_the_digits_and_shows_the_number_as_written(self):
        assert (
            phone_link("071 123 45 67")
            == '<a href="tel:0711234567" rel="noopener nofollow">071 123 45 67</a>'
        )

    def test_it_normalises_the_ways_a_school_writes_its_number(self):
        cases = {
            "(071) 123-4567": "0711234567",
            " 071 - 123 45 67 ": "0711234567",
            "+31 (0)71 123 45 67": "+31711234567",
            "0031 71 1234567": "+31711234567",
            "+32 2 123 45 67": "+3221234567",
        }
        assert {number: tel_address(number) for number in cases} == cases

    def test_it_escapes_and_does_not_link_what_has_no_digits(self):
        assert phone_link("<b>bel ons</b>") == "&lt;b&gt;bel ons&lt;/b&gt;"
        assert phone_link("") == "" and phone_link(None) == ""
        assert hrefs(phone_link('071"onclick=1')) == ["tel:0711"]
        assert "onclick" not in phone_link('071"onclick=1').split(">")[0]

    def test_the_filter_links_a_field(self):
        out = Template("{% load links %}{{ phone|phone_link }}").render(Context({"phone": "020-123 45 67"}))
        assert hrefs(out) == ["tel:0201234567"]
