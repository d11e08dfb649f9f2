"""Building forms in tests."""

import datetime

from django.utils import timezone, translation

from core.testing import PersonaTestCase, enrol, make_user
from core.viewer import verified
from forms.actions import QuestionDraft, check_create_form
from schools.models import Guardianship, Pupil


def permission_slip(world, *, guardians="one", closes_in=datetime.timedelta(days=3), **extra):
    """Teacher Anna asks Groep 3 for permission for the excursion to the zoo."""
    return check_create_form(
        acting_user=world.teacher,
        groups=[world.group3],
        kind="permission",
        title="Excursie naar Blijdorp",
        guardians=guardians,
        closes_at=timezone.now() + closes_in,
        questions=extra.pop("questions", [QuestionDraft(kind="text", text="Allergieën?", required=False)]),
        **extra,
    )


def poll(world, *, questions, per="family", **extra):
    extra.setdefault("closes_at", timezone.now() + datetime.timedelta(days=3))
    return check_create_form(
        acting_user=extra.pop("acting_user", world.teacher),
        groups=extra.pop("groups", [world.group3]),
        title=extra.pop("title", "Welke avond?"),
        per=per,
        questions=questions,
        **extra,
    )


def more_families(world, count: int, group=None) -> list:
    """`count` more families (one parent, one child) in Groep 3; returns the parents."""
    group = group or world.group3
    parents = []
    for n in range(count):
        parent = make_user(f"extra{n}@example.test", f"Ouder{n}", "Extra")
        pupil = Pupil.objects.create(school=world.school, first_name=f"Kind{n}", last_name="Extra")
        enrol(pupil, group)
        Guardianship.objects.create(guardian=parent, pupil=pupil, relation=Guardianship.Relation.PARENT)
        parents.append(parent)
    return parents


def first_child(parent):
    return Pupil.objects.filter(guardianships__guardian=parent).order_by("id").first()


class FormsTestCase(PersonaTestCase):
    """Personas with the staff acting as from a two-factor-verified session."""

    def setUp(self):
        super().setUp()
        # Actions' messages are read by their English msgids; the pages are tested in Dutch.
        translation.activate("en")
        self.addCleanup(translation.deactivate)
        for name in ("teacher", "duo_teacher", "other_teacher", "director", "office"):
            verified(getattr(self.world, name))
