# Issue 21: each care-team row already stored is given the care link it was
# shared under, so that a later therapist no longer reads it.
#
# When a row became care team was never stored, so its time stands in:
#
# 1. a care-team entry (or a sealed answer to become care team at the reveal)
#    goes to the link that was active when it was written (activated at or
#    before, not yet ended);
# 2. one written while no link was active goes to the first link activated
#    after it (the form offers "care team" only with an active link, so such
#    a row became care team later, under that link: a reveal, an edit);
# 3. one written after the couple's last link ended stays without a link:
#    earlier history for every link to come, shown only if its author says so.
#
# Measures: a plan goes to the link of its creator (the therapist) active
# when it was made, else to any link active then, else to its creator's
# latest link with the couple; a response to its plan's link (else the link
# active when it was filled); a risk flag to the link of the therapist it was
# raised to, active when it was raised (else its response's link).
#
# Reversed: nothing to undo (the schema migrations drop the columns).

from django.db import migrations
from django.db.models import OuterRef, Q, Subquery

ENTRIES = [
    ("checkins", "CheckIn"),
    ("checkins", "RapidCheckIn"),
    ("wins", "Win"),
    ("wins", "GratitudeNote"),
    ("homework", "Response"),
    ("homework", "Debrief"),
]


def _in_force(CareLink, at: str, **match):
    """The link of the row's couple active at the row's ``at`` time, as a subquery."""
    return Subquery(
        CareLink.objects.filter(couple=OuterRef("couple"), activated_at__lte=OuterRef(at), **match)
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gt=OuterRef(at)))
        .order_by("-activated_at")
        .values("pk")[:1]
    )


def _next_after(CareLink, at: str):
    """The first link of the row's couple activated after its ``at`` time."""
    return Subquery(
        CareLink.objects.filter(couple=OuterRef("couple"), activated_at__gt=OuterRef(at))
        .order_by("activated_at")
        .values("pk")[:1]
    )


def assign(apps, schema_editor):
    CareLink = apps.get_model("clinic", "CareLink")
    for app, name in ENTRIES:
        model = apps.get_model(app, name)
        care_team = Q(visibility="care_team")
        if name == "Response":
            care_team |= Q(reveal_as="care_team")
        rows = model.objects.filter(care_team)
        rows.filter(care_link__isnull=True).update(care_link=_in_force(CareLink, "created_at"))
        rows.filter(care_link__isnull=True).update(care_link=_next_after(CareLink, "created_at"))

    MeasurePlan = apps.get_model("measures", "MeasurePlan")
    MeasureResponse = apps.get_model("measures", "MeasureResponse")
    RiskFlag = apps.get_model("measures", "RiskFlag")
    plans = MeasurePlan.objects.all()
    plans.filter(care_link__isnull=True).update(
        care_link=_in_force(CareLink, "created_at", therapist__user=OuterRef("created_by"))
    )
    plans.filter(care_link__isnull=True).update(care_link=_in_force(CareLink, "created_at"))
    plans.filter(care_link__isnull=True).update(
        care_link=Subquery(
            CareLink.objects.filter(
                couple=OuterRef("couple"), therapist__user=OuterRef("created_by"), activated_at__isnull=False
            )
            .order_by("-activated_at")
            .values("pk")[:1]
        )
    )
    responses = MeasureResponse.objects.all()
    responses.filter(care_link__isnull=True, plan__isnull=False).update(
        care_link=Subquery(MeasurePlan.objects.filter(pk=OuterRef("plan")).values("care_link")[:1])
    )
    responses.filter(care_link__isnull=True).update(care_link=_in_force(CareLink, "completed_at"))
    flags = RiskFlag.objects.all()
    flags.filter(care_link__isnull=True).update(
        care_link=_in_force(CareLink, "created_at", therapist__user=OuterRef("therapist"))
    )
    flags.filter(care_link__isnull=True).update(
        care_link=Subquery(MeasureResponse.objects.filter(pk=OuterRef("response")).values("care_link")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("clinic", "0008_history_consent"),
        ("checkins", "0005_entry_care_link"),
        ("wins", "0004_entry_care_link"),
        ("homework", "0006_entry_care_link"),
        ("measures", "0002_measures_belong_to_a_care_link"),
    ]

    operations = [migrations.RunPython(assign, migrations.RunPython.noop, elidable=True)]
