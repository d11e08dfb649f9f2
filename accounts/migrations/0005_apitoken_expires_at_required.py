import accounts.models
from django.db import migrations, models


class Migration(migrations.Migration):
    """In its own migration: PostgreSQL will not alter a table with row updates pending in the same one."""

    dependencies = [("accounts", "0004_apitoken_expiry")]

    operations = [
        migrations.AlterField(model_name="apitoken", name="expires_at", field=models.DateTimeField(default=accounts.models.staff_token_expiry)),
    ]
