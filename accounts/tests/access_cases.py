from accounts.actions import check_create_api_token
from accounts.sessions import SessionStore
from core.access_matrix import AccessCase, also_posted

BOGUS_TOKEN = "not-a-real-token-0123456789abcdefghijklmno"


def parent_device(world) -> str:
    """A second signed-in device of the parent, as the devices page would list it."""
    store = SessionStore()
    store["_auth_user_id"] = str(world.parent.pk)
    store.create()
    return store.model.objects.get(session_key=store.session_key).public_id


def parent_token(world) -> str:
    token, _secret = check_create_api_token(acting_user=world.parent, name="Telefoon")
    return token.public_id


# Case data is fixed, so the parent's second device and token get known names the others must not see.
DEVICE = "MatrixDevice0001"
TOKEN_NAME = "Matrixtelefoon van Sanne"


def with_parent_device(path: str):
    def build(world) -> str:
        store = SessionStore()
        store["_auth_user_id"] = str(world.parent.pk)
        store.create()
        store.model.objects.filter(session_key=store.session_key).update(public_id=DEVICE)
        return path

    return build


def with_parent_token(path: str):
    def build(world) -> str:
        check_create_api_token(acting_user=world.parent, name=TOKEN_NAME)
        return path

    return build


OTHERS = ("outsider", "co_parent", "other_board_parent")


def public(key: str, path: str, **extra) -> AccessCase:
    return AccessCase(key=key, path=lambda w: path, kind="public", anonymous_status=200, **extra)


CASES = [
    public("accounts:login", "/accounts/login/"),
    public("accounts:login_link", "/accounts/login-link/"),
    public("accounts:password_reset", "/accounts/password-reset/"),
    public("accounts:password_reset_done", "/accounts/password-reset/sent/"),
    public("accounts:password_reset_complete", "/accounts/password-reset/done/"),
    AccessCase(
        key="accounts:language",
        path=lambda w: "/accounts/language/",
        kind="public",
        method="post",
        data={"language": "en", "next": "/accounts/login/"},
        anonymous_status=302,
    ),
    # A bogus, used or expired token answers 404 with a page that says what to do next.
    AccessCase(
        key="accounts:invitation",
        path=lambda w: f"/accounts/invitation/{BOGUS_TOKEN}/",
        kind="token",
        anonymous_status=404,
    ),
    AccessCase(
        key="accounts:login_link_use",
        path=lambda w: f"/accounts/login-link/{BOGUS_TOKEN}/",
        kind="token",
        anonymous_status=404,
    ),
    # Django's reset view answers a bad link with 200 and its "invalid link" page.
    AccessCase(
        key="accounts:password_reset_confirm",
        path=lambda w: "/accounts/password-reset/MQ/set-password-bogus/",
        kind="token",
        anonymous_status=200,
    ),
    AccessCase(
        key="accounts:logout",
        path=lambda w: "/accounts/logout/",
        method="post",
        allowed="parent",
        allowed_status=302,
    ),
    AccessCase(
        key="accounts:settings",
        path=lambda w: "/accounts/settings/",
        allowed="parent",
        outsiders=("outsider", "other_board_parent"),
        secret=lambda w: w.parent.email,
    ),
    AccessCase(key="accounts:password_change", path=lambda w: "/accounts/password/", allowed="parent"),
    AccessCase(
        key="accounts:devices",
        path=with_parent_device("/accounts/devices/"),
        allowed="parent",
        outsiders=OTHERS,
        secret=lambda w: DEVICE,
    ),
    AccessCase(
        key="accounts:devices_logout_others",
        path=lambda w: "/accounts/devices/log-out-others/",
        method="post",
        allowed="parent",
        allowed_status=302,
    ),
    AccessCase(
        key="accounts:device_logout",
        path=lambda w: f"/accounts/devices/{parent_device(w)}/log-out/",
        method="post",
        allowed="parent",
        allowed_status=302,
        outsiders=("outsider", "teacher"),
    ),
    AccessCase(
        key="accounts:tokens",
        path=with_parent_token("/accounts/tokens/"),
        allowed="parent",
        outsiders=OTHERS,
        secret=lambda w: TOKEN_NAME,
    ),
    AccessCase(
        key="accounts:token_revoke",
        path=lambda w: f"/accounts/tokens/{parent_token(w)}/revoke/",
        method="post",
        allowed="parent",
        allowed_status=302,
        outsiders=("outsider", "co_parent", "teacher"),
    ),
    # Two-factor pages exist for staff only.
    AccessCase(
        key="accounts:two_factor_setup",
        path=lambda w: "/accounts/two-factor/setup/",
        allowed="teacher",
        outsiders=("parent",),
    ),
    AccessCase(
        key="accounts:two_factor_verify",
        path=lambda w: "/accounts/two-factor/verify/",
        allowed="teacher",
        allowed_status=302,
        outsiders=("parent",),
    ),
    AccessCase(
        key="api:me",
        path=lambda w: "/api/v1/me",
        kind="api",
        allowed="parent",
        outsiders=("outsider", "other_board_parent"),
        secret=lambda w: w.parent.email,
    ),
    AccessCase(
        key="api:me",
        path=lambda w: "/api/v1/me",
        kind="api",
        method="patch",
        data={"language": "en"},
        allowed="parent",
        outsiders=("outsider", "other_board_parent"),
        secret=lambda w: w.parent.email,
    ),
    AccessCase(
        key="api:tokens",
        path=with_parent_token("/api/v1/tokens"),
        kind="api",
        allowed="parent",
        outsiders=OTHERS,
        secret=lambda w: TOKEN_NAME,
    ),
    AccessCase(
        key="api:tokens",
        path=lambda w: "/api/v1/tokens",
        kind="api",
        method="post",
        data={"name": "Script"},
        allowed="parent",
        allowed_status=201,
    ),
    AccessCase(
        key="api:tokens/<token_id>",
        path=lambda w: f"/api/v1/tokens/{parent_token(w)}",
        kind="api",
        method="delete",
        allowed="parent",
        allowed_status=204,
        outsiders=("outsider", "co_parent"),
    ),
]

# These views do not restrict their methods: a POST reaches them too.
CASES += also_posted(
    CASES,
    "accounts:devices",
    "accounts:invitation",
    "accounts:login",
    "accounts:login_link",
    "accounts:login_link_use",
    "accounts:password_change",
    "accounts:password_reset",
    "accounts:password_reset_confirm",
    "accounts:settings",
    "accounts:tokens",
    "accounts:two_factor_setup",
    "accounts:two_factor_verify",
)
