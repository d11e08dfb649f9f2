"""The access matrix: every method of every URL pattern must declare who may reach it, and the test proves it.

Each app lists its cases in `<app>/tests/access_cases.py` as `CASES = [AccessCase(...), ...]`.
`core/tests/test_access_matrix.py` walks the URL resolver and fails for any (pattern, method) without a case.

A case names the URL pattern by its key (`namespace:name`, e.g. "schools:group_detail", or for API
routes "api:<route>", e.g. "api:me"), the HTTP method, a function that builds the concrete path from the
persona world, the persona who must get `allowed_status`, and the personas for whom the object must not exist
(404). The matrix key of a case is the pattern's key and its method: "api:posts/<post_id> DELETE",
"posts:post_pin POST".

The methods of a pattern: for an API route, those of its django-ninja path operations; for a page, those its
view lets through (`require_GET`, `require_POST`, `require_http_methods`, a class-based view's handlers). A
page view that does not restrict its methods answers a POST too, so it needs a POST case as well.
"""

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Literal

from django.urls import URLPattern, URLResolver, get_resolver

Kind = Literal["page", "api", "public", "token"]

PAGE_METHODS = ("GET", "POST")  # HEAD follows GET; pages answer no other method


@dataclass(frozen=True)
class AccessCase:
    key: str
    path: Callable  # (world) -> str; may create the objects it needs
    kind: Kind = "page"
    # The persona that must get `allowed_status`; None for public and token-bearing URLs.
    allowed: str | None = None
    # Personas with no relation to the object: each must get 404, exactly like a missing object.
    outsiders: tuple[str, ...] = ()
    method: str = "get"
    data: dict = field(default_factory=dict)
    allowed_status: int = 200
    # For public/token URLs: what anonymous gets (200, or 404 for a bad token).
    anonymous_status: int | None = None
    # For a list of one's own things (the feed, my notifications), where every signed-in person gets an
    # answer of their own: (world) -> a text the allowed persona's answer shows. Each outsider then gets
    # `allowed_status` too, and an answer without that text, instead of a 404.
    secret: Callable | None = None
    # For an answer that depends on the school clock (a sick call is taken on a school day only): () -> the
    # moment at which the world is built and every request is made.
    at: Callable | None = None

    @property
    def matrix_key(self) -> str:
        return f"{self.key} {self.method.upper()}"


def also_posted(cases: list[AccessCase], *keys: str, **changes) -> list[AccessCase]:
    """The GET cases of these page keys again as POST, with the same personas: a view that does not restrict
    its methods answers a POST too (a form view validates it; a plain page shows itself)."""
    return [
        replace(case, method="post", **changes) for case in cases if case.key in keys and case.method == "get"
    ]


def url_key(namespace: str, pattern: URLPattern, prefix: str) -> str:
    if pattern.name:
        if namespace == "api":
            return f"api:{prefix}{pattern.pattern}"
        return f"{namespace}:{pattern.name}" if namespace else pattern.name
    return f"{namespace}:{prefix}{pattern.pattern}"


def methods_of(view: Callable) -> list[str]:
    """The HTTP methods a URL pattern's view answers (GET and POST for a page view that lets any through)."""
    path_view = inspect.getclosurevars(view).nonlocals.get("self") if inspect.isfunction(view) else None
    if path_view is not None and hasattr(path_view, "operations"):  # a django-ninja path
        return sorted({method for operation in path_view.operations for method in operation.methods})
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        return [method for method in PAGE_METHODS if hasattr(view_class, method.lower())]
    while view is not None:
        if inspect.isfunction(view):
            allowed = inspect.getclosurevars(view).nonlocals.get("request_method_list")
            if allowed is not None:  # require_GET, require_POST, require_http_methods
                return [method for method in PAGE_METHODS if method in allowed]
        view = getattr(view, "__wrapped__", None)
    return list(PAGE_METHODS)


def url_patterns() -> list[tuple[str, str, list[str]]]:
    """Every URL pattern in the project as (pattern key, route from the site root, methods it answers)."""
    found: list[tuple[str, str, list[str]]] = []

    def walk(resolver: URLResolver, namespace: str, prefix: str, route: str) -> None:
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                ns = entry.namespace or namespace
                # Inside the API, keys are routes relative to /api/v1/ ("api:me", "api:groups/{id}").
                walk(
                    entry,
                    ns,
                    f"{prefix}{entry.pattern}" if namespace == "api" else "",
                    route + str(entry.pattern),
                )
            else:
                key = url_key(namespace, entry, prefix)
                found.append((key, "/" + route + str(entry.pattern), methods_of(entry.callback)))

    walk(get_resolver(), "", "", "")
    return found


def all_url_keys() -> set[str]:
    """Every method of every URL pattern in the project, as "<pattern key> <METHOD>"."""
    return {f"{key} {method}" for key, _route, methods in url_patterns() for method in methods}


def all_cases() -> list[AccessCase]:
    from importlib import import_module

    from django.apps import apps
    from django.conf import settings

    cases: list[AccessCase] = []
    for config in apps.get_app_configs():
        if not config.path.startswith(str(settings.BASE_DIR)) or ".venv" in config.path:
            continue
        try:
            module = import_module(f"{config.name}.tests.access_cases")
        except ModuleNotFoundError:
            continue
        cases.extend(module.CASES)
    return cases
