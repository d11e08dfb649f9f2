"""How long each category of data is kept, and what is due for deletion: one table, read by the school's page,
the dry run and the retention run alike.

A category says which rows of one school are due on a given day (as primary keys, oldest first) and how to
delete a batch of them, bytes included. The run (`privacy.actions.do_run_retention`) deletes due rows in
batches, each in its own transaction, and recomputes what is due before every batch: a run that was killed
half-way simply goes on where the data says it stopped, with no cursor to lose.

Audit rows of no school (sign-ins, password and two-factor changes, a parent's own export) belong to the
school with the longest audit period among those their actor belongs to; after every school, the run's
platform pass (`school` None, `platform_periods`) takes those whose actor belongs to no school, or is gone,
after the default 24 months.

Periods are in months and the defaults follow Dutch practice for primary schools (see the README); a school
may set its own period per category, within the category's bounds.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Max, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.clock import SCHOOL_TZ


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` earlier (the month's last day where that day does not exist)."""
    month_index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(month_index, 12)
    month += 1
    last = (datetime.date(year + (month == 12), month % 12 + 1, 1) - datetime.timedelta(days=1)).day
    return datetime.date(year, month, min(day.day, last))


def start_of(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=SCHOOL_TZ)


def oldest_first(rows: QuerySet) -> QuerySet:
    """The rows' primary keys, oldest first: what every category's `due` answers."""
    return rows.order_by("id").values_list("id", flat=True)


def delete_rows(model, school, ids: list[int]) -> int:
    """Delete these rows of one school with all that cascades from them, files (and their bytes) included;
    how many of the model's own rows went."""
    from core.cascade import delete_cascading
    from media.actions import do_purge_media_carried_by

    rows = model.objects.filter(school=school, id__in=ids)
    return delete_cascading(rows, before=do_purge_media_carried_by).get(model._meta.label, 0)


@dataclass(frozen=True)
class Category:
    key: str
    label: str
    # When the period starts counting, in words for the page ("after the school year ends").
    counted_from: str
    basis: str
    default_months: int
    min_months: int
    max_months: int
    # (school, cutoff date) -> primary keys of the rows due, oldest first
    due: Callable[..., QuerySet]
    # (school, primary keys) -> how many rows were deleted (bytes of files included)
    delete: Callable[..., int]


# --- Class posts and photos -------------------------------------------------------------------------


def _posts_due(school, cutoff: datetime.date) -> QuerySet:
    """Posts of school years that ended before the cutoff (the school's own years, not a fixed date)."""
    from posts.models import Post
    from schools.models import SchoolYear

    ended = SchoolYear.objects.filter(school=school, ends_on__lt=cutoff).aggregate(last=Max("ends_on"))[
        "last"
    ]
    if ended is None:
        return Post.objects.none()
    until = start_of(ended + datetime.timedelta(days=1))
    return oldest_first(
        Post.objects.filter(school=school).filter(
            Q(published_at__lt=until) | Q(published_at__isnull=True, created_at__lt=until)
        )
    )


def _delete_posts(school, ids: list[int]) -> int:
    from posts.models import Post

    return delete_rows(Post, school, ids)


def _group_files_due(school, cutoff: datetime.date) -> QuerySet:
    """Photos and files put on a class of a school year that ended before the cutoff."""
    from media.models import MediaFile
    from schools.models import Group

    old_classes = Group.objects.filter(school=school, kind=Group.Kind.CLASS, school_year__ends_on__lt=cutoff)
    return oldest_first(
        MediaFile.objects.filter(
            school=school,
            carrier_type=ContentType.objects.get_for_model(Group),
            carrier_id__in=old_classes.values("id"),
        )
    )


def _delete_files(school, ids: list[int]) -> int:
    from media.actions import do_purge_media

    return do_purge_media(school=school, ids=ids)


# --- Messages ---------------------------------------------------------------------------------------


def _conversations_due(school, cutoff: datetime.date) -> QuerySet:
    from conversations.models import Conversation

    return oldest_first(Conversation.objects.filter(school=school, last_message_at__lt=start_of(cutoff)))


def _delete_conversations(school, ids: list[int]) -> int:
    from conversations.models import Conversation

    # The messages' files go with the messages: they are carriers, which delete_rows looks after.
    return delete_rows(Conversation, school, ids)


# --- Absences ---------------------------------------------------------------------------------------


def _absences_due(school, cutoff: datetime.date) -> QuerySet:
    from absences.models import Absence

    return oldest_first(
        Absence.objects.filter(school=school).filter(
            Q(ends_on__lt=cutoff) | Q(ends_on__isnull=True, starts_on__lt=cutoff)
        )
    )


def _delete_absences(school, ids: list[int]) -> int:
    from absences.models import Absence

    return delete_rows(Absence, school, ids)


def _leave_due(school, cutoff: datetime.date) -> QuerySet:
    from absences.models import LeaveRequest

    return oldest_first(LeaveRequest.objects.filter(school=school, ends_on__lt=cutoff))


def _delete_leave(school, ids: list[int]) -> int:
    from absences.models import LeaveRequest

    return delete_rows(LeaveRequest, school, ids)


# --- Notifications ----------------------------------------------------------------------------------


def _notifications_due(school, cutoff: datetime.date) -> QuerySet:
    from notifications.models import Dispatch

    return oldest_first(Dispatch.objects.filter(school=school, created_at__lt=start_of(cutoff)))


def _delete_notifications(school, ids: list[int]) -> int:
    from notifications.models import Dispatch

    return delete_rows(Dispatch, school, ids)


# --- The audit log ----------------------------------------------------------------------------------


def _members_of(school_ids) -> Q:
    """Rows whose actor is a guardian of a pupil, or on the staff, of one of these schools."""
    from schools.models import Guardianship, StaffRole

    return Q(
        actor_id__in=Guardianship.objects.filter(pupil__school_id__in=school_ids).values("guardian_id")
    ) | Q(actor_id__in=StaffRole.objects.filter(school_id__in=school_ids).values("user_id"))


def _audit_ranked_above(school) -> list[int]:
    """The schools whose audit period comes before this school's for a row of no school: a longer period,
    or the same one and a lower id (so each such row has exactly one school)."""
    from privacy.models import RetentionPeriod
    from schools.models import School

    default = BY_KEY["audit"].default_months
    own = dict(RetentionPeriod.objects.filter(category="audit").values_list("school_id", "months"))
    rank = {pk: (-own.get(pk, default), pk) for pk in School.objects.values_list("id", flat=True)}
    return [pk for pk, key in rank.items() if key < rank[school.id]]


def _audit_due(school, cutoff: datetime.date) -> QuerySet:
    """The school's audit rows, and the rows of no school (sign-ins, password and two-factor changes, a
    parent's own export) whose actor belongs to this school and to no school with a longer audit period.

    A row of no school thus follows the longest audit period among the schools its actor belongs to; with
    `school=None` (the platform's own pass) it is a row whose actor belongs to no school, or is gone, and
    the default period applies.
    """
    from core.models import AuditEvent

    old = AuditEvent.objects.filter(at__lt=start_of(cutoff))
    if school is None:
        from schools.models import School

        return oldest_first(old.filter(school=None).exclude(_members_of(School.objects.values("id"))))
    schoolless = Q(school=None) & _members_of([school.id])
    above = _audit_ranked_above(school)
    if above:
        schoolless &= ~_members_of(above)
    return oldest_first(old.filter(Q(school=school) | schoolless))


def _delete_audit(school, ids: list[int]) -> int:
    from core.audit import purge

    return purge(ids)


# --- Leavers: their accounts and pupil records ------------------------------------------------------


def _not_gone(cutoff: datetime.date) -> QuerySet:
    """Pupils (at any school) still enrolled, or who left on or after the cutoff, or with no enrolment to
    tell: a pupil counts as gone only when each of its enrolments has a leaving date before the cutoff."""
    from schools.models import Pupil

    return Pupil.objects.filter(
        Q(enrolments__left_on__isnull=True) | Q(enrolments__left_on__gte=cutoff) | Q(enrolments__isnull=True)
    ).values("id")


def _leavers_due(school, cutoff: datetime.date) -> QuerySet:
    """Accounts whose children are all gone: guardians at this school whose every child, at any school,
    left before the cutoff; and accounts whose last child link went at this school before the cutoff (a
    roster import or the office removed it, or the child's record was deleted) and that have none since.

    An account with a child not gone anywhere, or with a staff role anywhere, is never due.
    """
    from accounts.models import User
    from schools.models import FormerGuardian, Guardianship, StaffRole

    kept = Guardianship.objects.filter(pupil_id__in=_not_gone(cutoff)).values("guardian_id")
    here = Guardianship.objects.filter(pupil__school=school).values("guardian_id")
    unlinked = (
        FormerGuardian.objects.filter(school=school, since__lt=cutoff)
        .exclude(user_id__in=Guardianship.objects.values("guardian_id"))
        .values("user_id")
    )
    return oldest_first(
        User.objects.filter(Q(id__in=here) | Q(id__in=unlinked))
        .exclude(id__in=kept)
        .exclude(id__in=StaffRole.objects.values("user_id"))
    )


def _erase_leavers(school, ids: list[int]) -> int:
    from privacy.erasure import do_erase_account

    for user_id in ids:
        do_erase_account(acting_user=None, user_id=user_id, reason="retention")
    return len(ids)


def _leaver_pupils_due(school, cutoff: datetime.date) -> QuerySet:
    """Pupil records of this school whose every enrolment ended before the cutoff, once nothing kept for a
    longer period still names the child: absence and leave records (a legal obligation) and conversations
    go by their own periods first, and the record with them."""
    from absences.models import Absence, LeaveRequest
    from conversations.models import Conversation
    from schools.models import Pupil

    named = [model.objects.values("pupil_id") for model in (Absence, LeaveRequest, Conversation)]
    rows = Pupil.objects.filter(school=school).exclude(id__in=_not_gone(cutoff))
    for kept in named:
        rows = rows.exclude(id__in=kept)
    return oldest_first(rows)


def _delete_leaver_pupils(school, ids: list[int]) -> int:
    """Delete these pupil records with what hangs on them (photo tags, consent answers, the face-picker
    photo and its bytes); a guardian left without any child counts as a leaver from the child's last day."""
    from privacy.exports import delete_export_files
    from privacy.models import DataExport
    from schools.actions import do_note_former_guardians
    from schools.models import Guardianship, Pupil

    last_days = dict(
        Guardianship.objects.filter(pupil_id__in=ids)
        .values("guardian_id")
        .annotate(last=Max("pupil__enrolments__left_on"))
        .values_list("guardian_id", "last")
    )
    delete_export_files(DataExport.objects.filter(subject_pupil_id__in=ids))  # the zips, then the rows
    deleted = delete_rows(Pupil, school, ids)
    do_note_former_guardians(school=school, since=last_days)
    return deleted


CATEGORIES: tuple[Category, ...] = (
    Category(
        key="class_posts",
        label=_("Posts, photos and videos in the timelines"),
        counted_from=_("after the end of the school year they were posted in"),
        basis=_(
            "Legitimate interest of the school: informing parents during the school year (AVG art. 6(1)(f))"
        ),
        default_months=12,
        min_months=0,
        max_months=60,
        due=_posts_due,
        delete=_delete_posts,
    ),
    Category(
        key="group_files",
        label=_("Files put on a class page"),
        counted_from=_("after the end of the class's school year"),
        basis=_(
            "Legitimate interest of the school: informing parents during the school year (AVG art. 6(1)(f))"
        ),
        default_months=12,
        min_months=0,
        max_months=60,
        due=_group_files_due,
        delete=_delete_files,
    ),
    Category(
        key="messages",
        label=_("Messages between parents and staff"),
        counted_from=_("after the last message of the conversation"),
        basis=_("Public task of the school: contact about the pupil (AVG art. 6(1)(e))"),
        default_months=24,
        min_months=6,
        max_months=60,
        due=_conversations_due,
        delete=_delete_conversations,
    ),
    Category(
        key="absences",
        label=_("Absence reports"),
        counted_from=_("after the day of the absence"),
        basis=_("Legal obligation: attendance records (Leerplichtwet 1969, AVG art. 6(1)(c))"),
        default_months=60,
        min_months=60,
        max_months=84,
        due=_absences_due,
        delete=_delete_absences,
    ),
    Category(
        key="leave",
        label=_("Leave requests"),
        counted_from=_("after the last day of the leave"),
        basis=_("Legal obligation: attendance records (Leerplichtwet 1969, AVG art. 6(1)(c))"),
        default_months=60,
        min_months=60,
        max_months=84,
        due=_leave_due,
        delete=_delete_leave,
    ),
    Category(
        key="notifications",
        label=_("Notifications and their delivery records"),
        counted_from=_("after they were sent"),
        basis=_("Legitimate interest of the school: proving a message was delivered (AVG art. 6(1)(f))"),
        default_months=12,
        min_months=1,
        max_months=24,
        due=_notifications_due,
        delete=_delete_notifications,
    ),
    Category(
        key="audit",
        label=_("Audit log"),
        counted_from=_("after the action it records"),
        basis=_(
            "Legitimate interest of the school: accountability and security (AVG art. 5(2) and 32). "
            "Sign-ins and other changes to a person's own account follow the longest audit period of the "
            "schools the person belongs to; with no school, 24 months."
        ),
        default_months=24,
        min_months=12,
        max_months=84,
        due=_audit_due,
        delete=_delete_audit,
    ),
    Category(
        key="leavers",
        label=_("Accounts of parents whose children all left"),
        counted_from=_("after the last child left the school, or the last link to a child was removed"),
        basis=_("No basis remains once no child is enrolled (AVG art. 5(1)(e))"),
        default_months=6,
        min_months=1,
        max_months=24,
        due=_leavers_due,
        delete=_erase_leavers,
    ),
    Category(
        key="leaver_pupils",
        label=_("Records of pupils who left: name, date of birth, photo tags and consent answers"),
        counted_from=_(
            "after the pupil left the school, once their absence records and conversations are deleted"
        ),
        basis=_("No basis remains once the child has left (AVG art. 5(1)(e))"),
        default_months=6,
        min_months=1,
        max_months=24,
        due=_leaver_pupils_due,
        delete=_delete_leaver_pupils,
    ),
)

BY_KEY = {category.key: category for category in CATEGORIES}


@dataclass(frozen=True)
class Period:
    category: Category
    months: int
    is_default: bool

    def cutoff(self, today: datetime.date) -> datetime.date:
        """Rows whose period started before this day are due."""
        return months_before(today, self.months)


def periods_of(school) -> list[Period]:
    """Every category with the school's period (its own, or the default)."""
    from privacy.models import RetentionPeriod

    own = dict(RetentionPeriod.objects.filter(school=school).values_list("category", "months"))
    return [
        Period(
            category=category,
            months=own.get(category.key, category.default_months),
            is_default=category.key not in own,
        )
        for category in CATEGORIES
    ]


def platform_periods() -> list[Period]:
    """What the platform's own pass keeps: audit rows of no school whose actor belongs to no school (or is
    gone), for the audit category's default period."""
    audit = BY_KEY["audit"]
    return [Period(category=audit, months=audit.default_months, is_default=True)]


def categories_for(school) -> list[Period]:
    """The retention table of a school, as its privacy statement shows it."""
    return periods_of(school)
