"""What other apps show under a post (a form to answer), without posts importing them.

An app registers a function that returns, for a viewer and a post, the panels to show below its text:

    register_post_panel(lambda viewer, post: [Panel("forms/_post_panel.html", {"forms": [...]})])

The registered function decides who sees what (it is asked with the viewer); posts only renders the panels.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict = field(default_factory=dict)


_panels: list[Callable] = []


def register_post_panel(panels_for: Callable) -> None:
    if panels_for not in _panels:
        _panels.append(panels_for)


def panels_of(viewer, post) -> list[Panel]:
    return [panel for panels_for in _panels for panel in panels_for(viewer, post)]
