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
