"""A family's talks as iCalendar events (RFC 5545), with the line helpers of the posts feed.

Each talk keeps its public id as UID and raises SEQUENCE on every move, so a phone that imported the event
replaces it when the family opens the new file; a talk without a time any more is sent as CANCELLED.
"""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from conferences.queries import teachers_of_talk
from posts.ical import document, escape, local, utc


def calendar_of_talks(talks) -> str:
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    events = []
    for talk in talks:
        teachers = ", ".join(t.full_name or str(t) for t in teachers_of_talk(talk))
        pupils = ", ".join(p.first_name for p in talk.pupils.all())
        summary = _("Parent–teacher talk: %(pupils)s") % {"pupils": pupils}
        lines = [
            f"UID:{talk.public_id}@schoolplein",
            f"SEQUENCE:{talk.sequence}",
            f"DTSTAMP:{utc(talk.moved_at or talk.round.published_at or timezone.now())}",
        ]
        if talk.starts_at is None:
            lines.append("STATUS:CANCELLED")
        else:
            lines += [local("DTSTART", talk.starts_at), local("DTEND", talk.ends_at), "STATUS:CONFIRMED"]
        lines += [
            f"SUMMARY:{escape(summary)}",
            f"DESCRIPTION:{escape(f'{talk.round.name}. {teachers}')}",
        ]
        if talk.room:
            lines.append(f"LOCATION:{escape(talk.room)}")
        if base:
            lines.append(f"URL:{base}/conferences/talks/{talk.public_id}/")
        events.append(lines)
    return document(events, product="Conferences")
