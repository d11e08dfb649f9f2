import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("consent", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="PurposeVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("number", models.PositiveIntegerField()),
                ("asked_from", models.PositiveIntegerField()),
                (
                    "scope",
                    models.CharField(
                        choices=[
                            ("class", "Photos and videos in the child's own class group"),
                            ("school", "Photos and videos in the school-wide group"),
                            ("website", "On the school website and in the school guide"),
                            ("social", "On the school's social media"),
                            ("newspaper", "In local newspapers"),
                            ("class_list", "The child's name on the class list"),
                            ("contact", "A phone number shared with the class's parents"),
                            ("other", "Other"),
                        ],
                        default="other",
                        max_length=20,
                        verbose_name="covers",
                    ),
                ),
                ("name_nl", models.CharField(max_length=200, verbose_name="name (Dutch)")),
                ("name_en", models.CharField(blank=True, max_length=200, verbose_name="name (English)")),
                ("description_nl", models.TextField(blank=True, verbose_name="explanation (Dutch)")),
                ("description_en", models.TextField(blank=True, verbose_name="explanation (English)")),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "purpose",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="versions", to="consent.purpose"
                    ),
                ),
            ],
            options={"ordering": ["purpose_id", "number"]},
        ),
        migrations.AddConstraint(
            model_name="purposeversion",
            constraint=models.UniqueConstraint(fields=("purpose", "number"), name="consent_purpose_version_unique"),
        ),
        migrations.AddConstraint(
            model_name="purposeversion",
            constraint=models.CheckConstraint(
                condition=models.Q(("asked_from__gte", 1), ("asked_from__lte", models.F("number"))),
                name="consent_version_asked_from_earlier",
            ),
        ),
        migrations.AddField(
            model_name="purpose",
            name="current",
            field=models.OneToOneField(
                null=True,
                on_delete=django.db.models.deletion.RESTRICT,
                related_name="current_of",
                to="consent.purposeversion",
            ),
        ),
        migrations.AddField(
            model_name="answer",
            name="version",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.RESTRICT, related_name="answers", to="consent.purposeversion"
            ),
        ),
        migrations.AddField(
            model_name="answerchange",
            name="version",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.RESTRICT, related_name="+", to="consent.purposeversion"
            ),
        ),
        migrations.AddField(
            model_name="request",
            name="purpose",
            field=models.ForeignKey(
                blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="consent.purpose"
            ),
        ),
        migrations.AlterField(
            model_name="request",
            name="reason",
            field=models.CharField(
                choices=[
                    ("enrolment", "New pupil"),
                    ("year", "Start of the school year"),
                    ("purpose", "New purpose"),
                    ("changed", "A purpose changed"),
                ],
                max_length=10,
                verbose_name="reason",
            ),
        ),
    ]
