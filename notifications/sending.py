"""Hand one ledger row to its channel: an email to the SMTP server, a push to each of the person's devices.

Each function raises `Retry` for a passing fault (server down) and `Permanent` for one that will not heal
(mailbox unknown, every device gone); anything it returns counts as sent.
"""

import json
import smtplib
import time

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext_noop

from notifications.models import Delivery, Dispatch, PushSubscription
from notifications.vapid import vapid_keys, vapid_subject

UNSUBSCRIBE_SALT = "notifications.unsubscribe"
# Kinds whose email may carry the item's text; a message between people never leaves the app.
TEXT_IN_EMAIL = {"post.published", "event.reminder"}


def email_text(dispatch: Dispatch) -> str:
    """The item's text as an email, the digest or a translation carries it: none for kinds whose text stays
    in the app, and without its first paragraph when that is the title the heading already shows (a post's
    text starts with its title, so "Groep 3: Schoolreis" was followed by "Schoolreis")."""
    if dispatch.kind not in TEXT_IN_EMAIL:
        return ""
    text = dispatch.data.get("text", "")
    title = (dispatch.title_params or {}).get("title", "")
    head, _sep, rest = text.partition("\n\n")
    return rest if title and head.strip() == title.strip() else text


class Retry(Exception):
    pass


class Permanent(Exception):
    pass


def title_of(dispatch: Dispatch) -> str:
    return dispatch.display_title


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def unsubscribe_url(user, kind: str) -> str:
    token = signing.dumps({"u": user.public_id, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)
    return absolute(reverse("notifications:unsubscribe", args=[token]))


def unsubscribe_headers(url: str) -> dict[str, str]:
    """RFC 8058 one-click unsubscribe."""
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


class Renderer:
    """Render each email once per kind of content and language, then fill in the person.

    A digest for 10,000 guardians, or a post to 800, has a handful of distinct bodies: the name and the
    unsubscribe link are the only personal parts, put in as placeholders and replaced per recipient.
    """

    NAME, LINK = "@@recipient-name@@", "@@unsubscribe-link@@"

    def __init__(self):
        self.cache: dict[tuple, tuple[str, str, str]] = {}
        self.translations: dict[tuple[int, str], list[str] | None] = {}

    def translated(self, dispatches, language: str) -> dict[int, list[str]]:
        """Dispatch pk → the notice's cached translation (title, then its text if it has one) into the
        language; asked once per batch and language, never of the engine (missing ones are asked for in
        the background, and the email goes as written)."""
        if not language:
            return {}
        wanted = {d.pk: d for d in dispatches if (d.pk, language) not in self.translations}
        if wanted:
            from translation.queries import cached_texts

            found = cached_texts("notice", wanted.values(), language)
            for pk, dispatch in wanted.items():
                self.translations[pk, language] = found.get(dispatch.public_id)
        found = {d.pk: self.translations[d.pk, language] for d in dispatches}
        return {pk: texts for pk, texts in found.items() if texts}

    def parts(self, template: str, key: tuple, language: str, context) -> tuple[str, str, str]:
        """`context` is a function, called only when this content is not rendered yet."""
        cache_key = (template, language, *key)
        if cache_key not in self.cache:
            with translation.override(language):
                context = {
                    **context(),
                    "user": {"first_name": self.NAME, "email": self.NAME},
                    "unsubscribe_url": self.LINK,
                }
                subject = render_to_string(f"notifications/email/{template}_subject.txt", context)
                self.cache[cache_key] = (
                    " ".join(subject.split()),
                    render_to_string(f"notifications/email/{template}.txt", context),
                    render_to_string(f"notifications/email/{template}.html", context),
                )
        return self.cache[cache_key]

    def email(self, *, template: str, key: tuple, context, user, unsubscribe: str, message_id: str):
        """`key` names the content: it includes the reading language when the content is translated."""
        subject, text, html = self.parts(template, key, user.language, context)
        name = user.first_name or user.email
        text = text.replace(self.NAME, name).replace(self.LINK, unsubscribe)
        html = html.replace(self.NAME, escape(name)).replace(self.LINK, escape(unsubscribe))
        headers = {**unsubscribe_headers(unsubscribe), "Message-ID": message_id}
        message = EmailMultiAlternatives(
            subject, text, settings.DEFAULT_FROM_EMAIL, [user.email], headers=headers
        )
        message.attach_alternative(html, "text/html")
        return message


def message_id(local: str) -> str:
    domain = settings.DEFAULT_FROM_EMAIL.split("@")[-1].rstrip(">").strip() or "schoolplein"
    return f"<{local}@{domain}>"


def reading_language(user) -> str:
    """The language a person reads their email in when they chose "always translate" (their preference is
    read with the batch), else ""."""
    preference = getattr(user, "reading_preference", None)
    return preference.language if preference is not None and preference.always else ""


def translation_of(texts: list[str] | None, language: str) -> dict | None:
    """What an email shows of a notice's translation: its title and text, labelled with the language."""
    if not texts:
        return None
    from translation.queries import direction, language_name

    return {
        "title": texts[0],
        "text": texts[1] if len(texts) > 1 else "",
        "language": language_name(language),
        "code": language,
        "dir": direction(language),
    }


def email_of(delivery: Delivery, renderer: Renderer):
    dispatch, user = delivery.dispatch, delivery.user
    reading = reading_language(user)
    translated = renderer.translated([dispatch], reading).get(dispatch.pk)

    def context() -> dict:
        return {
            "title": title_of(dispatch),
            "link": absolute(dispatch.url or "/"),
            "text": email_text(dispatch),
            "has_photos": bool(dispatch.data.get("photo_count")),
            "urgent": dispatch.urgent,
            "translation": translation_of(translated, reading),
        }

    return renderer.email(
        template="item",
        key=(dispatch.pk, reading if translated else ""),
        context=context,
        user=user,
        unsubscribe=unsubscribe_url(user, dispatch.kind),
        message_id=message_id(f"delivery-{delivery.pk}"),
    )


def send_email(delivery: Delivery, connection, renderer: Renderer) -> None:
    """Send over the caller's connection, opened here once and kept open for the rest of the batch."""
    try:
        connection.open()
        connection.send_messages([email_of(delivery, renderer)])
    except smtplib.SMTPRecipientsRefused as exc:
        raise Permanent(gettext_noop("mailbox unknown")) from exc
    except (smtplib.SMTPException, OSError) as exc:
        connection.close()
        raise Retry(f"{type(exc).__name__}: {exc}"[:300]) from exc


def push_title(delivery: Delivery, renderer: Renderer | None = None) -> tuple[str, str]:
    """The title on the lock screen and its language: the notice's words (Dispatch.title_in), without the
    person or the post's title when the recipient turned names off. For a reader who always translates,
    the cached translation of those words (asked ahead at fan-out, like the email's; the title only, so no
    text of a message or post goes with it); without one in time, the interface language."""
    dispatch, user = delivery.dispatch, delivery.user
    chosen = getattr(user, "notification_settings", None)  # read with the batch
    names = chosen is None or chosen.push_names
    reading = reading_language(user)
    translated = None
    if reading and not dispatch.is_nameless(names=names):
        translated = (renderer or Renderer()).translated([dispatch], reading).get(dispatch.pk)
    if translated:
        return dispatch.title_in(names=names, translated=translated[0]), reading
    with translation.override(user.language):
        return dispatch.title_in(names=names), user.language


def push_payload(delivery: Delivery, renderer: Renderer | None = None) -> str:
    """What the push service carries: the title, where it leads, and the title's language and direction
    (so the phone sets Arabic right to left); never a body or an image."""
    from translation.protect import is_rtl

    dispatch = delivery.dispatch
    title, language = push_title(delivery, renderer)
    payload = {
        "title": title,
        "url": dispatch.url or "/",
        "urgent": dispatch.urgent,
        "lang": language,
        "dir": "rtl" if is_rtl(language) else "auto",
    }
    return json.dumps(payload, ensure_ascii=False)


class Pusher:
    """Web push for one batch: one HTTP session and one signed VAPID header per push service."""

    def __init__(self):
        self.session = None
        self.headers: dict[str, dict] = {}

    def vapid_headers(self, endpoint: str) -> dict:
        from urllib.parse import urlsplit

        from py_vapid import Vapid02

        parts = urlsplit(endpoint)
        audience = f"{parts.scheme}://{parts.netloc}"
        if audience not in self.headers:
            vapid = Vapid02.from_string(private_key=vapid_keys()["private"])
            claims = {"sub": vapid_subject(), "aud": audience, "exp": int(time.time()) + 12 * 3600}
            self.headers[audience] = vapid.sign(claims)
        return self.headers[audience]

    def send(self, info: dict, payload: str) -> None:
        import requests
        from pywebpush import WebPusher, WebPushException

        if self.session is None:
            self.session = requests.Session()
        headers = dict(self.vapid_headers(info["endpoint"]))
        response = WebPusher(info, requests_session=self.session).send(
            payload, headers, ttl=24 * 3600, timeout=10
        )
        if response.status_code > 202:
            raise WebPushException(f"Push failed: {response.status_code}", response=response)

    def close(self) -> None:
        if self.session is not None:
            self.session.close()


def send_push(
    delivery: Delivery,
    pusher: Pusher,
    subscriptions: list[PushSubscription],
    renderer: Renderer | None = None,
) -> None:
    """Push to every device of the person; a device the push service forgot is removed."""
    from pywebpush import WebPushException

    if not subscriptions:
        raise Permanent(gettext_noop("no device"))
    payload = push_payload(delivery, renderer)
    reached, failed_for_now = 0, ""
    for sub in subscriptions:
        info = {"endpoint": sub.endpoint, "keys": {"p256dh": sub.p256dh, "auth": sub.auth}}
        try:
            pusher.send(info, payload)
            reached += 1
        except WebPushException as exc:
            status = getattr(exc.response, "status_code", None)
            if status in (404, 410):
                sub.delete()
            else:
                failed_for_now = f"push service answered {status}"
        except OSError as exc:
            failed_for_now = f"{type(exc).__name__}: {exc}"[:300]
    if failed_for_now and not reached:
        raise Retry(failed_for_now)
    if not reached:
        raise Permanent(gettext_noop("device removed"))
