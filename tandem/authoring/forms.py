from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.homework import kinds
from tandem.homework.specs import ContentError

BODY_MAX = 20_000

LEVELS = [
    ("0", _("0 · Talk and emotional closeness")),
    ("1", _("1 · Affectionate, non-sexual touch")),
    ("2", _("2 · Sensual")),
    ("3", _("3 · Sexual")),
]


def _text(label, help_text="", rows: int | None = None, **attrs) -> forms.CharField:
    # Plain text fields on purpose, even for choices and numbers: the
    # library's parser decides what is valid and words every message, so a
    # practice exercise is held to exactly the rules of a library file.
    widget = forms.Textarea(attrs={"rows": rows, **attrs}) if rows else forms.TextInput(attrs=attrs)
    return forms.CharField(label=label, help_text=help_text, required=False, strip=False, widget=widget)


def _select(label, choices, help_text="") -> forms.CharField:
    return forms.CharField(label=label, help_text=help_text, required=False, widget=forms.Select(choices=choices))


class PracticeExerciseForm(forms.Form):
    """The fields of a library exercise file, one form field each."""

    slug = _text(
        _("Slug"),
        _("Lower-case words joined by dashes, e.g. “evening-walk”. It can't be changed later."),
        autocomplete="off",
        spellcheck="false",
    )
    title = _text(_("Title"))
    kind = _select(_("Kind"), [("", "—"), *kinds.choices()])
    summary = _text(_("Summary"), _("One or two sentences, shown in lists."), rows=2)
    goal = _text(_("Goal"), _("Why the couple does it."), rows=3)
    minutes = _text(_("Minutes"), inputmode="numeric")
    intimacy_level = _select(_("Intimacy level"), [("", "—"), *LEVELS])
    stage = _select(
        _("Sensate-focus stage"),
        [("", "—"), *((str(n), str(n)) for n in range(1, 5))],
        _("Touch exercises only, and required for them."),
    )
    optional_note = _text(
        _("How it stays optional"),
        _("Required at intimacy level 3: how it stays optional, or a non-sexual path."),
        rows=3,
    )
    saves = _select(
        _("Saves for the couple"),
        [("", _("Nothing")), ("vocabulary", _("Their consent vocabulary"))],
        _("Write-then-share exercises only."),
    )
    tags = _text(_("Tags"), _("Slugs separated by commas, e.g. “talk, weekly”."))
    prerequisites = _text(_("Builds on"), _("Slugs of library exercises the couple does first, separated by commas."))
    boundary_items = _text(
        _("Boundary items"),
        _("Slugs of boundary items it involves, separated by commas; a couple with a “no” on one is never offered it."),
    )
    role_a_name = _text(_("Part A: name"), _("e.g. “First speaker”."))
    role_a_prompt = _text(_("Part A: prompt"), rows=3)
    role_b_name = _text(_("Part B: name"))
    role_b_prompt = _text(_("Part B: prompt"), rows=3)
    debrief = _text(_("Debrief questions"), _("One question per line."), rows=3)
    body = forms.CharField(
        label=_("Instructions"),
        help_text=_("Markdown, as in the library files."),
        required=False,
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 14}),
        error_messages={
            "max_length": _("Keep the instructions under %(limit_value)d characters (they have %(show_value)d).")
        },
    )

    FIELDSETS = (
        (_("About"), ("slug", "title", "kind", "summary", "goal", "minutes", "intimacy_level", "tags")),
        (_("The two parts"), ("role_a_name", "role_a_prompt", "role_b_name", "role_b_prompt")),
        (_("Instructions and debrief"), ("body", "debrief")),
        (_("Only for some kinds and levels"), ("stage", "optional_note", "saves", "prerequisites", "boundary_items")),
    )
    # The library's field names (as in ``ContentError.field``) → form fields.
    FIELD_FOR = {
        name: name
        for name in (
            *("slug", "title", "kind", "summary", "goal", "minutes", "intimacy_level", "tags", "stage"),
            *("optional_note", "saves", "prerequisites", "boundary_items", "debrief", "body"),
        )
    } | {"roles": "role_a_name"}

    def __init__(self, *args, with_slug: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_slug:
            # Schedules and frozen homework refer to it; it stays as first saved.
            del self.fields["slug"]

    def fieldsets(self):
        for legend, names in self.FIELDSETS:
            yield legend, [self[name] for name in names if name in self.fields]

    def values(self) -> dict[str, str]:
        return dict(self.cleaned_data)

    def add_content_errors(self, errors: list[ContentError]) -> None:
        """Each library problem beside its field, in the library's words."""
        for error in errors:
            name = self.FIELD_FOR.get(error.field)
            if error.field in ("roles.a", "roles.b"):
                key = error.field[-1]
                given = (self.data.get(self.add_prefix(f"role_{key}_name")) or "").strip()
                name = f"role_{key}_prompt" if given else f"role_{key}_name"
            if name in self.fields:
                self.add_error(name, error.why)
            else:
                self.add_error(None, f"{error.field}: {error.why}")
