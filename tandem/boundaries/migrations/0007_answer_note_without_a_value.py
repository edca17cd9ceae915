# An unanswered item may keep its note (value ""): nothing written is lost.
# Validation only; the column is unchanged.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('boundaries', '0006_consent_vocabulary'),
    ]

    operations = [
        migrations.AlterField(
            model_name='answer',
            name='value',
            field=models.CharField(blank=True, choices=[('yes', 'Yes'), ('maybe', 'Maybe'), ('no', 'No')], max_length=5),
        ),
    ]
