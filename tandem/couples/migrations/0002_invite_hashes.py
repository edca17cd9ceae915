# Invite secrets become keyed hashes, in three steps: add the hash columns
# (and let the clear ones be empty), hash what is there, drop the clear ones.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("couples", "0001_couple_space"),
    ]

    operations = [
        migrations.AddField(
            model_name="invite",
            name="token_hash",
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        migrations.AddField(
            model_name="invite",
            name="code_hash",
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        migrations.AlterField(
            model_name="invite",
            name="token",
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        migrations.AlterField(
            model_name="invite",
            name="code",
            field=models.CharField(editable=False, max_length=10, null=True),
        ),
    ]
