"""``{{ assignment|held_reason:"therapist" }}``: why homework read ``with_holds()`` waits, for pages
outside the homework app (the therapist's couple page) that list it."""

from django import template

from tandem.homework import holds

register = template.Library()


@register.filter
def held_reason(assignment, audience: str = "partner") -> str:
    return holds.reason(holds.shown(assignment), therapist=audience == "therapist")
