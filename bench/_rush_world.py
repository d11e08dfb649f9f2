"""The data the morning rush needs, built inside the stack's own database (run in a child process with
the stack's environment): at least FAMILIES families in the demo school, each guardian wanting class posts
by email at any hour, signed-in sessions for the parents and teachers who take part, and what each of them
will act on. Prints one JSON line.

Families are added in bulk (the demo seed's few dozen are far from a real school of 400); sessions are
made the way the test client signs in, so the rush measures pages, not password hashing.
"""

import datetime
import json
import os
import sys


def build(*, families: int, parents: int, teachers: int) -> dict:
    from django.conf import settings
    from django.db.models import Count
    from django.test import Client
    from django.utils import timezone

    from absences.calendar import calendar_around
    from absences.models import Absence, AbsencePolicy
    from accounts.models import User
    from core.testing import make_staff, sign_in
    from demo.personas import PERSONAS
    from moderation.models import ConductAcceptance
    from moderation.queries import with_rules_version
    from notifications.models import Preference
    from notifications.models import Settings as NotificationSettings
    from schools.models import Enrolment, Group, Guardianship, Pupil, School, StaffRole, TeachingAssignment
    from schools.queries import current_school_year_of

    director = User.objects.get(email=PERSONAS["director"])
    school = StaffRole.objects.get(user=director, role="director").school
    year = current_school_year_of(school)
    classes = list(Group.objects.filter(school=school, kind="class", school_year=year).order_by("name"))
    wide = Group.objects.get(school=school, kind="school")
    # Families up to `families`, and enough built ones whose child is not reported sick yet for `parents`
    # (a rush may follow another on the same stack, and a child is reported sick once).
    sick = Absence.objects.filter(kind="sick", ends_on__isnull=True, withdrawn_at__isnull=True)
    built = Pupil.objects.filter(school=school, last_name__startswith="Rush")
    free = built.exclude(pk__in=sick.values("pupil")).count()
    missing = max(0, families - Pupil.objects.filter(school=school).count(), parents - free)
    tag = timezone.now().strftime("%H%M%S")
    User.objects.bulk_create(
        [
            User(email=f"rush{tag}-{i}@example.test", first_name="Ouder", last_name=f"Rush {i}")
            for i in range(2 * missing)
        ],
        batch_size=1000,
    )
    new_users = list(User.objects.filter(email__startswith=f"rush{tag}-").order_by("pk"))
    Pupil.objects.bulk_create(
        [Pupil(school=school, first_name="Kind", last_name=f"Rush{tag} {i}") for i in range(missing)]
    )
    pupils = list(Pupil.objects.filter(school=school, last_name__startswith=f"Rush{tag} ").order_by("pk"))
    Enrolment.objects.bulk_create(
        [
            Enrolment(pupil=p, group=classes[i % len(classes)], school_year=classes[0].school_year)
            for i, p in enumerate(pupils)
        ]
    )
    Guardianship.objects.bulk_create(
        [
            Guardianship(guardian=new_users[2 * i + j], pupil=p, relation="parent")
            for i, p in enumerate(pupils)
            for j in (0, 1)
        ]
    )
    # Every guardian of the school wants class posts by email, at any hour: the rush is a school morning,
    # whatever the clock of the machine says.
    guardian_ids = set(
        Guardianship.objects.filter(pupil__school=school).values_list("guardian_id", flat=True)
    )
    Preference.objects.filter(user_id__in=guardian_ids, kind="post.published").delete()
    Preference.objects.bulk_create(
        [
            Preference(user_id=u, kind="post.published", push=False, email=True, digest=False)
            for u in guardian_ids
        ]
    )
    NotificationSettings.objects.filter(user_id__in=guardian_ids).delete()
    midnight = datetime.time(0, 0)
    NotificationSettings.objects.bulk_create(
        [
            NotificationSettings(user_id=u, quiet_from=midnight, quiet_until=midnight, digest="off")
            for u in guardian_ids
        ]
    )
    AbsencePolicy.objects.update_or_create(school=school, defaults={"sick_reports": "app"})
    local = timezone.localtime()
    sick_day = calendar_around(school, local.date(), ahead=21).school_days(
        local.date() + datetime.timedelta(days=1), 1
    )[0]

    # The teachers: the class teachers of the demo, and more (each with a class) up to `teachers`.
    assignments = list(
        TeachingAssignment.objects.filter(group__in=classes).select_related("teacher", "group")
    )
    by_teacher = {}
    for assignment in assignments:
        by_teacher.setdefault(assignment.teacher, assignment.group)
    for n in range(len(by_teacher), teachers):
        teacher = make_staff(school, f"juf{tag}-{n}@example.test", "Juf", f"Rush {n}", "teacher")
        group = classes[n % len(classes)]
        TeachingAssignment.objects.create(teacher=teacher, group=group)
        by_teacher[teacher] = group

    # They have read the school's rules of conduct (otherwise every page leads there first).
    rules_version = with_rules_version(School.objects.filter(pk=school.pk)).get().rules_version
    ConductAcceptance.objects.bulk_create(
        [
            ConductAcceptance(user_id=u, school=school, version=rules_version, accepted_at=timezone.now())
            for u in guardian_ids | {t.pk for t in by_teacher}
        ],
        ignore_conflicts=True,
    )

    def session(user) -> str:
        client = sign_in(Client(), user)
        return client.cookies[settings.SESSION_COOKIE_NAME].value

    # One guardian per child of the built families, children not reported sick yet.
    chosen = (
        Guardianship.objects.filter(pupil__school=school, pupil__last_name__startswith="Rush")
        .exclude(pupil__in=sick.values("pupil"))
        .select_related("guardian", "pupil")
        .order_by("pupil_id", "guardian_id")
        .distinct("pupil_id")[:parents]  # the stack runs on PostgreSQL
    )
    taking_part = [(g.guardian, g.pupil.public_id) for g in chosen]
    class_pupils = {
        group.pk: [
            e.pupil.public_id
            for e in Enrolment.objects.filter(group=group).select_related("pupil").order_by("pk")[:5]
        ]
        for group in set(by_teacher.values())
    }
    counts = Pupil.objects.filter(school=school).aggregate(n=Count("pk"))
    return {
        "cookie": settings.SESSION_COOKIE_NAME,
        "families": counts["n"],
        "guardians": len(guardian_ids),
        "sick_day": sick_day.isoformat(),
        "school_group": wide.public_id,
        "director": session(director),
        "parents": [{"session": session(u), "child": child} for u, child in taking_part],
        "teachers": [
            {"session": session(t), "group": g.public_id, "pupils": class_pupils[g.pk]}
            for t, g in list(by_teacher.items())[:teachers]
        ],
    }


if __name__ == "__main__":
    import django

    django.setup()
    world = build(
        families=int(os.environ["RUSH_FAMILIES"]),
        parents=int(os.environ["RUSH_PARENTS"]),
        teachers=int(os.environ["RUSH_TEACHERS"]),
    )
    sys.stdout.write(json.dumps(world) + "\n")
