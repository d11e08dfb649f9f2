from core.access_matrix import AccessCase, also_posted

CASES = [
    # Everyone's own home: the parent's shows their child, another family's shows theirs.
    AccessCase(
        key="core:home",
        path=lambda w: "/",
        allowed="parent",
        outsiders=("outsider", "other_school_parent", "other_board_parent"),
        secret=lambda w: "Daan",
    ),
    # django-ninja's root only anchors the API's paths; with the CDN-based docs off it is a 404 for all.
    AccessCase(key="api:", path=lambda w: "/api/v1/", kind="public", anonymous_status=404),
    AccessCase(key="api:openapi.json", path=lambda w: "/api/v1/openapi.json", kind="public"),
]

# These views do not restrict their methods: a POST reaches them too.
CASES += also_posted(
    CASES,
    "api:",
    "api:openapi.json",
    "core:home",
)
