import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("consent", "0003_purpose_versions_data")]

    operations = [
        migrations.AlterField(
            model_name="answer",
            name="version",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.RESTRICT, related_name="answers", to="consent.purposeversion"
            ),
        ),
        migrations.AlterField(
            model_name="answerchange",
            name="version",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.RESTRICT, related_name="+", to="consent.purposeversion"
            ),
        ),
        migrations.RemoveField(model_name="purpose", name="name"),
        migrations.RemoveField(model_name="purpose", name="scope"),
    ]
