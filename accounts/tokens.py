"""Secrets sent by email. Only their digest is stored; the mail task derives the secret again from the row.

The secret is an HMAC of the row's random public id under the server key: the database alone (a leak, or a
queued task's arguments) never holds anything that opens an account.
"""

from django.utils.crypto import salted_hmac
from django.utils.http import urlsafe_base64_encode


def emailed_secret(purpose: str, public_id: str) -> str:
    """The secret for one invitation or login link; `purpose` keeps the two kinds apart."""
    digest = salted_hmac(f"schoolplein.accounts.{purpose}", public_id, algorithm="sha256").digest()
    return urlsafe_base64_encode(digest)
