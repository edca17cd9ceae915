# The consent vocabulary is part of how a couple says yes and no: it moves
# to the boundaries app. The table is renamed here and the model leaves this
# app's state; boundaries 0006 takes it over and re-seals its columns.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('homework', '0004_encrypted_text'),
    ]

    operations = [
        migrations.AlterModelTable(name='consentvocabulary', table='boundaries_consentvocabulary'),
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='ConsentVocabulary')],
        ),
    ]
