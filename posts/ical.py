"""The personal calendar feed (RFC 5545), written by hand: events only, no photos, only what the user sees."""

import datetime

from django.conf import settings
from django.utils import timezone

from accounts.models import hash_token
from core.viewer import verified
from posts.models import CalendarFeed
from posts.queries import events_between
from posts.text import plain_text

HORIZON = datetime.timedelta(days=400)


def escape(text: str) -> str:
    """TEXT value escaping (RFC 5545 3.3.11)."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Lines longer than 75 octets are folded with CRLF + space, never inside a UTF-8 character."""
    data = line.encode()
    if len(data) <= 75:
        return line
    parts, start, limit = [], 0, 75
    while start < len(data):
        end = min(start + limit, len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:
            end -= 1
        parts.append(data[start:end].decode())
        start, limit = end, 74
    return "\r\n ".join(parts)


def utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar_of(user, *, base_url: str = "") -> str:
    now = timezone.now()
    events = events_between(user, now - datetime.timedelta(days=60), now + HORIZON)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Schoolplein//Timeline//NL",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:Schoolplein",
    ]
    for event in events:
        ends = event.ends_at or event.starts_at + datetime.timedelta(hours=1)
        groups = ", ".join(group.name for group in event.groups.all())
        description = plain_text(event.body)
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event.public_id}@schoolplein",
            f"DTSTAMP:{utc(event.edited_at or event.published_at)}",
            f"DTSTART:{utc(event.starts_at)}",
            f"DTEND:{utc(ends)}",
            f"SUMMARY:{escape(event.title)}",
            f"DESCRIPTION:{escape(f'{groups}: {description}' if description else groups)}",
        ]
        if event.location:
            lines.append(f"LOCATION:{escape(event.location)}")
        if base_url:
            lines.append(f"URL:{base_url}/posts/{event.public_id}/")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


def calendar_for_token(token: str) -> str | None:
    """The calendar of the user whose secret token this is, or None."""
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=hash_token(token), user__is_active=True)
        .first()
    )
    if feed is None:
        return None
    # The address can only be made in a signed-in session, which for staff is two-factor verified, so like
    # an API token it carries that proof.
    user = verified(feed.user)
    return calendar_of(user, base_url=getattr(settings, "SITE_URL", "").rstrip("/"))
