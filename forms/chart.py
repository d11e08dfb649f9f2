"""A horizontal bar chart as SVG, drawn on the server: no script, no CDN, no style attributes (CSP)."""

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

WIDTH = 360
ROW = 32
LABEL = 150  # room for the labels on the left
COUNT = 36  # room for the count on the right


def bar_chart(bars: list[tuple[str, int]], *, title: str) -> SafeString:
    """One bar per (label, count), scaled to the largest; every text escaped."""
    if not bars:
        return mark_safe("")
    top = max((count for _label, count in bars), default=0) or 1
    height = ROW * len(bars)
    span = WIDTH - LABEL - COUNT
    rows = []
    for index, (label, count) in enumerate(bars):
        y = index * ROW
        width = round(span * count / top)
        text = label if len(label) <= 20 else label[:19] + "…"
        rows.append(
            format_html(
                '<g><title>{}: {}</title><text x="{}" y="{}" text-anchor="end" class="chart-label">{}</text>'
                '<rect x="{}" y="{}" width="{}" height="{}" rx="4" class="chart-bar"></rect>'
                '<text x="{}" y="{}" class="chart-count">{}</text></g>',
                label,
                count,
                LABEL - 8,
                y + 21,
                text,
                LABEL,
                y + 6,
                width,
                ROW - 12,
                LABEL + width + 6,
                y + 21,
                count,
            )
        )
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-label="{}" xmlns="http://www.w3.org/2000/svg">'
        "{}</svg>",
        WIDTH,
        height,
        title,
        mark_safe("".join(rows)),  # each row built with format_html above
    )
