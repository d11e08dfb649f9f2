from core.access_matrix import AccessCase

CASES = [
    AccessCase(key="core:home", path=lambda w: "/", allowed="parent", outsiders=()),
    # django-ninja's root only anchors the API's paths; with the CDN-based docs off it is a 404 for all.
    AccessCase(key="api:", path=lambda w: "/api/v1/", kind="public", anonymous_status=404),
    AccessCase(key="api:openapi.json", path=lambda w: "/api/v1/openapi.json", kind="public"),
]
