"""Deploy checks of our own: `manage.py check --deploy` fails while the secret key is not a real one."""

from django.conf import settings
from django.core.checks import Error, Tags, register

MIN_SECRET_KEY_LENGTH = 50
MIN_SECRET_KEY_CHARACTERS = 5


@register(Tags.security, deploy=True)
def check_secret_key(app_configs, **kwargs) -> list[Error]:
    """The built-in development key, or one short or plain enough to guess, must never sign production."""
    key = settings.SECRET_KEY or ""
    if key == settings.DEVELOPMENT_SECRET_KEY or key.startswith("django-insecure"):
        problem = "SECRET_KEY is the built-in development key."
    elif len(key) < MIN_SECRET_KEY_LENGTH or len(set(key)) < MIN_SECRET_KEY_CHARACTERS:
        problem = (
            f"SECRET_KEY is too weak: it needs at least {MIN_SECRET_KEY_LENGTH} characters, "
            f"{MIN_SECRET_KEY_CHARACTERS} of them different."
        )
    else:
        return []
    return [
        Error(
            problem,
            hint="Set the SECRET_KEY environment variable to a long random value, e.g. the output of "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`.",
            id="schoolplein.E001",
        )
    ]
