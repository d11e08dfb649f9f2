"""Demo moderation: everyone has accepted the rules, a few open reports, one handled, tips for the director.

Reports are made through the real actions on posts and photos the reporters can see, so the teacher
persona finds them in the queue of her class and the director sees them all. Deterministic.
"""

import datetime

from django.utils import timezone

from accounts.models import User
from core.viewer import verified
from demo.personas import PERSONAS
from moderation import actions
from moderation.models import Feedback
from moderation.registry import reportable
from moderation.testing import accept_all_rules
from schools.models import Guardianship, StaffRole, TeachingAssignment


def persona(name: str) -> User:
    return verified(User.objects.get(email=PERSONAS[name]))


def first_visible(kind: str, viewer, *, group=None, exclude=()):
    """The newest item of this kind the viewer can see (in this class, if given)."""
    entry = reportable(kind)
    items = entry.visible_to(viewer).exclude(pk__in=[item.pk for item in exclude]).order_by("-id")
    for item in items[:40]:
        if group is None or entry.describe(item).group == group:
            return entry, item
    return entry, None


def parents_of_class(group, *, but: User) -> list[User]:
    guardians = Guardianship.objects.filter(pupil__enrolments__group=group).exclude(guardian=but)
    return list(User.objects.filter(id__in=guardians.values("guardian_id")).order_by("id")[:3])


TIPS = [
    "Fijn dat de foto's van de schoolreis zo snel online stonden! Zou het lukken om bij uitnodigingen "
    "ook een eindtijd te vermelden? Dan kunnen wij de opvang beter regelen.",
    "De berichten komen nu soms 's avonds laat binnen. Kunnen die misschien pas de volgende ochtend "
    "verstuurd worden?",
    "Tip: zet het gymrooster ook in de kalender van de app, dan vergeten wij de gymtas niet meer.",
]


def seed(*, school, today: datetime.date) -> None:
    accept_all_rules()
    parent, teacher, director = persona("parent"), persona("teacher"), persona("director")
    taught = TeachingAssignment.objects.filter(teacher=teacher, group__school=school).select_related("group")
    group = taught.first().group if taught.exists() else None

    # The parent persona: one report being looked at, one handled with an answer.
    entry, item = first_visible("photo", parent)
    if item is not None:
        actions.check_report(
            acting_user=parent,
            entry=entry,
            item=item,
            reason="privacy",
            text="Op deze foto staat ook een kind van een andere groep; mogen die ouders dat wel?",
        )
    entry, post = first_visible("post", parent)
    if post is not None:
        handled = actions.check_report(
            acting_user=parent, entry=entry, item=post, reason="inappropriate", text="Klopt de datum wel?"
        )
        actions.check_resolve_report(
            acting_user=director,
            report=handled,
            outcome="dismissed",
            note="Dank u wel voor uw oplettendheid. De datum klopt: het is echt op woensdag.",
        )

    # Other parents of the teacher persona's class: open reports in her queue, one hidden while she looks.
    if group is not None:
        reporters = parents_of_class(group, but=parent)
        done = []
        for index, (reporter, kind, reason, text) in enumerate(
            zip(
                reporters,
                ["post", "photo", "post"],
                ["personal", "privacy", "offensive"],
                [
                    "In de reacties wordt over een kind gepraat in plaats van met ons.",
                    "Mijn dochter staat hier herkenbaar op; wij hebben daar geen toestemming voor gegeven.",
                    "Dit vind ik niet prettig verwoord.",
                ],
                strict=False,
            )
        ):
            entry, item = first_visible(kind, verified(reporter), group=group, exclude=done)
            if item is None:
                continue
            done.append(item)
            report = actions.check_report(
                acting_user=reporter, entry=entry, item=item, reason=reason, text=text
            )
            if index == 1:
                actions.do_hide_item(acting_user=teacher, report=report)

    # Tips for the director, and one word the school added to the lists.
    families = list(
        User.objects.filter(guardianships__pupil__school=school)
        .exclude(staff_roles__school=school)
        .exclude(pk=parent.pk)
        .distinct()
        .order_by("id")[5 : 5 + len(TIPS)]
    )
    now = timezone.now()
    for days, (author, text) in enumerate(zip(families, TIPS, strict=False)):
        Feedback.objects.create(
            school=school, author=author, text=text, created_at=now - datetime.timedelta(days=2 * days + 1)
        )
    if StaffRole.objects.filter(user=director, school=school).exists():
        actions.check_add_term(acting_user=director, school=school, term="sukkel", category="swearing")
