"""The hold of listed homework, for pages outside the homework app.

``{{ assignment|held_reason:"therapist" }}`` on homework read ``with_holds()``
(the therapist's couple page): the same reason every other page gives, in
the words for that reader.
"""

from django import template

from tandem.homework import holds

register = template.Library()


@register.filter
def held_reason(assignment, audience: str = "partner") -> str:
    return holds.reason(holds.shown(assignment), therapist=audience == "therapist")
