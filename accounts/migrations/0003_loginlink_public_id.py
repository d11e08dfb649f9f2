import core.ids
from django.db import migrations


def forget_open_links(apps, schema_editor):
    # A login link lives minutes; dropping the open ones lets each new row get its own public id.
    apps.get_model("accounts", "LoginLink").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_initial"),
    ]

    operations = [
        migrations.RunPython(forget_open_links, migrations.RunPython.noop),
        migrations.AddField(
            model_name="loginlink",
            name="public_id",
            field=core.ids.PublicIdField(),
        ),
    ]
