# Pronouns are free text: the column holds enc1 tokens from now on (see
# tandem/core/fields.py), and values written before are sealed in place (and
# opened again if the migration is reversed).

import tandem.core.fields
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0002_consent_level"),
    ]

    operations = [
        migrations.AlterField(
            model_name="user",
            name="pronouns",
            field=tandem.core.fields.EncryptedCharField(
                blank=True, help_text="Optional, in your words.", max_length=40, verbose_name="pronouns"
            ),
        ),
        tandem.core.fields.encrypt_existing_rows("accounts", "User", "pronouns"),
    ]
