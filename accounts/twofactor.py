"""Where a staff member goes until their session has passed two-factor, and which pages stay open."""

from django.urls import reverse
from django.utils.http import urlencode
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.viewer import is_two_factor_verified
from schools.queries import has_any_staff_role


def needs_two_factor(user) -> bool:
    """Staff powers require a verified session; a parent-only account is never asked."""
    return has_any_staff_role(user) and not is_two_factor_verified(user)


def two_factor_url(user, next_url: str = "") -> str:
    """The verify page if the user has a confirmed device, else the setup page; keeps `next`."""
    has_device = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    url = reverse("accounts:two_factor_verify" if has_device else "accounts:two_factor_setup")
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url
