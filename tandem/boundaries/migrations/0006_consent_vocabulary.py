# The consent vocabulary, moved here from homework (homework 0005 renamed the
# table). Its sealed columns named homework.consentvocabulary in their
# authenticated data; they are opened with that label and sealed again.

import django.db.models.deletion
import tandem.core.fields
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('boundaries', '0005_encrypted_text'),
        ('couples', '0001_couple_space'),
        ('homework', '0005_consent_vocabulary_to_boundaries'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ConsentVocabulary',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('more', tandem.core.fields.EncryptedCharField(blank=True, max_length=200, verbose_name='more')),
                        ('slower', tandem.core.fields.EncryptedCharField(blank=True, max_length=200, verbose_name='slower')),
                        ('pause', tandem.core.fields.EncryptedCharField(blank=True, max_length=200, verbose_name='pause')),
                        ('stop', tandem.core.fields.EncryptedCharField(blank=True, max_length=200, verbose_name='stop')),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('couple', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='vocabulary', to='couples.couple')),
                        ('updated_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name_plural': 'consent vocabularies',
                    },
                ),
            ],
        ),
        tandem.core.fields.relabel_existing_rows(
            'boundaries', 'ConsentVocabulary', 'homework.consentvocabulary', 'more', 'slower', 'pause', 'stop'
        ),
    ]
