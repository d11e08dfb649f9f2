"""Conversations for the demo school: each persona finds a lively, realistic inbox.

Threads go through the real actions (so read state, quiet-mode notices and events are real); their
times are then moved into the past so the inbox reads like a few weeks of school life.
"""

import datetime
import random

from django.utils import timezone

from accounts.models import User
from conversations.actions import (
    check_add_director,
    check_save_availability,
    check_save_school_messaging,
    check_send_message,
    check_start_with_class,
    check_start_with_guardians,
    do_close,
)
from conversations.models import Conversation, Message, Participant, StaffNotice
from core.clock import SCHOOL_TZ
from core.viewer import verified
from demo.personas import PERSONAS
from schools.models import Enrolment, Group, Guardianship
from schools.queries import current_school_year_of

# (subject, the parent's message, the teacher's reply or None) for parents writing to a class.
FROM_PARENTS = [
    (
        "Tandarts donderdag",
        "Goedemorgen juf, {child} moet donderdag om 10.15 uur naar de tandarts. "
        "Ik kom om 10.00 uur naar de klas en breng {child} na afloop weer terug. "
        "Groetjes, {parent}",
        "Dank u wel voor het doorgeven! Ik zet het in de agenda. Fijne dag.",
    ),
    (
        "Zwemdiploma",
        "Hallo! {child} heeft zaterdag het A-diploma gehaald en wil dat graag in de kring laten zien. "
        "Mag het diploma maandag mee naar school?",
        "Wat een goed nieuws, gefeliciteerd! Natuurlijk mag het mee, dan vieren we het in de kring.",
    ),
    (
        "Slecht geslapen",
        "Beste juf/meester, {child} heeft vannacht slecht geslapen omdat de baby ziek is en kan "
        "vandaag dus wat moe zijn. Wilt u daar een beetje rekening mee houden?",
        "Fijn dat u het laat weten. We houden een oogje in het zeil; ik laat het weten als er iets is.",
    ),
    (
        "Leesboek kwijt",
        "Hallo, {child} is het leesboek van school kwijt. We hebben thuis overal gezocht. Ligt het misschien "
        "nog in de klas?",
        None,
    ),
    (
        "Oudergesprek",
        "Goedemiddag, zouden we een keer kunnen praten over hoe het gaat met rekenen? {child} vindt de "
        "tafels thuis erg lastig. Na schooltijd kan ik op dinsdag en donderdag.",
        "Goed dat u het aangeeft. Zullen we dinsdag om 15.15 uur afspreken in de klas?",
    ),
]


def at(today: datetime.date, days_ago: int, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(
        today - datetime.timedelta(days=days_ago), datetime.time(hour, minute), SCHOOL_TZ
    )


def days_back_to(moment: datetime.datetime, *, now: datetime.datetime) -> datetime.timedelta:
    """The whole days to move `moment` back so that it is not later than `now`."""
    days = 0
    while moment - datetime.timedelta(days=days) > now:
        days += 1
    return datetime.timedelta(days=days)


def backdate(
    conversation: Conversation, times: list[datetime.datetime], *, read: dict[int, datetime.datetime]
):
    """Spread the thread's messages over `times` and set who read up to when; a thread whose last message
    would lie later today than the seeding moves back whole days (a morning demo has no answers from noon)."""
    back = days_back_to(times[-1], now=timezone.now())
    times = [moment - back for moment in times]
    read = {user_id: moment - back for user_id, moment in read.items()}
    messages = list(conversation.messages.order_by("id"))
    for message, moment in zip(messages, times, strict=True):
        Message.objects.filter(pk=message.pk).update(created_at=moment)
        StaffNotice.objects.filter(message=message).update(notify_at=moment)
    Conversation.objects.filter(pk=conversation.pk).update(created_at=times[0], last_message_at=times[-1])
    Participant.objects.filter(conversation=conversation).update(last_read_at=None)
    for user_id, moment in read.items():
        Participant.objects.update_or_create(
            conversation=conversation,
            user_id=user_id,
            defaults={"last_read_at": moment},
            create_defaults={"is_member": False, "last_read_at": moment},
        )


def class_thread(enrolment, parent, teachers, spec, *, today, days_ago, parent_read=True, teacher_reads=True):
    subject, question, answer = spec
    child = enrolment.pupil.first_name
    conversation = check_start_with_class(
        acting_user=parent,
        enrolment=enrolment,
        subject=subject,
        body=question.format(child=child, parent=parent.first_name),
    )
    times = [at(today, days_ago, 7, 40)]
    if answer and teachers:
        check_send_message(acting_user=teachers[0], conversation=conversation, body=answer)
        times.append(at(today, days_ago, 12, 25))
    read = {}
    if teacher_reads:
        read.update({teacher.id: times[-1] for teacher in teachers})
    if parent_read:
        read[parent.id] = times[-1]
    else:
        read[parent.id] = times[0]
    backdate(conversation, times, read=read)
    return conversation


def seed(*, school, today: datetime.date) -> None:
    rng = random.Random(6)
    year = current_school_year_of(school)
    if year is None:
        return
    people = {name: User.objects.filter(email=email).first() for name, email in PERSONAS.items()}
    director, office = verified(people["director"]), verified(people["office"])
    teacher, parent, classparent = verified(people["teacher"]), people["parent"], people["classparent"]

    check_save_school_messaging(acting_user=director, school=school, reply_days=2, phone=school.phone)
    check_save_availability(
        acting_user=teacher,
        school=school,
        days=[1, 2, 3],
        starts_at=datetime.time(8, 0),
        ends_at=datetime.time(16, 0),
    )

    def class_of(parent_user):
        return list(
            Enrolment.objects.filter(school_year=year, pupil__guardianships__guardian=parent_user)
            .select_related("pupil", "group__school")
            .order_by("pupil__first_name")
        )

    def teachers_of(group):
        return [verified(user) for user in User.objects.filter(teaching__group=group).order_by("last_name")]

    # The parent persona: a thread for each child; one reply still unread.
    for index, enrolment in enumerate(class_of(parent)):
        teachers = teachers_of(enrolment.group)
        spec = FROM_PARENTS[index % 2]
        class_thread(
            enrolment, parent, teachers, spec, today=today, days_ago=3 + 5 * index, parent_read=index > 0
        )
    # The klassenouder: an open question about the reading book, not yet answered.
    for enrolment in class_of(classparent)[:1]:
        class_thread(
            enrolment,
            classparent,
            teachers_of(enrolment.group),
            FROM_PARENTS[3],
            today=today,
            days_ago=1,
            teacher_reads=False,
        )

    # The teacher persona's class inbox: other families of their classes write too.
    taught = Group.objects.filter(school_year=year, teaching__teacher=teacher)
    for group in taught:
        teachers = teachers_of(group)
        enrolments = list(
            Enrolment.objects.filter(group=group)
            .exclude(pupil__guardianships__guardian__in=[parent, classparent])
            .select_related("pupil", "group__school")
        )
        for number, enrolment in enumerate(rng.sample(enrolments, k=min(3, len(enrolments)))):
            guardian = Guardianship.objects.filter(pupil=enrolment.pupil).select_related("guardian").first()
            if guardian is None:
                continue
            spec = FROM_PARENTS[2 + number % 3]
            conversation = class_thread(
                enrolment,
                guardian.guardian,
                teachers,
                spec,
                today=today,
                days_ago=number * 4,
                teacher_reads=number > 0,
            )
            if number == 2:
                do_close(acting_user=teacher, conversation=conversation)
        # The teacher writes to both parents of a pupil together.
        if enrolments:
            pupil = enrolments[-1].pupil
            guardians = [
                g.guardian for g in Guardianship.objects.filter(pupil=pupil).select_related("guardian")
            ]
            conversation = check_start_with_guardians(
                acting_user=teacher,
                pupil=pupil,
                guardians=guardians,
                subject="Luizencontrole",
                body=f"Beste ouders, bij de luizencontrole van vandaag zagen we neten bij "
                f"{pupil.first_name}. Wilt u vanavond kammen en behandelen? "
                "Meer tips vindt u op de site van het RIVM.",
            )
            backdate(conversation, [at(today, 2, 15, 30)], read={teacher.id: at(today, 2, 15, 30)})

    # The director is added to a worried parent's thread by the parent.
    first = (
        Enrolment.objects.filter(group__in=taught)
        .exclude(pupil__guardianships__guardian__in=[parent, classparent])
        .select_related("pupil", "group__school")
        .last()
    )
    if first is not None:
        guardian = Guardianship.objects.filter(pupil=first.pupil).select_related("guardian").first().guardian
        conversation = check_start_with_class(
            acting_user=guardian,
            enrolment=first,
            subject="Vervelende situatie op het plein",
            body=f"Beste juf, {first.pupil.first_name} vertelt de laatste weken dat een paar kinderen "
            "in de pauze steeds zeggen dat er niet mee gespeeld mag worden. "
            "Kunnen we hier samen naar kijken? Ik zet de directie er graag bij.",
        )
        check_add_director(acting_user=guardian, conversation=conversation)
        check_send_message(
            acting_user=teacher,
            conversation=conversation,
            body="Dank voor uw bericht. Ik heb het vandaag met de pleinwacht besproken. Zullen we "
            "volgende week met z'n drieën, samen met de directeur, even zitten?",
        )
        backdate(
            conversation,
            [at(today, 6, 19, 10), at(today, 5, 10, 5)],
            read={guardian.id: at(today, 5, 11, 0), teacher.id: at(today, 5, 10, 5)},
        )

    # The office writes to one of the parent persona's family about a practical matter.
    for enrolment in class_of(parent)[:1]:
        conversation = check_start_with_guardians(
            acting_user=office,
            pupil=enrolment.pupil,
            guardians=[parent],
            subject="Adreswijziging",
            body="Goedemiddag, we hebben uw nieuwe adres ontvangen. Klopt het dat het "
            "telefoonnummer hetzelfde blijft? Dan passen we alles in de administratie aan.",
        )
        check_send_message(acting_user=parent, conversation=conversation, body="Ja, dat klopt. Dank u wel!")
        backdate(
            conversation,
            [at(today, 9, 13, 0), at(today, 9, 20, 45)],
            read={parent.id: at(today, 9, 20, 45), office.id: at(today, 8, 8, 30)},
        )

    # Last school year: an archived thread the parent can still read.
    last_year_enrolment = (
        Enrolment.objects.filter(pupil__guardianships__guardian=parent, school_year__school=school)
        .exclude(school_year=year)
        .select_related("pupil", "group__school", "school_year")
        .first()
    )
    if last_year_enrolment is not None:
        old_teachers = list(User.objects.filter(teaching__group=last_year_enrolment.group))
        conversation = Conversation.objects.create(
            school=school,
            school_year=last_year_enrolment.school_year,
            pupil=last_year_enrolment.pupil,
            group=last_year_enrolment.group,
            subject="Afscheid juf",
            started_by=parent,
        )
        Participant.objects.create(conversation=conversation, user=parent, is_member=True)
        Message.objects.create(
            conversation=conversation,
            author=parent,
            body="Wat een fijn jaar hebben we gehad. Heel erg bedankt voor alle zorg en aandacht!",
        )
        if old_teachers:
            Message.objects.create(
                conversation=conversation,
                author=old_teachers[0],
                body="Dank u wel voor de lieve woorden en het cadeau!",
            )
        moments = [
            datetime.datetime.combine(last_year_enrolment.school_year.ends_on, datetime.time(h), SCHOOL_TZ)
            - datetime.timedelta(days=10)
            for h in (16, 18)
        ][: conversation.messages.count()]
        backdate(conversation, moments, read={parent.id: moments[-1]})
        Conversation.objects.filter(pk=conversation.pk).update(
            last_message_by=old_teachers[0] if old_teachers else parent
        )
