"""Public ids: random, unguessable, URL-safe; never the sequential primary key."""

import secrets

from django.db import models

PUBLIC_ID_LENGTH = 16
PUBLIC_ID_PATTERN = "[A-Za-z0-9_-]{16}"


def new_public_id() -> str:
    return secrets.token_urlsafe(12)


class PublicIdField(models.CharField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", PUBLIC_ID_LENGTH)
        kwargs.setdefault("unique", True)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("default", new_public_id)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        for key in ("max_length", "unique", "editable", "default"):
            kwargs.pop(key, None)
        return name, path, args, kwargs


class PublicIdConverter:
    """URL converter: a malformed id never reaches a view, so it answers 404 like a missing one."""

    regex = PUBLIC_ID_PATTERN

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
