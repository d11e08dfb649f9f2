from core.access_matrix import AccessCase

CASES = [
    AccessCase(key="core:home", path=lambda w: "/", allowed="parent"),
    AccessCase(key="api:", path=lambda w: "/api/v1/", kind="public", anonymous_status=200),
    AccessCase(key="api:openapi.json", path=lambda w: "/api/v1/openapi.json", kind="public"),
]
