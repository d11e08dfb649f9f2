"""A horizontal bar chart as SVG, drawn on the server: no script, no CDN, no style attributes (CSP)."""

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

WIDTH = 360
ROW = 44  # a label line above each bar, so long option texts need no room beside it
BAR = 16
COUNT = 40  # room for the count right of the longest bar
LABEL_MAX = 48


def bar_chart(bars: list[tuple[str, int]], *, title: str) -> SafeString:
    """One bar per (label, count), scaled to the largest; every text escaped."""
    if not bars:
        return mark_safe("")
    top = max((count for _label, count in bars), default=0) or 1
    span = WIDTH - COUNT
    rows = []
    for index, (label, count) in enumerate(bars):
        y = index * ROW
        width = round(span * count / top)
        text = label if len(label) <= LABEL_MAX else label[: LABEL_MAX - 1] + "…"
        rows.append(
            format_html(
                '<g><title>{}: {}</title><text x="0" y="{}" class="chart-label">{}</text>'
                '<rect x="0" y="{}" width="{}" height="{}" rx="4" class="chart-bar"></rect>'
                '<text x="{}" y="{}" class="chart-count">{}</text></g>',
                label,
                count,
                y + 14,
                text,
                y + 20,
                max(width, 2),
                BAR,
                max(width, 2) + 6,
                y + 33,
                count,
            )
        )
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-label="{}" xmlns="http://www.w3.org/2000/svg">'
        "{}</svg>",
        WIDTH,
        ROW * len(bars),
        title,
        mark_safe("".join(rows)),  # each row built with format_html above
    )
