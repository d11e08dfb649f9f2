"""Parse the answers a parent submits: one "yes" or "no" per purpose, named purpose_<public id>."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

VALUES = {"yes": True, "no": False, True: True, False: False}


def parse_answers(data, purposes) -> dict:
    """Purpose → bool for each purpose answered; anything else is refused whole."""
    answers = {}
    for purpose in purposes:
        value = data.get(f"purpose_{purpose.public_id}")
        if value in (None, ""):
            continue
        if value not in VALUES:
            raise ValidationError(_("Answer yes or no."))
        answers[purpose] = VALUES[value]
    if not answers:
        raise ValidationError(_("Answer at least one question."))
    return answers
