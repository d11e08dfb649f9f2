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
    # The "More" page lists my children and groups.
    AccessCase(
        key="core:more",
        path=lambda w: "/more/",
        allowed="parent",
        outsiders=("outsider", "other_school_parent", "other_board_parent"),
        secret=lambda w: "Daan",
    ),
    # What the installed app shows offline: the same for everyone, naming nobody.
    AccessCase(key="core:offline", path=lambda w: "/offline/", kind="public"),
    # django-ninja's root only anchors the API's paths; with the CDN-based docs off it is a 404 for all.
    AccessCase(key="api:", path=lambda w: "/api/v1/", kind="public", anonymous_status=404),
    AccessCase(key="api:openapi.json", path=lambda w: "/api/v1/openapi.json", kind="public"),
]

# These views do not restrict their methods: a POST reaches them too.
CASES += also_posted(
    CASES,
    "api:",
    "api:openapi.json",
)
