"""A school's roster written as the pupil administration would export it: EDEXML 2.1 and a guardian CSV.

Used to keep the demo board's files in the repository in step with the demo seed, and by the tests to
round-trip a school. Records without an external key get a stable one made from their public id.
"""

import csv
import io
from xml.etree.ElementTree import Element, SubElement, indent, tostring

from schools.models import Group, Guardianship, StaffRole, TeachingAssignment
from schools.queries import current_enrolments, current_school_year_of

GUARDIAN_HEADER = ["Leerlingnummer", "Roepnaam ouder 1", "Achternaam ouder 1", "E-mail", "Relatie", "Mobiel"]
RELATION_WORDS = {
    "mother": "Moeder",
    "father": "Vader",
    "parent": "Ouder",
    "guardian": "Voogd",
    "foster": "Pleegouder",
    "other": "Verzorger",
}


def key_of(record, prefix: str) -> str:
    return record.external_key or f"{prefix}{record.public_id}"


def edexml_of(school, *, brin: str = "") -> bytes:
    year = current_school_year_of(school)
    root = Element("EDEX")
    head = SubElement(root, "school")
    SubElement(head, "schooljaar").text = year.name
    code = brin or school.external_key or "00AA00"
    SubElement(head, "brincode").text = code[:4]
    SubElement(head, "dependancecode").text = code[4:] or "00"
    SubElement(head, "xsdversie").text = "2.1"
    # Sorted here, not by the database: collations differ (PostgreSQL's ignores "/" and "."); files must not.
    groups = sorted(
        Group.objects.filter(school_year=year, kind=Group.Kind.CLASS), key=lambda group: group.name
    )
    element = SubElement(root, "groepen")
    for group in groups:
        item = SubElement(element, "groep", key=key_of(group, "GR"))
        SubElement(item, "naam").text = group.name
        grade = "".join(ch for ch in group.name if ch.isdigit())
        SubElement(item, "jaargroep").text = grade if len(grade) == 1 else "C"
    group_keys = {group.id: key_of(group, "GR") for group in groups}
    element = SubElement(root, "leerlingen")
    enrolments = current_enrolments().filter(group__in=groups).select_related("pupil")
    for enrolment in sorted(
        enrolments, key=lambda e: (e.pupil.last_name, e.pupil.first_name, key_of(e.pupil, "LL"))
    ):
        pupil = enrolment.pupil
        item = SubElement(element, "leerling", key=key_of(pupil, "LL"))
        SubElement(item, "achternaam").text = pupil.last_name
        SubElement(item, "roepnaam").text = pupil.first_name
        if pupil.date_of_birth:
            SubElement(item, "geboortedatum").text = pupil.date_of_birth.isoformat()
        if enrolment.grade is not None:
            SubElement(item, "jaargroep").text = str(enrolment.grade)
        SubElement(item, "groep", key=group_keys[enrolment.group_id])
    element = SubElement(root, "leerkrachten")
    teaching: dict[int, list[str]] = {}
    for assignment in sorted(
        TeachingAssignment.objects.filter(group__in=groups).select_related("group"),
        key=lambda a: a.group.name,
    ):
        teaching.setdefault(assignment.teacher_id, []).append(group_keys[assignment.group_id])
    roles = StaffRole.objects.filter(school=school, role=StaffRole.Role.TEACHER).select_related("user")
    for role in sorted(roles, key=lambda role: (role.user.last_name, role.user.email)):
        item = SubElement(element, "leerkracht", key=key_of(role, "LK"))
        SubElement(item, "achternaam").text = role.user.last_name
        SubElement(item, "roepnaam").text = role.user.first_name
        SubElement(item, "emailadres").text = role.user.email
        taught = SubElement(item, "groepen")
        for group_key in teaching.get(role.user_id, []):
            SubElement(taught, "groep", key=group_key)
    indent(root)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(root, encoding="unicode").encode() + b"\n"


def guardians_csv_of(school) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(GUARDIAN_HEADER)
    pupils = current_enrolments().filter(group__school=school).values("pupil_id")
    rows = Guardianship.objects.filter(pupil_id__in=pupils).select_related("guardian", "pupil")
    for row in sorted(rows, key=lambda row: (key_of(row.pupil, "LL"), row.guardian.email)):
        writer.writerow(
            [
                key_of(row.pupil, "LL"),
                row.guardian.first_name,
                row.guardian.last_name,
                row.guardian.email,
                RELATION_WORDS.get(row.relation, "Ouder"),
                row.guardian.phone,
            ]
        )
    return out.getvalue().encode("utf-8")
