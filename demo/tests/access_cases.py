from core.access_matrix import AccessCase, also_posted

# Tests run without DEMO_MODE: the one-click persona login does not exist for anyone.
CASES = [
    AccessCase(key="demo:login", path=lambda w: "/demo/login/parent/", kind="public", anonymous_status=404),
]

# These views do not restrict their methods: a POST reaches them too.
CASES += also_posted(
    CASES,
    "demo:login",
)
