"""Demo content for absences at De Schakel: holidays, a lively morning overview and leave requests.

Rows are written directly (not through the actions), because the reports pretend to have been made days
ago: the lead time that the actions enforce would refuse a dentist visit today.
"""

import datetime

from django.utils import timezone

from absences.calendar import Calendar
from absences.models import Absence, AbsencePolicy, LeaveRequest, SchoolClosure
from accounts.models import User
from core.clock import school_year_bounds
from schools.models import Enrolment, Guardianship, Pupil, School, SchoolYear, StaffRole

Kind = Absence.Kind
T = datetime.time

# (class, pupil index in the class, school day from today, kind, from, until, note)
PLANNED = [
    (
        "Groep 3",
        1,
        0,
        Kind.DENTIST,
        T(8, 30),
        T(9, 45),
        "Controle bij de tandarts, daarna breng ik hem naar school.",
    ),
    ("Groep 3", 4, 0, Kind.HOSPITAL, None, None, "Poliklinische afspraak in het LUMC (KNO)."),
    ("Groep 3", 7, 1, Kind.DOCTOR, T(13, 15), T(14, 0), "Huisarts, voor de uitslag van het bloedonderzoek."),
    ("Groep 3", 9, 3, Kind.OTHER, T(8, 30), T(10, 0), "Paspoort ophalen op het gemeentehuis."),
    (
        "Groep 1/2a",
        2,
        0,
        Kind.OTHER,
        None,
        None,
        "Logopedie en daarna de fysiotherapeut, het lukt niet anders.",
    ),
    ("Groep 4", 5, 0, Kind.DENTIST, T(10, 30), T(11, 30), "Orthodontist."),
    ("Groep 5", 3, 1, Kind.HOSPITAL, None, None, "Controle bij de kinderarts in het Alrijne."),
    ("Groep 6", 6, 2, Kind.DOCTOR, T(11, 0), T(12, 0), "Oogarts."),
    ("Groep 7", 8, 0, Kind.DENTIST, T(14, 0), T(15, 0), "Beugel wordt geplaatst."),
    ("Groep 8", 2, 4, Kind.OTHER, None, None, "Kennismakingsdag op het Visser 't Hooft Lyceum."),
]


def holidays(year: SchoolYear) -> list[tuple[str, str, datetime.date, datetime.date]]:
    """The usual school holidays of the middle region, for a school year starting in August."""
    y = year.starts_on.year
    d = datetime.date
    return [
        ("holiday", "Herfstvakantie", d(y, 10, 17), d(y, 10, 25)),
        ("holiday", "Kerstvakantie", d(y, 12, 19), d(y + 1, 1, 3)),
        ("holiday", "Voorjaarsvakantie", d(y + 1, 2, 14), d(y + 1, 2, 22)),
        ("holiday", "Meivakantie", d(y + 1, 4, 25), d(y + 1, 5, 3)),
        ("holiday", "Zomervakantie", d(y + 1, 7, 11), year.ends_on),
        ("study_day", "Studiedag team (leerlingen vrij)", d(y + 1, 3, 11), d(y + 1, 3, 11)),
    ]


def seed(*, school: School, today: datetime.date) -> None:
    starts, _ends = school_year_bounds(today)
    year = SchoolYear.objects.get(school=school, starts_on=starts)
    AbsencePolicy.objects.get_or_create(school=school)
    closures = [
        SchoolClosure(school=school, school_year=year, kind=kind, name=name, starts_on=first, ends_on=last)
        for kind, name, first, last in holidays(year)
    ]
    # A study day three weeks from now, so the overview and the report form have one to show.
    study_day = today + datetime.timedelta(days=21)
    study_day += datetime.timedelta(days=(2 - study_day.weekday()) % 7)  # a Wednesday
    closures.append(
        SchoolClosure(
            school=school,
            school_year=year,
            kind="study_day",
            name="Studiedag rekenonderwijs",
            starts_on=study_day,
            ends_on=study_day,
        )
    )
    SchoolClosure.objects.bulk_create(closures)

    calendar = Calendar.of(school, today, today + datetime.timedelta(days=60))
    days = calendar.school_days(today, 8)
    if today.weekday() < 5 and today not in days:
        days.insert(0, today)  # a holiday today: still show what was reported
    classes = pupils_by_class(year)
    guardian = first_guardians(school)
    reported_at = timezone.now() - datetime.timedelta(days=3)

    absences = []
    for class_name, index, day_index, kind, from_time, until_time, note in PLANNED:
        pupils = classes.get(class_name, [])
        if len(pupils) <= index:
            continue
        pupil = pupils[index]
        day = days[min(day_index, len(days) - 1)]
        absences.append(
            Absence(
                school=school,
                pupil=pupil,
                kind=kind,
                starts_on=day,
                ends_on=day,
                from_time=from_time,
                until_time=until_time,
                note=note,
                reported_by=guardian.get(pupil.pk),
            )
        )
    Absence.objects.bulk_create(absences)
    Absence.objects.filter(pk__in=[a.pk for a in absences]).update(created_at=reported_at)

    sick_calls(school, classes, days[0])
    persona_family(school, days, guardian)
    leave_requests(school, classes, days, guardian, today)


# (class, pupil index, what the parent said on the phone)
SICK_CALLS = [
    ("Groep 3", 15, "Koorts en keelpijn, moeder belde om 7:50."),
    ("Groep 3", 20, "Buikgriep."),
    ("Groep 5/6", 4, "Hoofdpijn, vader belt als ze weer beter is."),
    ("Groep 8", 11, "Waterpokken."),
]


def sick_calls(school: School, classes: dict, day: datetime.date) -> None:
    """This morning's phone calls, noted by the office (De Schakel takes sick reports by phone)."""
    office = User.objects.filter(staff_roles__school=school, staff_roles__role=StaffRole.Role.OFFICE).first()
    rows = [
        Absence(
            school=school,
            pupil=classes[name][index],
            kind=Kind.SICK,
            starts_on=day,
            note=note,
            reported_by=office,
        )
        for name, index, note in SICK_CALLS
        if len(classes.get(name, [])) > index
    ]
    Absence.objects.bulk_create(rows)


def pupils_by_class(year: SchoolYear) -> dict[str, list[Pupil]]:
    classes: dict[str, list[Pupil]] = {}
    enrolments = (
        Enrolment.objects.filter(school_year=year)
        .select_related("pupil", "group")
        .order_by("group__name", "pupil__last_name", "pupil__first_name", "pupil_id")
    )
    for enrolment in enrolments:
        classes.setdefault(enrolment.group.name, []).append(enrolment.pupil)
    return classes


def first_guardians(school: School) -> dict[int, User]:
    guardians: dict[int, User] = {}
    for g in Guardianship.objects.filter(pupil__school=school).select_related("guardian").order_by("id"):
        guardians.setdefault(g.pupil_id, g.guardian)
    return guardians


def persona_family(school: School, days: list[datetime.date], guardian: dict[int, User]) -> None:
    """The parent persona: a dentist visit for Daan next week and a pending leave request for Lotte."""
    from demo.personas import PERSONAS

    parent = User.objects.filter(email=PERSONAS["parent"]).first()
    if parent is None:
        return
    children = {p.first_name: p for p in Pupil.objects.filter(guardianships__guardian=parent, school=school)}
    daan, lotte = children.get("Daan"), children.get("Lotte")
    if daan is not None:
        day = days[min(5, len(days) - 1)]
        Absence.objects.create(
            school=school,
            pupil=daan,
            kind=Kind.DENTIST,
            starts_on=day,
            ends_on=day,
            from_time=T(9, 0),
            until_time=T(10, 0),
            note="Halfjaarlijkse controle bij tandarts Van Leeuwen.",
            reported_by=parent,
        )
    if lotte is not None:
        first = days[-1] + datetime.timedelta(days=14)
        LeaveRequest.objects.create(
            school=school,
            pupil=lotte,
            kind=LeaveRequest.Kind.EXTRAORDINARY,
            starts_on=first,
            ends_on=first,
            reason="Opa en oma zijn 50 jaar getrouwd en vieren dat met de hele familie in Groningen. "
            "We moeten de dag ervoor al afreizen.",
            requested_by=parent,
        )


def leave_requests(school, classes, days, guardian, today) -> None:
    """Pending requests for the director, and granted leave that shows in the overview."""
    director = User.objects.filter(
        staff_roles__school=school, staff_roles__role=StaffRole.Role.DIRECTOR
    ).first()
    groep3, groep6 = classes.get("Groep 3", []), classes.get("Groep 6", [])
    decided_at = timezone.now() - datetime.timedelta(days=10)
    rows = []
    if len(groep3) > 12:
        pupil = groep3[12]
        first = today + datetime.timedelta(days=30)
        rows.append(
            LeaveRequest(
                school=school,
                pupil=pupil,
                kind=LeaveRequest.Kind.EXTRAORDINARY,
                starts_on=first,
                ends_on=first + datetime.timedelta(days=1),
                requested_by=guardian.get(pupil.pk),
                reason="De bruiloft van mijn broer in Izmir. "
                "We vliegen op donderdagavond en zijn maandag terug.",
            )
        )
    if len(groep6) > 10:
        pupil = groep6[10]
        day = days[min(2, len(days) - 1)]
        rows.append(
            LeaveRequest(
                school=school,
                pupil=pupil,
                kind=LeaveRequest.Kind.EXTRAORDINARY,
                starts_on=day,
                ends_on=day,
                requested_by=guardian.get(pupil.pk),
                reason="Uitvaart van zijn overgrootvader in Zeeland.",
                status=LeaveRequest.Status.GRANTED,
                decided_by=director,
                decided_at=decided_at,
                decision_reason="Gecondoleerd. Verlof voor de uitvaart is toegekend.",
            )
        )
        holiday = today + datetime.timedelta(days=70)
        rows.append(
            LeaveRequest(
                school=school,
                pupil=pupil,
                kind=LeaveRequest.Kind.HOLIDAY,
                starts_on=holiday,
                ends_on=holiday + datetime.timedelta(days=4),
                requested_by=guardian.get(pupil.pk),
                reason="Goedkopere vlucht naar Curaçao.",
                status=LeaveRequest.Status.REFUSED,
                decided_by=director,
                decided_at=decided_at,
                decision_reason="Vakantieverlof kan alleen als u door uw werk in geen enkele "
                "schoolvakantie weg kunt, met een werkgeversverklaring. Dat is hier niet het geval.",
            )
        )
    LeaveRequest.objects.bulk_create(rows)
