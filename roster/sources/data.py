"""What an export says about a school, whatever its format: the shape the plan compares with the school."""

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

# External keys are stored on our records; EDEXML allows keys of up to 256 characters.
KEY_LENGTH = 256


class RosterFileError(Exception):
    """A file that cannot be read as a roster: the message names the line or element."""

    def __init__(self, message: str, *, where: str = ""):
        self.message = str(message)
        self.where = where
        super().__init__(f"{where}: {self.message}" if where else self.message)


@dataclass(frozen=True)
class GroupRow:
    key: str
    name: str
    grade: str = ""  # jaargroep: "0"–"8", "C" for a combination class; "" when unknown
    combination: bool = False


@dataclass(frozen=True)
class PupilRow:
    key: str
    first_name: str
    last_name: str
    date_of_birth: datetime.date | None
    group_key: str
    eck_id: str = ""
    grade: str = ""
    left_on: datetime.date | None = None  # uitstroomdatum
    historical: bool = False  # jaargroep "H": the administration keeps the pupil as one who has left
    where: str = ""


@dataclass(frozen=True)
class TeacherRow:
    key: str
    first_name: str
    last_name: str
    email: str
    group_keys: tuple[str, ...]
    eck_id: str = ""
    where: str = ""


@dataclass(frozen=True)
class GuardianRow:
    pupil_key: str
    email: str
    first_name: str
    last_name: str
    relation: str = "parent"
    phone: str = ""
    key: str = ""  # the guardian's own key in the export, where it has one
    where: str = ""


@dataclass
class RosterData:
    """One school's roster as an export tells it."""

    source: str  # "edexml", "oneroster"
    version: str = ""
    school_year: str = ""  # "2026-2027"
    school_code: str = ""  # BRIN + dependance code ("99ZZ00"), or the OneRoster org's identifier
    school_name: str = ""
    groups: list[GroupRow] = field(default_factory=list)
    pupils: list[PupilRow] = field(default_factory=list)
    teachers: list[TeacherRow] = field(default_factory=list)
    guardians: list[GuardianRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what was read and how, shown in the preview


RELATIONS = {
    # Words exports use for how a guardian is related, lower case → our Guardianship.Relation values.
    "moeder": "mother",
    "mother": "mother",
    "vader": "father",
    "father": "father",
    "ouder": "parent",
    "parent": "parent",
    "voogd": "guardian",
    "guardian": "guardian",
    "pleegouder": "foster",
    "pleegmoeder": "foster",
    "pleegvader": "foster",
    "foster": "foster",
    "verzorger": "other",
    "relative": "other",
}


def relation_of(text: str) -> str:
    return RELATIONS.get((text or "").strip().lower(), "parent")


def check_key(key: str, *, where: str) -> str:
    key = (key or "").strip()
    if not key:
        raise RosterFileError(_("A key is missing."), where=where)
    if len(key) > KEY_LENGTH:
        raise RosterFileError(_("A key is longer than 256 characters."), where=where)
    return key
