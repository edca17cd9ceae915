import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("testkit", "0001_probe_entry"),
        ("clinic", "0008_history_consent"),
    ]

    operations = [
        migrations.AddField(
            model_name="probeentry",
            name="care_link",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="clinic.carelink",
            ),
        ),
    ]
