"""Roster imports: upload → preview (a plan, nothing saved) → apply (one transaction, all or nothing).

The office confirms every change by applying the preview it saw: apply makes the plan again from the stored
file and the school as it is then, and refuses if that plan differs from the previewed one.
"""

import datetime
import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.audit import record
from core.clock import school_today
from roster.models import GuardianMapping, RosterImport
from roster.plan import Plan, make_plan
from roster.rollover import mark_replaced_by_import
from roster.snapshot import take_snapshot
from roster.sources.data import RosterData, RosterFileError
from roster.sources.edexml import read_edexml
from roster.sources.guardians_csv import check_mapping, decode, read_guardians
from roster.sources.oneroster import files_from_zip, read_oneroster
from schools.actions import do_end_guardianships
from schools.models import Enrolment, Group, Guardianship, Pupil, School, StaffRole, TeachingAssignment


def _checksum(*contents: bytes | None) -> str:
    digest = hashlib.sha256()
    for content in contents:
        digest.update(content or b"")
        digest.update(b"\x00")
    return digest.hexdigest()


def check_start_import(
    *,
    acting_user: User,
    school: School,
    source: str,
    content: bytes,
    file_name: str = "",
    guardian_content: bytes | None = None,
    guardian_file_name: str = "",
    mapping: dict[str, str] | None = None,
    run_preview: bool = True,
) -> RosterImport:
    """Keep the uploaded file(s) and schedule the preview; refuse what is too large before reading it.

    A guardian file without a mapping waits for the office to map its columns (check_map_columns).
    """
    limit = settings.ROSTER_MAX_MB * 1024 * 1024
    if source not in RosterImport.Source.values:
        raise ValidationError(_("Choose EDEXML or OneRoster."))
    if not content:
        raise ValidationError(_("Choose the export file."))
    if len(content) > limit or len(guardian_content or b"") > limit:
        raise ValidationError(
            _("The file is larger than %(mb)s MB; an export of a whole school is far smaller.")
            % {"mb": settings.ROSTER_MAX_MB}
        )
    if guardian_content and mapping is not None:
        _save_mapping(school, mapping, guardian_content)
    roster_import = RosterImport.objects.create(
        status=RosterImport.Status.MAPPING
        if guardian_content and mapping is None
        else RosterImport.Status.QUEUED,
        school=school,
        created_by=acting_user,
        source=source,
        file_name=file_name[:200],
        content=content,
        guardian_content=guardian_content or None,
        guardian_file_name=guardian_file_name[:200],
        checksum=_checksum(content, guardian_content),
    )
    record(
        actor=acting_user,
        action="roster.uploaded",
        target=roster_import,
        school=school,
        source=source,
        checksum=roster_import.checksum,
        file=file_name[:200],
        guardian_file=guardian_file_name[:200],
    )
    if run_preview and roster_import.status == RosterImport.Status.QUEUED:
        _schedule_preview(roster_import)
    return roster_import


def _schedule_preview(roster_import: RosterImport) -> None:
    from roster.tasks import preview_roster_import

    transaction.on_commit(lambda: preview_roster_import.enqueue(roster_import.pk))


def _save_mapping(school: School, mapping: dict[str, str], guardian_content: bytes) -> None:
    try:
        columns = check_mapping(mapping, decode(guardian_content).header)
    except RosterFileError as error:
        raise ValidationError(error.message) from None
    GuardianMapping.objects.update_or_create(school=school, defaults={"columns": columns})


@transaction.atomic
def check_map_columns(
    *, acting_user: User, roster_import: RosterImport, mapping: dict[str, str], run_preview: bool = True
) -> RosterImport:
    """Remember which column holds what for this school, and preview the import with it."""
    if (
        roster_import.status
        not in (RosterImport.Status.MAPPING, RosterImport.Status.PREVIEWED, RosterImport.Status.REFUSED)
        or not roster_import.guardian_content
    ):
        raise ValidationError(_("The columns of this import can no longer be changed."))
    _save_mapping(roster_import.school, mapping, bytes(roster_import.guardian_content))
    roster_import.status = RosterImport.Status.QUEUED
    roster_import.error = ""
    roster_import.save(update_fields=["status", "error"])
    record(
        actor=acting_user, action="roster.columns_mapped", target=roster_import, school=roster_import.school
    )
    if run_preview:
        _schedule_preview(roster_import)
    return roster_import


def read_roster(roster_import: RosterImport) -> RosterData:
    """The stored file(s) as a RosterData; RosterFileError names what is wrong."""
    content = bytes(roster_import.content)
    if roster_import.source == RosterImport.Source.ONEROSTER:
        data = read_oneroster(files_from_zip(content), school_code=roster_import.school.external_key)
    else:
        data = read_edexml(content)
    if roster_import.guardian_content:
        mapping = (
            GuardianMapping.objects.filter(school=roster_import.school)
            .values_list("columns", flat=True)
            .first()
        )
        guardians, notes = read_guardians(bytes(roster_import.guardian_content), mapping or {})
        data.guardians = guardians
        data.notes.extend(notes)
    _check_school(roster_import.school, data)
    return data


def _check_school(school: School, data: RosterData) -> None:
    if school.external_key and data.school_code and school.external_key.upper() != data.school_code.upper():
        raise RosterFileError(
            _("This file is for school %(code)s, not for %(school)s (%(ours)s).")
            % {"code": data.school_code, "school": school.name, "ours": school.external_key}
        )


def plan_for(
    roster_import: RosterImport, *, today: datetime.date | None = None, progress=None
) -> tuple[RosterData, Plan]:
    """Read the stored file, snapshot the school and compare them; progress(step) after each of 3 steps."""
    progress = progress or (lambda step: None)
    data = read_roster(roster_import)
    progress(1)
    snapshot = take_snapshot(roster_import.school, data)
    progress(2)
    with_guardians = bool(roster_import.guardian_content) or data.source == "oneroster"
    plan = make_plan(data, snapshot, today=today or school_today(), with_guardians=with_guardians)
    if not roster_import.school.external_key and data.school_code:
        plan.notes.append(
            _("The school's code %(code)s is recorded with this import.") % {"code": data.school_code}
        )
    progress(3)
    return data, plan


def do_preview(*, roster_import: RosterImport) -> RosterImport:
    """Read the file and store what applying it would change; nothing else is saved."""

    def progress(step: int) -> None:
        roster_import.progress_done = step
        roster_import.save(update_fields=["progress_done"])

    roster_import.status = RosterImport.Status.PREVIEWING
    roster_import.progress_done, roster_import.progress_total = 0, 3
    roster_import.save(update_fields=["status", "progress_done", "progress_total"])
    try:
        _data, plan = plan_for(roster_import, progress=progress)
    except RosterFileError as error:
        roster_import.status = RosterImport.Status.REFUSED
        roster_import.error = f"{error.where}: {error.message}" if error.where else error.message
        roster_import.save(update_fields=["status", "error"])
        return roster_import
    roster_import.plan = plan.as_json()
    roster_import.fingerprint = plan.fingerprint()
    roster_import.summary = plan.counts()
    roster_import.status = RosterImport.Status.PREVIEWED
    roster_import.save(update_fields=["plan", "fingerprint", "summary", "status"])
    return roster_import


def check_apply(*, acting_user: User, roster_import: RosterImport, run: bool = True) -> RosterImport:
    """Schedule applying a previewed import: only a preview without conflicts, only once."""
    updated = RosterImport.objects.filter(pk=roster_import.pk, status=RosterImport.Status.PREVIEWED).update(
        status=RosterImport.Status.APPLYING, applied_by=acting_user
    )
    if not updated:
        raise ValidationError(
            _("This import cannot be applied (it is not a finished preview, or it was applied).")
        )
    if roster_import.plan.get("conflicts"):
        RosterImport.objects.filter(pk=roster_import.pk).update(status=RosterImport.Status.PREVIEWED)
        raise ValidationError(_("Resolve the conflicts in the file first, then upload it again."))
    roster_import.refresh_from_db()
    if run:
        from roster.tasks import apply_roster_import

        transaction.on_commit(lambda: apply_roster_import.enqueue(roster_import.pk))
    return roster_import


def do_apply(*, roster_import: RosterImport) -> RosterImport:
    """Apply the previewed plan in one transaction; refuse if the school changed since the preview."""
    try:
        with transaction.atomic():
            _data, plan = plan_for(roster_import)
            if plan.fingerprint() != roster_import.fingerprint:
                raise RosterFileError(
                    _("The school changed since this preview. Upload the file again for a new preview.")
                )
            if plan.conflicts:
                raise RosterFileError(_("Resolve the conflicts in the file first, then upload it again."))
            _data.school_code and _record_school_code(roster_import.school, _data.school_code)
            Applier(roster_import.school, plan).run()
            # A file of the next year, once the rollover opened it, replaces the rollover's proposal.
            mark_replaced_by_import(
                school=roster_import.school, year_name=plan.school_year, roster_import=roster_import
            )
            roster_import.status = RosterImport.Status.APPLIED
            roster_import.applied_at = timezone.now()
            roster_import.save(update_fields=["status", "applied_at"])
            record(
                actor=roster_import.applied_by,
                action="roster.applied",
                target=roster_import,
                school=roster_import.school,
                checksum=roster_import.checksum,
                **{kind.replace(".", "_"): count for kind, count in plan.counts().items() if count},
            )
    except RosterFileError as error:
        roster_import.status = RosterImport.Status.FAILED
        roster_import.error = error.message
        roster_import.save(update_fields=["status", "error"])
    return roster_import


def _record_school_code(school: School, code: str) -> None:
    if not school.external_key:
        school.external_key = code
        school.save(update_fields=["external_key"])


class Applier:
    """Carries out a plan's changes with bulk queries, in the order of plan.KINDS."""

    def __init__(self, school: School, plan: Plan):
        from schools.queries import current_school_year_of

        self.school = school
        self.plan = plan
        self.year = school.school_years.filter(name=plan.school_year).first() or current_school_year_of(
            school
        )
        self.by_kind: dict[str, list[dict]] = {}
        for change in plan.changes:
            self.by_kind.setdefault(change["kind"], []).append(change)

    def changes(self, kind: str) -> list[dict]:
        return self.by_kind.get(kind, [])

    def run(self) -> None:
        self.groups()
        self.pupils()
        self.guardians()
        self.teachers()

    def group_ids(self) -> dict[str, int]:
        return dict(
            Group.objects.filter(school_year=self.year, kind=Group.Kind.CLASS)
            .exclude(external_key="")
            .values_list("external_key", "id")
        )

    def groups(self) -> None:
        Group.objects.bulk_create(
            Group(
                school=self.school,
                school_year=self.year,
                kind=Group.Kind.CLASS,
                name=c["name"],
                external_key=c["key"],
            )
            for c in self.changes("group.add")
        )
        for change in self.changes("group.link"):
            Group.objects.filter(public_id=change["group"]).update(external_key=change["key"])
        for change in self.changes("group.rename"):
            Group.objects.filter(public_id=change["group"]).update(name=change["new"])
        self.group_by_key = self.group_ids()

    def pupils(self) -> None:
        added = [
            Pupil(
                school=self.school,
                first_name=c["first_name"],
                last_name=c["last_name"],
                date_of_birth=datetime.date.fromisoformat(c["date_of_birth"]) if c["date_of_birth"] else None,
                external_key=c["key"],
                eck_id=c["eck_id"],
            )
            for c in self.changes("pupil.add")
        ]
        Pupil.objects.bulk_create(added)
        for change in self.changes("pupil.link"):
            Pupil.objects.filter(public_id=change["pupil"]).update(external_key=change["key"])
        for change in self.changes("pupil.change"):
            fields = {
                name: values[1] or None if name == "date_of_birth" else values[1]
                for name, values in change["fields"].items()
            }
            Pupil.objects.filter(public_id=change["pupil"]).update(**fields)
        pupil_ids = dict(Pupil.objects.filter(school=self.school).values_list("public_id", "id"))
        keyed = dict(
            Pupil.objects.filter(school=self.school)
            .exclude(external_key="")
            .values_list("external_key", "id")
        )
        Enrolment.objects.bulk_create(
            Enrolment(
                pupil_id=keyed[c["key"]],
                group_id=self.group_by_key[c["group_key"]],
                school_year=self.year,
                grade=c.get("grade"),
            )
            for c in self.changes("pupil.add")
        )
        moves = self.changes("pupil.move")
        existing = {
            e.pupil_id: e
            for e in Enrolment.objects.filter(
                school_year=self.year,
                pupil_id__in=[pupil_ids[c["pupil"]] for c in moves + self.changes("pupil.leave")],
            )
        }
        for change in moves:
            pupil_id = pupil_ids[change["pupil"]]
            enrolment = existing.get(pupil_id)
            group_id = self.group_by_key[change["group_key"]]
            grade = change.get("grade")
            if enrolment is None:
                Enrolment.objects.create(
                    pupil_id=pupil_id, group_id=group_id, school_year=self.year, grade=grade
                )
            else:
                Enrolment.objects.filter(pk=enrolment.pk).update(group_id=group_id, left_on=None, grade=grade)
        for change in self.changes("pupil.grade"):
            Enrolment.objects.filter(school_year=self.year, pupil_id=pupil_ids[change["pupil"]]).update(
                grade=change["new"]
            )
        for change in self.changes("pupil.leave"):
            enrolment = existing.get(pupil_ids[change["pupil"]])
            if enrolment is not None:
                Enrolment.objects.filter(pk=enrolment.pk).update(
                    left_on=datetime.date.fromisoformat(change["on"])
                )
        self.pupil_by_key = keyed

    def _accounts(self, changes: list[dict]) -> dict[str, int]:
        """Email → user id for these changes: the existing account, or a new one in the invited state."""
        emails = {c["email"] for c in changes}
        found = dict(User.objects.filter(email__in=emails).values_list("email", "id"))
        new = []
        for change in changes:
            if change["email"] in found or any(user.email == change["email"] for user in new):
                continue
            user = User(
                email=change["email"],
                first_name=change["first_name"],
                last_name=change["last_name"],
                phone=change.get("phone", ""),
            )
            user.set_unusable_password()  # nobody signs in before accepting the invitation
            new.append(user)
        User.objects.bulk_create(new)
        return dict(User.objects.filter(email__in=emails).values_list("email", "id"))

    def guardians(self) -> None:
        adds = self.changes("guardian.add")
        accounts = self._accounts(adds)
        Guardianship.objects.bulk_create(
            [
                Guardianship(
                    guardian_id=accounts[c["email"]],
                    pupil_id=self.pupil_by_key[c["pupil_key"]],
                    relation=c["relation"],
                    external_key=c["key"] or c["pupil_key"] + "/" + c["email"],
                )
                for c in adds
            ],
            ignore_conflicts=True,
        )
        for change in self.changes("guardian.change"):
            guardianship = Guardianship.objects.select_related("guardian").get(pk=change["guardianship"])
            fields = change["fields"]
            user_fields = {name: values[1] for name, values in fields.items() if name in ("email", "phone")}
            if user_fields:
                User.objects.filter(pk=guardianship.guardian_id).update(**user_fields)
            own = {name: values[1] for name, values in fields.items() if name in ("relation", "external_key")}
            if own:
                Guardianship.objects.filter(pk=guardianship.pk).update(**own)
        # A guardian left without any child is noted, so the leavers' retention period runs for them too.
        do_end_guardianships(
            school=self.school,
            guardianships=Guardianship.objects.filter(
                id__in=[c["guardianship"] for c in self.changes("guardian.remove")]
            ),
        )

    def teachers(self) -> None:
        for change in self.changes("teacher.link"):
            StaffRole.objects.filter(pk=change["role"]).update(external_key=change["key"])
        adds = self.changes("teacher.add")
        accounts = self._accounts(adds)
        StaffRole.objects.bulk_create(
            [
                StaffRole(
                    user_id=accounts[c["email"]],
                    school=self.school,
                    role=StaffRole.Role.TEACHER,
                    external_key=c["key"],
                )
                for c in adds
            ],
            ignore_conflicts=True,
        )
        # A teacher role without a key was linked above; one added now carries its key.
        teacher_by_key = dict(
            StaffRole.objects.filter(school=self.school, role=StaffRole.Role.TEACHER)
            .exclude(external_key="")
            .values_list("external_key", "user_id")
        )
        TeachingAssignment.objects.bulk_create(
            [
                TeachingAssignment(
                    teacher_id=teacher_by_key[c["teacher_key"]], group_id=self.group_by_key[c["group_key"]]
                )
                for c in self.changes("teacher.assign")
            ],
            ignore_conflicts=True,
        )
        TeachingAssignment.objects.filter(
            id__in=[c["assignment"] for c in self.changes("teacher.unassign")]
        ).delete()
