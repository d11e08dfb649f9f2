"""EDEXML (Edustandaard; 1.0.3, 2.0 and 2.1), the export of ParnasSys and ESIS, read safely.

The file comes from outside: defusedxml refuses DTDs, entities and external references, so neither entity
expansion nor a network fetch can happen while reading it.
"""

import datetime
import re
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django.utils.translation import gettext as _

from roster.sources.data import GroupRow, PupilRow, RosterData, RosterFileError, TeacherRow, check_key

SCHOOL_YEAR = re.compile(r"^(\d{4})-(\d{4})$")


def read_edexml(content: bytes) -> RosterData:
    """Read an EDEXML export into a RosterData, or raise RosterFileError naming the element."""
    try:
        root = fromstring(content, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise RosterFileError(
            _("The file declares a DTD or entities, which an export never needs; it is refused.")
        ) from None
    except ParseError as error:
        line, column = getattr(error, "position", (0, 0))
        raise RosterFileError(
            _("The file is not valid XML (line %(line)s, column %(column)s).")
            % {"line": line, "column": column}
        ) from None
    if root.tag != "EDEX":
        raise RosterFileError(
            _("This is not an EDEXML file: its root element is <%(tag)s>, not <EDEX>.") % {"tag": root.tag}
        )
    data = RosterData(source="edexml")
    _read_school(root, data)
    _read_groups(root, data)
    _read_pupils(root, data)
    _read_teachers(root, data)
    data.notes.append(
        _(
            "EDEXML %(version)s, school year %(year)s: "
            "%(groups)s groups, %(pupils)s pupils, %(teachers)s teachers."
        )
        % {
            "version": data.version or "?",
            "year": data.school_year,
            "groups": len(data.groups),
            "pupils": len(data.pupils),
            "teachers": len(data.teachers),
        }
    )
    return data


def _text(element: Element | None, name: str) -> str:
    if element is None:
        return ""
    child = element.find(name)
    return (child.text or "").strip() if child is not None else ""


def _date(element: Element, name: str, *, where: str) -> datetime.date | None:
    value = _text(element, name)
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value[:10])
    except ValueError:
        raise RosterFileError(
            _("<%(name)s> is not a date (YYYY-MM-DD): %(value)s") % {"name": name, "value": value[:40]},
            where=where,
        ) from None


def _where(element: Element, kind: str) -> str:
    key = element.get("key", "")
    return f'<{kind} key="{key[:60]}">' if key else f"<{kind}>"


def _read_school(root: Element, data: RosterData) -> None:
    school = root.find("school")
    if school is None:
        raise RosterFileError(_("The <school> element is missing."), where="<EDEX>")
    year = _text(school, "schooljaar")
    match = SCHOOL_YEAR.match(year)
    # Any YYYY-YYYY is read: the standard's closed list of years ended long ago.
    if not match or int(match[2]) != int(match[1]) + 1:
        raise RosterFileError(
            _("<schooljaar> must read like 2026-2027, not %(value)s.") % {"value": year[:20] or "—"},
            where="<school>",
        )
    data.school_year = year
    data.version = _text(school, "xsdversie")
    brin = _text(school, "brincode").upper()
    if not brin:
        raise RosterFileError(_("<brincode> is missing."), where="<school>")
    data.school_code = brin + _text(school, "dependancecode")


def _keyed(root: Element, section: str, tags: tuple[str, ...], duplicate: str):
    """(element, where, key) for each element of a section, refusing a missing, too long or repeated key."""
    seen: set[str] = set()
    container = root.find(section)
    for element in container if container is not None else []:
        if element.tag not in tags:
            continue
        where = _where(element, element.tag)
        key = check_key(element.get("key", ""), where=where)
        if key in seen:
            raise RosterFileError(duplicate % {"key": key[:60]}, where=where)
        seen.add(key)
        yield element, where, key


def _read_groups(root: Element, data: RosterData) -> None:
    duplicate = _("Two groups have the key %(key)s.")
    for element, where, key in _keyed(root, "groepen", ("groep", "samengestelde_groep"), duplicate):
        name = _text(element, "naam")
        if not name:
            raise RosterFileError(_("The group has no <naam>."), where=where)
        combination = element.tag == "samengestelde_groep"
        grade = _text(element, "jaargroep").upper()
        data.groups.append(
            GroupRow(key=key, name=name[:100], grade="C" if combination else grade, combination=combination)
        )


def _person_names(element: Element) -> tuple[str, str]:
    first = _text(element, "roepnaam") or (_text(element, "voornamen").split() or [""])[0]
    if not first:
        first = _text(element, "voorletters-1") or _text(element, "voorletters")
    last = " ".join(part for part in (_text(element, "voorvoegsel"), _text(element, "achternaam")) if part)
    return first[:80], last[:120]


def _read_pupils(root: Element, data: RosterData) -> None:
    groups = {group.key for group in data.groups}
    for element, where, key in _keyed(
        root, "leerlingen", ("leerling",), _("Two pupils have the key %(key)s.")
    ):
        first, last = _person_names(element)
        if not first and not last:
            raise RosterFileError(_("The pupil has no name."), where=where)
        grade = _text(element, "jaargroep").upper()
        group = element.find("groep")
        group_key = group.get("key", "").strip() if group is not None else ""
        if not group_key:
            # A pupil seated only in a combination group has that group as their class.
            combined = element.findall("samengestelde_groepen/samengestelde_groep")
            group_key = combined[0].get("key", "").strip() if len(combined) == 1 else ""
        if group_key and group_key not in groups:
            raise RosterFileError(
                _("The pupil is placed in group %(key)s, which the file does not list under <groepen>.")
                % {"key": group_key[:60]},
                where=where,
            )
        data.pupils.append(
            PupilRow(
                key=key,
                eck_id=element.get("eckid", "").strip()[:256],
                first_name=first,
                last_name=last,
                date_of_birth=_date(element, "geboortedatum", where=where),
                group_key=group_key,
                grade=grade,
                left_on=_date(element, "uitstroomdatum", where=where),
                historical=grade == "H",
                where=where,
            )
        )


def _read_teachers(root: Element, data: RosterData) -> None:
    groups = {group.key for group in data.groups}
    duplicate = _("Two teachers have the key %(key)s.")
    for element, where, key in _keyed(root, "leerkrachten", ("leerkracht",), duplicate):
        first, last = _person_names(element)
        group_keys = []
        for taught in element.findall("groepen/*"):
            taught_key = taught.get("key", "").strip()
            if taught_key not in groups:
                raise RosterFileError(
                    _("The teacher teaches group %(key)s, which the file does not list under <groepen>.")
                    % {"key": taught_key[:60]},
                    where=where,
                )
            group_keys.append(taught_key)
        data.teachers.append(
            TeacherRow(
                key=key,
                eck_id=element.get("eckid", "").strip()[:256],
                first_name=first,
                last_name=last,
                email=_text(element, "emailadres").lower(),
                group_keys=tuple(dict.fromkeys(group_keys)),
                where=where,
            )
        )
