"""The guardians' contact export (CSV), keyed by the pupil's key; its columns are mapped once per school.

EDEXML carries no guardians, so every school exports them separately, each with its own columns. The
encoding and the separator are detected and said in the preview, never guessed silently: UTF-8 (with or
without BOM) or Windows-1252, semicolon, comma or tab.
"""

import csv
import io
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from roster.sources.data import GuardianRow, RosterFileError, check_key, relation_of

# The fields a mapping names a column for; "_2" fields read a second guardian from the same row.
FIELDS = {
    "pupil_key": gettext_lazy("Pupil key"),
    "email": gettext_lazy("Email address"),
    "first_name": gettext_lazy("First name"),
    "last_name": gettext_lazy("Last name"),
    "relation": gettext_lazy("Relation"),
    "phone": gettext_lazy("Phone number"),
    "guardian_key": gettext_lazy("Guardian key"),
    "email_2": gettext_lazy("Second guardian: email address"),
    "first_name_2": gettext_lazy("Second guardian: first name"),
    "last_name_2": gettext_lazy("Second guardian: last name"),
    "relation_2": gettext_lazy("Second guardian: relation"),
    "phone_2": gettext_lazy("Second guardian: phone number"),
}
REQUIRED = ("pupil_key", "email")

# Column names seen in ParnasSys and ESIS exports, lower case, for a first suggestion of the mapping.
ALIASES = {
    "pupil_key": ("leerlingkey", "leerling key", "leerlingnummer", "sleutel leerling", "key", "leerling_key"),
    "email": (
        "e-mail",
        "email",
        "e-mailadres",
        "emailadres",
        "e-mail ouder 1",
        "email ouder 1",
        "e-mail verzorger",
    ),
    "first_name": ("voornaam", "roepnaam", "voornaam ouder", "roepnaam ouder 1", "voornaam ouder 1"),
    "last_name": ("achternaam", "achternaam ouder", "achternaam ouder 1", "naam ouder 1"),
    "relation": ("relatie", "relatie ouder 1", "soort relatie"),
    "phone": ("telefoon", "mobiel", "telefoonnummer", "mobiel ouder 1"),
    "guardian_key": ("ouderkey", "ouder key", "verzorgerkey"),
    "email_2": ("e-mail ouder 2", "email ouder 2"),
    "first_name_2": ("roepnaam ouder 2", "voornaam ouder 2"),
    "last_name_2": ("achternaam ouder 2", "naam ouder 2"),
    "relation_2": ("relatie ouder 2",),
    "phone_2": ("mobiel ouder 2", "telefoon ouder 2"),
}

# Spreadsheets run a cell that starts with these as a formula; a real name, email or key never does. Only an
# international phone number may start with +, and then a digit, a space or a bracket follows.
FORMULA = re.compile(r"^[=@\t\r-]|^\+(?![\d\s(])")
UNDEFINED_CP1252 = {0x81, 0x8D, 0x8F, 0x90, 0x9D}


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # "UTF-8", "UTF-8 with BOM", "Windows-1252"
    delimiter: str
    header: list[str]


def decode(content: bytes) -> Decoded:
    """The text, its encoding and its separator, or a refusal that says why none fits."""
    if content.startswith(b"\xef\xbb\xbf"):
        text, encoding = content[3:].decode("utf-8", errors="strict"), "UTF-8 with BOM"
    else:
        try:
            text, encoding = content.decode("utf-8"), "UTF-8"
        except UnicodeDecodeError:
            if any(byte in UNDEFINED_CP1252 for byte in content):
                raise RosterFileError(
                    _("The file is neither UTF-8 nor Windows-1252; save it as UTF-8 and try again.")
                ) from None
            text, encoding = content.decode("cp1252"), "Windows-1252"
    if "\x00" in text:
        raise RosterFileError(_("The file is not a CSV text file."))
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    counts = {delimiter: first_line.count(delimiter) for delimiter in (";", ",", "\t")}
    delimiter = max(counts, key=counts.get)
    if counts[delimiter] == 0:
        raise RosterFileError(
            _("The first line has no separator (semicolon, comma or tab)."), where=_("line 1")
        )
    header = next(csv.reader([first_line], delimiter=delimiter))
    return Decoded(
        text=text, encoding=encoding, delimiter=delimiter, header=[name.strip() for name in header]
    )


def suggest_mapping(header: list[str]) -> dict[str, str]:
    """A first guess of field → column from the column names; the office confirms or changes it."""
    by_lower = {name.lower(): name for name in header}
    mapping = {}
    for field, aliases in ALIASES.items():
        for alias in aliases:
            if alias in by_lower:
                mapping[field] = by_lower[alias]
                break
    return mapping


def check_mapping(mapping: dict[str, str], header: list[str]) -> dict[str, str]:
    mapping = {field: column for field, column in mapping.items() if field in FIELDS and column}
    for field in REQUIRED:
        if field not in mapping:
            raise RosterFileError(_("Choose the column for “%(field)s”.") % {"field": FIELDS[field]})
    for field, column in mapping.items():
        if column not in header:
            raise RosterFileError(
                _("The column “%(column)s” (for “%(field)s”) is not in the file.")
                % {"column": column[:60], "field": FIELDS[field]},
                where=_("line 1"),
            )
    return mapping


def read_guardians(content: bytes, mapping: dict[str, str]) -> tuple[list[GuardianRow], list[str]]:
    """The guardian rows of the file under this mapping, and notes on how it was read."""
    decoded = decode(content)
    mapping = check_mapping(mapping, decoded.header)
    reader = csv.reader(io.StringIO(decoded.text.lstrip("\ufeff"), newline=""), delimiter=decoded.delimiter)
    next(reader, None)
    index = {name: position for position, name in enumerate(decoded.header)}
    rows: list[GuardianRow] = []
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        where = _("line %(number)s") % {"number": number}
        for position, cell in enumerate(cells):
            if FORMULA.match(cell):
                column = decoded.header[position] if position < len(decoded.header) else str(position + 1)
                raise RosterFileError(
                    _(
                        "The column “%(column)s” holds a spreadsheet formula, "
                        "which a contact export never has."
                    )
                    % {"column": column[:60]},
                    where=where,
                )
        cell = _cell_reader(cells, mapping, index)
        pupil_key = check_key(cell("pupil_key"), where=where)
        for suffix in ("", "_2"):
            email = cell("email" + suffix).lower()
            if not email:
                if suffix == "":
                    raise RosterFileError(_("The email address is empty."), where=where)
                continue
            rows.append(
                GuardianRow(
                    pupil_key=pupil_key,
                    email=email[:254],
                    first_name=cell("first_name" + suffix)[:80],
                    last_name=cell("last_name" + suffix)[:120],
                    relation=relation_of(cell("relation" + suffix)),
                    phone=cell("phone" + suffix)[:30],
                    key=cell("guardian_key")[:256] if suffix == "" else "",
                    where=where,
                )
            )
    separator = {";": _("semicolons"), ",": _("commas"), "\t": _("tabs")}[decoded.delimiter]
    notes = [
        _("Guardians: %(count)s rows, read as %(encoding)s separated by %(separator)s.")
        % {"count": len(rows), "encoding": decoded.encoding, "separator": separator}
    ]
    return rows, notes


def _cell_reader(cells: list[str], mapping: dict[str, str], index: dict[str, int]):
    """field → the stripped cell of this row that the mapping names ("" when the row is short)."""

    def cell(field: str) -> str:
        position = index.get(mapping.get(field, ""))
        return cells[position].strip() if position is not None and position < len(cells) else ""

    return cell
