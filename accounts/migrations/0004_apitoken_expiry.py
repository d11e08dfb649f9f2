"""API tokens get an expiry and remember whether they were made in a two-factor-verified session.

Existing staff tokens could only be made after two-factor: they keep that proof, and expire a staff token's
lifetime after they were made (so a token older than that stops working now). Parents' tokens get theirs.
"""

from django.conf import settings
from django.db import migrations, models


def set_expiry(apps, schema_editor):
    ApiToken = apps.get_model("accounts", "ApiToken")
    StaffRole = apps.get_model("schools", "StaffRole")
    staff = set(StaffRole.objects.values_list("user_id", flat=True))
    for token in ApiToken.objects.all():
        is_staff = token.user_id in staff
        age = settings.API_TOKEN_STAFF_AGE if is_staff else settings.API_TOKEN_PARENT_AGE
        token.expires_at, token.two_factor = token.created_at + age, is_staff
        token.save(update_fields=["expires_at", "two_factor"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_loginlink_public_id"),
        ("schools", "0001_initial"),
    ]

    operations = [
        migrations.AddField(model_name="apitoken", name="expires_at", field=models.DateTimeField(null=True)),
        migrations.AddField(model_name="apitoken", name="two_factor", field=models.BooleanField(default=False)),
        migrations.RunPython(set_expiry, migrations.RunPython.noop),
    ]
