"""Build EDEXML files for tests, in the shapes of versions 1.0.3, 2.0 and 2.1."""

from dataclasses import dataclass, field


@dataclass
class P:
    key: str
    first: str
    last: str
    group: str
    born: str = "2018-03-01"
    grade: str = "3"
    left: str = ""
    eck: str = ""
    prefix: str = ""


@dataclass
class T:
    key: str
    first: str
    last: str
    email: str
    groups: list[str] = field(default_factory=list)


def edexml(
    *,
    year: str,
    groups: list[tuple[str, str, str]],
    pupils: list[P],
    teachers: list[T] = (),
    brin: str = "99ZZ",
    dep: str = "00",
    version: str = "2.1",
    combination: list[tuple[str, str]] = (),
) -> bytes:
    out = [f'<?xml version="1.0" encoding="UTF-8"?>\n<EDEX><school><schooljaar>{year}</schooljaar>']
    out.append(
        f"<brincode>{brin}</brincode><dependancecode>{dep}</dependancecode><xsdversie>{version}</xsdversie></school>"
    )
    out.append("<groepen>")
    for key, name, grade in groups:
        out.append(f'<groep key="{key}"><naam>{name}</naam><jaargroep>{grade}</jaargroep></groep>')
    for key, name in combination:
        out.append(f'<samengestelde_groep key="{key}"><naam>{name}</naam></samengestelde_groep>')
    out.append("</groepen><leerlingen>")
    for p in pupils:
        eck = f' eckid="{p.eck}"' if p.eck and version == "2.1" else ""
        out.append(f'<leerling key="{p.key}"{eck}><achternaam>{p.last}</achternaam>')
        if p.prefix:
            out.append(f"<voorvoegsel>{p.prefix}</voorvoegsel>")
        out.append(
            f"<roepnaam>{p.first}</roepnaam><geboortedatum>{p.born}</geboortedatum><jaargroep>{p.grade}</jaargroep>"
        )
        if p.group.startswith("SG"):
            out.append(
                f'<samengestelde_groepen><samengestelde_groep key="{p.group}"/></samengestelde_groepen>'
            )
        elif p.group:
            out.append(f'<groep key="{p.group}"/>')
        if p.left:
            out.append(f"<uitstroomdatum>{p.left}</uitstroomdatum>")
        out.append("</leerling>")
    out.append("</leerlingen><leerkrachten>")
    for t in teachers:
        out.append(
            f'<leerkracht key="{t.key}"><achternaam>{t.last}</achternaam><roepnaam>{t.first}</roepnaam>'
        )
        out.append(f"<emailadres>{t.email}</emailadres><groepen>")
        out.extend(f'<groep key="{g}"/>' for g in t.groups)
        out.append("</groepen></leerkracht>")
    out.append("</leerkrachten></EDEX>")
    return "".join(out).encode()
