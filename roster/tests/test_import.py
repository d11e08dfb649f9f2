"""Preview and apply: matching by keys, moves, leavers, arrivals, guardians, teachers, conflicts, repeats."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from core.clock import school_today
from core.testing import make_user
from roster.export import edexml_of, guardians_csv_of
from roster.models import RosterImport
from roster.tests.edexml import P, T, edexml
from roster.tests.helpers import empty_school, guardian_file, run_import
from schools.models import Enrolment, Group, Guardianship, Pupil, StaffRole, TeachingAssignment
from schools.queries import current_school_year_of, groups_visible_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    from core.testing import build_world

    return build_world()


def year_of(school) -> str:
    return current_school_year_of(school).name


def school_as_rows(school):
    """The roster of a school as plain rows: what an import must reproduce."""
    year = current_school_year_of(school)
    groups = sorted(Group.objects.filter(school_year=year).values_list("name", flat=True))
    pupils = sorted(
        Enrolment.objects.filter(school_year=year, left_on__isnull=True).values_list(
            "pupil__first_name", "pupil__last_name", "pupil__date_of_birth", "group__name"
        )
    )
    guardians = sorted(
        Guardianship.objects.filter(pupil__school=school).values_list("pupil__first_name", "guardian__email")
    )
    teaching = sorted(
        TeachingAssignment.objects.filter(group__school_year=year).values_list(
            "teacher__email", "group__name"
        )
    )
    return groups, pupils, guardians, teaching


def test_it_imports_a_whole_school_into_an_empty_one_and_a_second_apply_changes_nothing(world):
    target = empty_school(world)
    content, guardians = edexml_of(world.school, brin="99ZZ01"), guardians_csv_of(world.school)
    done = run_import(world.director, target, content, guardians=guardians)
    assert done.status == RosterImport.Status.APPLIED, done.error or done.plan["conflicts"]
    source_rows = school_as_rows(world.school)
    assert school_as_rows(target) == source_rows
    assert len(source_rows[1]) == 4 and len(source_rows[2]) == 5
    # Every guardian of both schools is one account, whatever school they are at.
    assert Guardianship.objects.filter(pupil__school=target, guardian=world.parent).count() == 2
    target.refresh_from_db()
    assert target.external_key == "99ZZ01"

    again = run_import(world.director, target, content, guardians=guardians, apply=False)
    assert again.plan["changes"] == []
    assert again.plan["conflicts"] == []


def test_it_counts_moves_leavers_and_arrivals_and_leavers_lose_access(world):
    target = empty_school(world)
    year = year_of(target)
    groups = [("G3", "Groep 3", "3"), ("G4", "Groep 4", "4"), ("G5", "Groep 5", "5")]
    pupils = [P(f"L{n}", f"Kind{n}", "Jansen", "G3" if n < 30 else "G4") for n in range(60)]
    parent = make_user("ouder.l0@example.test", "Ouder", "Nul")
    run_import(world.director, target, edexml(year=year, groups=groups, pupils=pupils))
    Guardianship.objects.create(guardian=parent, pupil=Pupil.objects.get(school=target, external_key="L0"))
    assert groups_visible_to(parent).filter(school=target, kind="class").exists()

    moved = [P(p.key, p.first, p.last, "G5") for p in pupils[:20]]
    stayed = pupils[25:]
    left_h = [P(p.key, p.first, p.last, "", grade="H", left="2026-07-17") for p in pupils[20:22]]
    arrived = [P(f"N{n}", f"Nieuw{n}", "de Boer", "G3") for n in range(10)]
    second = edexml(year=year, groups=groups, pupils=moved + stayed + left_h + arrived)
    preview = run_import(world.director, target, second, apply=False)
    counts = preview.summary
    assert (counts["pupil.move"], counts["pupil.leave"], counts["pupil.add"]) == (20, 5, 10)
    not_in_file = [c for c in preview.plan["changes"] if c["kind"] == "pupil.leave" and c.get("not_in_file")]
    assert len(not_in_file) == 3

    done = run_import(world.director, target, second)
    assert done.status == RosterImport.Status.APPLIED
    assert Enrolment.objects.filter(pupil__school=target, group__name="Groep 5").count() == 20
    # L0 moved, still a pupil; L20 left: the row stays, marked, and its guardians' class access is gone.
    left = Enrolment.objects.get(pupil__external_key="L20", pupil__school=target)
    assert left.left_on is not None
    assert Pupil.objects.filter(school=target).count() == 70
    Guardianship.objects.create(guardian=parent, pupil=left.pupil)
    visible = set(groups_visible_to(parent).filter(school=target).values_list("name", flat=True))
    assert visible == {"Groep 5", "De Nieuwe School"}


def test_it_offers_to_link_a_school_filled_by_hand_by_name_and_birth_date(world):
    Pupil.objects.filter(pk=world.child.pk).update(date_of_birth=datetime.date(2019, 5, 1))
    content = edexml(
        year=year_of(world.school),
        groups=[("G3", "Groep 3", "3")],
        pupils=[P("LL-9", "Daan", "Mulder", "G3", born="2019-05-01")],
    )
    preview = run_import(world.director, world.school, content, apply=False)
    kinds = [c["kind"] for c in preview.plan["changes"]]
    assert "pupil.link" in kinds and "group.link" in kinds
    assert "pupil.add" not in kinds and "pupil.move" not in kinds
    done = run_import(world.director, world.school, content)
    assert done.status == RosterImport.Status.APPLIED
    world.child.refresh_from_db()
    assert world.child.external_key == "LL-9"


def test_it_shows_conflicts_and_refuses_to_apply_them(world):
    target = empty_school(world)
    content = edexml(year=year_of(target), groups=[("G3", "Groep 3", "3")], pupils=[P("L1", "A", "B", "G3")])
    guardians = guardian_file(
        ["L1;Piet;Bakker;gezin@example.test", "L1;Klaas;Smit;gezin@example.test", "L9;X;Y;x@example.test"]
    )
    with translation.override("en"):
        preview = run_import(world.director, target, content, guardians=guardians)
    assert preview.status == RosterImport.Status.PREVIEWED
    messages = " ".join(c["message"] for c in preview.plan["conflicts"])
    assert "gezin@example.test" in messages and "L9" in messages
    with pytest.raises(ValidationError):
        from roster.actions import check_apply

        check_apply(acting_user=world.director, roster_import=preview, run=False)
    assert not Pupil.objects.filter(school=target).exists()


def test_it_refuses_a_file_of_another_school(world):
    target = empty_school(world)
    target.external_key = "11AA00"
    target.save()
    content = edexml(year=year_of(target), groups=[("G3", "Groep 3", "3")], pupils=[], brin="99ZZ")
    with translation.override("en"):
        refused = run_import(world.director, target, content)
    assert refused.status == RosterImport.Status.REFUSED
    assert "99ZZ00" in refused.error


def test_it_refuses_a_year_the_school_has_not_opened(world):
    target = empty_school(world)
    start = school_today().year + 3
    content = edexml(year=f"{start}-{start + 1}", groups=[("G3", "Groep 3", "3")], pupils=[])
    preview = run_import(world.director, target, content)
    assert preview.status == RosterImport.Status.PREVIEWED and preview.plan["conflicts"]
    assert not Group.objects.filter(school=target, kind="class").exists()


def test_it_refuses_to_apply_when_the_school_changed_since_the_preview(world):
    target = empty_school(world)
    content = edexml(year=year_of(target), groups=[("G3", "Groep 3", "3")], pupils=[P("L1", "A", "B", "G3")])
    preview = run_import(world.director, target, content, apply=False)
    Group.objects.create(school=target, school_year=current_school_year_of(target), name="Groep 3")
    from roster.actions import check_apply, do_apply

    check_apply(acting_user=world.director, roster_import=preview, run=False)
    do_apply(roster_import=preview)
    assert preview.status == RosterImport.Status.FAILED
    assert not Pupil.objects.filter(school=target).exists()


def test_it_adds_teachers_as_duo_and_removes_assignments_the_file_no_longer_has(world):
    target = empty_school(world)
    year = year_of(target)
    groups = [("G3", "Groep 3", "3"), ("G4", "Groep 4", "4")]
    duo = [
        T("K1", "Anna", "Jansen", "anna@nieuw.test", ["G3"]),
        T("K2", "Bram", "Smit", "bram@nieuw.test", ["G3", "G4"]),
    ]
    run_import(world.director, target, edexml(year=year, groups=groups, pupils=[], teachers=duo))
    assert TeachingAssignment.objects.filter(group__school=target, group__name="Groep 3").count() == 2
    assert StaffRole.objects.filter(school=target, role="teacher").count() == 2
    later = [duo[0], T("K2", "Bram", "Smit", "bram@nieuw.test", ["G4"])]
    preview = run_import(world.director, target, edexml(year=year, groups=groups, pupils=[], teachers=later))
    assert preview.summary["teacher.unassign"] == 1
    assert TeachingAssignment.objects.filter(group__school=target, group__name="Groep 3").count() == 1


def test_it_shows_a_changed_guardian_email_as_a_change(world):
    target = empty_school(world)
    content = edexml(
        year=year_of(target), groups=[("G3", "Groep 3", "3")], pupils=[P("L1", "Eva", "Bakker", "G3")]
    )
    run_import(world.director, target, content, guardians=guardian_file(["L1;Piet;Bakker;piet@oud.test"]))
    preview = run_import(
        world.director, target, content, guardians=guardian_file(["L1;Piet;Bakker;piet@nieuw.test"])
    )
    changes = [c for c in preview.plan["changes"] if c["kind"] == "guardian.change"]
    assert changes and changes[0]["fields"]["email"] == ["piet@oud.test", "piet@nieuw.test"]
    assert Guardianship.objects.get(pupil__school=target).guardian.email == "piet@nieuw.test"


def test_the_preview_does_not_grow_with_the_number_of_pupils(world):
    def queries_for(count: int) -> int:
        target = empty_school(world, name=f"School {count}")
        pupils = [P(f"L{n}", f"Kind{n}", "Jansen", "G3") for n in range(count)]
        content = edexml(year=year_of(target), groups=[("G3", "Groep 3", "3")], pupils=pupils)
        run_import(world.director, target, content)
        with CaptureQueriesContext(connection) as captured:
            run_import(world.director, target, content, apply=False)
        return len(captured)

    assert queries_for(5) == queries_for(120)


def test_a_leaver_still_in_the_parents_export_is_a_note_not_a_conflict(world):
    target = empty_school(world)
    year = year_of(target)
    groups = [("G3", "Groep 3", "3")]
    parents = guardian_file(["L1;Piet;Bakker;piet@example.test", "L2;Ans;Smit;ans@example.test"])
    both = [P("L1", "Eva", "Bakker", "G3"), P("L2", "Tim", "Smit", "G3")]
    run_import(world.director, target, edexml(year=year, groups=groups, pupils=both), guardians=parents)
    preview = run_import(
        world.director, target, edexml(year=year, groups=groups, pupils=both[:1]), guardians=parents
    )
    assert preview.plan["conflicts"] == []
    assert [w["where"] for w in preview.plan["warnings"]] == ["regel 3"]
    assert preview.status == RosterImport.Status.APPLIED
