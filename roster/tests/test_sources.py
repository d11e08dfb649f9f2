"""Reading exports: EDEXML in three versions, guardian CSVs in their encodings, OneRoster; hostile input."""

import datetime
import io
import zipfile
from pathlib import Path

import pytest
from django.utils import translation

from roster.sources.data import RosterFileError
from roster.sources.edexml import read_edexml
from roster.sources.guardians_csv import decode, read_guardians, suggest_mapping
from roster.sources.oneroster import files_from_zip, read_oneroster
from roster.tests.edexml import P, T, edexml

GROUPS = [("G3", "Groep 3", "3"), ("G4", "Groep 4", "4")]


@pytest.mark.parametrize("version", ["1.03", "2.0", "2.1"])
def test_it_reads_each_edexml_version(version):
    content = edexml(
        year="2026-2027",
        version=version,
        groups=GROUPS,
        pupils=[P("L1", "Daan", "Berg", "G3", prefix="van den", eck="https://id.school/LL_1")],
        teachers=[T("K1", "Anna", "Jansen", "Anna@School.test", ["G3", "G4"])],
    )
    data = read_edexml(content)
    assert data.school_year == "2026-2027"
    assert data.school_code == "99ZZ00"
    assert [(g.key, g.name, g.grade) for g in data.groups] == [("G3", "Groep 3", "3"), ("G4", "Groep 4", "4")]
    pupil = data.pupils[0]
    assert (pupil.first_name, pupil.last_name, pupil.group_key) == ("Daan", "van den Berg", "G3")
    assert pupil.date_of_birth == datetime.date(2018, 3, 1)
    assert pupil.eck_id == ("https://id.school/LL_1" if version == "2.1" else "")
    assert data.teachers[0].email == "anna@school.test"
    assert data.teachers[0].group_keys == ("G3", "G4")


def test_it_reads_any_school_year_not_only_the_standards_list():
    assert read_edexml(edexml(year="2031-2032", groups=GROUPS, pupils=[])).school_year == "2031-2032"


def test_it_takes_the_first_given_name_when_there_is_no_roepnaam():
    content = (
        b"<EDEX><school><schooljaar>2026-2027</schooljaar><brincode>99ZZ</brincode></school>"
        b'<groepen><groep key="G"><naam>3</naam><jaargroep>3</jaargroep></groep></groepen>'
        b'<leerlingen><leerling key="1"><achternaam>Assati</achternaam>'
        b"<voornamen>Isma\xc3\xabl Hassan</voornamen>"
        b'<groep key="G"/></leerling></leerlingen></EDEX>'
    )
    assert read_edexml(content).pupils[0].first_name == "Ismaël"


def test_it_reads_combination_groups_and_historical_pupils():
    content = edexml(
        year="2026-2027",
        groups=GROUPS,
        combination=[("SG56", "Groep 5/6")],
        pupils=[
            P("L1", "Eva", "Smit", "SG56", grade="C"),
            P("L2", "Sem", "Vos", "G4", grade="H", left="2026-07-17"),
        ],
    )
    data = read_edexml(content)
    assert data.groups[-1].combination
    assert data.pupils[0].group_key == "SG56"
    assert data.pupils[1].historical and data.pupils[1].left_on == datetime.date(2026, 7, 17)


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
            b"<EDEX>&b;</EDEX>",
            "DTD",
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><EDEX>&e;</EDEX>',
            "DTD",
        ),
        (b"<EDEX><school>", "line 1"),
        (b"<ROOT/>", "<EDEX>"),
        (
            b"<EDEX><school><schooljaar>2026</schooljaar><brincode>99ZZ</brincode></school></EDEX>",
            "2026-2027",
        ),
    ],
)
def test_it_refuses_hostile_or_malformed_xml_with_a_message(content, fragment):
    with translation.override("en"), pytest.raises(RosterFileError) as refused:
        read_edexml(content)
    assert fragment in str(refused.value)


def test_it_refuses_a_reused_key_naming_the_element():
    content = edexml(
        year="2026-2027", groups=GROUPS, pupils=[P("L1", "A", "B", "G3"), P("L1", "C", "D", "G3")]
    )
    with translation.override("en"), pytest.raises(RosterFileError) as refused:
        read_edexml(content)
    assert refused.value.where == '<leerling key="L1">'


def test_it_refuses_a_pupil_in_a_group_the_file_does_not_list():
    content = edexml(year="2026-2027", groups=GROUPS, pupils=[P("L1", "A", "B", "G9")])
    with pytest.raises(RosterFileError) as refused:
        read_edexml(content)
    assert "G9" in str(refused.value)


def test_it_refuses_a_key_longer_than_256_characters_and_reads_one_of_256():
    assert read_edexml(edexml(year="2026-2027", groups=GROUPS, pupils=[P("K" * 256, "A", "B", "G3")])).pupils
    with pytest.raises(RosterFileError):
        read_edexml(edexml(year="2026-2027", groups=GROUPS, pupils=[P("K" * 257, "A", "B", "G3")]))


MAPPING = {
    "pupil_key": "Leerlingnummer",
    "email": "E-mail",
    "first_name": "Roepnaam ouder 1",
    "last_name": "Achternaam ouder 1",
    "relation": "Relatie",
    "email_2": "E-mail ouder 2",
    "first_name_2": "Roepnaam ouder 2",
}


def guardian_csv(rows: list[list[str]], *, delimiter=";", encoding="utf-8", bom=False) -> bytes:
    header = [
        "Leerlingnummer",
        "Roepnaam ouder 1",
        "Achternaam ouder 1",
        "E-mail",
        "Relatie",
        "E-mail ouder 2",
        "Roepnaam ouder 2",
    ]
    text = "\r\n".join(delimiter.join(row) for row in [header, *rows]) + "\r\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding)


def test_it_reads_a_windows_1252_csv_with_semicolons_and_says_so():
    content = guardian_csv(
        [["L1", "Zoë", "Brouwer", "zoe@example.test", "Moeder", "", ""]], encoding="cp1252"
    )
    with translation.override("en"):
        rows, notes = read_guardians(content, MAPPING)
    assert rows[0].first_name == "Zoë" and rows[0].relation == "mother"
    assert "Windows-1252" in notes[0] and "semicolons" in notes[0]


def test_it_reads_utf8_with_a_bom_and_commas_and_a_second_guardian_per_row():
    content = guardian_csv(
        [["L1", "Zoë", "Brouwer", "ZOE@example.test", "Moeder", "piet@example.test", "Piet"]],
        delimiter=",",
        bom=True,
    )
    with translation.override("en"):
        rows, notes = read_guardians(content, MAPPING)
    assert [(r.email, r.first_name) for r in rows] == [
        ("zoe@example.test", "Zoë"),
        ("piet@example.test", "Piet"),
    ]
    assert "UTF-8 with BOM" in notes[0] and "commas" in notes[0]
    assert decode(content).header[0] == "Leerlingnummer"


def test_it_suggests_a_mapping_from_known_column_names():
    header = decode(guardian_csv([])).header
    assert suggest_mapping(header)["pupil_key"] == "Leerlingnummer"
    assert suggest_mapping(header)["email"] == "E-mail"


@pytest.mark.parametrize("cell", ['=HYPERLINK("http://x")', "@SUM(A1)", "+cmd|' /C calc'!A0", "-2+3"])
def test_it_refuses_a_formula_naming_the_line_and_column(cell):
    content = guardian_csv([["L1", cell, "Brouwer", "zoe@example.test", "", "", ""]])
    with translation.override("en"), pytest.raises(RosterFileError) as refused:
        read_guardians(content, MAPPING)
    assert refused.value.where == "line 2" and "Roepnaam ouder 1" in refused.value.message


def test_it_accepts_an_international_phone_number_with_a_plus():
    content = guardian_csv([["L1", "Zoë", "Brouwer", "zoe@example.test", "+31 6 12345678", "", ""]])
    rows, _notes = read_guardians(content, MAPPING | {"phone": "Relatie"})
    assert rows[0].phone == "+31 6 12345678"


def test_it_refuses_a_mapping_naming_a_column_the_file_lacks():
    with translation.override("en"), pytest.raises(RosterFileError) as refused:
        read_guardians(guardian_csv([]), MAPPING | {"phone": "Telefoon thuis"})
    assert "Telefoon thuis" in refused.value.message


def test_it_refuses_a_file_that_is_neither_utf8_nor_windows_1252():
    with pytest.raises(RosterFileError):
        read_guardians(b"Leerlingnummer;E-mail\r\nL1;\x81\x8d\xff\r\n", MAPPING)


ONEROSTER = Path(__file__).parent / "data" / "oneroster"


def oneroster_zip() -> bytes:
    """The OneRoster 1.1 sample set (one school, one class, a pupil, a teacher and a parent) as a zip."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for path in ONEROSTER.glob("*.csv"):
            archive.write(path, path.name)
    return out.getvalue()


def test_it_reads_a_oneroster_set_with_guardians_linked_by_agents():
    data = read_oneroster(files_from_zip(oneroster_zip()))
    assert data.school_year == "2026-2027" and data.school_code == "99ZZ00"
    assert [(p.first_name, p.last_name, p.group_key) for p in data.pupils] == [("Daan", "van den Berg", "c3")]
    assert data.teachers[0].group_keys == ("c3",)
    assert [(g.pupil_key, g.email, g.phone) for g in data.guardians] == [
        ("s1", "sanne@example.test", "0612345678")
    ]


def test_it_refuses_a_oneroster_set_without_its_required_files():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("users.csv", "sourcedId\n")
    with translation.override("en"), pytest.raises(RosterFileError) as refused:
        read_oneroster(files_from_zip(out.getvalue()))
    assert "manifest.csv" in refused.value.message
