"""Roster import: preview and apply of a 1,000-pupil, 2,000-guardian file, beside the floor of parsing it.

One school with 40 classes, 50 teachers, 1,000 pupils and two guardians each, as EDEXML 2.1 plus a parents'
CSV. Measured in a child process on SQLite and on PostgreSQL: the first import into an empty school
(everything new), then a second file in which 200 pupils moved, 50 left and 50 arrived, each previewed
and applied. The floor is reading the same two files alone, without the database.
"""

import os
import time

from bench._child import measure_on_both

PG_DATABASE = "bench_roster"
TARGET_PREVIEW_S = 3.0
TARGET_APPLY_S = 10.0


def run() -> list[str]:
    results = measure_on_both("roster", pg_database=PG_DATABASE, timeout=600)
    lines = [
        "1,000 pupils, 2,000 guardians, 50 teachers in 40 classes (EDEXML 2.1 + CSV)"
        f" (targets: preview under {TARGET_PREVIEW_S:.0f} s, apply under {TARGET_APPLY_S:.0f} s)",
        f"load average before the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores",
    ]
    for database, figures in results.items():
        if isinstance(figures, str):
            lines.append(f"  {database}: failed: {figures}")
            continue
        lines.append(f"  {database}: floor (reading both files, no database) {figures['floor']:.2f} s")
        for step in ("first", "second"):
            preview, apply = figures[f"{step}_preview"], figures[f"{step}_apply"]
            verdict = "ok" if preview < TARGET_PREVIEW_S and apply < TARGET_APPLY_S else "OVER TARGET"
            lines.append(
                f"    {figures[f'{step}_label']:<44} preview {preview:5.2f} s  apply {apply:5.2f} s"
                f"  ({figures[f'{step}_changes']} changes)  [{verdict}]"
            )
    return lines


def files(year: str, *, moved: int = 0, left: int = 0, arrived: int = 0) -> tuple[bytes, bytes]:
    from roster.tests.edexml import P, T, edexml

    groups = [(f"G{n}", f"Groep {n % 8 + 1}{'abcde'[n // 8]}", str(n % 8 + 1)) for n in range(40)]
    pupils = [P(f"L{n:05d}", f"Kind{n}", f"Familie{n // 2}", f"G{n % 40}") for n in range(1000)]
    pupils = [
        P(p.key, p.first, p.last, f"G{(int(p.key[1:]) + 7) % 40}") if n < moved else p
        for n, p in enumerate(pupils)
    ]
    pupils = pupils[: len(pupils) - left] + [
        P(f"N{n:05d}", f"Nieuw{n}", "Instroom", f"G{n % 40}") for n in range(arrived)
    ]
    teachers = [
        T(f"K{n}", f"Juf{n}", "Leerkracht", f"juf{n}@school.example", [f"G{n % 40}"]) for n in range(50)
    ]
    rows = ["Leerlingnummer;Roepnaam ouder 1;Achternaam ouder 1;E-mail;Relatie"]
    for pupil in pupils:
        family = pupil.last.lower()
        rows.append(f"{pupil.key};Moeder;{pupil.last};moeder.{family}@example.org;Moeder")
        rows.append(f"{pupil.key};Vader;{pupil.last};vader.{family}@example.org;Vader")
    return edexml(year=year, groups=groups, pupils=pupils, teachers=teachers), (
        "\r\n".join(rows) + "\r\n"
    ).encode()


def measure() -> None:
    import json

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from core.testing import make_school, make_user
    from roster.actions import check_apply, check_start_import, do_apply, do_preview
    from roster.sources.edexml import read_edexml
    from roster.sources.guardians_csv import decode, read_guardians, suggest_mapping
    from schools.models import Board
    from schools.queries import current_school_year_of

    school = make_school(Board.objects.create(name="Bench"), "Benchschool").school
    year = current_school_year_of(school).name
    director = make_user("directie@bench.example", "Di", "Recteur")
    figures: dict = {}
    first = files(year)
    started = time.perf_counter()
    read_edexml(first[0])
    read_guardians(first[1], suggest_mapping(decode(first[1]).header))
    figures["floor"] = time.perf_counter() - started
    for step, label, content in (
        ("first", "first import into an empty school", first),
        ("second", "200 moved, 50 left, 50 arrived", files(year, moved=200, left=50, arrived=50)),
    ):
        roster_import = check_start_import(
            acting_user=director,
            school=school,
            source="edexml",
            content=content[0],
            guardian_content=content[1],
            mapping=suggest_mapping(decode(content[1]).header),
            run_preview=False,
        )
        started = time.perf_counter()
        do_preview(roster_import=roster_import)
        figures[f"{step}_preview"] = time.perf_counter() - started
        assert not roster_import.plan["conflicts"], roster_import.plan["conflicts"][:3]
        check_apply(acting_user=director, roster_import=roster_import, run=False)
        started = time.perf_counter()
        do_apply(roster_import=roster_import)
        figures[f"{step}_apply"] = time.perf_counter() - started
        assert roster_import.status == "applied", roster_import.error
        figures[f"{step}_changes"] = len(roster_import.plan["changes"])
        figures[f"{step}_label"] = label
    print(json.dumps(figures))
