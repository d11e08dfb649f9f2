"""A school's own texts, written in Dutch and in English: the one owner of which of the two a reader sees."""

from django.utils import translation


def in_language(dutch: str, english: str) -> str:
    """The text in the reader's language, the other one when the school wrote only one."""
    if (translation.get_language() or "nl").startswith("en"):
        return english or dutch
    return dutch or english
