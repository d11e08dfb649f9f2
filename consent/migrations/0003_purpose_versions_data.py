"""Every existing purpose becomes version 1 of itself, and every answer and change an answer to it."""

from django.db import migrations

# The English wording of the five default purposes, which were created with their Dutch names.
ENGLISH = {
    "Foto's en video's in de eigen groep van het kind": "Photos and videos in the child's own class group",
    "Foto's en video's in de schoolbrede groep": "Photos and videos in the school-wide group",
    "Op de website van de school en in de schoolgids": "On the school website and in the school guide",
    "Op de sociale media van de school": "On the school's social media",
    "In lokale kranten": "In local newspapers",
}


def forwards(apps, schema_editor):
    Purpose = apps.get_model("consent", "Purpose")
    PurposeVersion = apps.get_model("consent", "PurposeVersion")
    Answer = apps.get_model("consent", "Answer")
    AnswerChange = apps.get_model("consent", "AnswerChange")
    for purpose in Purpose.objects.all():
        version = PurposeVersion.objects.create(
            purpose=purpose,
            number=1,
            asked_from=1,
            scope=purpose.scope,
            name_nl=purpose.name,
            name_en=ENGLISH.get(purpose.name, ""),
            created_at=purpose.created_at,
        )
        Purpose.objects.filter(id=purpose.id).update(current=version)
        Answer.objects.filter(purpose=purpose).update(version=version)
        AnswerChange.objects.filter(purpose=purpose).update(version=version)


def backwards(apps, schema_editor):
    Purpose = apps.get_model("consent", "Purpose")
    for purpose in Purpose.objects.select_related("current"):
        purpose.name, purpose.scope = purpose.current.name_nl, purpose.current.scope[:10]
        purpose.save(update_fields=["name", "scope"])


class Migration(migrations.Migration):
    dependencies = [("consent", "0002_purpose_versions")]

    operations = [migrations.RunPython(forwards, backwards)]
