"""Django's {# #} comment ends at the line's end: one spread over lines is shown to every visitor as text."""

from pathlib import Path

from django.conf import settings


def test_no_template_comment_spans_lines():
    spread = []
    for template in Path(settings.BASE_DIR).glob("*/templates/**/*.html"):
        for number, line in enumerate(template.read_text().splitlines(), 1):
            if line.count("{#") > line.count("#}"):
                spread.append(f"{template.relative_to(settings.BASE_DIR)}:{number}")
    assert spread == [], "use {% comment %} for comments over several lines"
