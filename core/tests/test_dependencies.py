"""Dependencies point one way: a registry or a subscriber never imports the apps that register with it."""

import ast
from pathlib import Path

from django.conf import settings

# The domain apps that register with moderation and publish to notifications.
DOMAIN_APPS = {"posts", "conversations", "absences", "consent", "media", "forms"}


def imported_apps(path: Path) -> set[str]:
    """The top-level packages a module imports, at module level or inside functions."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def test_the_moderation_registry_imports_no_app_it_registers():
    assert not imported_apps(Path(settings.BASE_DIR, "moderation", "registry.py")) & DOMAIN_APPS


def test_notifications_reads_no_domain_app():
    # Demo content seeds a demo post through the timeline's own action; it never runs in a request or worker.
    modules = [
        path
        for path in Path(settings.BASE_DIR, "notifications").glob("*.py")
        if path.name != "demo_content.py"
    ]
    assert modules
    for path in modules:
        assert not imported_apps(path) & DOMAIN_APPS, path.name
