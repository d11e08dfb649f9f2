"""URLs of routes that begin with a public id, without reverse() per URL.

reverse() walks the URL patterns each time: a page with many links to one route (a feed's renditions,
the inbox's thirty threads: 1.6 ms of its rows) paid that walk per link. What the route puts around the id
is resolved once per URL configuration and script prefix; public ids need no quoting.
"""

import functools

from django.urls import get_script_prefix, get_urlconf, reverse

from core.ids import new_public_id


def url_with_id(viewname: str, public_id: str) -> str:
    """reverse(viewname, args=[public_id]) for a route whose one argument is a public id."""
    before, after = route_around_id(viewname, get_urlconf(), get_script_prefix())
    return f"{before}{public_id}{after}"


@functools.cache
def route_around_id(viewname: str, urlconf, script_prefix: str, more: tuple = ()) -> tuple[str, str]:
    """What reverse(viewname, args=[id, *more]) gives before and after the id; per URL configuration and
    script prefix, as reverse()'s answer depends on them."""
    sample = new_public_id()
    before, _sample, after = reverse(viewname, urlconf=urlconf, args=[sample, *more]).partition(sample)
    return before, after
