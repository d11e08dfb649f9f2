"""htmx fragments: the same view renders the whole page, or only a named partial for htmx requests."""

from django.shortcuts import render


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def render_page_or_partial(request, template: str, partial: str, context: dict, **kwargs):
    """Render `template`, or just `template#partial` when htmx asks for a fragment."""
    name = f"{template}#{partial}" if is_htmx(request) else template
    return render(request, name, context, **kwargs)
