"""The demo's one state change: signing in as a persona with one click."""

from django.db import transaction
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.actions import do_login
from accounts.models import User
from core import audit


@transaction.atomic
def do_demo_login(request, *, user: User, persona: str) -> None:
    """Sign in as a persona; staff come out two-factor verified, as if they had typed their code."""
    do_login(request, user, method="demo")
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        otp_login(request, device)
    audit.record(actor=user, action="demo.login", target=user, persona=persona)
