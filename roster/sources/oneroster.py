"""OneRoster 1.1 and 1.2 CSV: a zip or folder of manifest, orgs, classes, users and enrollments (.csv).

For schools and boards outside the Dutch administrations. Guardians are users with the role parent, guardian
or relative, linked to pupils through agentSourcedIds (on either side). Roles come from users.csv (1.1) or
roles.csv (1.2).
"""

import csv
import datetime
import io
import zipfile

from django.utils.translation import gettext as _

from roster.sources.data import (
    GroupRow,
    GuardianRow,
    PupilRow,
    RosterData,
    RosterFileError,
    TeacherRow,
    check_key,
    relation_of,
)

REQUIRED_FILES = ("manifest.csv", "orgs.csv", "classes.csv", "users.csv", "enrollments.csv")
GUARDIAN_ROLES = {"parent", "guardian", "relative"}
# An export lists at most this much; a zip that unpacks to more is refused before it is read.
MAX_UNPACKED = 100 * 1024 * 1024


def files_from_zip(content: bytes) -> dict[str, bytes]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile:
        raise RosterFileError(_("The OneRoster file is not a zip archive.")) from None
    members = {
        info.filename.rsplit("/", 1)[-1].lower(): info for info in archive.infolist() if not info.is_dir()
    }
    if sum(info.file_size for info in members.values()) > MAX_UNPACKED:
        raise RosterFileError(_("The OneRoster archive unpacks to more than 100 MB; it is refused."))
    return {name: archive.read(info) for name, info in members.items() if name.endswith(".csv")}


def _rows(files: dict[str, bytes], name: str) -> list[dict[str, str]]:
    content = files.get(name)
    if content is None:
        return []
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RosterFileError(
            _("%(file)s is not UTF-8, which OneRoster requires.") % {"file": name}
        ) from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    return [
        {key.strip(): (value or "").strip() for key, value in row.items() if key}
        | {"_where": f"{name}:{number}"}
        for number, row in enumerate(reader, start=2)
    ]


def read_oneroster(files: dict[str, bytes], *, school_code: str = "") -> RosterData:
    """Read one school of a OneRoster set; with several schools in it, school_code picks the one."""
    files = {name.lower(): content for name, content in files.items()}
    missing = [name for name in REQUIRED_FILES if name not in files]
    if missing:
        raise RosterFileError(_("The OneRoster set lacks %(files)s.") % {"files": ", ".join(missing)})
    manifest = {row.get("propertyName", ""): row.get("value", "") for row in _rows(files, "manifest.csv")}
    version = manifest.get("oneroster.version", "")
    schools = [row for row in _rows(files, "orgs.csv") if row.get("type", "").lower() == "school"]
    if school_code:
        schools = [
            row for row in schools if school_code in (row.get("identifier"), row.get("sourcedId"))
        ] or schools
    if len(schools) != 1:
        raise RosterFileError(
            _("The OneRoster set holds %(count)s schools; choose one by its identifier: %(names)s")
            % {
                "count": len(schools),
                "names": ", ".join(row.get("identifier") or row["sourcedId"] for row in schools),
            }
        )
    org = schools[0]
    org_id = org["sourcedId"]
    data = RosterData(
        source="oneroster",
        version=version,
        school_code=org.get("identifier") or org_id,
        school_name=org.get("name", ""),
    )
    data.school_year = _school_year(_rows(files, "academicsessions.csv"))
    classes = [
        row for row in _rows(files, "classes.csv") if row.get("schoolSourcedId") == org_id and _active(row)
    ]
    for row in classes:
        key = check_key(row.get("sourcedId", ""), where=row["_where"])
        data.groups.append(
            GroupRow(key=key, name=(row.get("title") or key)[:100], grade=row.get("grades", "")[:10])
        )
    class_ids = {group.key for group in data.groups}

    users = {row["sourcedId"]: row for row in _rows(files, "users.csv") if row.get("sourcedId")}
    roles = _roles(files, users, org_id)
    enrolments = [
        row
        for row in _rows(files, "enrollments.csv")
        if row.get("classSourcedId") in class_ids and _active(row)
    ]
    class_of: dict[str, str] = {}
    taught: dict[str, list[str]] = {}
    for row in enrolments:
        user_id, class_id = row.get("userSourcedId", ""), row["classSourcedId"]
        if row.get("role", "").lower() == "student":
            if (
                user_id in class_of
                and class_of[user_id] != class_id
                and row.get("primary", "").lower() != "true"
            ):
                continue  # a second class is a subject group; the primary (or first) one is the class
            class_of[user_id] = class_id
        elif row.get("role", "").lower() in ("teacher", "aide"):
            taught.setdefault(user_id, []).append(class_id)

    for user_id, row in users.items():
        role = roles.get(user_id, "")
        where = row["_where"]
        if role == "student":
            left = not _active(row) or row.get("enabledUser", "true").lower() == "false"
            data.pupils.append(
                PupilRow(
                    key=check_key(user_id, where=where),
                    first_name=(row.get("preferredGivenName") or row.get("givenName", ""))[:80],
                    last_name=" ".join(
                        p for p in (row.get("middleName", ""), row.get("familyName", "")) if p
                    )[:120],
                    date_of_birth=None,
                    group_key=class_of.get(user_id, ""),
                    grade=row.get("grades", "")[:10],
                    historical=left,
                    where=where,
                )
            )
        elif role in ("teacher", "aide") and user_id in taught:
            data.teachers.append(
                TeacherRow(
                    key=check_key(user_id, where=where),
                    first_name=row.get("givenName", "")[:80],
                    last_name=row.get("familyName", "")[:120],
                    email=row.get("email", "").lower(),
                    group_keys=tuple(dict.fromkeys(taught[user_id])),
                    where=where,
                )
            )
    pupil_ids = {pupil.key for pupil in data.pupils}
    for user_id, row in users.items():
        if roles.get(user_id, "") not in GUARDIAN_ROLES or not _active(row):
            continue
        children = {agent for agent in _agents(row) if agent in pupil_ids}
        children |= {pupil for pupil in pupil_ids if user_id in _agents(users[pupil])}
        for child in sorted(children):
            data.guardians.append(
                GuardianRow(
                    pupil_key=child,
                    email=row.get("email", "").lower(),
                    first_name=row.get("givenName", "")[:80],
                    last_name=row.get("familyName", "")[:120],
                    relation=relation_of(roles[user_id]),
                    phone=(row.get("sms") or row.get("phone", ""))[:30],
                    key=user_id[:256],
                    where=row["_where"],
                )
            )
    data.notes.append(
        _(
            "OneRoster %(version)s, %(school)s: %(groups)s classes, %(pupils)s pupils, "
            "%(teachers)s teachers, %(guardians)s guardianships."
        )
        % {
            "version": version or "?",
            "school": data.school_name or data.school_code,
            "groups": len(data.groups),
            "pupils": len(data.pupils),
            "teachers": len(data.teachers),
            "guardians": len(data.guardians),
        }
    )
    return data


def _active(row: dict[str, str]) -> bool:
    return row.get("status", "active").lower() not in ("tobedeleted", "inactive")


def _agents(row: dict[str, str]) -> list[str]:
    return [agent.strip() for agent in row.get("agentSourcedIds", "").split(",") if agent.strip()]


def _roles(files: dict[str, bytes], users: dict[str, dict], org_id: str) -> dict[str, str]:
    """Each user's role: users.csv's role column (1.1), or their primary role here in roles.csv (1.2)."""
    roles = {user_id: row.get("role", "").lower() for user_id, row in users.items() if row.get("role")}
    for row in _rows(files, "roles.csv"):
        if (
            row.get("orgSourcedId") in (org_id, "")
            and row.get("userSourcedId") in users
            and (row.get("roleType", "primary").lower() == "primary" or row["userSourcedId"] not in roles)
        ):
            roles[row["userSourcedId"]] = row.get("role", "").lower()
    return roles


def _school_year(sessions: list[dict[str, str]]) -> str:
    for row in sessions:
        if row.get("type", "").lower() == "schoolyear" and _active(row):
            try:
                start = datetime.date.fromisoformat(row.get("startDate", "")[:10])
                end = datetime.date.fromisoformat(row.get("endDate", "")[:10])
            except ValueError:
                continue
            return f"{start.year}-{end.year}"
    return ""
