from core.access_matrix import AccessCase

BOGUS_TOKEN = "not-a-real-token-0123456789abcdefghijklmno"

CASES = [
    AccessCase(key="accounts:login", path=lambda w: "/accounts/login/", kind="public", anonymous_status=200),
    AccessCase(
        key="accounts:logout",
        path=lambda w: "/accounts/logout/",
        method="post",
        allowed="parent",
        allowed_status=302,
    ),
    AccessCase(
        key="accounts:language",
        path=lambda w: "/accounts/language/",
        kind="public",
        method="post",
        data={"language": "en", "next": "/accounts/login/"},
        anonymous_status=302,
    ),
    AccessCase(key="accounts:settings", path=lambda w: "/accounts/settings/", allowed="parent"),
    # A bogus, used or expired token answers 404 with a page that says what to do.
    AccessCase(
        key="accounts:invitation",
        path=lambda w: f"/accounts/invitation/{BOGUS_TOKEN}/",
        kind="token",
        anonymous_status=404,
    ),
]
