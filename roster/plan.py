"""What applying a roster file would change: a pure comparison of the file with a snapshot of the school.

Matching is on the file's keys (and ECK-iD), stored on our records as external keys, never on names. Only a
pupil with no key yet (a school filled by hand) is offered a link by name and birth date, shown for the
office to confirm. The plan is plain data (JSON), so the preview can be stored, shown, downloaded and
compared with the plan made again at apply time.
"""

import datetime
import hashlib
import json
from dataclasses import asdict, dataclass, field

from django.utils.translation import gettext as _

from roster.snapshot import Snapshot, active_enrolment, leaving_today
from roster.sources.data import RosterData

# Change kinds, in the order they are applied and shown.
KINDS = (
    "group.add",
    "group.link",
    "group.rename",
    "pupil.add",
    "pupil.link",
    "pupil.change",
    "pupil.move",
    "pupil.grade",
    "pupil.leave",
    "guardian.add",
    "guardian.change",
    "guardian.remove",
    "teacher.link",
    "teacher.add",
    "teacher.assign",
    "teacher.unassign",
)


@dataclass
class Plan:
    school_year: str
    changes: list[dict] = field(default_factory=list)
    conflicts: list[dict] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, kind: str, **details) -> None:
        self.changes.append({"kind": kind, **details})

    def conflict(self, message: str, where: str = "") -> None:
        self.conflicts.append({"message": message, "where": where})

    def warn(self, message: str, where: str = "") -> None:
        self.warnings.append({"message": message, "where": where})

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(KINDS, 0)
        for change in self.changes:
            counts[change["kind"]] += 1
        return counts

    def fingerprint(self) -> str:
        """Equal for equal changes: apply refuses when the school changed since the preview."""
        return hashlib.sha256(json.dumps(self.changes, sort_keys=True, default=str).encode()).hexdigest()

    def as_json(self) -> dict:
        return json.loads(json.dumps(asdict(self), default=str))


def grade_number(grade: str) -> int | None:
    """A file's jaargroep as our grade (1–8); a combination, special or unknown jaargroep is None."""
    return int(grade) if grade.isdigit() and 1 <= int(grade) <= 8 else None


def _name(first: str, last: str) -> str:
    return f"{first} {last}".strip()


def make_plan(data: RosterData, snapshot: Snapshot, *, today: datetime.date, with_guardians: bool) -> Plan:
    plan = Plan(school_year=snapshot.year_name or data.school_year, notes=list(data.notes))
    if snapshot.year_id is None:
        plan.conflict(
            _(
                "The file is for school year %(year)s, which this school has not opened. "
                "Open it first (year-end rollover)."
            )
            % {"year": data.school_year or "?"}
        )
        return plan
    groups = _plan_groups(plan, data, snapshot)
    pupils = _plan_pupils(plan, data, snapshot, groups, today)
    if with_guardians:
        _plan_guardians(plan, data, snapshot, pupils)
    _plan_teachers(plan, data, snapshot, groups)
    plan.changes.sort(key=lambda change: KINDS.index(change["kind"]))
    return plan


def _plan_groups(plan: Plan, data: RosterData, snapshot: Snapshot) -> dict[str, dict]:
    """The file's group key → our group (an existing one, or a placeholder for one to create)."""
    by_key = {group["external_key"]: group for group in snapshot.groups if group["external_key"]}
    by_name = {group["name"].lower(): group for group in snapshot.groups if not group["external_key"]}
    found: dict[str, dict] = {}
    for row in data.groups:
        group = by_key.get(row.key)
        if group is not None:
            if group["name"] != row.name:
                plan.add(
                    "group.rename", group=group["public_id"], key=row.key, old=group["name"], new=row.name
                )
        elif (group := by_name.pop(row.name.lower(), None)) is not None:
            plan.add("group.link", group=group["public_id"], key=row.key, name=group["name"])
        else:
            group = {"public_id": "", "name": row.name, "new_key": row.key}
            plan.add("group.add", key=row.key, name=row.name, combination=row.combination)
        found[row.key] = group
    used = {group["id"] for group in found.values() if "id" in group}
    for group in snapshot.groups:
        if group["id"] not in used:
            plan.warn(_("%(group)s is not in the file; it is left as it is.") % {"group": group["name"]})
    return found


def _plan_pupils(plan, data, snapshot, groups, today) -> dict[str, dict]:
    """The file's pupil key → our pupil (existing, or a placeholder for a new one)."""
    by_key: dict[str, dict] = {}
    by_eck: dict[str, dict] = {}
    unlinked: dict[tuple, list[dict]] = {}
    for pupil in snapshot.pupils:
        if pupil["external_key"]:
            if pupil["external_key"] in by_key:
                plan.conflict(
                    _("Two pupils of this school have the key %(key)s.") % {"key": pupil["external_key"][:60]}
                )
            by_key[pupil["external_key"]] = pupil
        if pupil["eck_id"]:
            by_eck[pupil["eck_id"]] = pupil
        if not pupil["external_key"]:
            marker = (pupil["first_name"].lower(), pupil["last_name"].lower(), pupil["date_of_birth"])
            unlinked.setdefault(marker, []).append(pupil)
    group_ids = {group["id"]: group for group in snapshot.groups}
    matched: dict[str, dict] = {}
    seen_ids: set[int] = set()
    for row in data.pupils:
        pupil = by_key.get(row.key) or (by_eck.get(row.eck_id) if row.eck_id else None)
        linked = False
        if pupil is None:
            candidates = unlinked.get((row.first_name.lower(), row.last_name.lower(), row.date_of_birth), [])
            if len(candidates) == 1:
                pupil, linked = candidates.pop(), True
        leaving = leaving_today(row, today)
        if pupil is None:
            if leaving:
                continue  # never here, already gone: nothing to do
            if not row.group_key:
                plan.conflict(
                    _("%(pupil)s has no group.") % {"pupil": _name(row.first_name, row.last_name)}, row.where
                )
                continue
            matched[row.key] = {"public_id": "", "key": row.key}
            plan.add(
                "pupil.add",
                key=row.key,
                eck_id=row.eck_id,
                first_name=row.first_name,
                last_name=row.last_name,
                date_of_birth=row.date_of_birth.isoformat() if row.date_of_birth else None,
                group_key=row.group_key,
                group=groups[row.group_key]["name"],
                grade=grade_number(row.grade),
            )
            continue
        if pupil["id"] in seen_ids:
            plan.conflict(
                _("Two rows of the file are the same pupil (%(key)s).") % {"key": row.key[:60]}, row.where
            )
            continue
        seen_ids.add(pupil["id"])
        matched[row.key] = pupil
        name = _name(row.first_name, row.last_name)
        if linked:
            plan.add("pupil.link", pupil=pupil["public_id"], key=row.key, name=name)
        fields = {}
        for field_name, new in (
            ("first_name", row.first_name),
            ("last_name", row.last_name),
            ("date_of_birth", row.date_of_birth),
            ("eck_id", row.eck_id),
        ):
            if new and pupil[field_name] != new:
                fields[field_name] = [str(pupil[field_name] or ""), str(new)]
        if row.key != pupil["external_key"] and not linked:
            fields["external_key"] = [pupil["external_key"], row.key]
        if fields:
            plan.add("pupil.change", pupil=pupil["public_id"], name=name, fields=fields)
        enrolment = snapshot.enrolments.get(pupil["id"])
        active = active_enrolment(enrolment, today)
        if leaving:
            if active:
                plan.add(
                    "pupil.leave", pupil=pupil["public_id"], name=name, on=(row.left_on or today).isoformat()
                )
            continue
        if not row.group_key:
            plan.conflict(_("%(pupil)s has no group.") % {"pupil": name}, row.where)
            continue
        target = groups[row.group_key]
        grade = grade_number(row.grade)
        if not active or enrolment["group_id"] != target.get("id"):
            plan.add(
                "pupil.move",
                pupil=pupil["public_id"],
                name=name,
                group_key=row.group_key,
                group=target["name"],
                grade=grade,
                old=group_ids[enrolment["group_id"]]["name"]
                if active and enrolment["group_id"] in group_ids
                else "",
            )
        elif grade is not None and enrolment.get("grade") != grade:
            plan.add(
                "pupil.grade", pupil=pupil["public_id"], name=name, old=enrolment.get("grade"), new=grade
            )
    for pupil in snapshot.pupils:
        if pupil["id"] in seen_ids:
            continue
        if active_enrolment(snapshot.enrolments.get(pupil["id"]), today):
            plan.add(
                "pupil.leave",
                pupil=pupil["public_id"],
                name=_name(pupil["first_name"], pupil["last_name"]),
                on=today.isoformat(),
                not_in_file=True,
            )
    return matched


def _plan_guardians(plan: Plan, data: RosterData, snapshot: Snapshot, pupils: dict[str, dict]) -> None:
    names_by_email: dict[str, set[str]] = {}
    for row in data.guardians:
        if row.first_name or row.last_name:
            names_by_email.setdefault(row.email, set()).add(_name(row.first_name, row.last_name).lower())
    for email, names in names_by_email.items():
        if len(names) > 1:
            plan.conflict(
                _("The email address %(email)s is given for different people: %(names)s.")
                % {"email": email, "names": ", ".join(sorted(names))}
            )
    existing: dict[int, list[dict]] = {}
    for guardianship in snapshot.guardianships:
        existing.setdefault(guardianship["pupil_id"], []).append(guardianship)
    kept: set[int] = set()
    planned: set[tuple[str, str]] = set()
    file_keys = {p.key for p in data.pupils}
    known_keys = {p["external_key"] for p in snapshot.pupils if p["external_key"]}
    for row in data.guardians:
        pupil = pupils.get(row.pupil_key)
        if pupil is None:
            if row.pupil_key in known_keys:
                # A pupil who left (or is leaving) is still in the parents' export: nothing to do for them.
                plan.warn(
                    _(
                        "The guardian %(email)s belongs to pupil %(key)s, who is not in this school now; "
                        "skipped."
                    )
                    % {"email": row.email, "key": row.pupil_key[:60]},
                    row.where,
                )
            elif row.pupil_key not in file_keys:
                plan.conflict(
                    _("The guardian %(email)s belongs to pupil %(key)s, who is not in the pupil file.")
                    % {"email": row.email, "key": row.pupil_key[:60]},
                    row.where,
                )
            continue
        if (row.pupil_key, row.email) in planned:
            continue
        planned.add((row.pupil_key, row.email))
        current = existing.get(pupil.get("id"), [])
        match = next((g for g in current if row.key and g["external_key"] == row.key), None)
        match = match or next((g for g in current if g["guardian__email"] == row.email), None)
        name = _name(row.first_name, row.last_name)
        if match is None and row.first_name:
            same_name = [
                g
                for g in current
                if g["id"] not in kept
                and _name(g["guardian__first_name"], g["guardian__last_name"]).lower() == name.lower()
            ]
            match = same_name[0] if len(same_name) == 1 else None
        if match is None:
            user = snapshot.users_by_email.get(row.email)
            plan.add(
                "guardian.add",
                pupil=pupil.get("public_id", ""),
                pupil_key=row.pupil_key,
                email=row.email,
                first_name=row.first_name,
                last_name=row.last_name,
                relation=row.relation,
                phone=row.phone,
                key=row.key,
                account=user["public_id"] if user else "",
            )
            continue
        kept.add(match["id"])
        fields = {}
        if match["guardian__email"] != row.email:
            owner = snapshot.users_by_email.get(row.email)
            if owner is not None and owner["id"] != match["guardian_id"]:
                plan.conflict(
                    _("%(name)s's new email address %(email)s already belongs to another account.")
                    % {"name": name, "email": row.email},
                    row.where,
                )
                continue
            fields["email"] = [match["guardian__email"], row.email]
        if row.relation != match["relation"] and row.relation != "parent":
            fields["relation"] = [match["relation"], row.relation]
        if row.key and row.key != match["external_key"]:
            fields["external_key"] = [match["external_key"], row.key]
        if row.phone and row.phone != match["guardian__phone"]:
            fields["phone"] = [match["guardian__phone"], row.phone]
        if fields:
            plan.add("guardian.change", guardianship=match["id"], name=name or row.email, fields=fields)
    file_pupils = {pupil["id"] for pupil in pupils.values() if pupil.get("id")}
    for pupil_id, guardianships in existing.items():
        if pupil_id not in file_pupils:
            continue
        for guardianship in guardianships:
            # Only what an earlier import brought is taken away; a guardian the office added by hand stays.
            if guardianship["id"] not in kept and guardianship["external_key"]:
                plan.add(
                    "guardian.remove",
                    guardianship=guardianship["id"],
                    name=_name(guardianship["guardian__first_name"], guardianship["guardian__last_name"]),
                    email=guardianship["guardian__email"],
                )


def _plan_teachers(plan: Plan, data: RosterData, snapshot: Snapshot, groups: dict[str, dict]) -> None:
    """Teachers by their key (or, the first time, their email); after apply every one has a keyed role."""
    by_key = {role["external_key"]: role for role in snapshot.teacher_roles if role["external_key"]}
    by_email = {role["user__email"]: role for role in snapshot.teacher_roles if not role["external_key"]}
    has = {(a["teacher_id"], a["group_id"]) for a in snapshot.assignments}
    wanted: set[tuple[int, int]] = set()
    for row in data.teachers:
        name = _name(row.first_name, row.last_name)
        role = by_key.get(row.key)
        if role is None and row.email and (role := by_email.pop(row.email, None)) is not None:
            plan.add("teacher.link", role=role["id"], key=row.key, name=name, email=row.email)
        if role is None:
            if not row.email:
                plan.warn(
                    _("%(name)s has no email address in the file and is not added.") % {"name": name},
                    row.where,
                )
                continue
            user = snapshot.users_by_email.get(row.email)
            plan.add(
                "teacher.add",
                key=row.key,
                email=row.email,
                first_name=row.first_name,
                last_name=row.last_name,
                account=user["public_id"] if user else "",
            )
        for group_key in row.group_keys:
            group = groups[group_key]
            if role is not None and group.get("id"):
                wanted.add((role["user_id"], group["id"]))
                if (role["user_id"], group["id"]) in has:
                    continue
            plan.add(
                "teacher.assign", teacher_key=row.key, name=name, group_key=group_key, group=group["name"]
            )
    file_groups = {group["id"]: group["name"] for group in groups.values() if group.get("id")}
    names = {
        role["user_id"]: _name(role["user__first_name"], role["user__last_name"])
        for role in snapshot.teacher_roles
    }
    for assignment in snapshot.assignments:
        if assignment["group_id"] not in file_groups:
            continue  # a group the file does not list: left as it is
        if (assignment["teacher_id"], assignment["group_id"]) not in wanted:
            plan.add(
                "teacher.unassign",
                assignment=assignment["id"],
                name=names.get(assignment["teacher_id"], ""),
                group=file_groups[assignment["group_id"]],
            )
