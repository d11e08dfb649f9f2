"""The personal calendar feed (RFC 5545), written by hand: events only, no photos, only what the user sees."""

import datetime

from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import slugify

from accounts.models import hash_token
from core.clock import SCHOOL_TZ
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


# The school's clock: times are written in Europe/Amsterdam with its rules, so a calendar shows them right
# on either side of a change to or from summer time.
VTIMEZONE = [
    "BEGIN:VTIMEZONE",
    "TZID:Europe/Amsterdam",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "TZNAME:CEST",
    "DTSTART:19700329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "TZNAME:CET",
    "DTSTART:19701025T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
]


def local(name: str, moment: datetime.datetime) -> str:
    """A DTSTART/DTEND line on the school's clock."""
    return f"{name};TZID=Europe/Amsterdam:{timezone.localtime(moment, SCHOOL_TZ).strftime('%Y%m%dT%H%M%S')}"


def document(events: list[list[str]], *, product: str, name: str = "") -> str:
    """A whole calendar around the events' lines, folded, CRLF-ended: the one writer of .ics files."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//Schoolplein//{product}//NL",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        *([f"X-WR-CALNAME:{escape(name)}"] if name else []),
        *VTIMEZONE,
    ]
    for event in events:
        lines += ["BEGIN:VEVENT", *event, "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


def event_lines(event, *, base_url: str = "") -> list[str]:
    """One event invitation (a post) as VEVENT lines."""
    ends = event.ends_at or event.starts_at + datetime.timedelta(hours=1)
    groups = ", ".join(group.name for group in event.groups.all())
    description = plain_text(event.body)
    lines = [
        f"UID:{event.public_id}@schoolplein",
        f"DTSTAMP:{utc(event.edited_at or event.published_at or event.created_at)}",
        local("DTSTART", event.starts_at),
        local("DTEND", ends),
        f"SUMMARY:{escape(event.title)}",
        f"DESCRIPTION:{escape(f'{groups}: {description}' if description else groups)}",
    ]
    if event.location:
        lines.append(f"LOCATION:{escape(event.location)}")
    if base_url:
        lines.append(f"URL:{base_url}/posts/{event.public_id}/")
    return lines


def calendar_of(user, *, base_url: str = "") -> str:
    now = timezone.now()
    events = events_between(user, now - datetime.timedelta(days=60), now + HORIZON)
    return document(
        [event_lines(event, base_url=base_url) for event in events], product="Timeline", name="Schoolplein"
    )


def event_file(event, *, base_url: str = "") -> str:
    """One event to add to a calendar ("Zet in mijn agenda")."""
    return document([event_lines(event, base_url=base_url)], product="Timeline")


def event_calendar_response(request, post) -> HttpResponse:
    """The download of one published event the viewer may see (access checked by the caller); 404 else."""
    if not post.is_event or post.published_at is None:
        raise Http404
    body = event_file(post, base_url=request.build_absolute_uri("/").rstrip("/"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        True, f"{slugify(post.title) or 'event'}.ics"
    )
    response["Cache-Control"] = "private, no-store"
    return response


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
