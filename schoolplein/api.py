"""The JSON API under /api/v1/, described by OpenAPI at /api/v1/openapi.json.

Each app contributes a router (`<app>/api.py`); all of them call the same actions and access layer as
the web pages.
"""

from accounts.api_auth import api_auth
from core.api_errors import DocumentedAPI, install_error_handlers

api = DocumentedAPI(
    title="Schoolplein API",
    version="1",
    description="Schoolplein: school–parent communication. Authenticate with a personal API token "
    "(Authorization: Bearer …) or the browser session with its CSRF token.",
    auth=api_auth,
    urls_namespace="api",
    docs_url=None,  # the interactive docs load assets from a CDN; the OpenAPI file is enough
)


install_error_handlers(api)


def _add_routers() -> None:
    from absences.api import router as absences_router
    from accounts.api import router as accounts_router
    from conferences.api import router as conferences_router
    from consent.api import router as consent_router
    from consent.api_avatars import router as avatars_router
    from conversations.api import router as conversations_router
    from forms.api import router as forms_router
    from media.api import router as media_router
    from moderation.api import router as moderation_router
    from notifications.api import router as notifications_router
    from posts.api import router as posts_router
    from privacy.api import router as privacy_data_router
    from roster.api import router as roster_router
    from roster.api_rollover import router as rollover_router
    from schools.api import router as schools_router
    from translation.api import router as translation_router

    api.add_router("/", accounts_router)
    api.add_router("/", schools_router)
    api.add_router("/media/", media_router)
    api.add_router("/", posts_router)
    api.add_router("/conversations/", conversations_router)
    api.add_router("/absences/", absences_router)
    api.add_router("/", conferences_router)
    api.add_router("/notifications/", notifications_router)
    api.add_router("/privacy/", consent_router)
    api.add_router("/privacy/", avatars_router)
    api.add_router("/moderation/", moderation_router)
    api.add_router("/", roster_router)
    api.add_router("/", privacy_data_router)
    api.add_router("/", rollover_router)
    api.add_router("/", forms_router)
    api.add_router("/translations", translation_router)


_add_routers()
