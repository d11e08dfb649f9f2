"""What a question accepts and how an answer is stored: pure functions, no database.

Stored values (Answer.value) per kind:
    yes_no     {"yes": true}  or  {"yes": false, "reason": "…"}   (a reason is required for no)
    choice     {"choice": "…"}                                      (one of the options offered)
    choices    {"choices": ["…", …]}                                (options offered, in their order)
    text       {"text": "…"}
    number     {"number": "12.5"}                                   (a decimal as text: no float drift)
    date       {"date": "2026-05-14"}
    scale      {"scale": 1..5}
    signature  {"name": "…", "confirmed": true}
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

TEXT_MAX = 500
REASON_MAX = 500
NAME_MAX = 150
SCALE = range(1, 6)


class AnswerError(ValueError):
    """A translated reason why one answer is not accepted."""


def is_blank(raw) -> bool:
    """Whether the raw input says nothing (an unanswered question)."""
    if raw is None:
        return True
    if isinstance(raw, dict):
        return all(is_blank(value) for key, value in raw.items() if key != "confirmed")
    if isinstance(raw, list | tuple):
        return not any(str(item).strip() for item in raw)
    return str(raw).strip() == ""


def _text(raw, limit: int) -> str:
    text = str(raw or "").strip()
    if len(text) > limit:
        raise AnswerError(_("Keep it under %(limit)s characters.") % {"limit": limit})
    return text


def _yes_no(raw) -> dict:
    raw = raw if isinstance(raw, dict) else {"yes": raw}
    value = raw.get("yes")
    if isinstance(value, str):
        value = {"yes": True, "no": False, "true": True, "false": False}.get(value.strip().lower())
    if not isinstance(value, bool):
        raise AnswerError(_("Answer yes or no."))
    if value:
        return {"yes": True}
    reason = _text(raw.get("reason"), REASON_MAX)
    if not reason:
        raise AnswerError(_("Please give a reason when you answer no."))
    return {"yes": False, "reason": reason}


def _choice(raw, options: list[str]) -> dict:
    choice = str(raw).strip()
    if choice not in options:
        raise AnswerError(_("Choose one of the options offered."))
    return {"choice": choice}


def _choices(raw, options: list[str]) -> dict:
    chosen = [str(item).strip() for item in (raw if isinstance(raw, list | tuple) else [raw])]
    chosen = [item for item in chosen if item]
    if any(item not in options for item in chosen):
        raise AnswerError(_("Choose only from the options offered."))
    return {"choices": [option for option in options if option in chosen]}


def _number(raw) -> dict:
    try:
        number = Decimal(str(raw).strip().replace(",", "."))
    except InvalidOperation:
        raise AnswerError(_("Enter a number.")) from None
    if not number.is_finite() or abs(number) >= Decimal("1e9"):
        raise AnswerError(_("Enter a number."))
    return {"number": str(number.normalize()) if number == number.to_integral() else str(number)}


def _date(raw) -> dict:
    if isinstance(raw, datetime.date):
        return {"date": raw.isoformat()}
    try:
        return {"date": datetime.date.fromisoformat(str(raw).strip()).isoformat()}
    except ValueError:
        raise AnswerError(_("Enter a date (yyyy-mm-dd).")) from None


def _scale(raw) -> dict:
    try:
        value = int(str(raw).strip())
    except ValueError:
        raise AnswerError(_("Choose a number from 1 to 5.")) from None
    if value not in SCALE:
        raise AnswerError(_("Choose a number from 1 to 5."))
    return {"scale": value}


def _signature(raw) -> dict:
    raw = raw if isinstance(raw, dict) else {"name": raw}
    name = _text(raw.get("name"), NAME_MAX)
    confirmed = raw.get("confirmed") in (True, "true", "on", "1", 1)
    if not name or not confirmed:
        raise AnswerError(_("Type your name and tick the confirmation to sign."))
    return {"name": name, "confirmed": True}


def clean_answer(kind: str, options: list[str], raw) -> dict:
    """The stored value of one non-blank answer; AnswerError says why it is refused."""
    if kind == "yes_no":
        return _yes_no(raw)
    if kind == "choice":
        return _choice(raw, options)
    if kind == "choices":
        return _choices(raw, options)
    if kind == "text":
        return {"text": _text(raw, TEXT_MAX)}
    if kind == "number":
        return _number(raw)
    if kind == "date":
        return _date(raw)
    if kind == "scale":
        return _scale(raw)
    if kind == "signature":
        return _signature(raw)
    raise AnswerError(_("This question cannot be answered."))


def shown(kind: str, value: dict) -> str:
    """An answer as one line of text (the list per child, the CSV)."""
    if kind == "yes_no":
        return (
            _("Yes")
            if value.get("yes")
            else _("No") + (f": {value['reason']}" if value.get("reason") else "")
        )
    if kind == "choices":
        return ", ".join(value.get("choices", []))
    if kind == "signature":
        return _("Signed by %(name)s") % {"name": value.get("name", "")}
    for key in ("choice", "text", "number", "date", "scale"):
        if key in value:
            return str(value[key])
    return ""


# --- The System Usability Scale ----------------------------------------------------------------------


def sus_score(items: dict[int, int]) -> float | None:
    """The SUS score (0–100) of one respondent's ten answers (1–5); None unless all ten are there.

    score = ((sum of the odd items − 5) + (25 − sum of the even items)) × 2.5
    """
    if sorted(items) != list(range(1, 11)):
        return None
    odd = sum(items[n] for n in (1, 3, 5, 7, 9))
    even = sum(items[n] for n in (2, 4, 6, 8, 10))
    return ((odd - 5) + (25 - even)) * 2.5
