# Only the hashes remain; each is unique, as the clear values were.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("clinic", "0006_hash_care_invite_secrets"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="careinvite",
            name="token",
        ),
        migrations.RemoveField(
            model_name="careinvite",
            name="code",
        ),
        migrations.AlterField(
            model_name="careinvite",
            name="token_hash",
            field=models.CharField(editable=False, max_length=64, unique=True),
        ),
        migrations.AlterField(
            model_name="careinvite",
            name="code_hash",
            field=models.CharField(editable=False, max_length=64, unique=True),
        ),
    ]
