"""The demo personas: which account each one-click demo login signs in as."""

from django.http import Http404

from accounts.models import User

# Persona name (as in the login URL) -> the account's email address, created by demo.seed.
PERSONAS: dict[str, str] = {
    "director": "i.vanderplas@deschakel.example",
    "teacher": "a.degraaf@deschakel.example",
    "parent": "sanne.verhoeven@example.net",
    "classparent": "fatma.yilmaz@example.com",
    "office": "administratie@deschakel.example",
}


def access_persona(name: str) -> User:
    """The active account behind a persona name; an unknown persona is 404 like a missing page."""
    email = PERSONAS.get(name)
    user = User.objects.filter(email=email, is_active=True).first() if email else None
    if user is None:
        raise Http404
    return user
