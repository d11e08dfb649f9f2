"""The data migration: every purpose becomes version 1 of itself, and every answer and change an answer to
it, so consent given before versions existed still counts."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)


def migrate(targets=None):
    """Migrate to the targets (every app's latest migration when None); the models of that state."""
    executor = MigrationExecutor(connection)
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def test_existing_purposes_and_answers_become_version_1():
    from core.testing import build_world

    world = build_world()
    old = migrate([("consent", "0001_initial")])
    try:
        Purpose, Answer = old.get_model("consent", "Purpose"), old.get_model("consent", "Answer")
        AnswerChange = old.get_model("consent", "AnswerChange")
        photos = Purpose.objects.create(
            school_id=world.school.id, name="Foto's en video's in de eigen groep van het kind", scope="class"
        )
        yearbook = Purpose.objects.create(school_id=world.school.id, name="Jaarboek", scope="other")
        for purpose in (photos, yearbook):
            for guardian in (world.parent, world.co_parent):
                Answer.objects.create(
                    pupil_id=world.child.id, purpose=purpose, guardian_id=guardian.id, given=True
                )
                AnswerChange.objects.create(
                    pupil_id=world.child.id, purpose=purpose, guardian_id=guardian.id, old=None, new=True
                )
    finally:
        migrate()
    from consent.models import AnswerChange, Purpose
    from consent.queries import consent_table

    migrated = {p.current.name_nl: p for p in Purpose.objects.select_related("current")}
    assert set(migrated) == {"Foto's en video's in de eigen groep van het kind", "Jaarboek"}
    version = migrated["Foto's en video's in de eigen groep van het kind"].current
    assert (version.number, version.asked_from, version.scope) == (1, 1, "class")
    assert version.name_en == "Photos and videos in the child's own class group"
    assert migrated["Jaarboek"].current.name_en == ""
    assert {change.version.number for change in AnswerChange.objects.select_related("version")} == {1}
    table = consent_table([world.child.id], [p.id for p in migrated.values()])
    assert all(table.values())  # the answers given before versions existed still count
