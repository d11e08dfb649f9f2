"""The installed app's shell: what the service worker keeps on the phone so the app opens without a network.

Only the shell: the stylesheet, scripts, icons and the offline page, none of which names a person. Pages,
API answers and media are never cached by the service worker (a phone may be shared), so without a network
the app shows the offline page instead of a browser error.
"""

from django.templatetags.static import static
from django.urls import reverse

SHELL_STATIC = (
    "css/app.css",
    "js/app.js",
    "vendor/htmx.min.js",
    "notifications/icon-192.png",
)


def shell_urls() -> list[str]:
    """The addresses the service worker caches when it installs (static names carry their hash)."""
    return [static(name) for name in SHELL_STATIC] + [reverse("core:offline")]
