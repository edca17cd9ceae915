# Invite secrets become keyed hashes, in three steps: add the hash columns
# (and let the clear ones be empty), hash what is there, drop the clear ones.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("clinic", "0004_encrypted_text"),
    ]

    operations = [
        migrations.AddField(
            model_name="careinvite",
            name="token_hash",
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        migrations.AddField(
            model_name="careinvite",
            name="code_hash",
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        migrations.AlterField(
            model_name="careinvite",
            name="token",
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        migrations.AlterField(
            model_name="careinvite",
            name="code",
            field=models.CharField(editable=False, max_length=10, null=True),
        ),
    ]
