# Only the hashes remain; each is unique, as the clear values were.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("couples", "0003_hash_invite_secrets"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="invite",
            name="token",
        ),
        migrations.RemoveField(
            model_name="invite",
            name="code",
        ),
        migrations.AlterField(
            model_name="invite",
            name="token_hash",
            field=models.CharField(editable=False, max_length=64, unique=True),
        ),
        migrations.AlterField(
            model_name="invite",
            name="code_hash",
            field=models.CharField(editable=False, max_length=64, unique=True),
        ),
    ]
