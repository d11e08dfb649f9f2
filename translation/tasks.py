"""Background work for translation: thin, loads by id and calls the action."""

from django.tasks import task

from translation import actions, queries


@task
def translate(translation_id: int) -> None:
    """Ask the school's engine for one pending translation (timeouts, retries and the breaker inside)."""
    actions.do_translate(translation_id=translation_id)


@task
def refresh_languages(engine: str) -> int:
    """Ask the engine which languages it offers (the reading-language list shows them for a day)."""
    return len(queries.fetch_languages(engine))


@task
def translate_ahead(kind: str, public_ids: list[str], languages: list[str]) -> int:
    """Ask for translations a page or an email will want (their readers were checked by who enqueued it)."""
    return actions.do_translate_ahead(kind=kind, public_ids=public_ids, languages=languages)
