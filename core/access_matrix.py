"""The access matrix: every URL pattern must declare who may reach it, and the test proves it.

Each app lists its cases in `<app>/tests/access_cases.py` as `CASES = [AccessCase(...), ...]`.
`core/tests/test_access_matrix.py` walks the URL resolver and fails for any pattern without a case.

A case names the URL pattern by its key (`namespace:name`, e.g. "schools:group_detail", or for API
routes "api:<route>", e.g. "api:me"), a function that builds the concrete path from the persona world,
the persona who must get `allowed_status`, and the persona for whom the object must not exist (404).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from django.urls import URLPattern, URLResolver, get_resolver

Kind = Literal["page", "api", "public", "token"]


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


def url_key(namespace: str, pattern: URLPattern, prefix: str) -> str:
    if pattern.name:
        if namespace == "api":
            return f"api:{prefix}{pattern.pattern}"
        return f"{namespace}:{pattern.name}" if namespace else pattern.name
    return f"{namespace}:{prefix}{pattern.pattern}"


def all_url_keys() -> set[str]:
    """Every URL pattern in the project as its key."""
    keys: set[str] = set()

    def walk(resolver: URLResolver, namespace: str, prefix: str) -> None:
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                ns = entry.namespace or namespace
                # Inside the API, keys are routes relative to /api/v1/ ("api:me", "api:groups/{id}").
                walk(entry, ns, f"{prefix}{entry.pattern}" if namespace == "api" else "")
            else:
                keys.add(url_key(namespace, entry, prefix))

    walk(get_resolver(), "", "")
    return keys


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
